/**
 * One scenario's components as ONE component, instantiated on one engine. A chain callee -> ... ->
 * caller is composed by src/compose (the graph model and encoder the playground composes with):
 * each component's imports that the previous one exports are wired to it, every other import is
 * forwarded as an import of the composition, and the composition exports the last component's
 * exports. Both engines run those composed bytes: engine/cm links the nested instances itself,
 * engine/jco transpiles the composition (jco's own check of the encoding). A single component runs
 * as it is. The composition's imports bind to the scenario's host interfaces, else to a fresh host
 * of our own.
 */
import { createHost, servedInterfaceFor, suspendingFunctions, type Host, type InterfaceImpl } from "../../src/host";
import { inspectComponent } from "../../src/engine/inspect";
import { CmEngine, type CmPrepared } from "../../src/engine/cm/engine";
import type { CFunc } from "../../src/engine/cm/link";
import { JcoEngine, planTranspile, type Prepared } from "../../src/engine/jco/engine";
import { memoryCache, sha256Hex } from "../../src/engine/jco/cache";
import { decode } from "../../src/component/decode";
import { Catalog, MemoryLibrary } from "../../src/compose/catalog";
import { encodeGraph } from "../../src/compose/encode";
import { addInstance, EMPTY_GRAPH, type Edit, type Graph } from "../../src/compose/graph";
import { addWire, setExport } from "../../src/compose/wiring";

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

/** The component a scenario runs: one fixture, or the composition of its chain. */
export interface Unit {
  name: string;
  bytes: Uint8Array;
  hash: string;
  /** The root imports' full names, from our decoder (jco lists them without versions). */
  imports: string[];
}

function done<T>(edit: Edit<T>): T {
  if (!edit.ok) throw new Error(edit.reason);
  return edit.graph;
}

/**
 * Composes `chain` (callee first): each component's imports that the previous one exports are
 * wired to that export; the rest stay open and are forwarded; the last one's exports are exported.
 */
async function composeChain(chain: readonly { file: string; bytes: Uint8Array }[]): Promise<Uint8Array> {
  const library = new MemoryLibrary();
  const catalog = new Catalog(library);
  let graph: Graph = EMPTY_GRAPH;
  const ids: string[] = [];
  for (const c of chain) {
    const entry = await library.add(c.file.split("/").pop()!, c.bytes);
    const added = done(addInstance(graph, entry.sha256, { label: entry.name.replace(/^async-/, "") }));
    graph = added.graph;
    ids.push(added.id);
  }
  const info = (i: number) => {
    const l = catalog.lookup(graph.instances[i]!.component);
    if (!l.ok) throw new Error(l.reason);
    return l.info;
  };
  for (let i = 1; i < chain.length; i++) {
    const provided = new Set(info(i - 1).exports.map((p) => p.name));
    for (const p of info(i).imports) {
      if (provided.has(p.name)) graph = done(addWire(catalog, graph, { from: { kind: "instance", instance: ids[i - 1]!, export: p.name }, to: { instance: ids[i]!, import: p.name } }));
    }
  }
  const last = chain.length - 1;
  for (const p of info(last).exports) graph = done(setExport(catalog, graph, { instance: ids[last]!, export: p.name }));
  return encodeGraph(catalog, graph, { name: chain.map((c) => c.file.split("/").pop()).join(" + ") }).bytes;
}

/** Bytes, composed units and each engine's prepared form, shared by scenarios. */
export class Fixtures {
  readonly #bytes = new Map<string, Promise<Uint8Array>>();
  readonly #units = new Map<string, Promise<Unit>>();
  readonly #cm = new CmEngine();
  readonly #jco = new JcoEngine(memoryCache());
  readonly #jcoPrepared = new Map<string, Promise<Prepared>>();

  bytes(file: string): Promise<Uint8Array> {
    let p = this.#bytes.get(file);
    if (!p) {
      p = (async () => {
        const res = await fetch(FIXTURES + file);
        if (!res.ok) throw new Error(`fixture ${file}: HTTP ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      })();
      this.#bytes.set(file, p);
    }
    return p;
  }

  /** The scenario's component: the fixture itself, or its chain composed (a composition failure is a prepare failure). */
  unit(chain: readonly string[]): Promise<Unit> {
    const name = chain.join(" + ");
    let p = this.#units.get(name);
    if (!p) {
      p = (async () => {
        const parts = await Promise.all(chain.map(async (file) => ({ file, bytes: await this.bytes(file) })));
        const bytes = parts.length === 1 ? parts[0]!.bytes : await composeChain(parts);
        const imports = decode(bytes).definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
        return { name, bytes, hash: await sha256Hex(bytes), imports };
      })();
      this.#units.set(name, p);
    }
    return p;
  }

  async cm(chain: readonly string[]): Promise<CmPrepared> {
    const { bytes, hash } = await this.unit(chain);
    return this.#cm.prepare(bytes, hash);
  }

  get cmEngine(): CmEngine {
    return this.#cm;
  }

  jco(chain: readonly string[]): Promise<Prepared> {
    const key = chain.join(" + ");
    let p = this.#jcoPrepared.get(key);
    if (!p) {
      // The same transpile plan as a run in the playground: versioned imports, JSPI where the host may suspend.
      p = this.unit(chain).then(async ({ name, bytes, hash }) => {
        const info = await inspectComponent(name, bytes, hash, servedInterfaceFor);
        return this.#jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
      });
      this.#jcoPrepared.set(key, p);
    }
    return p;
  }

  get jcoEngine(): JcoEngine {
    return this.#jco;
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

/** Instantiates the scenario's component on jco. */
export async function linkJco(fx: Fixtures, chain: readonly string[], locals: HostImports): Promise<Linked> {
  const out = { text: "" };
  const host = newHost(out, true);
  const unit = await fx.unit(chain);
  const top = await fx.jcoEngine.instantiate(await fx.jco(chain), withLocals(host, locals), unit.name, unit.imports);
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

/** Instantiates the scenario's component on engine/cm. */
export async function linkCm(fx: Fixtures, chain: readonly string[], locals: HostImports): Promise<Linked> {
  const out = { text: "" };
  const host = withLocals(newHost(out, false), locals);
  const unit = await fx.unit(chain);
  const inst = fx.cmEngine.instantiate(await fx.cm(chain), host, unit.name);
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

export function link(engine: EngineName, fx: Fixtures, chain: readonly string[], locals: HostImports): Promise<Linked> {
  return engine === "jco" ? linkJco(fx, chain, locals) : linkCm(fx, chain, locals);
}
