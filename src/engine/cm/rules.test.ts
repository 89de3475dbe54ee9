/**
 * Canonical ABI rules of engine/cm, one small component each, run in Node through the `.wast`
 * runner (callback lifts only: no JSPI). Each script's `assert_trap` names the rule in Wasmtime's
 * words; the runner matches engine/cm's trap by meaning (`wast/meaning.ts`).
 */
import { describe, expect, it } from "vitest";
import { jspiAvailable } from "../../base/jspi";
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

describe("cancellation", () => {
  it("subtask.cancel of a callee waiting cancellably delivers TASK_CANCELLED at once: it resolves before subtask.cancel returns", async () => {
    const r = await runWast(`(component
      (component $C
        (core func $ws.new (canon waitable-set.new))
        (core func $task.cancel (canon task.cancel))
        (core module $M
          (import "" "ws.new" (func $ws.new (result i32)))
          (import "" "task.cancel" (func $task.cancel))
          (func (export "f") (result i32) ${WAIT_ON_EMPTY_SET})
          ;; TASK_CANCELLED (6) is the only event it expects
          (func (export "cb") (param i32 i32 i32) (result i32)
            (if (i32.ne (local.get 0) (i32.const 6)) (then unreachable))
            (call $task.cancel)
            (i32.const 0)))
        (core instance $m (instantiate $M (with "" (instance (export "ws.new" (func $ws.new)) (export "task.cancel" (func $task.cancel))))))
        (func (export "f") async (canon lift (core func $m "f") async (callback (core func $m "cb")))))
      (component $D
        (import "f" (func $f async))
        (core func $f' (canon lower (func $f) async))
        (core func $cancel (canon subtask.cancel async))
        (core func $return (canon task.return (result u32)))
        (core module $M
          (import "" "f" (func $f (result i32)))
          (import "" "cancel" (func $cancel (param i32) (result i32)))
          (import "" "return" (func $return (param i32)))
          (func (export "run") (result i32) (local $ret i32)
            (local.set $ret (call $f))
            ;; STARTED (1): f waits
            (if (i32.ne (i32.and (local.get $ret) (i32.const 0xf)) (i32.const 1)) (then unreachable))
            (call $return (call $cancel (i32.shr_u (local.get $ret) (i32.const 4))))
            (i32.const 0))
          (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
        (core instance $m (instantiate $M (with "" (instance (export "f" (func $f')) (export "cancel" (func $cancel)) (export "return" (func $return))))))
        (func (export "run") async (result u32) (canon lift (core func $m "run") async (callback (core func $m "cb")))))
      (instance $c (instantiate $C))
      (instance $d (instantiate $D (with "f" (func $c "f"))))
      (export "run" (func $d "run")))
    ;; CANCELLED_BEFORE_RETURNED (4), not BLOCKED
    (assert_return (invoke "run") (u32.const 4))`);
    expect(failures(r)).toEqual([]);
  });

  it.runIf(jspiAvailable())("subtask.cancel of a callee blocked in `waitable-set.wait cancellable` (JSPI) wakes it with TASK_CANCELLED and returns once it resolved", async () => {
    const r = await runWast(`(component
      (component $C
        (core module $Memory (memory (export "mem") 1))
        (core instance $memory (instantiate $Memory))
        (core func $ws.new (canon waitable-set.new))
        (core func $wait (canon waitable-set.wait cancellable (memory (core memory $memory "mem"))))
        (core func $task.cancel (canon task.cancel))
        (core module $M
          (import "" "ws.new" (func $ws.new (result i32)))
          (import "" "wait" (func $wait (param i32 i32) (result i32)))
          (import "" "task.cancel" (func $task.cancel))
          (func (export "f") (result i32)
            (if (i32.ne (call $wait (call $ws.new) (i32.const 0)) (i32.const 6)) (then unreachable))
            (call $task.cancel)
            (i32.const 0))
          (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
        (core instance $m (instantiate $M (with "" (instance (export "ws.new" (func $ws.new)) (export "wait" (func $wait)) (export "task.cancel" (func $task.cancel))))))
        (func (export "f") async (canon lift (core func $m "f") async (callback (core func $m "cb")))))
      (component $D
        (import "f" (func $f async))
        (core func $f' (canon lower (func $f) async))
        (core func $cancel (canon subtask.cancel async))
        ;; D may block (it imports waitable-set.wait), so JSPI runs its entries and its
        ;; subtask.cancel can wait for the callee's stack; without that it would return BLOCKED.
        (core module $Memory (memory (export "mem") 1))
        (core instance $memory (instantiate $Memory))
        (core func $wait (canon waitable-set.wait (memory (core memory $memory "mem"))))
        (core module $M
          (import "" "f" (func $f (result i32)))
          (import "" "cancel" (func $cancel (param i32) (result i32)))
          (import "" "wait" (func $wait (param i32 i32) (result i32)))
          (func (export "run") (result i32) (local $ret i32)
            (local.set $ret (call $f))
            (if (i32.ne (i32.and (local.get $ret) (i32.const 0xf)) (i32.const 1)) (then unreachable))
            (call $cancel (i32.shr_u (local.get $ret) (i32.const 4)))))
        (core instance $m (instantiate $M (with "" (instance (export "f" (func $f')) (export "cancel" (func $cancel)) (export "wait" (func $wait))))))
        (func (export "run") async (result u32) (canon lift (core func $m "run"))))
      (instance $c (instantiate $C))
      (instance $d (instantiate $D (with "f" (func $c "f"))))
      (export "run" (func $d "run")))
    (assert_return (invoke "run") (u32.const 4))`);
    expect(failures(r)).toEqual([]);
  });

  it("cancelling a read that got some elements ends it as CANCELLED with that progress", async () => {
    const r = await runWast(`(component
      (core module $Memory (memory (export "mem") 1))
      (core instance $memory (instantiate $Memory))
      (type $ST (stream u8))
      (core func $new (canon stream.new $ST))
      (core func $read (canon stream.read $ST async (memory (core memory $memory "mem"))))
      (core func $write (canon stream.write $ST async (memory (core memory $memory "mem"))))
      (core func $cancel-read (canon stream.cancel-read $ST async))
      (core func $return (canon task.return (result u32)))
      (core module $M
        (import "" "new" (func $new (result i64)))
        (import "" "read" (func $read (param i32 i32 i32) (result i32)))
        (import "" "write" (func $write (param i32 i32 i32) (result i32)))
        (import "" "cancel-read" (func $cancel-read (param i32) (result i32)))
        (import "" "return" (func $return (param i32)))
        (func (export "run") (result i32) (local $s i64) (local $rx i32) (local $tx i32)
          (local.set $s (call $new))
          (local.set $rx (i32.wrap_i64 (local.get $s)))
          (local.set $tx (i32.wrap_i64 (i64.shr_u (local.get $s) (i64.const 32))))
          ;; a read of up to 100 bytes blocks; a write of 4 completes into it (0x40)
          (if (i32.ne (call $read (local.get $rx) (i32.const 0) (i32.const 100)) (i32.const -1)) (then unreachable))
          (if (i32.ne (call $write (local.get $tx) (i32.const 200) (i32.const 4)) (i32.const 0x40)) (then unreachable))
          (call $return (call $cancel-read (local.get $rx)))
          (i32.const 0))
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $m (instantiate $M (with "" (instance
        (export "new" (func $new)) (export "read" (func $read)) (export "write" (func $write))
        (export "cancel-read" (func $cancel-read)) (export "return" (func $return))))))
      (func (export "run") async (result u32) (canon lift (core func $m "run") async (callback (core func $m "cb")))))
    ;; CANCELLED (2) | 4 << 4
    (assert_return (invoke "run") (u32.const 0x42))`);
    expect(failures(r)).toEqual([]);
  });
});

describe("post-return", () => {
  /** `f` returns its thread's index; its post-return calls thread.index when `g` was set. */
  const POST_RETURN = `(component
    (core func $index (canon thread.index))
    (core module $M
      (import "" "index" (func $index (result i32)))
      (global $call-in-post-return (mut i32) (i32.const 0))
      (func (export "f") (result i32) (call $index))
      (func (export "set") (global.set $call-in-post-return (i32.const 1)))
      (func (export "post") (param i32) (if (global.get $call-in-post-return) (then (drop (call $index))))))
    (core instance $m (instantiate $M (with "" (instance (export "index" (func $index))))))
    (func (export "f") (result u32) (canon lift (core func $m "f") (post-return (core func $m "post"))))
    (func (export "set") (canon lift (core func $m "set"))))`;

  it("thread.index numbers the running thread", async () => {
    const r = await runWast(`${POST_RETURN}
      (assert_return (invoke "f") (u32.const 1))`);
    expect(failures(r)).toEqual([]);
  });

  it("a built-in called from post-return traps, and the call that ran it fails", async () => {
    const r = await runWast(`${POST_RETURN}
      (invoke "set")
      (assert_trap (invoke "f") "cannot leave component instance")`);
    expect(failures(r)).toEqual([]);
  });
});

describe("resource destructors", () => {
  it("run as a synchronous task of the instance that defined the resource, so its built-ins know their task", async () => {
    const r = await runWast(`(component
      (component $C
        (core func $get (canon context.get i32 0))
        (core module $M
          (import "" "get" (func $get (result i32)))
          (global $dropped (mut i32) (i32.const 0))
          ;; context.get needs a current task of $C
          (func (export "dtor") (param i32) (drop (call $get)) (global.set $dropped (local.get 0)))
          (func (export "dropped") (result i32) (global.get $dropped)))
        (core instance $m (instantiate $M (with "" (instance (export "get" (func $get))))))
        (type $R (resource (rep i32) (dtor (core func $m "dtor"))))
        (core func $new (canon resource.new $R))
        (export $R' "R" (type $R))
        (func (export "new") (param "rep" u32) (result (own $R')) (canon lift (core func $new)))
        (func (export "dropped") (result u32) (canon lift (core func $m "dropped"))))
      (component $D
        (import "c" (instance $c
          (export "R" (type $R (sub resource)))
          (export "new" (func (param "rep" u32) (result (own $R))))))
        (alias export $c "R" (type $R))
        (core func $new (canon lower (func $c "new")))
        (core func $drop (canon resource.drop $R))
        (core module $M
          (import "" "new" (func $new (param i32) (result i32)))
          (import "" "drop" (func $drop (param i32)))
          (func (export "run") (call $drop (call $new (i32.const 7)))))
        (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "drop" (func $drop))))))
        (func (export "run") (canon lift (core func $m "run"))))
      (instance $c (instantiate $C))
      (instance $d (instantiate $D (with "c" (instance $c))))
      (export "run" (func $d "run"))
      (export "dropped" (func $c "dropped")))
    (assert_return (invoke "run"))
    (assert_return (invoke "dropped") (u32.const 7))`);
    expect(failures(r)).toEqual([]);
  });
});
