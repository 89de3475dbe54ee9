;; `echo(in) -> out`: returns a new stream at once, then copies every byte of `in` to it through a
;; 1 MiB buffer in linear memory, one `stream.read` then `stream.write` at a time (a partial write
;; writes the rest), waiting in a waitable set when either blocks. When `in` ends, `out` ends; when
;; the host stops reading `out`, the copy stops. Callback-lifted, so it needs no JSPI. Used by the
;; stream throughput benchmark (bench/streams.ts), where the guest must not be the bottleneck.
(component
  (core module $libc (memory (export "mem") 17))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (type $st (stream u8))
  (core func $new (canon stream.new $st))
  (core func $read (canon stream.read $st async (memory $mem)))
  (core func $write (canon stream.write $st async (memory $mem)))
  (core func $drop_r (canon stream.drop-readable $st))
  (core func $drop_w (canon stream.drop-writable $st))
  (core func $ws_new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result $st)))
  (core module $m
    (import "" "new" (func $new (result i64)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "write" (func $write (param i32 i32 i32) (result i32)))
    (import "" "drop-r" (func $drop_r (param i32)))
    (import "" "drop-w" (func $drop_w (param i32)))
    (import "" "ws.new" (func $ws_new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    ;; One call at a time per instance (the benchmark's), so its state is global.
    (global $in (mut i32) (i32.const 0))
    (global $out (mut i32) (i32.const 0))
    (global $ws (mut i32) (i32.const 0))
    ;; Bytes read and not yet written, from $at; $eof once either side is gone.
    (global $at (mut i32) (i32.const 0))
    (global $have (mut i32) (i32.const 0))
    (global $eof (mut i32) (i32.const 0))

    ;; A copy's packed result: count << 4 | 0 COMPLETED, 1 DROPPED, 2 CANCELLED.
    (func $got (param $r i32)
      (global.set $at (i32.const 0))
      (global.set $have (i32.shr_u (local.get $r) (i32.const 4)))
      (if (i32.ne (i32.and (local.get $r) (i32.const 0xf)) (i32.const 0))
        (then (global.set $eof (i32.const 1)))))
    (func $wrote (param $r i32) (local $n i32)
      (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
      (global.set $at (i32.add (global.get $at) (local.get $n)))
      (global.set $have (i32.sub (global.get $have) (local.get $n)))
      (if (i32.ne (i32.and (local.get $r) (i32.const 0xf)) (i32.const 0))
        (then (global.set $have (i32.const 0)) (global.set $eof (i32.const 1)))))

    ;; Copies until a read or write blocks (WAIT on the set) or the copy is over (EXIT).
    (func $pump (result i32) (local $r i32)
      (loop $next
        (if (global.get $have)
          (then
            (local.set $r (call $write (global.get $out) (global.get $at) (global.get $have)))
            (if (i32.eq (local.get $r) (i32.const -1))
              (then (return (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
            (call $wrote (local.get $r)))
          (else
            (if (global.get $eof)
              (then
                (call $drop_w (global.get $out))
                (call $drop_r (global.get $in))
                (return (i32.const 0))))
            (local.set $r (call $read (global.get $in) (i32.const 0) (i32.const 0x100000)))
            (if (i32.eq (local.get $r) (i32.const -1))
              (then (return (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
            (call $got (local.get $r))))
        (br $next))
      unreachable)

    (func (export "echo") (param $in i32) (result i32) (local $ends i64)
      (global.set $in (local.get $in))
      (local.set $ends (call $new))
      (global.set $out (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (global.set $ws (call $ws_new))
      (call $join (global.get $in) (global.get $ws))
      (call $join (global.get $out) (global.get $ws))
      (global.set $have (i32.const 0))
      (global.set $eof (i32.const 0))
      (call $ret (i32.wrap_i64 (local.get $ends)))
      (call $pump))

    ;; 2 STREAM_READ, 3 STREAM_WRITE: the blocked copy finished with `payload`.
    (func (export "cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (if (i32.eq (local.get $event) (i32.const 2)) (then (call $got (local.get $payload))))
      (if (i32.eq (local.get $event) (i32.const 3)) (then (call $wrote (local.get $payload))))
      (call $pump)))
  (core instance $i (instantiate $m (with "" (instance
    (export "new" (func $new)) (export "read" (func $read)) (export "write" (func $write))
    (export "drop-r" (func $drop_r)) (export "drop-w" (func $drop_w))
    (export "ws.new" (func $ws_new)) (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "echo") async (param "in" $st) (result $st)
    (canon lift (core func $i "echo") async (memory $mem) (callback (core func $i "cb"))))
)
