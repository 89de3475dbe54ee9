/**
 * A built-in that may block, as the core function a guest imports, suspending the guest's core
 * stack (JSPI) only when it really blocks. CanonicalABI.md ("Thread State", `Thread.wait_until`)
 * lets a wait whose condition already holds return at once (`if ready_func() and not
 * DETERMINISTIC_PROFILE and random.randint(0,1): return`), as Wasmtime always does, so an async
 * callee that waits for an event already there returns before its caller's `canon lower` does. A
 * `WebAssembly.Suspending` import suspends the stack at every call, also when it returns a plain
 * value; so a small core module (one per core function type and store) calls the built-in through
 * a plain import and, only when that returned a Promise (`block` in canon.ts), waits for it
 * through a suspending one.
 */
import { assert } from "../../base/assert";
import { suspending } from "../../base/jspi";
import type { CoreType, CoreValue } from "./abi";

/** A core function type: what the guest's import declares. */
export interface CoreFuncType {
  readonly params: readonly CoreType[];
  readonly results: readonly CoreType[];
}

const VAL_TYPE: Record<CoreType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [items.length, ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

/** A core module of one function: its type, import, function, export and code sections' contents. */
function moduleBytes(types: number[], imports: number[], funcs: number[], exports: number[], code: number[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

/**
 * The module for `type`: imports `now` (params -> ()), `blocked` (() -> i32), `wait` and `take`
 * (() -> results); exports `f` (type), which calls `now`, then `wait` if `blocked`, else `take`.
 */
export function suspendOnlyToBlockModule(type: CoreFuncType): Uint8Array<ArrayBuffer> {
  assert(type.results.length <= 1 && type.params.length < 0x80, "a blocking built-in has at most one result and few parameters");
  const params = type.params.map((t) => VAL_TYPE[t]);
  const results = type.results.map((t) => VAL_TYPE[t]);
  const funcType = (ps: number[], rs: number[]) => [0x60, ...vec(ps.map((p) => [p])), ...vec(rs.map((r) => [r]))];
  const types = vec([funcType(params, results), funcType(params, []), funcType([], [VAL_TYPE.i32]), funcType([], results)]);
  const imports = vec(
    (
      [
        ["now", 1],
        ["blocked", 2],
        ["wait", 3],
        ["take", 3],
      ] as const
    ).map(([n, t]) => [...name(""), ...name(n), 0x00, t]),
  );
  const blockType = results.length ? results[0]! : 0x40;
  const code = [0x00, ...params.flatMap((_, i) => [0x20, i]), 0x10, 0, 0x10, 1, 0x04, blockType, 0x10, 2, 0x05, 0x10, 3, 0x0b, 0x0b];
  return moduleBytes(types, imports, vec([[0]]), vec([[...name("f"), 0x00, 4]]), code);
}

/**
 * The module that starts a thread of `thread.new-indirect` (CanonicalABI.md, "canon
 * thread.new-indirect"): imports the function table `""."table"` and exports `start(fi, c)`, which
 * calls element `fi` with `c` through `call_indirect` of `(func (param <param>))`, so the table's
 * function is type-checked as the spec asks, and the call is a wasm function that
 * `WebAssembly.promising` can run on a stack of its own.
 */
export function threadStartModule(param: "i32" | "i64"): Uint8Array<ArrayBuffer> {
  const funcType = (ps: number[]) => [0x60, ...vec(ps.map((p) => [p])), 0x00];
  const types = vec([funcType([VAL_TYPE[param]]), funcType([VAL_TYPE.i32, VAL_TYPE[param]])]);
  const FUNCREF = 0x70;
  const imports = vec([[...name(""), ...name("table"), 0x01, FUNCREF, 0x00, 0x00]]);
  const code = [0x00, 0x20, 1, 0x20, 0, 0x11, 0, 0, 0x0b];
  return moduleBytes(types, imports, vec([[1]]), vec([[...name("start"), 0x00, 0]]), code);
}

/** Compiled modules by core function type, one set per store (a run compiles each type once). */
export class SuspendModules {
  readonly #modules = new Map<string, WebAssembly.Module>();
  readonly #threadStarts = new Map<string, WebAssembly.Module>();

  /** `start(fi, c)` of {@link threadStartModule} over `table`. */
  threadStart(table: WebAssembly.Table, param: "i32" | "i64"): (fi: number, c: CoreValue) => unknown {
    let module = this.#threadStarts.get(param);
    if (!module) this.#threadStarts.set(param, (module = new WebAssembly.Module(threadStartModule(param))));
    const instance = new WebAssembly.Instance(module, { "": { table } });
    return instance.exports.start as (fi: number, c: CoreValue) => unknown;
  }

  /**
   * `f` as a core function of `type` that suspends its caller's stack only while `f`'s Promise
   * is pending: a plain value `f` returns is returned at once.
   */
  wrap(type: CoreFuncType, f: (...a: CoreValue[]) => unknown): unknown {
    const key = `${type.params.join(",")}->${type.results.join(",")}`;
    let module = this.#modules.get(key);
    if (!module) this.#modules.set(key, (module = new WebAssembly.Module(suspendOnlyToBlockModule(type))));
    let pending: Promise<unknown> | null = null;
    let value: unknown;
    const instance = new WebAssembly.Instance(module, {
      "": {
        now: (...a: CoreValue[]) => {
          const r = f(...a);
          // Set after `f` returned: a nested call of this built-in inside `f` has finished by then.
          if (r instanceof Promise) pending = r;
          else value = r;
        },
        blocked: () => (pending ? 1 : 0),
        wait: suspending(() => {
          const p = pending!;
          pending = null;
          return p;
        }) as WebAssembly.ImportValue,
        take: () => {
          const v = value;
          value = undefined;
          return v;
        },
      },
    });
    return instance.exports.f;
  }
}
