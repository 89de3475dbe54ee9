;; transform: a pipeline stage. `open` opens the source it imports, returns a new stream at once,
;; and then pumps: read up to 64 bytes from upstream, upper-case them, write them downstream, and
;; only then read again. So it holds at most 64 bytes, and a slow reader downstream makes it read
;; upstream slowly too: backpressure passes through this component.
;;
;; Written by hand in WAT: componentize-qjs cannot build a component that imports a custom async
;; function (see README.md). The callback ABI (CanonicalABI.md "canon lift", "canon lower",
;; "stream.read / stream.write"):
;; - `open` is lifted `async` with a callback: its core function and the callback return
;;   EXIT = 0 or WAIT = 2 | (waitable set << 4), and the runtime calls the callback with each event
;;   (event code, handle index, payload) from that set.
;; - A task may call `task.return` early and keep running: here it returns the stream's readable
;;   end first and pumps bytes afterwards, until it returns EXIT.
;; - `stream.read` / `stream.write` (lowered `async`) start a copy and return at once: either
;;   BLOCKED (-1), and later a STREAM_READ / STREAM_WRITE event arrives, or the finished copy's
;;   `result | (count << 4)`, result being COMPLETED = 0 or DROPPED = 1 (the other end is gone).
;;   A write completes when the reader has taken some bytes; the rest are written again.
;; - Each `open` call is a task of its own with its state in memory found through `context.get 0`.
(component
  ;; ------------------------------------------------------------------ the world's import
  (type $bytes (stream u8))
  (type $source-type (instance
    (type $bytes (stream u8))
    (export "open" (func async (result $bytes)))))
  (import "playground:pipeline/source@0.1.0" (instance $upstream (type $source-type)))
  (alias export $upstream "open" (func $upstream-open))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; Instantiated first: the lowered import and the stream built-ins name this memory.
  (core module $Libc
    (memory (export "memory") 1)
    ;; Bump allocation of task states above the constants (0x000-0x3ff); `reset` starts over when
    ;; no task is in flight (see $end in $Main).
    (global $heap (mut i32) (i32.const 0x400))
    (func (export "alloc") (param $size i32) (result i32)
      (local $p i32) (local $have i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (local.set $have (i32.shl (memory.size) (i32.const 16)))
      (if (i32.gt_u (global.get $heap) (local.get $have))
        (then
          (if (i32.eq (i32.const -1)
                (memory.grow (i32.shr_u (i32.add (i32.sub (global.get $heap) (local.get $have)) (i32.const 0xffff)) (i32.const 16))))
            (then unreachable))))
      (local.get $p))
    (func (export "reset")
      (global.set $heap (i32.const 0x400))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))

  ;; ------------------------------------------------------------------ canonical built-ins
  (core func $upstream-open-async (canon lower (func $upstream-open) async (memory $memory)))
  (core func $task-return (canon task.return (result $bytes)))
  (core func $stream-new (canon stream.new $bytes))
  (core func $stream-read (canon stream.read $bytes async (memory $memory)))
  (core func $stream-write (canon stream.write $bytes async (memory $memory)))
  (core func $stream-drop-readable (canon stream.drop-readable $bytes))
  (core func $stream-drop-writable (canon stream.drop-writable $bytes))
  (core func $context-get (canon context.get i32 0))
  (core func $context-set (canon context.set i32 0))
  (core func $waitable-set-new (canon waitable-set.new))
  (core func $waitable-set-drop (canon waitable-set.drop))
  (core func $waitable-join (canon waitable.join))
  (core func $subtask-drop (canon subtask.drop))

  ;; ------------------------------------------------------------------ the code
  (core module $Main
    (import "libc" "memory" (memory 1))
    (import "libc" "alloc" (func $alloc (param i32) (result i32)))
    (import "libc" "reset" (func $heap-reset))
    ;; open(where to write the stream handle) -> state | subtask << 4
    (import "upstream" "open" (func $upstream-open (param i32) (result i32)))
    (import "cm" "task.return" (func $task-return (param i32)))
    ;; stream.new -> readable index | writable index << 32
    (import "cm" "stream.new" (func $stream-new (result i64)))
    ;; stream.read/write(end, buffer, count) -> BLOCKED | result | count << 4
    (import "cm" "stream.read" (func $stream-read (param i32 i32 i32) (result i32)))
    (import "cm" "stream.write" (func $stream-write (param i32 i32 i32) (result i32)))
    (import "cm" "stream.drop-readable" (func $stream-drop-readable (param i32)))
    (import "cm" "stream.drop-writable" (func $stream-drop-writable (param i32)))
    (import "cm" "context.get" (func $context-get (result i32)))
    (import "cm" "context.set" (func $context-set (param i32)))
    (import "cm" "waitable-set.new" (func $waitable-set-new (result i32)))
    (import "cm" "waitable-set.drop" (func $waitable-set-drop (param i32)))
    (import "cm" "waitable.join" (func $waitable-join (param i32 i32)))
    (import "cm" "subtask.drop" (func $subtask-drop (param i32)))

    ;; Callback codes, event codes, subtask states and copy results (CanonicalABI.md).
    (global $EXIT i32 (i32.const 0))
    (global $WAIT i32 (i32.const 2))
    (global $EVENT_SUBTASK i32 (i32.const 1))
    (global $EVENT_STREAM_READ i32 (i32.const 2))
    (global $EVENT_STREAM_WRITE i32 (i32.const 3))
    (global $RETURNED i32 (i32.const 2))
    (global $BLOCKED i32 (i32.const -1))
    (global $DROPPED i32 (i32.const 1))
    (global $CHUNK i32 (i32.const 64))

    ;; Tasks in flight; the heap starts over when the last one ends.
    (global $live (mut i32) (i32.const 0))

    ;; A task's state (96 bytes, from $alloc):
    ;;   +0  its waitable set      +4  upstream's readable end (written by the lowered `open`)
    ;;   +8  our writable end      +12 bytes in the buffer  +16 of which written downstream
    ;;   +20 1 once upstream has ended
    ;;   +32 the buffer (64 bytes)

    ;; open() -> callback code
    (func (export "open") (result i32)
      (local $state i32) (local $ends i64) (local $called i32)
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (local.set $state (call $alloc (i32.const 96)))
      (memory.fill (local.get $state) (i32.const 0) (i32.const 32))
      (call $context-set (local.get $state))
      (i32.store offset=0 (local.get $state) (call $waitable-set-new))

      ;; A new stream: its readable end is our result, returned right away; we keep the writable end.
      (local.set $ends (call $stream-new))
      (i32.store offset=8 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $waitable-join (i32.load offset=8 (local.get $state)) (i32.load (local.get $state)))
      (call $task-return (i32.wrap_i64 (local.get $ends)))

      ;; Then open upstream, and read from it once it has answered.
      (local.set $called (call $upstream-open (i32.add (local.get $state) (i32.const 4))))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $opened (local.get $state)))))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "open_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32)
      (local.set $state (call $context-get))
      (if (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                   (i32.eq (local.get $payload) (global.get $RETURNED)))
        (then
          (call $subtask-drop (local.get $index))
          (return (call $opened (local.get $state)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_READ))
        (then (return (call $have-read (local.get $state) (local.get $payload)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_WRITE))
        (then (return (call $have-written (local.get $state) (local.get $payload)))))
      ;; Anything else (the subtask has only started; a cancelled caller, which already holds
      ;; the stream and ends it by dropping its end): keep waiting.
      (call $wait (local.get $state)))

    ;; Upstream's stream is ours: its copies report in the task's set too.
    (func $opened (param $state i32) (result i32)
      (call $waitable-join (i32.load offset=4 (local.get $state)) (i32.load (local.get $state)))
      (call $read-more (local.get $state)))

    ;; Reads the next chunk from upstream into the empty buffer.
    (func $read-more (param $state i32) (result i32)
      (local $r i32)
      (local.set $r (call $stream-read (i32.load offset=4 (local.get $state)) (i32.add (local.get $state) (i32.const 32)) (global.get $CHUNK)))
      (if (i32.eq (local.get $r) (global.get $BLOCKED))
        (then (return (call $wait (local.get $state)))))
      (call $have-read (local.get $state) (local.get $r)))

    ;; A read finished with `result | count << 4`: upper-case what came, then write it downstream.
    (func $have-read (param $state i32) (param $payload i32) (result i32)
      (local $n i32) (local $p i32) (local $c i32)
      (local.set $n (i32.shr_u (local.get $payload) (i32.const 4)))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (i32.store offset=20 (local.get $state) (i32.const 1))))
      ;; ASCII a-z to A-Z; every other byte passes through.
      (local.set $p (i32.add (local.get $state) (i32.const 32)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $p) (i32.add (local.get $state) (i32.add (i32.const 32) (local.get $n)))))
          (local.set $c (i32.load8_u (local.get $p)))
          (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x61)) (i32.const 26))
            (then (i32.store8 (local.get $p) (i32.sub (local.get $c) (i32.const 0x20)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $next)))
      (i32.store offset=12 (local.get $state) (local.get $n))
      (i32.store offset=16 (local.get $state) (i32.const 0))
      (call $write-more (local.get $state)))

    ;; Writes what is left of the buffer. When it is all written: read again, or end if upstream has.
    (func $write-more (param $state i32) (result i32)
      (local $r i32) (local $written i32)
      (local.set $written (i32.load offset=16 (local.get $state)))
      (if (i32.lt_u (local.get $written) (i32.load offset=12 (local.get $state)))
        (then
          (local.set $r (call $stream-write (i32.load offset=8 (local.get $state))
            (i32.add (local.get $state) (i32.add (i32.const 32) (local.get $written)))
            (i32.sub (i32.load offset=12 (local.get $state)) (local.get $written))))
          ;; Blocked: the reader has not asked for bytes yet. This is backpressure; wait for it.
          (if (i32.eq (local.get $r) (global.get $BLOCKED))
            (then (return (call $wait (local.get $state)))))
          (return (call $have-written (local.get $state) (local.get $r)))))
      (if (i32.load offset=20 (local.get $state))
        (then (return (call $end (local.get $state)))))
      (call $read-more (local.get $state)))

    ;; A write finished with `result | count << 4`: count it, and stop if the reader is gone.
    (func $have-written (param $state i32) (param $payload i32) (result i32)
      (i32.store offset=16 (local.get $state)
        (i32.add (i32.load offset=16 (local.get $state)) (i32.shr_u (local.get $payload) (i32.const 4))))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (return (call $end (local.get $state)))))
      (call $write-more (local.get $state)))

    (func $wait (param $state i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4))))

    ;; Drops both ends (dropping ours tells the reader the stream is over) and the set.
    (func $end (param $state i32) (result i32)
      ;; Dropping an end takes it out of its waitable set (CanonicalABI.md "Waitable.drop"), but
      ;; jco (engine/jco) leaves dropped readable ends in the set and then traps in
      ;; waitable-set.drop, so both leave it explicitly first (joining set 0 means "no set").
      (call $waitable-join (i32.load offset=4 (local.get $state)) (i32.const 0))
      (call $waitable-join (i32.load offset=8 (local.get $state)) (i32.const 0))
      (call $stream-drop-readable (i32.load offset=4 (local.get $state)))
      (call $stream-drop-writable (i32.load offset=8 (local.get $state)))
      (call $waitable-set-drop (i32.load (local.get $state)))
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (if (i32.eqz (global.get $live))
        (then (call $heap-reset)))
      (global.get $EXIT)))

  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "upstream" (instance (export "open" (func $upstream-open-async))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "stream.new" (func $stream-new))
      (export "stream.read" (func $stream-read))
      (export "stream.write" (func $stream-write))
      (export "stream.drop-readable" (func $stream-drop-readable))
      (export "stream.drop-writable" (func $stream-drop-writable))
      (export "context.get" (func $context-get))
      (export "context.set" (func $context-set))
      (export "waitable-set.new" (func $waitable-set-new))
      (export "waitable-set.drop" (func $waitable-set-drop))
      (export "waitable.join" (func $waitable-join))
      (export "subtask.drop" (func $subtask-drop))))))

  ;; ------------------------------------------------------------------ the world's export
  (func $open async (result $bytes)
    (canon lift (core func $main "open") async (callback (core func $main "open_cb"))))
  (instance $source (export "open" (func $open)))
  (export "playground:pipeline/source@0.1.0" (instance $source)))
