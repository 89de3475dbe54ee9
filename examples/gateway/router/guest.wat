;; router: the gateway's front door. For each request it
;;   1. asks the rate limiter (a synchronous import: a plain call),
;;   2. awaits auth (an async import: a subtask this task waits for),
;;   3. fetches from the users and orders backends, both at once for `/me` (two subtasks in
;;      flight together, answered by two instances of one upstream component),
;; and answers with task.return. Written by hand in WAT: componentize-qjs cannot build a component
;; that imports custom async functions (see README.md).
;;
;; The callback ABI (CanonicalABI.md "canon lift", "canon lower"), as in ../auth/guest.wat:
;; - `handle` is lifted `async` with a callback. Its core function returns a code instead of
;;   blocking: EXIT = 0, or WAIT = 2 | (waitable set << 4); the runtime then calls
;;   `handle_cb(event, index, payload)` for each event in that set, and it returns the next code.
;; - An async import is lowered `async`: calling it starts a subtask and returns at once with
;;   `state | (subtask << 4)`; state RETURNED = 2 means it is done and its result is in memory.
;;   Joining the subtask to a waitable set makes its completion an event there.
;; - Requests overlap in this one instance: each task's state lives in memory found through
;;   `context.get 0`, set once with `context.set 0` when the task starts.
(component
  ;; ------------------------------------------------------------------ the world's imports
  (type $reply (result string (error string)))
  (type $limits-type (instance
    (type $admitted (result u32 (error string)))
    (export "admit" (func (param "client" string) (result $admitted)))))
  (type $auth-type (instance
    (type $checked (result string (error string)))
    (export "check" (func async (param "token" string) (result $checked)))))
  ;; `users` and `orders` have one shape (the upstream component's `upstream` interface has it too).
  (type $backend-type (instance
    (type $body (result string (error string)))
    (export "fetch" (func async (param "path" string) (result $body)))))
  (import "playground:gateway/limits@0.1.0" (instance $limits (type $limits-type)))
  (import "playground:gateway/auth@0.1.0" (instance $auth (type $auth-type)))
  (import "playground:gateway/users@0.1.0" (instance $users (type $backend-type)))
  (import "playground:gateway/orders@0.1.0" (instance $orders (type $backend-type)))
  (alias export $limits "admit" (func $admit))
  (alias export $auth "check" (func $check))
  (alias export $users "fetch" (func $users-fetch))
  (alias export $orders "fetch" (func $orders-fetch))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; Instantiated first: the lowered imports name this memory and realloc, and the main module
  ;; imports the lowered functions.
  (core module $Libc
    (memory (export "memory") 1)
    ;; Bump allocation above the main module's constants (0x000-0x3ff); `reset` starts over when
    ;; no task is in flight (see $end in $Main).
    (global $heap (mut i32) (i32.const 0x400))
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32) (local $end i32) (local $have i32)
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
      (if (local.get $old)
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
      (local.get $p))
    (func (export "reset")
      (global.set $heap (i32.const 0x400))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))

  ;; ------------------------------------------------------------------ canonical built-ins
  ;; `admit` is synchronous: lowered without `async`, the call simply returns when it is done.
  (core func $admit-sync (canon lower (func $admit) (memory $memory) (realloc $realloc)))
  (core func $check-async (canon lower (func $check) async (memory $memory) (realloc $realloc)))
  (core func $users-fetch-async (canon lower (func $users-fetch) async (memory $memory) (realloc $realloc)))
  (core func $orders-fetch-async (canon lower (func $orders-fetch) async (memory $memory) (realloc $realloc)))
  (core func $task-return (canon task.return (result $reply) (memory $memory)))
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
    ;; Imports take a string as (ptr, len) and a last pointer where their result is written:
    ;; a result<_, string> there is a discriminant byte (0 ok, 1 err) at +0 and the payload at +4.
    (import "gateway" "admit" (func $admit (param i32 i32 i32)))
    (import "gateway" "check" (func $check (param i32 i32 i32) (result i32)))
    (import "gateway" "users-fetch" (func $users-fetch (param i32 i32 i32) (result i32)))
    (import "gateway" "orders-fetch" (func $orders-fetch (param i32 i32 i32) (result i32)))
    ;; task.return(result<string, string>) flattened: discriminant, string ptr, len
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
    (data (i32.const 0x100) "/me")                ;; 0x100, 3
    (data (i32.const 0x110) "/users/")            ;; 0x110, 7
    (data (i32.const 0x120) "/orders/")           ;; 0x120, 8
    (data (i32.const 0x130) "429 ")               ;; 0x130, 4
    (data (i32.const 0x140) "401 ")               ;; 0x140, 4
    (data (i32.const 0x150) "404 no route for ")  ;; 0x150, 17
    (data (i32.const 0x170) "{\"user\":")         ;; 0x170, 8
    (data (i32.const 0x180) ",\"orders\":")       ;; 0x180, 10
    (data (i32.const 0x190) "}")                  ;; 0x190, 1

    ;; Tasks in flight; the heap starts over when the last one ends.
    (global $live (mut i32) (i32.const 0))

    ;; A task's state (72 bytes, from $alloc):
    ;;   +0  its waitable set       +4  phase: 1 authenticating, 2 fetching
    ;;   +8  path ptr  +12 path len +16 calls still out
    ;;   +20 route: 1 users, 2 orders, 3 both (/me)
    ;;   +24 admit's result<u32, string>     (+24 disc, +28 u32 | ptr, +32 len)
    ;;   +36 check's result<string, string>  (+36 disc, +40 ptr, +44 len)
    ;;   +48 users' result<string, string>   (+48 disc, +52 ptr, +56 len)
    ;;   +60 orders' result<string, string>  (+60 disc, +64 ptr, +68 len)

    ;; handle(client, token, path) -> callback code
    (func (export "handle")
      (param $client i32) (param $client_len i32) (param $token i32) (param $token_len i32)
      (param $path i32) (param $path_len i32) (result i32)
      (local $state i32) (local $called i32)
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (local.set $state (call $alloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 72)))
      (memory.fill (local.get $state) (i32.const 0) (i32.const 72))
      (call $context-set (local.get $state))
      (i32.store offset=0 (local.get $state) (call $waitable-set-new))
      (i32.store offset=8 (local.get $state) (local.get $path))
      (i32.store offset=12 (local.get $state) (local.get $path_len))

      ;; 1. Rate limit: a synchronous call, done when it returns.
      (call $admit (local.get $client) (local.get $client_len) (i32.add (local.get $state) (i32.const 24)))
      (if (i32.load8_u offset=24 (local.get $state))
        (then (return (call $refuse (local.get $state) (i32.const 0x130) (i32.const 4)
                        (i32.load offset=28 (local.get $state)) (i32.load offset=32 (local.get $state))))))

      ;; 2. Authenticate: an async call; wait for it unless it is done already.
      (i32.store offset=4 (local.get $state) (i32.const 1))
      (local.set $called (call $check (local.get $token) (local.get $token_len) (i32.add (local.get $state) (i32.const 36))))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $authenticated (local.get $state)))))
      (call $await (local.get $state) (local.get $called))
      (call $wait (local.get $state)))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "handle_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32) (local $out i32)
      (local.set $state (call $context-get))
      ;; Only a returned subtask moves the task on. (A subtask that has only started, or the
      ;; caller cancelling, which this task answers by finishing the request: keep waiting.)
      (if (i32.eqz (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                            (i32.eq (local.get $payload) (global.get $RETURNED))))
        (then (return (call $wait (local.get $state)))))
      ;; A call answered; its result is in our memory already.
      (call $subtask-drop (local.get $index))
      (local.set $out (i32.sub (i32.load offset=16 (local.get $state)) (i32.const 1)))
      (i32.store offset=16 (local.get $state) (local.get $out))
      (if (i32.eq (i32.load offset=4 (local.get $state)) (i32.const 1))
        (then (return (call $authenticated (local.get $state)))))
      (if (i32.eqz (local.get $out))
        (then (return (call $respond (local.get $state)))))
      (call $wait (local.get $state)))

    ;; 3. Auth answered: refuse, or route and call the backend(s), starting both before waiting.
    (func $authenticated (param $state i32) (result i32)
      (local $path i32) (local $len i32) (local $user i32) (local $user_len i32) (local $p i32)
      (if (i32.load8_u offset=36 (local.get $state))
        (then (return (call $refuse (local.get $state) (i32.const 0x140) (i32.const 4)
                        (i32.load offset=40 (local.get $state)) (i32.load offset=44 (local.get $state))))))
      (local.set $path (i32.load offset=8 (local.get $state)))
      (local.set $len (i32.load offset=12 (local.get $state)))
      (local.set $user (i32.load offset=40 (local.get $state)))
      (local.set $user_len (i32.load offset=44 (local.get $state)))
      (i32.store offset=4 (local.get $state) (i32.const 2))
      (block $routed
        ;; /me: the user's profile and orders, from both backends at once.
        (if (i32.and (i32.eq (local.get $len) (i32.const 3))
                     (call $starts-with (local.get $path) (local.get $len) (i32.const 0x100) (i32.const 3)))
          (then
            (i32.store offset=20 (local.get $state) (i32.const 3))
            (local.set $p (call $concat (i32.const 0x110) (i32.const 7) (local.get $user) (local.get $user_len)))
            (call $await (local.get $state)
              (call $users-fetch (local.get $p) (i32.add (i32.const 7) (local.get $user_len)) (i32.add (local.get $state) (i32.const 48))))
            (local.set $p (call $concat (i32.const 0x120) (i32.const 8) (local.get $user) (local.get $user_len)))
            (call $await (local.get $state)
              (call $orders-fetch (local.get $p) (i32.add (i32.const 8) (local.get $user_len)) (i32.add (local.get $state) (i32.const 60))))
            (br $routed)))
        (if (call $starts-with (local.get $path) (local.get $len) (i32.const 0x110) (i32.const 7))
          (then
            (i32.store offset=20 (local.get $state) (i32.const 1))
            (call $await (local.get $state)
              (call $users-fetch (local.get $path) (local.get $len) (i32.add (local.get $state) (i32.const 48))))
            (br $routed)))
        (if (call $starts-with (local.get $path) (local.get $len) (i32.const 0x120) (i32.const 8))
          (then
            (i32.store offset=20 (local.get $state) (i32.const 2))
            (call $await (local.get $state)
              (call $orders-fetch (local.get $path) (local.get $len) (i32.add (local.get $state) (i32.const 60))))
            (br $routed)))
        (return (call $refuse (local.get $state) (i32.const 0x150) (i32.const 17) (local.get $path) (local.get $len))))
      (if (i32.eqz (i32.load offset=16 (local.get $state)))
        (then (return (call $respond (local.get $state)))))
      (call $wait (local.get $state)))

    ;; Every backend call is back: answer. For /me both bodies are joined into one JSON object
    ;; (or the first error is passed on); otherwise the one backend's result is passed on as is.
    (func $respond (param $state i32) (result i32)
      (local $out i32) (local $p i32)
      (if (i32.eq (i32.load offset=20 (local.get $state)) (i32.const 1))
        (then (return (call $pass-on (local.get $state) (i32.add (local.get $state) (i32.const 48))))))
      (if (i32.eq (i32.load offset=20 (local.get $state)) (i32.const 2))
        (then (return (call $pass-on (local.get $state) (i32.add (local.get $state) (i32.const 60))))))
      (if (i32.load8_u offset=48 (local.get $state))
        (then (return (call $pass-on (local.get $state) (i32.add (local.get $state) (i32.const 48))))))
      (if (i32.load8_u offset=60 (local.get $state))
        (then (return (call $pass-on (local.get $state) (i32.add (local.get $state) (i32.const 60))))))
      ;; {"user":USERS,"orders":ORDERS}
      (local.set $out (call $alloc (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.add (i32.add (i32.const 19) (i32.load offset=56 (local.get $state))) (i32.load offset=68 (local.get $state)))))
      (local.set $p (call $append (local.get $out) (i32.const 0x170) (i32.const 8)))
      (local.set $p (call $append (local.get $p) (i32.load offset=52 (local.get $state)) (i32.load offset=56 (local.get $state))))
      (local.set $p (call $append (local.get $p) (i32.const 0x180) (i32.const 10)))
      (local.set $p (call $append (local.get $p) (i32.load offset=64 (local.get $state)) (i32.load offset=68 (local.get $state))))
      (local.set $p (call $append (local.get $p) (i32.const 0x190) (i32.const 1)))
      (call $task-return (i32.const 0) (local.get $out) (i32.sub (local.get $p) (local.get $out)))
      (call $end (local.get $state)))

    ;; Answers with a backend's result<string, string> at $slot unchanged.
    (func $pass-on (param $state i32) (param $slot i32) (result i32)
      (call $task-return (i32.load8_u (local.get $slot)) (i32.load offset=4 (local.get $slot)) (i32.load offset=8 (local.get $slot)))
      (call $end (local.get $state)))

    ;; Answers err(STATUS + reason).
    (func $refuse (param $state i32) (param $status i32) (param $status_len i32) (param $reason i32) (param $len i32) (result i32)
      (call $task-return (i32.const 1)
        (call $concat (local.get $status) (local.get $status_len) (local.get $reason) (local.get $len))
        (i32.add (local.get $status_len) (local.get $len)))
      (call $end (local.get $state)))

    ;; A call's packed `state | (subtask << 4)`: unless it returned already, count it as out and
    ;; make its completion an event in the task's set.
    (func $await (param $state i32) (param $called i32)
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return)))
      (i32.store offset=16 (local.get $state) (i32.add (i32.load offset=16 (local.get $state)) (i32.const 1)))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state))))

    (func $wait (param $state i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4))))

    ;; After task.return (which copied the strings out): the task is over.
    (func $end (param $state i32) (result i32)
      (call $waitable-set-drop (i32.load (local.get $state)))
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (if (i32.eqz (global.get $live))
        (then (call $heap-reset)))
      (global.get $EXIT))

    ;; A new string: a ++ b (returns its ptr; its length is the sum).
    (func $concat (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32) (result i32)
      (local $out i32)
      (local.set $out (call $alloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.add (local.get $a_len) (local.get $b_len))))
      (drop (call $append (call $append (local.get $out) (local.get $a) (local.get $a_len)) (local.get $b) (local.get $b_len)))
      (local.get $out))

    ;; Copies len bytes from src to dst; returns the end of what was written.
    (func $append (param $dst i32) (param $src i32) (param $len i32) (result i32)
      (memory.copy (local.get $dst) (local.get $src) (local.get $len))
      (i32.add (local.get $dst) (local.get $len)))

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
    (with "gateway" (instance
      (export "admit" (func $admit-sync))
      (export "check" (func $check-async))
      (export "users-fetch" (func $users-fetch-async))
      (export "orders-fetch" (func $orders-fetch-async))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "context.get" (func $context-get))
      (export "context.set" (func $context-set))
      (export "waitable-set.new" (func $waitable-set-new))
      (export "waitable-set.drop" (func $waitable-set-drop))
      (export "waitable.join" (func $waitable-join))
      (export "subtask.drop" (func $subtask-drop))))))

  ;; ------------------------------------------------------------------ the world's export
  (func $handle async (param "client" string) (param "token" string) (param "path" string) (result $reply)
    (canon lift (core func $main "handle") async (memory $memory) (realloc $realloc)
      (callback (core func $main "handle_cb"))))
  (instance $api (export "handle" (func $handle)))
  (export "playground:gateway/api@0.1.0" (instance $api)))
