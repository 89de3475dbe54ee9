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

describe("backpressure", () => {
  /**
   * $D turns $C's backpressure on (`backpressure.inc` in $C's `on`), calls $C's async `f`, then
   * turns it off and waits for `f`. Returns the status of the call | the state `f` reached << 8.
   */
  const BACKPRESSURE = `(component
    (component $C
      (core func $inc (canon backpressure.inc))
      (core func $dec (canon backpressure.dec))
      (core func $return (canon task.return))
      (core module $M
        (import "" "inc" (func $inc))
        (import "" "dec" (func $dec))
        (import "" "return" (func $return))
        (func (export "on") (call $inc))
        (func (export "off") (call $dec))
        (func (export "f") (result i32) (call $return) (i32.const 0))
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $m (instantiate $M (with "" (instance (export "inc" (func $inc)) (export "dec" (func $dec)) (export "return" (func $return))))))
      (func (export "on") (canon lift (core func $m "on")))
      (func (export "off") (canon lift (core func $m "off")))
      (func (export "f") async (canon lift (core func $m "f") async (callback (core func $m "cb")))))
    (component $D
      (import "on" (func $on))
      (import "off" (func $off))
      (import "f" (func $f async))
      (core func $on' (canon lower (func $on)))
      (core func $off' (canon lower (func $off)))
      (core func $f' (canon lower (func $f) async))
      (core func $ws.new (canon waitable-set.new))
      (core func $join (canon waitable.join))
      (core func $return (canon task.return (result u32)))
      (core module $M
        (import "" "on" (func $on))
        (import "" "off" (func $off))
        (import "" "f" (func $f (result i32)))
        (import "" "ws.new" (func $ws.new (result i32)))
        (import "" "join" (func $join (param i32 i32)))
        (import "" "return" (func $return (param i32)))
        (global $status (mut i32) (i32.const 0))
        (func (export "run") (result i32) (local $ret i32) (local $ws i32)
          (call $on)
          (local.set $ret (call $f))
          (global.set $status (i32.and (local.get $ret) (i32.const 0xf)))
          ;; anything but STARTING (0): f ran past the backpressure
          (if (global.get $status) (then (call $return (global.get $status)) (return (i32.const 0))))
          (call $off)
          (local.set $ws (call $ws.new))
          (call $join (i32.shr_u (local.get $ret) (i32.const 4)) (local.get $ws))
          (i32.or (i32.const 2) (i32.shl (local.get $ws) (i32.const 4))))
        ;; SUBTASK (1) event: its state is the third parameter
        (func (export "cb") (param i32 i32 i32) (result i32)
          (if (i32.ne (local.get 0) (i32.const 1)) (then unreachable))
          (call $return (i32.or (global.get $status) (i32.shl (local.get 2) (i32.const 8))))
          (i32.const 0)))
      (core instance $m (instantiate $M (with "" (instance
        (export "on" (func $on')) (export "off" (func $off')) (export "f" (func $f'))
        (export "ws.new" (func $ws.new)) (export "join" (func $join)) (export "return" (func $return))))))
      (func (export "run") async (result u32) (canon lift (core func $m "run") async (callback (core func $m "cb")))))
    (instance $c (instantiate $C))
    (instance $d (instantiate $D (with "on" (func $c "on")) (with "off" (func $c "off")) (with "f" (func $c "f"))))
    (export "run" (func $d "run")))`;

  it("an async call into an instance with backpressure on waits to enter (STARTING), and runs once it is off", async () => {
    const r = await runWast(`${BACKPRESSURE}
      ;; STARTING (0), then RETURNED (2) << 8
      (assert_return (invoke "run") (u32.const 0x200))`);
    expect(failures(r)).toEqual([]);
  });

  /**
   * $C's callback-lifted `get` returns a stream, then writes 4 bytes to it synchronously, which
   * blocks (JSPI) until $D reads them. Meanwhile $D calls $C's callback-lifted `probe` async and
   * returns the status of that call, after reading the bytes.
   */
  const BLOCKED_IN_SYNC_WRITE = `(component
    (component $C
      (type $s (stream u8))
      (core module $Mem (memory (export "mem") 1))
      (core instance $mem (instantiate $Mem))
      (core func $stream.new (canon stream.new $s))
      (core func $write (canon stream.write $s (memory (core memory $mem "mem"))))
      (core func $drop (canon stream.drop-writable $s))
      (core func $return-rx (canon task.return (result $s)))
      (core func $return (canon task.return))
      (core module $M
        (import "" "stream.new" (func $stream.new (result i64)))
        (import "" "write" (func $write (param i32 i32 i32) (result i32)))
        (import "" "drop" (func $drop (param i32)))
        (import "" "return-rx" (func $return-rx (param i32)))
        (import "" "return" (func $return))
        (func (export "get") (result i32) (local $s i64)
          (local.set $s (call $stream.new))
          (call $return-rx (i32.wrap_i64 (local.get $s)))
          (drop (call $write (i32.wrap_i64 (i64.shr_u (local.get $s) (i64.const 32))) (i32.const 0) (i32.const 4)))
          (call $drop (i32.wrap_i64 (i64.shr_u (local.get $s) (i64.const 32))))
          (i32.const 0))
        (func (export "probe") (result i32) (call $return) (i32.const 0))
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $m (instantiate $M (with "" (instance
        (export "stream.new" (func $stream.new)) (export "write" (func $write)) (export "drop" (func $drop))
        (export "return-rx" (func $return-rx)) (export "return" (func $return))))))
      (func (export "get") async (result (stream u8)) (canon lift (core func $m "get") async (memory (core memory $mem "mem")) (callback (core func $m "cb"))))
      (func (export "probe") async (canon lift (core func $m "probe") async (callback (core func $m "cb")))))
    (component $D
      (type $s (stream u8))
      (import "get" (func $get async (result (stream u8))))
      (import "probe" (func $probe async))
      (core module $Mem (memory (export "mem") 1))
      (core instance $mem (instantiate $Mem))
      (core func $get' (canon lower (func $get)))
      (core func $probe' (canon lower (func $probe) async))
      (core func $read (canon stream.read $s async (memory (core memory $mem "mem"))))
      (core func $drop (canon stream.drop-readable $s))
      (core module $M
        (import "" "get" (func $get (result i32)))
        (import "" "probe" (func $probe (result i32)))
        (import "" "read" (func $read (param i32 i32 i32) (result i32)))
        (import "" "drop" (func $drop (param i32)))
        (func (export "run") (result i32) (local $rx i32) (local $status i32)
          (local.set $rx (call $get))
          (local.set $status (call $probe))
          ;; COMPLETED with 4 bytes: get's write goes on
          (if (i32.ne (call $read (local.get $rx) (i32.const 0) (i32.const 4)) (i32.const 0x40)) (then unreachable))
          (call $drop (local.get $rx))
          (local.get $status)))
      (core instance $m (instantiate $M (with "" (instance
        (export "get" (func $get')) (export "probe" (func $probe')) (export "read" (func $read)) (export "drop" (func $drop))))))
      (func (export "run") async (result u32) (canon lift (core func $m "run"))))
    (instance $c (instantiate $C))
    (instance $d (instantiate $D (with "get" (func $c "get")) (with "probe" (func $c "probe"))))
    (export "run" (func $d "run")))`;

  it.runIf(jspiAvailable())("a callback-lifted task that returned and is blocked in a synchronous stream.write lets another task enter its instance (sync-streams.wast)", async () => {
    const r = await runWast(`${BLOCKED_IN_SYNC_WRITE}
      ;; probe ran at once: RETURNED (2), not STARTING (0)
      (assert_return (invoke "run") (u32.const 2))`);
    expect(failures(r)).toEqual([]);
  });
});

describe("borrows", () => {
  /** $D lends its own R to $C's async `f`, which waits; while `f` has not returned, $D drops R. */
  const DROP_LENT = (drop: boolean) => `(component
    (component $C
      (type $R (resource (rep i32)))
      (core func $new (canon resource.new $R))
      (core func $ws.new (canon waitable-set.new))
      (core module $M
        (import "" "ws.new" (func $ws.new (result i32)))
        (func (export "f") (param i32) (result i32) ${WAIT_ON_EMPTY_SET})
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $m (instantiate $M (with "" (instance (export "ws.new" (func $ws.new))))))
      (export $R' "R" (type $R))
      (func (export "new") (result (own $R')) (canon lift (core func $new)))
      (func (export "f") async (param "r" (borrow $R')) (canon lift (core func $m "f") async (callback (core func $m "cb")))))
    (component $D
      (import "c" (instance $c
        (export "R" (type $R (sub resource)))
        (export "new" (func (result (own $R))))
        (export "f" (func async (param "r" (borrow $R))))))
      (alias export $c "R" (type $R))
      (core func $new (canon lower (func $c "new")))
      (core func $f (canon lower (func $c "f") async))
      (core func $drop (canon resource.drop $R))
      (core func $return (canon task.return))
      (core module $M
        (import "" "new" (func $new (result i32)))
        (import "" "f" (func $f (param i32) (result i32)))
        (import "" "drop" (func $drop (param i32)))
        (import "" "return" (func $return))
        (func (export "run") (result i32) (local $h i32) (local $ret i32)
          (local.set $h (call $new))
          (local.set $ret (call $f (local.get $h)))
          ;; STARTED (1): f waits, R is lent to it
          (if (i32.ne (i32.and (local.get $ret) (i32.const 0xf)) (i32.const 1)) (then unreachable))
          ${drop ? "(call $drop (local.get $h))" : ""}
          (call $return)
          (i32.const 0))
        (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
      (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "f" (func $f)) (export "drop" (func $drop)) (export "return" (func $return))))))
      (func (export "run") async (canon lift (core func $m "run") async (callback (core func $m "cb")))))
    (instance $c (instantiate $C))
    (instance $d (instantiate $D (with "c" (instance $c))))
    (export "run" (func $d "run")))`;

  it("an owned handle lent to a call that has not returned cannot be dropped", async () => {
    const r = await runWast(`${DROP_LENT(true)}
      (assert_trap (invoke "run") "cannot remove owned resource while borrowed")`);
    expect(failures(r)).toEqual([]);
  });

  it("the same call without the drop returns (the trap is the drop's)", async () => {
    const r = await runWast(`${DROP_LENT(false)}
      (assert_return (invoke "run"))`);
    expect(failures(r)).toEqual([]);
  });
});

describe("stream copy length", () => {
  /** A read of `n` elements from a new unit stream (no element bytes, so no memory bound applies). */
  const READ = (n: number) => `(component
    (core module $Memory (memory (export "mem") 1))
    (core instance $memory (instantiate $Memory))
    (type $ST (stream))
    (core func $new (canon stream.new $ST))
    (core func $read (canon stream.read $ST async (memory (core memory $memory "mem"))))
    (core func $return (canon task.return (result u32)))
    (core module $M
      (import "" "new" (func $new (result i64)))
      (import "" "read" (func $read (param i32 i32 i32) (result i32)))
      (import "" "return" (func $return (param i32)))
      (func (export "run") (result i32)
        (call $return (call $read (i32.wrap_i64 (call $new)) (i32.const 0) (i32.const ${n})))
        (i32.const 0))
      (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
    (core instance $m (instantiate $M (with "" (instance (export "new" (func $new)) (export "read" (func $read)) (export "return" (func $return))))))
    (func (export "run") async (result u32) (canon lift (core func $m "run") async (callback (core func $m "cb")))))`;

  it("a copy of Buffer.MAX_LENGTH (2^28-1) elements is allowed: the read blocks", async () => {
    const r = await runWast(`${READ(2 ** 28 - 1)}
      ;; BLOCKED
      (assert_return (invoke "run") (u32.const 0xffffffff))`);
    expect(failures(r)).toEqual([]);
  });

  it("a copy of 2^28 elements traps", async () => {
    const r = await runWast(`${READ(2 ** 28)}
      (invoke "run")`);
    expect(r.commands[1]!.ok).toBe(false);
    expect(r.commands[1]!.detail).toMatch(/stream copy of 268435456 elements is longer than allowed \(268435455\)/);
  });
});

describe("a waitable joined to a set is not used synchronously (CanonicalABI.md)", () => {
  /** `f` (async-typed, lifted sync so it runs without JSPI) makes a stream, joins its readable end to a set when `join`, then reads it synchronously. */
  const SYNC_READ = (join: boolean) => `(component
    (type $s (stream u8))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core func $stream.new (canon stream.new $s))
    (core func $stream.read (canon stream.read $s (memory (core memory $mem "mem"))))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core module $M
      (import "" "stream.new" (func $stream.new (result i64)))
      (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (func (export "f") (local $rx i32)
        (local.set $rx (i32.wrap_i64 (call $stream.new)))
        ${join ? "(call $join (local.get $rx) (call $ws.new))" : ""}
        (drop (call $stream.read (local.get $rx) (i32.const 0) (i32.const 4)))))
    (core instance $m (instantiate $M (with "" (instance
      (export "stream.new" (func $stream.new)) (export "stream.read" (func $stream.read))
      (export "ws.new" (func $ws.new)) (export "join" (func $join))))))
    (func (export "f") async (canon lift (core func $m "f"))))`;

  it("a synchronous stream.read of an end joined to a set traps before it would block", async () => {
    const r = await runWast(`${SYNC_READ(true)}
      (assert_trap (invoke "f") "waitable cannot be used synchronously while added to a waitable set")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[1]!.detail).toMatch(/stream\.read on handle 1 is synchronous, but the handle is joined to a waitable set.*waitable\.join\(1, 0\)/);
  });

  /**
   * `f` joins a stream's readable end to a set, reads it async (8 elements), writes 4 elements to
   * it (so the read has progress and a cancel ends it at once), takes the end out of the set first
   * when `unjoin`, then cancels the read synchronously.
   */
  const SYNC_CANCEL = (unjoin: boolean) => `(component
    (type $s (stream u8))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core func $stream.new (canon stream.new $s))
    (core func $read (canon stream.read $s async (memory (core memory $mem "mem"))))
    (core func $write (canon stream.write $s async (memory (core memory $mem "mem"))))
    (core func $cancel (canon stream.cancel-read $s))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core module $M
      (import "" "stream.new" (func $stream.new (result i64)))
      (import "" "read" (func $read (param i32 i32 i32) (result i32)))
      (import "" "write" (func $write (param i32 i32 i32) (result i32)))
      (import "" "cancel" (func $cancel (param i32) (result i32)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (func (export "f") (result i32) (local $s i64) (local $rx i32)
        (local.set $s (call $stream.new))
        (local.set $rx (i32.wrap_i64 (local.get $s)))
        (call $join (local.get $rx) (call $ws.new))
        (drop (call $read (local.get $rx) (i32.const 0) (i32.const 8)))
        (drop (call $write (i32.wrap_i64 (i64.shr_u (local.get $s) (i64.const 32))) (i32.const 16) (i32.const 4)))
        ${unjoin ? "(call $join (local.get $rx) (i32.const 0))" : ""}
        (call $cancel (local.get $rx))))
    (core instance $m (instantiate $M (with "" (instance
      (export "stream.new" (func $stream.new)) (export "read" (func $read)) (export "write" (func $write))
      (export "cancel" (func $cancel)) (export "ws.new" (func $ws.new)) (export "join" (func $join))))))
    (func (export "f") async (result u32) (canon lift (core func $m "f"))))`;

  it("a synchronous cancel of a joined end traps although it would end the copy at once (trap-if-sync-and-waitable-set.wast)", async () => {
    const r = await runWast(`${SYNC_CANCEL(false)}
      (assert_trap (invoke "f") "waitable cannot be used synchronously while added to a waitable set")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[1]!.detail).toMatch(/stream\.cancel-read \(cancelling the copy on the readable end of a stream\) on handle 1 is synchronous, but the handle is joined to a waitable set.*waitable\.join\(1, 0\)/);
  });

  it("the same cancel once the end left its set ends the read as CANCELLED with its 4 elements", async () => {
    const r = await runWast(`${SYNC_CANCEL(true)}
      (assert_return (invoke "f") (u32.const 0x42))`);
    expect(failures(r)).toEqual([]);
  });

  it.runIf(!jspiAvailable())("the same read of an end in no set goes on to block (which needs JSPI)", async () => {
    const r = await runWast(`${SYNC_READ(false)}
      (assert_trap (invoke "f") "waitable cannot be used synchronously while added to a waitable set")`);
    expect(r.commands[1]!.detail).toMatch(/JSPI/);
  });
});

describe("synchronous cancels in a task that may not block", () => {
  it("subtask.cancel traps `cannot block` before it looks at its handle (which names nothing here)", async () => {
    const r = await runWast(`(component
      (core func $cancel (canon subtask.cancel))
      (core module $M
        (import "" "cancel" (func $cancel (param i32) (result i32)))
        (func (export "f") (drop (call $cancel (i32.const 0xdead)))))
      (core instance $m (instantiate $M (with "" (instance (export "cancel" (func $cancel))))))
      (func (export "f") (canon lift (core func $m "f"))))
      (assert_trap (invoke "f") "cannot block a synchronous task before returning")`);
    expect(failures(r)).toEqual([]);
  });
});

describe("cooperative threads (thread.new-indirect and the switches)", () => {
  /**
   * `spawn(i)` makes a thread that stores its argument in a global when it runs and returns its
   * index; `later(t)` resumes it later; `switch(t)` switches to it; `get` reads the global.
   */
  const THREADS = `(component
    (core module $T (table (export "t") 2 funcref))
    (core instance $t (instantiate $T))
    (core type $start (func (param i32)))
    (alias core export $t "t" (core table $tbl))
    (core func $new (canon thread.new-indirect $start (core table $tbl)))
    (core func $later (canon thread.resume-later))
    (core func $switch (canon thread.suspend-then-resume))
    (core func $index (canon thread.index))
    (core module $M
      (import "" "new" (func $new (param i32 i32) (result i32)))
      (import "" "later" (func $later (param i32)))
      (import "" "switch" (func $switch (param i32) (result i32)))
      (import "" "index" (func $index (result i32)))
      (import "" "t" (table 2 funcref))
      (global $g (mut i32) (i32.const 0))
      (func $run (param i32) (global.set $g (local.get 0)))
      (elem (i32.const 0) func $run)
      (func (export "spawn") (param i32) (result i32) (call $new (i32.const 0) (local.get 0)))
      (func (export "spawn-null") (result i32) (call $new (i32.const 1) (i32.const 0)))
      (func (export "spawn-and-later") (param i32) (call $later (call $new (i32.const 0) (local.get 0))))
      (func (export "later") (param i32) (call $later (local.get 0)))
      (func (export "switch-to-self") (result i32) (call $switch (call $index)))
      (func (export "switch") (param i32) (result i32) (call $switch (call $new (i32.const 0) (local.get 0))))
      (func (export "get") (result i32) (global.get $g)))
    (core instance $m (instantiate $M (with "" (instance
      (export "new" (func $new)) (export "later" (func $later)) (export "switch" (func $switch))
      (export "index" (func $index)) (export "t" (table $tbl))))))
    (func (export "spawn") (param "c" u32) (result u32) (canon lift (core func $m "spawn")))
    (func (export "spawn-null") (result u32) (canon lift (core func $m "spawn-null")))
    (func (export "spawn-and-later") (param "c" u32) (canon lift (core func $m "spawn-and-later")))
    (func (export "later") (param "t" u32) (canon lift (core func $m "later")))
    (func (export "switch-to-self") (result u32) (canon lift (core func $m "switch-to-self")))
    (func (export "switch") (param "c" u32) (result u32) (canon lift (core func $m "switch")))
    (func (export "get") (result u32) (canon lift (core func $m "get"))))`;

  it("thread.new-indirect numbers a new, suspended thread; it runs only once resumed", async () => {
    const r = await runWast(`${THREADS}
      (assert_return (invoke "spawn" (u32.const 7)) (u32.const 1))
      (assert_return (invoke "get") (u32.const 0))
      (assert_return (invoke "spawn" (u32.const 8)) (u32.const 2))`);
    expect(failures(r)).toEqual([]);
  });

  it("thread.resume-later runs the thread once its instance is free (after the call that resumed it returned)", async () => {
    const r = await runWast(`${THREADS}
      (invoke "spawn-and-later" (u32.const 42))
      (assert_return (invoke "get") (u32.const 42))`);
    expect(failures(r)).toEqual([]);
  });

  it("a thread that finished is gone: resuming its index traps", async () => {
    const r = await runWast(`${THREADS}
      (invoke "spawn-and-later" (u32.const 42))
      (assert_trap (invoke "later" (u32.const 1)) "unknown handle index 1")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[2]!.detail).toMatch(/thread\.resume-later: there is no thread 1 in this instance/);
  });

  it("thread.new-indirect of a null table element traps", async () => {
    const r = await runWast(`${THREADS}
      (assert_trap (invoke "spawn-null") "uninitialized element")`);
    expect(failures(r)).toEqual([]);
    expect(r.commands[1]!.detail).toMatch(/thread\.new-indirect: element 1 of the function table is null/);
  });

  it("a switch to the running thread itself traps", async () => {
    const r = await runWast(`${THREADS}
      (assert_trap (invoke "switch-to-self") "unreachable")`);
    expect(r.commands[1]!.detail).toMatch(/thread\.suspend-then-resume: thread 1 is the running thread itself/);
  });

  it.runIf(!jspiAvailable())("without JSPI a switch, which suspends the running thread's stack, says it needs JSPI", async () => {
    const r = await runWast(`${THREADS}
      (assert_trap (invoke "switch" (u32.const 1)) "unreachable")`);
    expect(r.commands[1]!.detail).toMatch(/thread\.suspend-then-resume of thread 1 would block 'func \d+'.*needs JavaScript Promise Integration \(JSPI\)/);
  });
});
