/**
 * One scenario's components, instantiated and linked on one engine: a chain callee -> ... -> caller
 * where each component's `local:local/*` imports bind to the previous one's exports (else to the
 * scenario's host interfaces), and the WASI imports to a fresh host of our own.
 *
 * engine/jco links at run time through JS: the caller's import object holds the callee's jco
 * exports, so values crossing between them are lifted to JS and lowered again. engine/cm links the
 * component instances directly in one `Store` (no JS in between), as a composed component would be.
 */
import { createHost, servedInterfaceFor, suspendingFunctions, type Host, type InterfaceImpl } from "../../src/host";
import { inspectComponent } from "../../src/engine/inspect";
import { CmEngine, type CmInstance, type CmPrepared } from "../../src/engine/cm/engine";
import type { CFunc } from "../../src/engine/cm/link";
import { JcoEngine, planTranspile, type Prepared } from "../../src/engine/jco/engine";
import { memoryCache, sha256Hex } from "../../src/engine/jco/cache";

export type EngineName = "jco" | "cm";

/** What a scenario drives: exported functions by WIT interface and WIT function name. */
export interface Linked {
  /** Calls `iface#func` (`iface` null for a world-level function) with jco's JS conventions. */
  call(iface: string | null, func: string, args: unknown[]): Promise<unknown>;
  /** A new instance of a resource the component exports (`[constructor]resource`). */
  construct(iface: string, resource: string, args: unknown[]): Promise<unknown>;
  /** Calls `[method]resource.method` on `self`. */
  method(iface: string, resource: string, method: string, self: unknown, args: unknown[]): Promise<unknown>;
  /** Everything the guests wrote to stdout and stderr. */
  output(): string;
  /** A trap that ended the run after the export had already returned (engine/cm reports it here). */
  lateFailure(): unknown;
}

/** Host interfaces a scenario provides, by full interface name (`local:local/baz`). */
export type HostImports = Record<string, InterfaceImpl>;

export const FIXTURES = "/conformance/component-model-async/";

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());

/** Bytes, decoded AST (for import names) and each engine's prepared form, shared by scenarios. */
export class Fixtures {
  readonly #bytes = new Map<string, Promise<{ bytes: Uint8Array; hash: string }>>();
  readonly #cm = new CmEngine();
  readonly #jco = new JcoEngine(memoryCache());
  readonly #jcoPrepared = new Map<string, Promise<Prepared>>();

  bytes(file: string): Promise<{ bytes: Uint8Array; hash: string }> {
    let p = this.#bytes.get(file);
    if (!p) {
      p = (async () => {
        const res = await fetch(FIXTURES + file);
        if (!res.ok) throw new Error(`fixture ${file}: HTTP ${res.status}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        return { bytes, hash: await sha256Hex(bytes) };
      })();
      this.#bytes.set(file, p);
    }
    return p;
  }

  async cm(file: string): Promise<CmPrepared> {
    const { bytes, hash } = await this.bytes(file);
    return this.#cm.prepare(bytes, hash);
  }

  get cmEngine(): CmEngine {
    return this.#cm;
  }

  jco(file: string): Promise<Prepared> {
    let p = this.#jcoPrepared.get(file);
    if (!p) {
      // The same transpile plan as a run in the playground: versioned imports, JSPI where the host may suspend.
      p = this.bytes(file).then(async ({ bytes, hash }) => {
        const info = await inspectComponent(file, bytes, hash, servedInterfaceFor);
        return this.#jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
      });
      this.#jcoPrepared.set(file, p);
    }
    return p;
  }

  get jcoEngine(): JcoEngine {
    return this.#jco;
  }

  /** The root imports' full names, from our decoder (jco lists them without versions). */
  async importNames(file: string): Promise<string[]> {
    const { ast } = await this.cm(file);
    return ast.definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
  }
}

/** `canSuspend`: engine/jco suspends the guest (JSPI) in 0.2 calls that wait; engine/cm does not. */
function newHost(out: { text: string }, canSuspend: boolean): Host {
  const dec = new TextDecoder();
  return createHost({
    cli: {
      args: ["cm-async"],
      env: [],
      stdin: new Uint8Array(),
      stdout: { write: (d) => void (out.text += dec.decode(d)) },
      stderr: { write: (d) => void (out.text += dec.decode(d)) },
    },
    blocking: { canSuspend },
  });
}

/** `host` with the scenario's own interfaces added (exact names, like the guests import them). */
function withLocals(host: Host, locals: HostImports): Host {
  const interfaces = new Map(host.interfaces);
  for (const [name, impl] of Object.entries(locals)) interfaces.set(name, impl);
  return {
    ...host,
    interfaces,
    resolve: (name) => (name in locals ? { name, impl: locals[name]! } : host.resolve(name)),
  };
}

/** Instantiates `chain` (callee first, the component whose exports are called last) on jco. */
export async function linkJco(fx: Fixtures, chain: string[], locals: HostImports): Promise<Linked> {
  const out = { text: "" };
  const host = newHost(out, true);
  let provided: HostImports = {};
  let exports: Record<string, unknown> = {};
  for (const file of chain) {
    const prepared = await fx.jco(file);
    const names = await fx.importNames(file);
    exports = await fx.jcoEngine.instantiate(prepared, withLocals(host, { ...locals, ...provided }), file, names);
    provided = {};
    for (const [name, value] of Object.entries(exports)) if (name.includes(":")) provided[name] = value as InterfaceImpl;
  }
  const top = exports;
  return {
    output: () => out.text,
    // jco's export call settles only when the task has fully exited, so its traps reject the call.
    lateFailure: () => undefined,
    async call(iface, func, args) {
      const target = (iface === null ? top : top[iface]) as Record<string, unknown> | undefined;
      const fn = target?.[camel(func)];
      if (typeof fn !== "function") throw new Error(`jco exposes no function ${iface ?? "(world)"}.${camel(func)}`);
      return await (fn as (...a: unknown[]) => unknown).apply(target, args);
    },
    async construct(iface, resource, args) {
      const cls = (top[iface] as Record<string, unknown> | undefined)?.[pascal(resource)];
      if (typeof cls !== "function") throw new Error(`jco exposes no class ${iface}.${pascal(resource)}`);
      return new (cls as new (...a: unknown[]) => unknown)(...args);
    },
    async method(_iface, _resource, method, self, args) {
      const o = self as Record<string, (...a: unknown[]) => unknown>;
      return await o[camel(method)]!.apply(o, args);
    },
  };
}

/** Instantiates `chain` on engine/cm, every component in the first one's store. */
export async function linkCm(fx: Fixtures, chain: string[], locals: HostImports): Promise<Linked> {
  const out = { text: "" };
  const host = newHost(out, false);
  let prev: CmInstance | undefined;
  for (const file of chain) {
    const prepared = await fx.cm(file);
    const callee = prev;
    const resolveImport = (name: string) => {
      const exported = callee?.exportsOf(name);
      if (exported) return { name, exports: exported };
      if (name in locals) return { name, impl: locals[name]! };
      return host.resolve(name);
    };
    prev = fx.cmEngine.instantiate(prepared, { resolveImport }, file, null, callee?.store);
  }
  const inst = prev!;
  const call = async (iface: string | null, func: string, args: unknown[]): Promise<unknown> => {
    const f: CFunc | undefined = inst.func(iface, func);
    if (!f) throw new Error(`engine/cm: no exported function ${iface ?? "(world)"}#${func}`);
    const value = await inst.call(f, args);
    // jco's convention for an exported `result`: the ok value is returned, the error thrown.
    if (typeof f.ft.result === "object" && f.ft.result?.kind === "result") {
      const r = value as { tag: "ok" | "err"; val: unknown };
      if (r.tag === "err") throw Object.assign(new Error("err result"), { payload: r.val });
      return r.val;
    }
    return value;
  };
  return {
    output: () => out.text,
    lateFailure: () => inst.store.failed,
    call,
    construct: (iface, resource, args) => call(iface, `[constructor]${resource}`, args),
    method: (iface, resource, method, self, args) => call(iface, `[method]${resource}.${method}`, [self, ...args]),
  };
}

export function link(engine: EngineName, fx: Fixtures, chain: string[], locals: HostImports): Promise<Linked> {
  return engine === "jco" ? linkJco(fx, chain, locals) : linkCm(fx, chain, locals);
}
