;; auth: checks a bearer token, asking the key store (an async import) who it belongs to.
;;
;; A component written by hand in WAT, because it imports a custom `async func`
;; (`playground:gateway/keys.lookup`), which componentize-qjs cannot build (see README.md).
;; What a bindings generator would hide is all here:
;;
;; - `check` is lifted `async` with a `callback` (CanonicalABI.md "canon lift"): the core
;;   function runs until it would have to wait, then returns a code instead of blocking:
;;   EXIT = 0, YIELD = 1, WAIT = 2 | (waitable set << 4). When an event arrives in that set the
;;   runtime calls the callback `check_cb(event, index, payload)`, which returns the next code.
;;   No stack is kept while waiting, so this runs without JSPI.
;; - `lookup` is lowered `async` ("canon lower"): the call starts a subtask and returns at once
;;   with `state | (subtask << 4)`; state RETURNED = 2 means it already finished and its result
;;   is in memory at the pointer we passed last.
;; - Every call of `check` is a task of its own, and several are in flight at once in this one
;;   instance, so a task keeps its state in memory tied to it with `context.set 0`; the callback
;;   gets it back with `context.get 0`.
(component
  ;; ------------------------------------------------------------------ the world's import
  ;; `import keys;` spelled out: an instance type with one async function.
  (type $keys-type (instance
    (type $user (option string))
    (export "lookup" (func async (param "token" string) (result $user)))))
  (import "playground:gateway/keys@0.1.0" (instance $keys (type $keys-type)))
  (alias export $keys "lookup" (func $lookup))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; In a module of their own, instantiated first: the lowered `lookup` must name the memory and
  ;; `realloc` it writes its result with, and the main module imports that lowered function.
  (core module $Libc
    (memory (export "memory") 1)
    ;; Bump allocation above the main module's constants (0x000-0x3ff). Nothing is freed one by
    ;; one: `reset` starts over when no task is in flight (see $end in $Main).
    (global $heap (mut i32) (i32.const 0x400))
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32) (local $end i32) (local $have i32)
      ;; round up to the alignment (a power of two)
      (local.set $p (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $p) (local.get $size)))
      (local.set $have (i32.shl (memory.size) (i32.const 16)))
      (if (i32.gt_u (local.get $end) (local.get $have))
        (then
          (if (i32.eq (i32.const -1)
                (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 0xffff)) (i32.const 16))))
            (then unreachable))))
      (global.set $heap (local.get $end))
      ;; the canonical ABI only allocates (old = 0); a grow keeps the old bytes
      (if (local.get $old)
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
      (local.get $p))
    (func (export "reset")
      (global.set $heap (i32.const 0x400))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))

  ;; ------------------------------------------------------------------ canonical built-ins
  (type $check-result (result string (error string)))
  (core func $lookup-async (canon lower (func $lookup) async (memory $memory) (realloc $realloc)))
  (core func $task-return (canon task.return (result $check-result) (memory $memory)))
  (core func $context-get (canon context.get i32 0))
  (core func $context-set (canon context.set i32 0))
  (core func $waitable-set-new (canon waitable-set.new))
  (core func $waitable-set-drop (canon waitable-set.drop))
  (core func $waitable-join (canon waitable.join))
  (core func $subtask-drop (canon subtask.drop))

  ;; ------------------------------------------------------------------ the code
  (core module $Main
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $alloc (param i32 i32 i32 i32) (result i32)))
    (import "libc" "reset" (func $heap-reset))
    ;; lookup(token ptr, token len, where to write the option<string>) -> state | subtask << 4
    (import "keys" "lookup" (func $lookup (param i32 i32 i32) (result i32)))
    ;; task.return(result<string, string>) flattened: discriminant (0 ok, 1 err), string ptr, len
    (import "cm" "task.return" (func $task-return (param i32 i32 i32)))
    (import "cm" "context.get" (func $context-get (result i32)))
    (import "cm" "context.set" (func $context-set (param i32)))
    (import "cm" "waitable-set.new" (func $waitable-set-new (result i32)))
    (import "cm" "waitable-set.drop" (func $waitable-set-drop (param i32)))
    (import "cm" "waitable.join" (func $waitable-join (param i32 i32)))
    (import "cm" "subtask.drop" (func $subtask-drop (param i32)))

    ;; Callback codes, event codes and subtask states (CanonicalABI.md).
    (global $EXIT i32 (i32.const 0))
    (global $WAIT i32 (i32.const 2))
    (global $EVENT_SUBTASK i32 (i32.const 1))
    (global $RETURNED i32 (i32.const 2))

    ;; Constants: ptr, len.
    (data (i32.const 0x100) "tok_")                               ;; 0x100, 4: every token starts so
    (data (i32.const 0x110) "missing token")                      ;; 0x110, 13
    (data (i32.const 0x120) "malformed token: expected tok_...")  ;; 0x120, 33
    (data (i32.const 0x150) "unknown or revoked token")           ;; 0x150, 24

    ;; Tasks in flight; the heap starts over when the last one ends.
    (global $live (mut i32) (i32.const 0))

    ;; A task's state (16 bytes, from $alloc):
    ;;   +0  the waitable set it waits on
    ;;   +4  lookup's result, option<string>: +4 discriminant (u8; 0 none, 1 some), +8 ptr, +12 len

    ;; check(token) -> callback code
    (func (export "check") (param $token i32) (param $len i32) (result i32)
      (local $state i32) (local $called i32) (local $set i32)
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (if (i32.eqz (local.get $len))
        (then (return (call $refuse (i32.const 0x110) (i32.const 13)))))
      (if (i32.eqz (call $starts-with (local.get $token) (local.get $len) (i32.const 0x100) (i32.const 4)))
        (then (return (call $refuse (i32.const 0x120) (i32.const 33)))))

      (local.set $state (call $alloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 16)))
      (call $context-set (local.get $state))
      (local.set $called (call $lookup (local.get $token) (local.get $len) (i32.add (local.get $state) (i32.const 4))))
      (if (i32.eq (i32.and (local.get $called) (i32.const 0xf)) (global.get $RETURNED))
        (then (return (call $answer (local.get $state)))))

      ;; The lookup is under way: wait for its subtask in a set of this task's own.
      (local.set $set (call $waitable-set-new))
      (i32.store (local.get $state) (local.get $set))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (local.get $set))
      (i32.or (global.get $WAIT) (i32.shl (local.get $set) (i32.const 4))))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "check_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32)
      (local.set $state (call $context-get))
      (if (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                   (i32.eq (local.get $payload) (global.get $RETURNED)))
        (then
          ;; The result is in our memory already; the subtask and the set are done with.
          (call $subtask-drop (local.get $index))
          (call $waitable-set-drop (i32.load (local.get $state)))
          (return (call $answer (local.get $state)))))
      ;; Anything else (the subtask has only started; the caller cancelled, which this task
      ;; answers by finishing its lookup all the same): keep waiting.
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4))))

    ;; ok(user) when the key store knew the token, else err.
    (func $answer (param $state i32) (result i32)
      (if (i32.eqz (i32.load8_u offset=4 (local.get $state)))
        (then (return (call $refuse (i32.const 0x150) (i32.const 24)))))
      (call $task-return (i32.const 0) (i32.load offset=8 (local.get $state)) (i32.load offset=12 (local.get $state)))
      (call $end))

    (func $refuse (param $reason i32) (param $len i32) (result i32)
      (call $task-return (i32.const 1) (local.get $reason) (local.get $len))
      (call $end))

    ;; After task.return (which copied the strings out): the task is over.
    (func $end (result i32)
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (if (i32.eqz (global.get $live))
        (then (call $heap-reset)))
      (global.get $EXIT))

    (func $starts-with (param $s i32) (param $len i32) (param $prefix i32) (param $plen i32) (result i32)
      (local $i i32)
      (if (i32.lt_u (local.get $len) (local.get $plen))
        (then (return (i32.const 0))))
      (loop $next
        (if (i32.eq (local.get $i) (local.get $plen))
          (then (return (i32.const 1))))
        (if (i32.ne (i32.load8_u (i32.add (local.get $s) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $prefix) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
      (unreachable)))

  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "keys" (instance (export "lookup" (func $lookup-async))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "context.get" (func $context-get))
      (export "context.set" (func $context-set))
      (export "waitable-set.new" (func $waitable-set-new))
      (export "waitable-set.drop" (func $waitable-set-drop))
      (export "waitable.join" (func $waitable-join))
      (export "subtask.drop" (func $subtask-drop))))))

  ;; ------------------------------------------------------------------ the world's export
  ;; `export auth;`: `check` lifted async with its callback, in an instance named for the interface.
  (func $check async (param "token" string) (result $check-result)
    (canon lift (core func $main "check") async (memory $memory) (realloc $realloc)
      (callback (core func $main "check_cb"))))
  (instance $auth (export "check" (func $check)))
  (export "playground:gateway/auth@0.1.0" (instance $auth)))
