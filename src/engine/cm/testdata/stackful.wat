;; Stackful (async, no callback) lifts that block: a synchronous call to an async host function,
;; thread.yield, and waitable-set.wait on an async call's subtask. Needs JSPI in engine/cm.
(component
  (import "host" (instance $host
    (export "wait" (func async))
  ))
  (alias export $host "wait" (func $wait))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (core func $wait_sync (canon lower (func $wait)))
  (core func $wait_async (canon lower (func $wait) async))
  (core func $task_return (canon task.return (result u32)))
  (core func $yield (canon thread.yield))
  (core func $ws_new (canon waitable-set.new))
  (core func $ws_wait (canon waitable-set.wait (memory $mem)))
  (core func $join (canon waitable.join))
  (core func $drop (canon subtask.drop))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "wait" (func $wait))
    (import "" "wait-async" (func $wait_async (result i32)))
    (import "" "task.return" (func $ret (param i32)))
    (import "" "yield" (func $yield (result i32)))
    (import "" "ws.new" (func $ws_new (result i32)))
    (import "" "ws.wait" (func $ws_wait (param i32 i32) (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "drop" (func $drop (param i32)))
    ;; Blocks twice in a synchronous call and yields in between; returns 42.
    (func (export "blocking-calls")
      call $wait
      call $yield
      drop
      call $wait
      i32.const 42
      call $ret)
    ;; Starts an async call, waits for it on a waitable set; returns event code * 100 + subtask state.
    (func (export "wait-on-set") (local $st i32) (local $ws i32) (local $ev i32)
      (local.set $st (call $wait_async))
      (local.set $ws (call $ws_new))
      (call $join (i32.shr_u (local.get $st) (i32.const 4)) (local.get $ws))
      (local.set $ev (call $ws_wait (local.get $ws) (i32.const 8)))
      (call $join (i32.shr_u (local.get $st) (i32.const 4)) (i32.const 0))
      (call $drop (i32.shr_u (local.get $st) (i32.const 4)))
      (call $ret (i32.add (i32.mul (local.get $ev) (i32.const 100)) (i32.load (i32.const 12)))))
  )
  (core instance $i (instantiate $m (with "" (instance
    (export "mem" (memory $mem))
    (export "wait" (func $wait_sync))
    (export "wait-async" (func $wait_async))
    (export "task.return" (func $task_return))
    (export "yield" (func $yield))
    (export "ws.new" (func $ws_new))
    (export "ws.wait" (func $ws_wait))
    (export "join" (func $join))
    (export "drop" (func $drop))))))
  (func (export "blocking-calls") async (result u32) (canon lift (core func $i "blocking-calls") async))
  (func (export "wait-on-set") async (result u32) (canon lift (core func $i "wait-on-set") async))
)
