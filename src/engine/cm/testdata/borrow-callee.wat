;; Exports `api#read(r: borrow<r>) -> u32`, answered by the host resource's `get`; `r` comes from the host.
(component
  (import "host" (instance $host
    (export "r" (type (sub resource)))
    (export "[method]r.get" (func (param "self" (borrow 0)) (result u32)))
  ))
  (alias export $host "r" (type $r))
  (alias export $host "[method]r.get" (func $get))
  (core func $get (canon lower (func $get)))
  (core func $drop (canon resource.drop $r))
  (core module $m
    (import "" "get" (func $get (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "read") (param i32) (result i32) (local $v i32)
      (local.set $v (call $get (local.get 0)))
      (call $drop (local.get 0))
      (local.get $v)))
  (core instance $i (instantiate $m (with "" (instance (export "get" (func $get)) (export "drop" (func $drop))))))
  (func $read (param "r" (borrow $r)) (result u32) (canon lift (core func $i "read")))
  (instance $api (export "read" (func $read)))
  (export "api" (instance $api))
)
