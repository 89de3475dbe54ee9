/**
 * engine/jco: transpile (cached) -> load from a Blob URL -> instantiate with our host's imports.
 * One engine lives per runtime worker; prepared components stay warm across runs in that worker.
 */
import { generate } from "@bytecodealliance/jco/component";
import { splitVersion } from "../../base/semver";
import type { Host, InterfaceImpl } from "../../host";
import type { BoundaryTrace } from "./boundary-trace";
import type { TranspileCache, TranspileOutput } from "./cache";
import { fixOwnedResultTables } from "./fixups";

declare const __JCO_VERSION__: string;
const JCO_VERSION = typeof __JCO_VERSION__ === "string" ? __JCO_VERSION__ : "unknown";

export interface Prepared {
  key: string;
  output: TranspileOutput;
  cached: boolean;
  modules: Map<string, WebAssembly.Module>;
  /** The transpiled module's `instantiate`. */
  instantiate: (
    getCoreModule: (name: string) => WebAssembly.Module,
    imports: Record<string, InterfaceImpl>,
  ) => Promise<Record<string, unknown>>;
}

/** `wasi:cli/stdout@0.3.0` -> `wasi:cli@0.3.0`, deduplicated: a short list for messages. */
export function packagesOf(interfaces: string[]): string[] {
  const pkgs = new Set<string>();
  for (const name of interfaces) {
    const { base, version } = splitVersion(name);
    pkgs.add(`${base.split("/")[0]}${version ? `@${version}` : ""}`);
  }
  return [...pkgs].sort();
}

/**
 * Compiles jco's core modules and imports its `component.js` from a Blob URL
 * (`instantiation: async` output has no bare imports).
 */
export async function loadTranspiled(files: Array<[string, Uint8Array]>): Promise<Pick<Prepared, "modules" | "instantiate">> {
  const modules = new Map<string, WebAssembly.Module>();
  let js: Uint8Array | undefined;
  await Promise.all(
    files.map(async ([name, data]) => {
      if (name.endsWith(".wasm")) modules.set(name, await WebAssembly.compile(data as Uint8Array<ArrayBuffer>));
      else if (name === "component.js") js = data;
    }),
  );
  if (!js) throw new Error("jco produced no component.js");
  const source = fixOwnedResultTables(new TextDecoder().decode(js)).js;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    const mod = (await import(/* @vite-ignore */ url)) as { instantiate: Prepared["instantiate"] };
    return { modules, instantiate: mod.instantiate };
  } finally {
    URL.revokeObjectURL(url);
  }
}

export class MissingImportsError extends Error {
  constructor(
    readonly component: string,
    readonly missing: string[],
    served: string[],
  ) {
    super(
      `Component '${component}' imports ${missing.map((m) => `'${m}'`).join(", ")}, which this host does not provide. ` +
        `The host provides: ${packagesOf(served).join(", ")}.`,
    );
  }
}

export class JcoEngine {
  #warm = new Map<string, Promise<Prepared>>();

  constructor(private readonly cache: TranspileCache) {}

  /** Transpiles (or takes from cache) and compiles a component; `hash` is sha256Hex(bytes). */
  async prepare(bytes: Uint8Array, hash: string, onPhase: (phase: "transpiling" | "compiling", detail: string) => void): Promise<Prepared> {
    const key = `jco@${JCO_VERSION}:${hash}`;
    let warm = this.#warm.get(key);
    if (!warm) {
      warm = this.#prepareCold(key, bytes, onPhase);
      this.#warm.set(key, warm);
      warm.catch(() => this.#warm.delete(key));
      return warm;
    }
    return { ...(await warm), cached: true };
  }

  async #prepareCold(key: string, bytes: Uint8Array, onPhase: (phase: "transpiling" | "compiling", detail: string) => void): Promise<Prepared> {
    let output = await this.cache.get(key);
    const cached = output !== undefined;
    if (!output) {
      onPhase("transpiling", `jco ${JCO_VERSION} transpile (${(bytes.length / 1024).toFixed(0)} KiB)`);
      const t = await generate(bytes, { name: "component", instantiation: { tag: "async" }, noTypescript: true });
      output = { files: t.files, imports: t.imports, exports: t.exports };
      await this.cache.put(key, output);
    }
    onPhase("compiling", cached ? "transpile cache hit" : "compiling core modules");
    return { key, output, cached, ...(await loadTranspiled(output.files)) };
  }

  /**
   * Instantiates with the host's interfaces for `imports` (versioned names from the component's WIT).
   * jco looks imports up by unversioned name and merges versions, so 0.2.x and 0.3.0 of one
   * interface share one object; where both define a function of the same name, 0.3 wins (they
   * agree: `now` is the same clock in both). With `trace`, every import is traced at the host boundary.
   */
  async instantiate(prepared: Prepared, host: Host, componentName: string, imports: string[], trace?: BoundaryTrace): Promise<Record<string, unknown>> {
    const missing: string[] = [];
    const byBase = new Map<string, Array<{ version: string; impl: InterfaceImpl }>>();
    for (const name of imports) {
      const found = host.resolve(name);
      if (!found) {
        missing.push(name);
        continue;
      }
      const { base, version } = splitVersion(name);
      const list = byBase.get(base) ?? [];
      list.push({ version, impl: found.impl });
      byBase.set(base, list);
    }
    if (missing.length > 0) throw new MissingImportsError(componentName, missing, [...host.interfaces.keys()]);
    const importObject: Record<string, InterfaceImpl> = {};
    for (const [base, impls] of byBase) {
      impls.sort((a, b) => a.version.localeCompare(b.version, "en", { numeric: true }));
      importObject[base] = Object.assign({}, ...impls.map((i) => i.impl));
    }
    return prepared.instantiate(
      (name) => {
        const m = prepared.modules.get(name);
        if (!m) throw new Error(`jco output has no core module '${name}'`);
        return m;
      },
      trace ? trace.imports(importObject) : importObject,
    );
  }
}
