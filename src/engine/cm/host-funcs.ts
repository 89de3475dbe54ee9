/**
 * Host interfaces as component-level functions: a host import's JS function (jco conventions:
 * camelCase, resources as classes, `result` as return/throw, async functions as Promises) wrapped
 * as a `FuncInst` the canonical ABI can call.
 */
import type { Store } from "./instance";
import { valueForHost } from "./host-streams";
import type { FuncInst, OnResolve } from "./task";
import { camelCase, pascalCase, type FuncType } from "./types";

const NO_CANCEL = { requestCancellation() {} };

/** How to call the host for an import named `[method]r.m`, `[static]r.m`, `[constructor]r` or `f`. */
export function hostInvoker(iface: string, impl: Record<string, unknown>, funcName: string): (args: unknown[]) => unknown {
  const name = funcName.replace(/^\[async\]/, "").replace(/^\[async (method|static)\]/, "[$1]");
  // A function the host lacks fails when called, not at link time: guests import far more than they use.
  const missing = (what: string) => (): never => {
    throw new Error(`The host's ${iface} has no ${what} (needed for '${funcName}').`);
  };
  let m: RegExpExecArray | null;
  if ((m = /^\[constructor\](.+)$/.exec(name))) {
    const cls = impl[pascalCase(m[1]!)] as (new (...a: unknown[]) => unknown) | undefined;
    if (typeof cls !== "function") return missing(`class ${pascalCase(m[1]!)}`);
    return (args) => new cls(...args);
  }
  if ((m = /^\[static\]([^.]+)\.(.+)$/.exec(name))) {
    const cls = impl[pascalCase(m[1]!)] as Record<string, unknown> | undefined;
    const fn = cls?.[camelCase(m[2]!)];
    if (typeof fn !== "function") return missing(`static ${pascalCase(m[1]!)}.${camelCase(m[2]!)}`);
    return (args) => (fn as (...a: unknown[]) => unknown).apply(cls, args);
  }
  if ((m = /^\[method\]([^.]+)\.(.+)$/.exec(name))) {
    const cls = impl[pascalCase(m[1]!)] as { prototype?: Record<string, unknown> } | undefined;
    const method = camelCase(m[2]!);
    if (typeof cls?.prototype?.[method] !== "function") return missing(`method ${pascalCase(m[1]!)}.${method}`);
    return (args) => {
      const self = args[0] as Record<string, unknown>;
      return (self[method] as (...a: unknown[]) => unknown).apply(self, args.slice(1));
    };
  }
  const fn = impl[camelCase(name)];
  if (typeof fn !== "function") return missing(`function ${camelCase(name)}`);
  return (args) => (fn as (...a: unknown[]) => unknown)(...args);
}

const isResultType = (ft: FuncType): boolean => typeof ft.result === "object" && ft.result !== null && ft.result.kind === "result";

/**
 * The `err` payload of a thrown value, when the function returns `result` (jco's convention): an
 * error's `payload`, or the thrown value itself when it is not an Error (`throw { tag: "closed" }`).
 */
function errPayload(ft: FuncType, err: unknown): { payload: unknown } | null {
  if (!isResultType(ft)) return null;
  if (typeof err === "object" && err !== null && "payload" in err) return { payload: (err as { payload: unknown }).payload };
  if (err instanceof Error) return null;
  return { payload: err };
}

/** Wraps a host function; `name` is `iface#func` for traces and messages. */
export function hostFuncInst(store: Store, ft: FuncType, invoke: (args: unknown[]) => unknown, name: string): FuncInst {
  const asResult = isResultType(ft);
  // A sync function returning `future<T>` hands back a Promise as its value, not as a pending call.
  const returnsFuture = !ft.async && typeof ft.result === "object" && ft.result !== null && ft.result.kind === "future";
  const wrap = (v: unknown): unknown[] => (ft.result === null ? [] : [asResult ? { tag: "ok", val: v } : v]);
  return (caller, onStart, onResolve: OnResolve) => {
    const args = onStart().map((v) => valueForHost(v, store, name));
    const trace = store.trace;
    const callId = trace ? store.taskId() : 0;
    trace?.hostBegin(caller?.inst.id ?? 0, caller?.id ?? 0, callId, name);
    let r: unknown;
    try {
      r = invoke(args);
    } catch (err) {
      const e = errPayload(ft, err);
      trace?.hostEnd(caller?.inst.id ?? 0, caller?.id ?? 0, callId, name, e ? "err" : "threw");
      if (!e) throw err;
      onResolve([{ tag: "err", val: e.payload }]);
      return NO_CANCEL;
    }
    if (!returnsFuture && typeof (r as PromiseLike<unknown> | null)?.then === "function") {
      const release = store.hold();
      (r as PromiseLike<unknown>).then(
        (v) => {
          release();
          trace?.hostEnd(caller?.inst.id ?? 0, caller?.id ?? 0, callId, name);
          if (store.failed !== undefined) return;
          try {
            onResolve(wrap(v));
          } catch (err) {
            store.fail(err);
          }
        },
        (err: unknown) => {
          release();
          const e = errPayload(ft, err);
          trace?.hostEnd(caller?.inst.id ?? 0, caller?.id ?? 0, callId, name, e ? "err" : "threw");
          if (!e) return store.fail(err);
          try {
            onResolve([{ tag: "err", val: e.payload }]);
          } catch (err2) {
            store.fail(err2);
          }
        },
      );
      return NO_CANCEL;
    }
    trace?.hostEnd(caller?.inst.id ?? 0, caller?.id ?? 0, callId, name);
    onResolve(wrap(r));
    return NO_CANCEL;
  };
}
