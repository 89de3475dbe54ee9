;; consumer: the end of the pipeline, and a command (`wasi:cli/run`). It opens its source, then
;; reads at most 32 bytes at a time, copies them to stdout and pauses 5 ms before the next read.
;; Nothing buffers in between, so every writer upstream waits for these slow reads: backpressure
;; reaches back through the transform to the producer. At the end it prints how many bytes it read
;; in how many reads.
;;
;; Written by hand in WAT: componentize-qjs cannot build a component that imports a custom async
;; function (see README.md). The callback ABI (CanonicalABI.md "canon lift", "canon lower",
;; "stream.read / stream.write", "future.read"):
;; - `run` is lifted `async` with a callback; its core function and the callback return
;;   EXIT = 0 or WAIT = 2 | (waitable set << 4), and the callback gets each event from the set
;;   as (event code, handle index, payload).
;; - Async imports (`open`, `wait-for`) are lowered `async`: a call starts a subtask and returns
;;   `state | (subtask << 4)`, state RETURNED = 2 meaning done already.
;; - `write-via-stream` is a synchronous import that takes a stream's readable end and returns a
;;   future at once: the host reads the stream as we write it, and writes the future when done.
;; - Copies (`stream.read`, `stream.write`, `future.read`, lowered `async`) return BLOCKED (-1)
;;   and report later as an event, or return `result | (count << 4)` at once; result COMPLETED = 0,
;;   DROPPED = 1 (the other end is gone).
(component
  ;; ------------------------------------------------------------------ the world's imports
  ;; `import source;`
  (type $source-type (instance
    (type $bytes (stream u8))
    (export "open" (func async (result $bytes)))))
  (import "playground:pipeline/source@0.1.0" (instance $source (type $source-type)))
  ;; `import wasi:cli/stdout@0.3.0;`, which uses error-code from wasi:cli/types, so that is
  ;; imported too and its type shared through an outer alias.
  (import "wasi:cli/types@0.3.0" (instance $cli-types
    (type $error-code (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type (eq $error-code)))))
  (alias export $cli-types "error-code" (type $error-code))
  (type $stdout-type (instance
    (alias outer 1 $error-code (type $cli-error-code))
    (export "error-code" (type $error-code (eq $cli-error-code)))
    (type $bytes (stream u8))
    (type $status (result (error $error-code)))
    (type $done (future $status))
    (export "write-via-stream" (func (param "data" $bytes) (result $done)))))
  (import "wasi:cli/stdout@0.3.0" (instance $stdout (type $stdout-type)))
  ;; `import wasi:clocks/monotonic-clock@0.3.0;`, which uses duration from wasi:clocks/types.
  (import "wasi:clocks/types@0.3.0" (instance $clock-types
    (type $u64 u64)
    (export "duration" (type (eq $u64)))))
  (alias export $clock-types "duration" (type $duration))
  (type $monotonic-clock-type (instance
    (type $u64 u64)
    (export "mark" (type $mark (eq $u64)))
    (alias outer 1 $duration (type $clocks-duration))
    (export "duration" (type $duration (eq $clocks-duration)))
    (export "now" (func (result $mark)))
    (export "get-resolution" (func (result $duration)))
    (export "wait-until" (func async (param "when" $mark)))
    (export "wait-for" (func async (param "how-long" $duration)))))
  (import "wasi:clocks/monotonic-clock@0.3.0" (instance $monotonic-clock (type $monotonic-clock-type)))
  (alias export $source "open" (func $open))
  (alias export $stdout "write-via-stream" (func $write-via-stream))
  (alias export $monotonic-clock "wait-for" (func $wait-for))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; Instantiated first: the lowered imports and the copy built-ins name this memory.
  (core module $Libc
    (memory (export "memory") 1)
    ;; Bump allocation of task states above the constants (0x000-0x3ff); a command runs once.
    (global $heap (mut i32) (i32.const 0x400))
    (func (export "alloc") (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
        (then (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))))
      (local.get $p)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))

  ;; ------------------------------------------------------------------ canonical built-ins
  (type $bytes (stream u8))
  (type $status (result (error $error-code)))
  (type $done (future $status))
  (type $run-result (result))
  (core func $open-async (canon lower (func $open) async (memory $memory)))
  (core func $wait-for-async (canon lower (func $wait-for) async))
  (core func $write-via-stream-sync (canon lower (func $write-via-stream)))
  (core func $task-return (canon task.return (result $run-result)))
  (core func $stream-new (canon stream.new $bytes))
  (core func $stream-read (canon stream.read $bytes async (memory $memory)))
  (core func $stream-write (canon stream.write $bytes async (memory $memory)))
  (core func $stream-drop-readable (canon stream.drop-readable $bytes))
  (core func $stream-drop-writable (canon stream.drop-writable $bytes))
  (core func $future-read (canon future.read $done async (memory $memory)))
  (core func $future-drop-readable (canon future.drop-readable $done))
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
    ;; open(where to write the stream handle) -> state | subtask << 4
    (import "imports" "open" (func $open (param i32) (result i32)))
    ;; wait-for(nanoseconds) -> state | subtask << 4
    (import "imports" "wait-for" (func $wait-for (param i64) (result i32)))
    ;; write-via-stream(readable end) -> the future's readable end
    (import "imports" "write-via-stream" (func $write-via-stream (param i32) (result i32)))
    ;; task.return(result) flattened: discriminant (0 ok, 1 err)
    (import "cm" "task.return" (func $task-return (param i32)))
    (import "cm" "stream.new" (func $stream-new (result i64)))
    (import "cm" "stream.read" (func $stream-read (param i32 i32 i32) (result i32)))
    (import "cm" "stream.write" (func $stream-write (param i32 i32 i32) (result i32)))
    (import "cm" "stream.drop-readable" (func $stream-drop-readable (param i32)))
    (import "cm" "stream.drop-writable" (func $stream-drop-writable (param i32)))
    (import "cm" "future.read" (func $future-read (param i32 i32) (result i32)))
    (import "cm" "future.drop-readable" (func $future-drop-readable (param i32)))
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
    (global $EVENT_FUTURE_READ i32 (i32.const 4))
    (global $RETURNED i32 (i32.const 2))
    (global $BLOCKED i32 (i32.const -1))
    (global $DROPPED i32 (i32.const 1))
    ;; How slowly this consumer reads.
    (global $READ_BYTES i32 (i32.const 32))
    (global $PAUSE_NS i64 (i64.const 5_000_000))

    ;; Constants: ptr, len.
    (data (i32.const 0x100) "consumer: ")  ;; 0x100, 10
    (data (i32.const 0x110) " bytes in ")  ;; 0x110, 10
    (data (i32.const 0x120) " reads\n")    ;; 0x120, 7

    ;; The task's state (160 bytes, from $alloc):
    ;;   +0  its waitable set     +4  the source's readable end (written by the lowered `open`)
    ;;   +8  stdout's writable end  +12 stdout's future   +16 what is waited for: 1 open, 2 pause
    ;;   +20 bytes to write from +24 (a pointer), of which +28 written
    ;;   +32 bytes read in all    +36 reads that brought bytes   +40 1 once the source has ended
    ;;   +44 the future's result<_, error-code>: +44 discriminant, +45 error-code
    ;;   +64 read buffer (32 bytes)   +96 the summary line (up to 64 bytes)

    (func (export "run") (result i32)
      (local $state i32) (local $ends i64) (local $called i32)
      (local.set $state (call $alloc (i32.const 160)))
      (memory.fill (local.get $state) (i32.const 0) (i32.const 64))
      (call $context-set (local.get $state))
      (i32.store offset=0 (local.get $state) (call $waitable-set-new))
      ;; stdout: a stream of our own whose readable end the host takes; we write the other end.
      (local.set $ends (call $stream-new))
      (i32.store offset=8 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $waitable-join (i32.load offset=8 (local.get $state)) (i32.load (local.get $state)))
      (i32.store offset=12 (local.get $state) (call $write-via-stream (i32.wrap_i64 (local.get $ends))))
      ;; Open the source; start reading once it has answered.
      (i32.store offset=16 (local.get $state) (i32.const 1))
      (local.set $called (call $open (i32.add (local.get $state) (i32.const 4))))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $opened (local.get $state)))))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "run_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32)
      (local.set $state (call $context-get))
      (if (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                   (i32.eq (local.get $payload) (global.get $RETURNED)))
        (then
          (call $subtask-drop (local.get $index))
          ;; Either `open` answered or a pause is over.
          (if (i32.eq (i32.load offset=16 (local.get $state)) (i32.const 1))
            (then (return (call $opened (local.get $state)))))
          (return (call $read-more (local.get $state)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_READ))
        (then (return (call $have-read (local.get $state) (local.get $payload)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_WRITE))
        (then (return (call $have-written (local.get $state) (local.get $payload)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_FUTURE_READ))
        (then (return (call $finish (local.get $state)))))
      ;; Anything else (a subtask has only started; cancellation, which a command's run
      ;; answers by finishing): keep waiting.
      (call $wait (local.get $state)))

    (func $opened (param $state i32) (result i32)
      (call $waitable-join (i32.load offset=4 (local.get $state)) (i32.load (local.get $state)))
      (call $read-more (local.get $state)))

    (func $read-more (param $state i32) (result i32)
      (local $r i32)
      (local.set $r (call $stream-read (i32.load offset=4 (local.get $state)) (i32.add (local.get $state) (i32.const 64)) (global.get $READ_BYTES)))
      (if (i32.eq (local.get $r) (global.get $BLOCKED))
        (then (return (call $wait (local.get $state)))))
      (call $have-read (local.get $state) (local.get $r)))

    ;; A read finished with `result | count << 4`: count it and pass the bytes to stdout.
    (func $have-read (param $state i32) (param $payload i32) (result i32)
      (local $n i32)
      (local.set $n (i32.shr_u (local.get $payload) (i32.const 4)))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (i32.store offset=40 (local.get $state) (i32.const 1))))
      (if (local.get $n)
        (then
          (i32.store offset=32 (local.get $state) (i32.add (i32.load offset=32 (local.get $state)) (local.get $n)))
          (i32.store offset=36 (local.get $state) (i32.add (i32.load offset=36 (local.get $state)) (i32.const 1)))))
      (call $write (local.get $state) (i32.add (local.get $state) (i32.const 64)) (local.get $n)))

    ;; Starts writing n bytes at ptr to stdout.
    (func $write (param $state i32) (param $ptr i32) (param $n i32) (result i32)
      (i32.store offset=20 (local.get $state) (local.get $n))
      (i32.store offset=24 (local.get $state) (local.get $ptr))
      (i32.store offset=28 (local.get $state) (i32.const 0))
      (call $write-more (local.get $state)))

    ;; Writes what is left; once all is written, pauses before the next read (or, after the
    ;; source ended, prints the summary and then closes stdout).
    (func $write-more (param $state i32) (result i32)
      (local $r i32) (local $written i32) (local $called i32)
      (local.set $written (i32.load offset=28 (local.get $state)))
      (if (i32.lt_u (local.get $written) (i32.load offset=20 (local.get $state)))
        (then
          (local.set $r (call $stream-write (i32.load offset=8 (local.get $state))
            (i32.add (i32.load offset=24 (local.get $state)) (local.get $written))
            (i32.sub (i32.load offset=20 (local.get $state)) (local.get $written))))
          (if (i32.eq (local.get $r) (global.get $BLOCKED))
            (then (return (call $wait (local.get $state)))))
          (return (call $have-written (local.get $state) (local.get $r)))))
      (if (i32.load offset=40 (local.get $state))
        (then
          ;; The source has ended: the summary is written next (and its write ends up here too).
          (if (i32.ne (i32.load offset=24 (local.get $state)) (i32.add (local.get $state) (i32.const 96)))
            (then (return (call $summary (local.get $state)))))
          (return (call $close (local.get $state)))))
      ;; A pause before the next read: this is what makes the consumer slow.
      (i32.store offset=16 (local.get $state) (i32.const 2))
      (local.set $called (call $wait-for (global.get $PAUSE_NS)))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $read-more (local.get $state)))))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; A write finished with `result | count << 4`.
    (func $have-written (param $state i32) (param $payload i32) (result i32)
      (i32.store offset=28 (local.get $state)
        (i32.add (i32.load offset=28 (local.get $state)) (i32.shr_u (local.get $payload) (i32.const 4))))
      ;; stdout's reader is gone: nothing more can be printed.
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (return (call $close (local.get $state)))))
      (call $write-more (local.get $state)))

    ;; "consumer: N bytes in M reads\n"
    (func $summary (param $state i32) (result i32)
      (local $line i32) (local $p i32)
      (local.set $line (i32.add (local.get $state) (i32.const 96)))
      (memory.copy (local.get $line) (i32.const 0x100) (i32.const 10))
      (local.set $p (call $decimal (i32.load offset=32 (local.get $state)) (i32.add (local.get $line) (i32.const 10))))
      (memory.copy (local.get $p) (i32.const 0x110) (i32.const 10))
      (local.set $p (call $decimal (i32.load offset=36 (local.get $state)) (i32.add (local.get $p) (i32.const 10))))
      (memory.copy (local.get $p) (i32.const 0x120) (i32.const 7))
      (call $write (local.get $state) (local.get $line) (i32.sub (i32.add (local.get $p) (i32.const 7)) (local.get $line))))

    ;; Ends stdout's stream (the host sees its end) and waits for the host to report on it.
    (func $close (param $state i32) (result i32)
      (local $r i32)
      (call $stream-drop-writable (i32.load offset=8 (local.get $state)))
      (local.set $r (call $future-read (i32.load offset=12 (local.get $state)) (i32.add (local.get $state) (i32.const 44))))
      (if (i32.ne (local.get $r) (global.get $BLOCKED))
        (then (return (call $finish (local.get $state)))))
      (call $waitable-join (i32.load offset=12 (local.get $state)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; stdout has reported: return its result<_, error-code> as run's result, and clean up.
    (func $finish (param $state i32) (result i32)
      ;; Dropping an end takes it out of its waitable set (CanonicalABI.md "Waitable.drop"), but
      ;; jco (engine/jco) leaves dropped readable ends in the set and then traps in
      ;; waitable-set.drop, so they leave it explicitly first (joining set 0 means "no set").
      (call $waitable-join (i32.load offset=12 (local.get $state)) (i32.const 0))
      (call $waitable-join (i32.load offset=4 (local.get $state)) (i32.const 0))
      (call $future-drop-readable (i32.load offset=12 (local.get $state)))
      (call $stream-drop-readable (i32.load offset=4 (local.get $state)))
      (call $waitable-set-drop (i32.load (local.get $state)))
      (call $task-return (i32.load8_u offset=44 (local.get $state)))
      (global.get $EXIT))

    (func $wait (param $state i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4))))

    ;; Writes n in decimal at dst; returns the end.
    (func $decimal (param $n i32) (param $dst i32) (result i32)
      (local $len i32) (local $t i32) (local $end i32)
      (local.set $len (i32.const 1))
      (local.set $t (local.get $n))
      (block $counted
        (loop $more
          (br_if $counted (i32.lt_u (local.get $t) (i32.const 10)))
          (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
          (local.set $len (i32.add (local.get $len) (i32.const 1)))
          (br $more)))
      (local.set $end (i32.add (local.get $dst) (local.get $len)))
      (local.set $t (local.get $end))
      (loop $digit
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (i32.store8 (local.get $t) (i32.add (i32.const 0x30) (i32.rem_u (local.get $n) (i32.const 10))))
        (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
        (br_if $digit (i32.gt_u (local.get $t) (local.get $dst))))
      (local.get $end)))

  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "imports" (instance
      (export "open" (func $open-async))
      (export "wait-for" (func $wait-for-async))
      (export "write-via-stream" (func $write-via-stream-sync))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "stream.new" (func $stream-new))
      (export "stream.read" (func $stream-read))
      (export "stream.write" (func $stream-write))
      (export "stream.drop-readable" (func $stream-drop-readable))
      (export "stream.drop-writable" (func $stream-drop-writable))
      (export "future.read" (func $future-read))
      (export "future.drop-readable" (func $future-drop-readable))
      (export "context.get" (func $context-get))
      (export "context.set" (func $context-set))
      (export "waitable-set.new" (func $waitable-set-new))
      (export "waitable-set.drop" (func $waitable-set-drop))
      (export "waitable.join" (func $waitable-join))
      (export "subtask.drop" (func $subtask-drop))))))

  ;; ------------------------------------------------------------------ the world's export
  (func $run async (result $run-result)
    (canon lift (core func $main "run") async (callback (core func $main "run_cb"))))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $run-instance)))
