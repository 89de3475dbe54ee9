;; A callback-lifted export that polls the host: while `ready()` is false its callback returns
;; YIELD; once true it returns `task.return(count of yields)` and EXIT. The host turns ready from a
;; timer, so the runtime must let the host's event loop run between yields.
(component
  (import "host" (instance $host
    (export "ready" (func (result bool)))
  ))
  (alias export $host "ready" (func $ready))
  (core func $ready (canon lower (func $ready)))
  (core func $task_return (canon task.return (result u32)))
  (core module $m
    (import "" "ready" (func $ready (result i32)))
    (import "" "task.return" (func $ret (param i32)))
    (global $yields (mut i32) (i32.const 0))
    (func (export "poll") (result i32)
      (call $callback (i32.const 0) (i32.const 0) (i32.const 0)))
    (func $callback (export "callback") (param i32 i32 i32) (result i32)
      (if (call $ready)
        (then
          (call $ret (global.get $yields))
          (return (i32.const 0))))
      (global.set $yields (i32.add (global.get $yields) (i32.const 1)))
      (i32.const 1))
  )
  (core instance $i (instantiate $m (with "" (instance
    (export "ready" (func $ready))
    (export "task.return" (func $task_return))))))
  (func (export "poll") async (result u32)
    (canon lift (core func $i "poll") async (callback (core func $i "callback"))))
)
