;; Makes a host `r`, lends it to `api#read` (another component, linked at run time) and returns the answer.
(component
  (import "host" (instance $host
    (export "r" (type (sub resource)))
    (export "[constructor]r" (func (result (own 0))))
  ))
  (alias export $host "r" (type $r))
  (import "api" (instance $api
    (export "read" (func (param "r" (borrow $r)) (result u32)))
  ))
  (alias export $host "[constructor]r" (func $new))
  (alias export $api "read" (func $read))
  (core func $new (canon lower (func $new)))
  (core func $read (canon lower (func $read)))
  (core func $drop (canon resource.drop $r))
  (core module $m
    (import "" "new" (func $new (result i32)))
    (import "" "read" (func $read (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "run") (result i32) (local $h i32) (local $v i32)
      (local.set $h (call $new))
      (local.set $v (call $read (local.get $h)))
      (call $drop (local.get $h))
      (local.get $v)))
  (core instance $i (instantiate $m (with "" (instance
    (export "new" (func $new)) (export "read" (func $read)) (export "drop" (func $drop))))))
  (func (export "run") (result u32) (canon lift (core func $i "run")))
)
