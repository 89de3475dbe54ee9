/**
 * engine/jco: transpile (cached) -> load from a Blob URL -> instantiate with our host's imports.
 * One engine lives per runtime worker; prepared components stay warm across runs in that worker.
 * `JcoEngine` is the engine itself (benchmarks and tests use it); `JcoRunEngine` is the same
 * engine in the run path's shape (`Engine`, src/engine/engine.ts).
 */
import { generate } from "@bytecodealliance/jco/component";
import { JCO_NEEDS_JSPI, jspiAvailable } from "../../base/jspi";
import { camelCase } from "../../base/names";
import { splitVersion } from "../../base/semver";
import { suspendingFunctions, type Host, type InterfaceImpl } from "../../host";
import type { ComponentInfo } from "../../protocol/runtime";
import type { CallResult, Engine, EngineInstance, ExportFunc, ExportRef, InstantiateContext, PrepareContext, PreparedComponent, Refusal } from "../engine";
import { BoundaryTrace } from "./boundary-trace";
import { sha256Hex, type TranspileCache, type TranspileOutput } from "./cache";
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

/** How jco transpiles one component for this host. */
export interface TranspilePlan {
  /**
   * The component's versioned import names. jco maps each to itself (`map`), so the output looks
   * imports up by versioned name and every version gets its own interface object: 0.2 and 0.3
   * `wasi:filesystem/types` both define a `descriptor` whose methods share names, not signatures.
   */
  versioned: string[];
  /** `iface@version#function` imports that may suspend the guest through JSPI (jco `asyncImports`). */
  asyncImports: string[];
  /** Synchronous exports, entered through `WebAssembly.promising` so their imports may suspend. */
  asyncExports: string[];
}

/**
 * The plan for a component: `suspending(importName)` names the functions of that import which
 * may suspend (by WIT name, as the host declares them).
 */
export function planTranspile(info: Pick<ComponentInfo, "imports" | "exports" | "funcs">, suspending: (importName: string) => readonly string[]): TranspilePlan {
  const names = info.imports.map((i) => i.name);
  return {
    versioned: names.filter((n) => splitVersion(n).version !== ""),
    asyncImports: names.flatMap((n) => suspending(n).map((fn) => `${n}#${fn}`)),
    asyncExports: [
      ...info.exports.filter((e) => e.startsWith("wasi:cli/run@0.2.")).map((e) => `${e}#run`),
      ...info.funcs.filter((f) => !f.isAsync).map((f) => (f.iface ? `${f.iface}#${f.name}` : f.name)),
    ],
  };
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
  async prepare(bytes: Uint8Array, hash: string, plan: TranspilePlan, onPhase: (phase: "transpiling" | "compiling", detail: string) => void): Promise<Prepared> {
    // The plan depends on the host's declarations as well as the component: it is part of the key.
    const planHash = (await sha256Hex(new TextEncoder().encode(JSON.stringify(plan)))).slice(0, 16);
    const key = `jco@${JCO_VERSION}:${hash}:${planHash}`;
    let warm = this.#warm.get(key);
    if (!warm) {
      warm = this.#prepareCold(key, bytes, plan, onPhase);
      this.#warm.set(key, warm);
      warm.catch(() => this.#warm.delete(key));
      return warm;
    }
    return { ...(await warm), cached: true };
  }

  async #prepareCold(key: string, bytes: Uint8Array, plan: TranspilePlan, onPhase: (phase: "transpiling" | "compiling", detail: string) => void): Promise<Prepared> {
    let output = await this.cache.get(key);
    const cached = output !== undefined;
    if (!output) {
      onPhase("transpiling", `jco ${JCO_VERSION} transpile (${(bytes.length / 1024).toFixed(0)} KiB)`);
      const t = await generate(bytes, {
        name: "component",
        instantiation: { tag: "async" },
        noTypescript: true,
        map: plan.versioned.map((n) => [n, n]),
        asyncMode: { tag: "jspi", val: { imports: plan.asyncImports, exports: plan.asyncExports } },
      });
      output = { files: t.files, imports: t.imports, exports: t.exports };
      await this.cache.put(key, output);
    }
    onPhase("compiling", cached ? "transpile cache hit" : "compiling core modules");
    return { key, output, cached, ...(await loadTranspiled(output.files)) };
  }

  /**
   * Instantiates with the host's interfaces for `imports` (the component's import names): each
   * import, by its own name, gets the served interface of a compatible version (see TranspilePlan).
   * With `trace`, every import is traced at the host boundary.
   */
  async instantiate(prepared: Prepared, host: Host, componentName: string, imports: string[], trace?: BoundaryTrace): Promise<Record<string, unknown>> {
    const missing: string[] = [];
    const importObject: Record<string, InterfaceImpl> = {};
    for (const name of imports) {
      const found = host.resolve(name);
      if (found) importObject[name] = found.impl;
      else missing.push(name);
    }
    if (missing.length > 0) throw new MissingImportsError(componentName, missing, [...host.interfaces.keys()]);
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

/** The thrown value of a `result` err from jco: a ComponentError carrying `payload`. */
function errPayload(err: unknown): { payload: unknown } | null {
  if (err instanceof Error && err.constructor.name === "ComponentError" && "payload" in err) return { payload: err.payload };
  return null;
}

/** engine/jco in the run path's shape. jco's async runtime needs JSPI, so it suspends where the host waits. */
export class JcoRunEngine implements Engine {
  readonly name = "jco";
  readonly fidelity = "host-boundary";
  readonly #engine: JcoEngine;

  constructor(cache: TranspileCache) {
    this.#engine = new JcoEngine(cache);
  }

  unavailable(): Refusal | null {
    if (jspiAvailable()) return null;
    return {
      kind: "error",
      message: `${JCO_NEEDS_JSPI}.`,
      hint: "engine/cm (the default) runs components that do not block synchronously in every browser.",
    };
  }

  canSuspend(): boolean {
    return true;
  }

  async prepare(bytes: Uint8Array, ctx: PrepareContext): Promise<PreparedComponent> {
    const prepared = await this.#engine.prepare(bytes, ctx.sha256, planTranspile(ctx.info, suspendingFunctions), (phase, detail) => ctx.onPhase(phase, detail));
    return new JcoRunPrepared(this.#engine, prepared);
  }
}

class JcoRunPrepared implements PreparedComponent {
  constructor(
    private readonly engine: JcoEngine,
    private readonly prepared: Prepared,
  ) {}

  get cached(): boolean {
    return this.prepared.cached;
  }

  /** With tracing on, every import is traced at the host boundary and each call as a task. */
  async instantiate(ctx: InstantiateContext): Promise<EngineInstance | Refusal> {
    const trace = ctx.trace ? new BoundaryTrace(ctx.trace, ctx.componentName) : undefined;
    try {
      const exports = await this.engine.instantiate(this.prepared, ctx.host, ctx.componentName, ctx.info.imports.map((i) => i.name), trace);
      return new JcoRunInstance(exports, trace);
    } catch (err) {
      if (err instanceof MissingImportsError) return { kind: "error", message: err.message };
      throw err;
    }
  }
}

/** jco's exports: `{ [iface]: { camelName } }`, or `{ camelName }` for world-level functions. */
class JcoRunInstance implements EngineInstance {
  constructor(
    private readonly exports: Record<string, unknown>,
    private readonly trace: BoundaryTrace | undefined,
  ) {}

  func(exp: ExportRef): ExportFunc | Refusal {
    const path = exp.iface === null ? [camelCase(exp.func)] : [exp.iface, camelCase(exp.func)];
    const target: unknown = exp.iface === null ? this.exports : this.exports[exp.iface];
    const fn: unknown = typeof target === "object" && target !== null ? Reflect.get(target, path[path.length - 1]!) : undefined;
    if (typeof fn !== "function") return { kind: "error", message: `jco exposes no function at ${path.join(".")} for '${exp.label}'.` };
    const call = (...args: unknown[]): unknown => Reflect.apply(fn, target, args);
    return async (args): Promise<CallResult> => {
      try {
        return { kind: "value", value: await (this.trace ? this.trace.callExport(exp.label, call, target, args) : call(...args)) };
      } catch (err) {
        const e = errPayload(err);
        if (e) return { kind: "err", payload: e.payload };
        throw err;
      }
    };
  }
}
