/**
 * engine/cm: runs a component binary directly — decode, compile its core modules (cached by
 * content hash), link against the host, call an export — with our own Canonical ABI and scheduler.
 * `CmEngine` and `CmInstance` are the engine itself (tests, benchmarks and run-time linking use
 * them); `CmRunEngine` is the same engine in the run path's shape.
 */
import { errorMessage } from "../../base/assert";
import { jspiAvailable } from "../../base/jspi";
import { suspendingFunctions, type Host } from "../../host";
import type { RunOutcome } from "../../protocol/runtime";
import { decode } from "../../component/decode";
import type * as Ast from "../../component/ast";
import { DecodeError } from "../../component/reader";
import { Store } from "./instance";
import { CFunc, IValue, instantiateRoot, LinkError, type Linked, type LinkEnv } from "./link";
import { valueForHost } from "./host-streams";
import type { TraceSink } from "./trace";
import { CmTrap } from "./trap";
import type { ComponentInstance } from "./instance";

export interface CmPrepared {
  key: string;
  ast: Ast.ComponentAst;
  modules: Map<Ast.CoreModuleDefinition, WebAssembly.Module>;
  cached: boolean;
}

function coreModules(ast: Ast.ComponentAst, out: Ast.CoreModuleDefinition[] = []): Ast.CoreModuleDefinition[] {
  for (const d of ast.definitions) {
    if (d.kind === "core module") out.push(d);
    else if (d.kind === "component") coreModules(d.component, out);
  }
  return out;
}

export class CmEngine {
  #warm = new Map<string, Promise<CmPrepared>>();

  /** Decodes and compiles; `hash` is the bytes' sha256 (compiled modules stay warm per hash). */
  async prepare(bytes: Uint8Array, hash: string): Promise<CmPrepared> {
    const key = `cm:${hash}`;
    const warm = this.#warm.get(key);
    if (warm) return { ...(await warm), cached: true };
    const p = (async (): Promise<CmPrepared> => {
      const ast = decode(bytes);
      const defs = coreModules(ast);
      const modules = new Map<Ast.CoreModuleDefinition, WebAssembly.Module>();
      await Promise.all(defs.map(async (d) => modules.set(d, await WebAssembly.compile(d.bytes as Uint8Array<ArrayBuffer>))));
      return { key, ast, modules, cached: false };
    })();
    this.#warm.set(key, p);
    p.catch(() => this.#warm.delete(key));
    return p;
  }

  /**
   * Links and instantiates. `host.resolve` may also hand back another instance's exports
   * (`CmInstance.exportsOf`) to link two components at run time; they must then share `store`.
   * `host.suspending` names the host functions that may suspend the guest (used when JSPI is on).
   */
  instantiate(prepared: CmPrepared, host: (Pick<LinkEnv, "resolveImport"> | Pick<Host, "resolve">) & Pick<LinkEnv, "suspending">, name: string, trace: TraceSink | null = null, store?: Store): CmInstance {
    store ??= new Store(trace?.enabled ? trace : null, jspiAvailable());
    const resolveImport: LinkEnv["resolveImport"] = "resolveImport" in host ? (n) => host.resolveImport(n) : (n) => host.resolve(n);
    const linked = instantiateRoot(prepared.ast, {
      store,
      name,
      modules: prepared.modules,
      resolveImport,
      // Host functions that may return a Promise for a synchronous call (0.2 calls that wait):
      // with JSPI the guest's stack suspends on them.
      suspending: store.jspi ? host.suspending : undefined,
    });
    return new CmInstance(store, linked);
  }
}

export class CmInstance {
  constructor(
    readonly store: Store,
    readonly linked: Linked,
  ) {}

  get root(): ComponentInstance {
    return this.linked.root;
  }

  /** This instance's export `name` (an interface), for linking another component's import to it. */
  exportsOf(name: string): Map<string, unknown> | undefined {
    const v = this.linked.exports.get(name);
    return v instanceof IValue ? v.exports : undefined;
  }

  /** The exported function at `iface#func` (or world-level `func` when `iface` is null). */
  func(iface: string | null, func: string): CFunc | undefined {
    const top = iface === null ? this.linked.exports.get(func) : (this.linked.exports.get(iface) as IValue | undefined)?.exports.get(func);
    return top instanceof CFunc ? top : undefined;
  }

  /**
   * Calls an export from the host. Resolves with its result (a `result` stays `{tag, val}`;
   * streams and futures become host views), rejects with the trap (or exit signal) that ended the run.
   */
  call(f: CFunc, args: unknown[]): Promise<unknown> {
    // A trapped instance cannot be entered again (CanonicalABI.md: a trap poisons the instance).
    if (this.store.failed !== undefined) {
      const rule = `'${f.name}' cannot be called: the instance trapped earlier (${errorMessage(this.store.failed)}) and may not be entered again; instantiate the component anew`;
      return Promise.reject(new CmTrap({ component: this.root.name }, rule, "cannot-enter", undefined, this.store.failed));
    }
    return new Promise((resolve, reject) => {
      const stop = this.store.onFailure(reject);
      try {
        f.call(
          null,
          () => args,
          (result) => {
            if (result === null) {
              stop();
              return reject(new Error(`'${f.name}' was cancelled`));
            }
            const value = valueForHost(result[0], this.store);
            // post-return runs right after the result is lifted: a trap there fails this call
            // (the store's failure rejects first, so its listener stays until then), as in Wasmtime.
            queueMicrotask(() => {
              stop();
              resolve(value);
            });
          },
        );
      } catch (err) {
        this.store.fail(err);
      }
    });
  }
}

/** The run could not start, and no guest code is at fault (`Refusal` in src/engine/engine.ts). */
type Refusal = Extract<RunOutcome, { kind: "error" }>;

/**
 * engine/cm in the run path's shape: `Engine` in src/engine/engine.ts, which engine/cm cannot
 * import (it builds on base, protocol, host and component only), so the run path checks that this
 * fits. Needs no JSPI for callback lifts; with JSPI, the host's 0.2 calls that wait suspend the guest.
 */
export class CmRunEngine {
  readonly name = "cm";
  readonly fidelity = "exact";

  constructor(private readonly engine: CmEngine = new CmEngine()) {}

  unavailable(): Refusal | null {
    return null;
  }

  canSuspend(): boolean {
    return jspiAvailable();
  }

  async prepare(bytes: Uint8Array, ctx: { componentName: string; sha256: string; onPhase(phase: "compiling", detail: string): void }): Promise<CmRunPrepared | Refusal> {
    ctx.onPhase("compiling", "engine/cm: decoding and compiling core modules");
    try {
      return new CmRunPrepared(this.engine, await this.engine.prepare(bytes, ctx.sha256));
    } catch (err) {
      if (err instanceof DecodeError) return { kind: "error", message: `engine/cm could not decode '${ctx.componentName}': ${err.message}` };
      throw err;
    }
  }
}

/** A decoded and compiled component, for the run path (`PreparedComponent`). */
export class CmRunPrepared {
  constructor(
    private readonly engine: CmEngine,
    private readonly prepared: CmPrepared,
  ) {}

  get cached(): boolean {
    return this.prepared.cached;
  }

  async instantiate(ctx: { componentName: string; host: Pick<Host, "resolve">; trace: TraceSink | null; beforeResume(): void }): Promise<CmRunInstance | Refusal> {
    let instance: CmInstance;
    try {
      instance = this.engine.instantiate(this.prepared, { resolve: (n) => ctx.host.resolve(n), suspending: suspendingFunctions }, ctx.componentName, ctx.trace);
    } catch (err) {
      if (err instanceof LinkError) return { kind: "error", message: err.message };
      throw err;
    }
    instance.store.beforeResume = () => ctx.beforeResume();
    return new CmRunInstance(instance, ctx.componentName);
  }
}

/** An instance for the run path (`EngineInstance`): exports called with jco's conventions for `result`. */
export class CmRunInstance {
  constructor(
    private readonly instance: CmInstance,
    private readonly componentName: string,
  ) {}

  /** Calls `f` when the instance traps, also after every call returned (a task going on alone). */
  onTrap(f: (err: unknown) => void): void {
    this.instance.store.onFailure(f);
  }

  func(exp: { iface: string | null; func: string; label: string }): ((args: unknown[]) => Promise<{ kind: "value"; value: unknown } | { kind: "err"; payload: unknown }>) | Refusal {
    const f = this.instance.func(exp.iface, exp.func);
    if (!f) return { kind: "error", message: `Component '${this.componentName}' exports no function '${exp.label}'.` };
    const returnsResult = typeof f.ft.result === "object" && f.ft.result?.kind === "result";
    return async (args) => {
      const value = await this.instance.call(f, args);
      if (!returnsResult) return { kind: "value", value };
      const r = value as { tag: "ok" | "err"; val: unknown };
      return r.tag === "err" ? { kind: "err", payload: r.val } : { kind: "value", value: r.val };
    };
  }
}
