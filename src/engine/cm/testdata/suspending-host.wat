;; A synchronous export calling a synchronous host function that the host answers later (as the
;; 0.2 filesystem does while IndexedDB works). With JSPI the guest's stack suspends on it.
(component
  (import "host" (instance $host
    (export "slow-add" (func (param "x" u32) (result (result u32 (error u32)))))
  ))
  (alias export $host "slow-add" (func $slow_add))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (core func $slow_add_sync (canon lower (func $slow_add) (memory $mem)))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "slow-add" (func $slow_add (param i32 i32)))
    ;; slow-add(x) twice; returns ok + first + second, or err * 1000 when either failed.
    (func (export "twice") (param $x i32) (result i32) (local $a i32)
      (call $slow_add (local.get $x) (i32.const 16))
      (if (i32.load8_u (i32.const 16)) (then (return (i32.mul (i32.load (i32.const 20)) (i32.const 1000)))))
      (local.set $a (i32.load (i32.const 20)))
      (call $slow_add (local.get $x) (i32.const 16))
      (if (i32.load8_u (i32.const 16)) (then (return (i32.mul (i32.load (i32.const 20)) (i32.const 1000)))))
      (i32.add (local.get $a) (i32.load (i32.const 20))))
  )
  (core instance $i (instantiate $m (with "" (instance
    (export "mem" (memory $mem))
    (export "slow-add" (func $slow_add_sync))))))
  (func (export "twice") (param "x" u32) (result u32) (canon lift (core func $i "twice")))
)
