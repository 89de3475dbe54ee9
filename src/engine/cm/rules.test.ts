/**
 * Canonical ABI rules of engine/cm, one small component each, run in Node through the `.wast`
 * runner (callback lifts only: no JSPI). Each script's `assert_trap` names the rule in Wasmtime's
 * words; the runner matches engine/cm's trap by meaning (`wast/meaning.ts`).
 */
import { describe, expect, it } from "vitest";
import { failures, runWast } from "./wast/node-host.fixture";

/** Callback-lifted `f` whose first step returns `code` (WAIT on a new waitable set, when `wait`). */
const CALLBACK_EXPORT = (body: string, cb = "unreachable") => `(component
  (core func $ws.new (canon waitable-set.new))
  (core module $M
    (import "" "waitable-set.new" (func $ws.new (result i32)))
    (func (export "f") (result i32) ${body})
    (func (export "cb") (param i32 i32 i32) (result i32) ${cb}))
  (core instance $m (instantiate $M (with "" (instance (export "waitable-set.new" (func $ws.new))))))
  (func (export "f") async (canon lift (core func $m "f") async (callback (core func $m "cb")))))`;

/** WAIT (2) on a new, empty waitable set. */
const WAIT_ON_EMPTY_SET = "(i32.or (i32.const 2) (i32.shl (call $ws.new) (i32.const 4)))";

describe("deadlock detection", () => {
  it("a call whose task waits for an event nothing can send traps, saying who waits on what", async () => {
    const r = await runWast(`${CALLBACK_EXPORT(WAIT_ON_EMPTY_SET)}
      (assert_trap (invoke "f") "deadlock detected: event loop cannot make further progress")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[1]!.detail).toMatch(/deadlock: .*in 'test\.wast:\d+', 'func 0' waits \(callback\) on waitable set 1, which has 0 waitable\(s\) joined/);
  });

  it("a task that yields for ever is no deadlock: it still runs", async () => {
    const r = await runWast(`${CALLBACK_EXPORT("(i32.const 1)", "(i32.const 1)")}
      (assert_return (invoke "f"))`, 300);
    expect(r.commands.map((c) => c.detail)).toEqual([null, "did not return within 0.3 s"]);
  });
});

describe("a trap poisons the instance", () => {
  it("the next call into it traps `cannot enter component instance`", async () => {
    const r = await runWast(`${CALLBACK_EXPORT("unreachable")}
      (assert_trap (invoke "f") "unreachable")
      (assert_trap (invoke "f") "cannot enter component instance")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[2]!.detail).toMatch(/trapped earlier .* instantiate the component anew/);
  });
});

describe("start functions must not block", () => {
  it("waitable-set.wait in a core start function traps during instantiation", async () => {
    const r = await runWast(`(assert_trap
      (component
        (core module $Memory (memory (export "mem") 1))
        (core instance $memory (instantiate $Memory))
        (core func $ws.new (canon waitable-set.new))
        (core func $ws.wait (canon waitable-set.wait (memory (core memory $memory "mem"))))
        (core module $M
          (import "" "new" (func $new (result i32)))
          (import "" "wait" (func $wait (param i32 i32) (result i32)))
          (func $start (drop (call $wait (call $new) (i32.const 0))))
          (start $start))
        (core instance (instantiate $M (with "" (instance (export "new" (func $ws.new)) (export "wait" (func $ws.wait)))))))
      "cannot block a synchronous task before returning")`);
    expect(failures(r)).toEqual([]);
  });

  it("a start function may call built-ins that do not block", async () => {
    const r = await runWast(`(component
        (core func $ws.new (canon waitable-set.new))
        (core module $M
          (import "" "new" (func $new (result i32)))
          (global $ws (mut i32) (i32.const 0))
          (func $start (global.set $ws (call $new)))
          (start $start)
          (func (export "ws") (result i32) (global.get $ws)))
        (core instance $m (instantiate $M (with "" (instance (export "new" (func $ws.new))))))
        (func (export "ws") (result u32) (canon lift (core func $m "ws"))))
      (assert_return (invoke "ws") (u32.const 1))`);
    expect(failures(r)).toEqual([]);
  });
});

describe("lifting a stream or future end", () => {
  const RETURN_JOINED = (sort: "stream" | "future") => `(component
    (type $T (${sort} u8))
    (core func $new (canon ${sort}.new $T))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core module $M
      (import "" "new" (func $new (result i64)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (func (export "f") (param i32) (result i32) (local $rx i32)
        (local.set $rx (i32.wrap_i64 (call $new)))
        (if (local.get 0) (then (call $join (local.get $rx) (call $ws.new))))
        (local.get $rx)))
    (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "ws.new" (func $ws.new)) (export "join" (func $join))))))
    (func (export "f") (param "join" bool) (result $T) (canon lift (core func $m "f"))))`;

  it.each(["stream", "future"] as const)("a %s end joined to a waitable set traps", async (sort) => {
    const r = await runWast(`${RETURN_JOINED(sort)}
      (assert_trap (invoke "f" (bool.const true)) "cannot lift ${sort} while it's in a waitable set")`);
    expect(failures(r)).toEqual([]);
  });

  it.each(["stream", "future"] as const)("a %s end in no set is passed on", async (sort) => {
    const r = await runWast(`${RETURN_JOINED(sort)}
      (invoke "f" (bool.const false))`);
    expect(failures(r)).toEqual([]);
  });
});
