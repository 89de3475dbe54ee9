;; front: the gateway as an HTTP service. It exports wasi:http/handler and turns each request into
;; one call of the router's `api.handle(client, token, path)`:
;;   path   <- the request's path-with-query ("/" when it has none),
;;   token  <- the `authorization: Bearer TOKEN` header ("" when there is none),
;;   client <- the `x-client` header ("anonymous" when there is none: one shared rate limit),
;; and the router's answer into a response:
;;   ok(JSON)              -> 200, content-type: application/json, the JSON as the body;
;;   err("STATUS reason")  -> STATUS, content-type: text/plain, the reason as the body
;;                            (502 with the whole text when it does not start with a status).
;; Written by hand in WAT: componentize-qjs cannot build a component that imports a custom async
;; function (see ../../gateway/README.md).
;;
;; The callback ABI (CanonicalABI.md "canon lift", "canon lower", "stream.write", "future.write"),
;; as in ../../gateway/router/guest.wat and ../../http-client/guest.wat:
;; - `handle` is lifted `async` with a callback; it and the callback return EXIT = 0 or
;;   WAIT = 2 | (waitable set << 4), and the callback gets each event of that set as
;;   (event code, handle index, payload).
;; - The router's `handle` is lowered `async`. Its three strings flatten to six core values, more
;;   than an async call passes flat (4), so its arguments go in memory: the call takes a pointer to
;;   them and a pointer for the result, and returns `state | (subtask << 4)` (RETURNED = 2: done).
;; - The response is returned with `task.return` as soon as its head is known; the task goes on
;;   after that, writing the body into a `stream<u8>` of its own and `ok(none)` into the trailers
;;   future, as the host reads them. It ends (EXIT) when both writes are done.
;; - Requests overlap in this one instance: each task's state lives in memory found through
;;   `context.get 0`, set once with `context.set 0` when the task starts.
(component
  ;; ------------------------------------------------------------------ the world's imports
  ;; The router's API (gateway.wit's `api`).
  (type $api-type (instance
    (type $reply (result string (error string)))
    (export "handle" (func async (param "client" string) (param "token" string) (param "path" string) (result $reply)))))
  (import "playground:gateway/api@0.1.0" (instance $api (type $api-type)))
  (alias export $api "handle" (func $gateway-handle))
  ;; wasi:http/types and the clock type it uses, exactly as wasm-tools prints them for world.wit (a
  ;; type's number is its index inside its instance type); the build checks they still match.
  (type $clock-types-type
    (instance
      (type (;0;) u64)
      (export (;1;) "duration" (type (eq 0)))
    )
  )
  (import "wasi:clocks/types@0.3.0" (instance $clock-types (type $clock-types-type)))
  (alias export $clock-types "duration" (type $duration))
  (type $http-types-type
    (instance
      (export (;0;) "fields" (type (sub resource)))
      (type (;1;) string)
      (export (;2;) "field-name" (type (eq 1)))
      (type (;3;) (list u8))
      (export (;4;) "field-value" (type (eq 3)))
      (type (;5;) (option string))
      (type (;6;) (variant (case "invalid-syntax") (case "forbidden") (case "immutable") (case "size-exceeded") (case "other" 5)))
      (export (;7;) "header-error" (type (eq 6)))
      (export (;8;) "request" (type (sub resource)))
      (export (;9;) "headers" (type (eq 0)))
      (export (;10;) "trailers" (type (eq 0)))
      (type (;11;) (option u16))
      (type (;12;) (record (field "rcode" 5) (field "info-code" 11)))
      (export (;13;) "DNS-error-payload" (type (eq 12)))
      (type (;14;) (option u8))
      (type (;15;) (record (field "alert-id" 14) (field "alert-message" 5)))
      (export (;16;) "TLS-alert-received-payload" (type (eq 15)))
      (type (;17;) (option u32))
      (type (;18;) (record (field "field-name" 5) (field "field-size" 17)))
      (export (;19;) "field-size-payload" (type (eq 18)))
      (type (;20;) (option u64))
      (type (;21;) (option 19))
      (type (;22;) (variant (case "DNS-timeout") (case "DNS-error" 13) (case "destination-not-found") (case "destination-unavailable") (case "destination-IP-prohibited") (case "destination-IP-unroutable") (case "connection-refused") (case "connection-terminated") (case "connection-timeout") (case "connection-read-timeout") (case "connection-write-timeout") (case "connection-limit-reached") (case "TLS-protocol-error") (case "TLS-certificate-error") (case "TLS-alert-received" 16) (case "HTTP-request-denied") (case "HTTP-request-length-required") (case "HTTP-request-body-size" 20) (case "HTTP-request-method-invalid") (case "HTTP-request-URI-invalid") (case "HTTP-request-URI-too-long") (case "HTTP-request-header-section-size" 17) (case "HTTP-request-header-size" 21) (case "HTTP-request-trailer-section-size" 17) (case "HTTP-request-trailer-size" 19) (case "HTTP-response-incomplete") (case "HTTP-response-header-section-size" 17) (case "HTTP-response-header-size" 19) (case "HTTP-response-body-size" 20) (case "HTTP-response-trailer-section-size" 17) (case "HTTP-response-trailer-size" 19) (case "HTTP-response-transfer-coding" 5) (case "HTTP-response-content-coding" 5) (case "HTTP-response-timeout") (case "HTTP-upgrade-failed") (case "HTTP-protocol-error") (case "loop-detected") (case "configuration-error") (case "internal-error" 5)))
      (export (;23;) "error-code" (type (eq 22)))
      (export (;24;) "request-options" (type (sub resource)))
      (type (;25;) (variant (case "get") (case "head") (case "post") (case "put") (case "delete") (case "connect") (case "options") (case "trace") (case "patch") (case "other" string)))
      (export (;26;) "method" (type (eq 25)))
      (type (;27;) (variant (case "HTTP") (case "HTTPS") (case "other" string)))
      (export (;28;) "scheme" (type (eq 27)))
      (alias outer 1 $duration (type (;29;)))
      (export (;30;) "duration" (type (eq 29)))
      (type (;31;) (variant (case "not-supported") (case "immutable") (case "other" 5)))
      (export (;32;) "request-options-error" (type (eq 31)))
      (export (;33;) "response" (type (sub resource)))
      (type (;34;) u16)
      (export (;35;) "status-code" (type (eq 34)))
      (type (;36;) (own 0))
      (type (;37;) (func (result 36)))
      (export (;0;) "[constructor]fields" (func (type 37)))
      (type (;38;) (tuple 2 4))
      (type (;39;) (list 38))
      (type (;40;) (result 36 (error 7)))
      (type (;41;) (func (param "entries" 39) (result 40)))
      (export (;1;) "[static]fields.from-list" (func (type 41)))
      (type (;42;) (borrow 0))
      (type (;43;) (list 4))
      (type (;44;) (func (param "self" 42) (param "name" 2) (result 43)))
      (export (;2;) "[method]fields.get" (func (type 44)))
      (type (;45;) (func (param "self" 42) (param "name" 2) (result bool)))
      (export (;3;) "[method]fields.has" (func (type 45)))
      (type (;46;) (result (error 7)))
      (type (;47;) (func (param "self" 42) (param "name" 2) (param "value" 43) (result 46)))
      (export (;4;) "[method]fields.set" (func (type 47)))
      (type (;48;) (func (param "self" 42) (param "name" 2) (result 46)))
      (export (;5;) "[method]fields.delete" (func (type 48)))
      (type (;49;) (result 43 (error 7)))
      (type (;50;) (func (param "self" 42) (param "name" 2) (result 49)))
      (export (;6;) "[method]fields.get-and-delete" (func (type 50)))
      (type (;51;) (func (param "self" 42) (param "name" 2) (param "value" 4) (result 46)))
      (export (;7;) "[method]fields.append" (func (type 51)))
      (type (;52;) (func (param "self" 42) (result 39)))
      (export (;8;) "[method]fields.copy-all" (func (type 52)))
      (type (;53;) (func (param "self" 42) (result 36)))
      (export (;9;) "[method]fields.clone" (func (type 53)))
      (type (;54;) (own 9))
      (type (;55;) (stream u8))
      (type (;56;) (option 55))
      (type (;57;) (own 10))
      (type (;58;) (option 57))
      (type (;59;) (result 58 (error 23)))
      (type (;60;) (future 59))
      (type (;61;) (own 24))
      (type (;62;) (option 61))
      (type (;63;) (own 8))
      (type (;64;) (result (error 23)))
      (type (;65;) (future 64))
      (type (;66;) (tuple 63 65))
      (type (;67;) (func (param "headers" 54) (param "contents" 56) (param "trailers" 60) (param "options" 62) (result 66)))
      (export (;10;) "[static]request.new" (func (type 67)))
      (type (;68;) (borrow 8))
      (type (;69;) (func (param "self" 68) (result 26)))
      (export (;11;) "[method]request.get-method" (func (type 69)))
      (type (;70;) (result))
      (type (;71;) (func (param "self" 68) (param "method" 26) (result 70)))
      (export (;12;) "[method]request.set-method" (func (type 71)))
      (type (;72;) (func (param "self" 68) (result 5)))
      (export (;13;) "[method]request.get-path-with-query" (func (type 72)))
      (type (;73;) (func (param "self" 68) (param "path-with-query" 5) (result 70)))
      (export (;14;) "[method]request.set-path-with-query" (func (type 73)))
      (type (;74;) (option 28))
      (type (;75;) (func (param "self" 68) (result 74)))
      (export (;15;) "[method]request.get-scheme" (func (type 75)))
      (type (;76;) (func (param "self" 68) (param "scheme" 74) (result 70)))
      (export (;16;) "[method]request.set-scheme" (func (type 76)))
      (export (;17;) "[method]request.get-authority" (func (type 72)))
      (type (;77;) (func (param "self" 68) (param "authority" 5) (result 70)))
      (export (;18;) "[method]request.set-authority" (func (type 77)))
      (type (;78;) (func (param "self" 68) (result 62)))
      (export (;19;) "[method]request.get-options" (func (type 78)))
      (type (;79;) (func (param "self" 68) (result 54)))
      (export (;20;) "[method]request.get-headers" (func (type 79)))
      (type (;80;) (tuple 55 60))
      (type (;81;) (func (param "this" 63) (param "res" 65) (result 80)))
      (export (;21;) "[static]request.consume-body" (func (type 81)))
      (type (;82;) (func (result 61)))
      (export (;22;) "[constructor]request-options" (func (type 82)))
      (type (;83;) (borrow 24))
      (type (;84;) (option 30))
      (type (;85;) (func (param "self" 83) (result 84)))
      (export (;23;) "[method]request-options.get-connect-timeout" (func (type 85)))
      (type (;86;) (result (error 32)))
      (type (;87;) (func (param "self" 83) (param "duration" 84) (result 86)))
      (export (;24;) "[method]request-options.set-connect-timeout" (func (type 87)))
      (export (;25;) "[method]request-options.get-first-byte-timeout" (func (type 85)))
      (export (;26;) "[method]request-options.set-first-byte-timeout" (func (type 87)))
      (export (;27;) "[method]request-options.get-between-bytes-timeout" (func (type 85)))
      (export (;28;) "[method]request-options.set-between-bytes-timeout" (func (type 87)))
      (type (;88;) (func (param "self" 83) (result 61)))
      (export (;29;) "[method]request-options.clone" (func (type 88)))
      (type (;89;) (own 33))
      (type (;90;) (tuple 89 65))
      (type (;91;) (func (param "headers" 54) (param "contents" 56) (param "trailers" 60) (result 90)))
      (export (;30;) "[static]response.new" (func (type 91)))
      (type (;92;) (borrow 33))
      (type (;93;) (func (param "self" 92) (result 35)))
      (export (;31;) "[method]response.get-status-code" (func (type 93)))
      (type (;94;) (func (param "self" 92) (param "status-code" 35) (result 70)))
      (export (;32;) "[method]response.set-status-code" (func (type 94)))
      (type (;95;) (func (param "self" 92) (result 54)))
      (export (;33;) "[method]response.get-headers" (func (type 95)))
      (type (;96;) (func (param "this" 89) (param "res" 65) (result 80)))
      (export (;34;) "[static]response.consume-body" (func (type 96)))
    )
  )
  (import "wasi:http/types@0.3.0" (instance $http-types (type $http-types-type)))
  (alias export $http-types "fields" (type $fields))
  (alias export $http-types "request" (type $request))
  (alias export $http-types "response" (type $response))
  (alias export $http-types "error-code" (type $http-error-code))
  (alias export $http-types "DNS-error-payload" (type $DNS-error-payload))
  (alias export $http-types "TLS-alert-received-payload" (type $TLS-alert-received-payload))
  (alias export $http-types "field-size-payload" (type $field-size-payload))
  (alias export $http-types "[method]request.get-path-with-query" (func $request-get-path-with-query))
  (alias export $http-types "[method]request.get-headers" (func $request-get-headers))
  (alias export $http-types "[method]fields.get" (func $fields-get))
  (alias export $http-types "[static]fields.from-list" (func $fields-from-list))
  (alias export $http-types "[static]response.new" (func $response-new))
  (alias export $http-types "[method]response.set-status-code" (func $response-set-status-code))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; Instantiated first: the lowered imports and the copy built-ins name this memory and realloc.
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
  (type $bytes (stream u8))
  (type $trailers-result (result (option (own $fields)) (error $http-error-code)))
  (type $trailers-future (future $trailers-result))
  (type $sent-future (future (result (error $http-error-code))))
  (type $handled (result (own $response) (error $http-error-code)))
  (core func $gateway-handle-async (canon lower (func $gateway-handle) async (memory $memory) (realloc $realloc)))
  (core func $get-path-sync (canon lower (func $request-get-path-with-query) (memory $memory) (realloc $realloc)))
  (core func $get-headers-sync (canon lower (func $request-get-headers)))
  (core func $fields-get-sync (canon lower (func $fields-get) (memory $memory) (realloc $realloc)))
  (core func $from-list-sync (canon lower (func $fields-from-list) (memory $memory) (realloc $realloc)))
  (core func $response-new-sync (canon lower (func $response-new) (memory $memory)))
  (core func $set-status-sync (canon lower (func $response-set-status-code)))
  (core func $request-drop (canon resource.drop $request))
  (core func $fields-drop (canon resource.drop $fields))
  (core func $task-return (canon task.return (result $handled) (memory $memory)))
  (core func $stream-new (canon stream.new $bytes))
  (core func $stream-write (canon stream.write $bytes async (memory $memory)))
  (core func $stream-drop-writable (canon stream.drop-writable $bytes))
  (core func $trailers-new (canon future.new $trailers-future))
  (core func $trailers-write (canon future.write $trailers-future async (memory $memory)))
  (core func $trailers-drop-writable (canon future.drop-writable $trailers-future))
  (core func $sent-drop-readable (canon future.drop-readable $sent-future))
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
    ;; The router's handle(where its arguments are, where its result<string, string> goes):
    ;; the arguments are three strings as (ptr, len); the result a discriminant byte (0 ok, 1 err)
    ;; at +0 and the string at +4. Returns state | subtask << 4.
    (import "gateway" "handle" (func $gateway-handle (param i32 i32) (result i32)))
    ;; get-path-with-query(request, where its option<string> goes: is-some, ptr, len)
    (import "http" "request.get-path-with-query" (func $get-path (param i32 i32)))
    (import "http" "request.get-headers" (func $get-headers (param i32) (result i32)))
    ;; fields.get(fields, name ptr, len, where its list<field-value> goes as ptr, len; each value
    ;; a list<u8> as ptr, len)
    (import "http" "fields.get" (func $fields-get (param i32 i32 i32 i32)))
    ;; fields.from-list(entries ptr, count, where its result<fields, header-error> goes)
    (import "http" "fields.from-list" (func $from-list (param i32 i32 i32)))
    ;; response.new(headers, contents: is-some, stream, trailers future, where its
    ;; (response, transmission future) goes)
    (import "http" "response.new" (func $response-new (param i32 i32 i32 i32 i32)))
    ;; set-status-code(response, status) -> 0 ok, 1 err
    (import "http" "response.set-status-code" (func $set-status (param i32 i32) (result i32)))
    (import "http" "request.drop" (func $request-drop (param i32)))
    (import "http" "fields.drop" (func $fields-drop (param i32)))
    ;; task.return(result<response, error-code>) flattened: 0 ok, the response, then the slots an
    ;; error-code would fill (its case and the widest case's payload), unused here.
    (import "cm" "task.return" (func $task-return (param i32 i32 i32 i64 i32 i32 i32 i32)))
    ;; stream.new / future.new -> readable index | writable index << 32
    (import "cm" "stream.new" (func $stream-new (result i64)))
    ;; stream.write(end, buffer, count) -> BLOCKED | result | count << 4
    (import "cm" "stream.write" (func $stream-write (param i32 i32 i32) (result i32)))
    (import "cm" "stream.drop-writable" (func $stream-drop-writable (param i32)))
    (import "cm" "trailers.new" (func $trailers-new (result i64)))
    ;; future.write(end, the value's address) -> BLOCKED | result
    (import "cm" "trailers.write" (func $trailers-write (param i32 i32) (result i32)))
    (import "cm" "trailers.drop-writable" (func $trailers-drop-writable (param i32)))
    (import "cm" "sent.drop-readable" (func $sent-drop-readable (param i32)))
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
    (global $EVENT_STREAM_WRITE i32 (i32.const 3))
    (global $EVENT_FUTURE_WRITE i32 (i32.const 5))
    (global $RETURNED i32 (i32.const 2))
    (global $BLOCKED i32 (i32.const -1))
    (global $DROPPED i32 (i32.const 1))

    ;; Constants: ptr, len. 0x000-0x01f stays zero: the trailers' `ok(none)` is read from there
    ;; (result ok = 0 at +0, option none = 0 at +8).
    (data (i32.const 0x020) "authorization")               ;; 0x020, 13
    (data (i32.const 0x030) "x-client")                    ;; 0x030, 8
    (data (i32.const 0x040) "bearer ")                     ;; 0x040, 7
    (data (i32.const 0x048) "anonymous")                   ;; 0x048, 9
    (data (i32.const 0x058) "/")                           ;; 0x058, 1
    (data (i32.const 0x060) "content-type")                ;; 0x060, 12
    (data (i32.const 0x070) "application/json")            ;; 0x070, 16
    (data (i32.const 0x080) "text/plain; charset=utf-8")   ;; 0x080, 25

    ;; Tasks in flight; the heap starts over when the last one ends.
    (global $live (mut i32) (i32.const 0))

    ;; A task's state (144 bytes, from $alloc):
    ;;   +0  its waitable set      +4  writes the host has not taken yet (the body's, the trailers')
    ;;   +8  the body's writable end (0 once ended)   +12 the trailers' writable end
    ;;   +16 the body (ptr)  +20 its length  +24 of which written
    ;;   +32 the router's arguments: client (+32 ptr, +36 len), token (+40, +44), path (+48, +52)
    ;;   +56 the router's result<string, string>: +56 ok 0 | err 1, +60 ptr, +64 len
    ;;   +72 get-path-with-query's option<string>: +72 is-some, +76 ptr, +80 len
    ;;   +88 fields.get's list<field-value>: +88 ptr, +92 len
    ;;   +96 response.new's (response, transmission future)
    ;;   +104 fields.from-list's result<fields, header-error>: +104 ok 0 | err 1, +108 the fields
    ;;   +128 the response's one header: name (+128 ptr, +132 len), value (+136 ptr, +140 len)

    ;; handle(request) -> callback code
    (func (export "handle") (param $request i32) (result i32)
      (local $state i32) (local $headers i32) (local $called i32)
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (local.set $state (call $alloc (i32.const 0) (i32.const 0) (i32.const 8) (i32.const 144)))
      (memory.fill (local.get $state) (i32.const 0) (i32.const 144))
      (call $context-set (local.get $state))
      (i32.store offset=0 (local.get $state) (call $waitable-set-new))

      ;; path: the request's path-with-query, or "/".
      (call $get-path (local.get $request) (i32.add (local.get $state) (i32.const 72)))
      (if (i32.load8_u offset=72 (local.get $state))
        (then
          (i32.store offset=48 (local.get $state) (i32.load offset=76 (local.get $state)))
          (i32.store offset=52 (local.get $state) (i32.load offset=80 (local.get $state))))
        (else
          (i32.store offset=48 (local.get $state) (i32.const 0x058))
          (i32.store offset=52 (local.get $state) (i32.const 1))))
      ;; token and client, from the headers. Every string is a copy in our memory now, so the
      ;; request (and its body, which this gateway does not read) can go.
      (local.set $headers (call $get-headers (local.get $request)))
      (call $header (local.get $state) (local.get $headers) (i32.const 0x020) (i32.const 13) (i32.add (local.get $state) (i32.const 40)))
      (call $strip-bearer (i32.add (local.get $state) (i32.const 40)))
      (call $header (local.get $state) (local.get $headers) (i32.const 0x030) (i32.const 8) (i32.add (local.get $state) (i32.const 32)))
      (if (i32.eqz (i32.load offset=36 (local.get $state)))
        (then
          (i32.store offset=32 (local.get $state) (i32.const 0x048))
          (i32.store offset=36 (local.get $state) (i32.const 9))))
      (call $fields-drop (local.get $headers))
      (call $request-drop (local.get $request))

      ;; Ask the router: an async call; wait for it unless it is done already.
      (local.set $called (call $gateway-handle (i32.add (local.get $state) (i32.const 32)) (i32.add (local.get $state) (i32.const 56))))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $answer (local.get $state)))))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "handle_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32)
      (local.set $state (call $context-get))
      ;; The router answered; its result is in our memory already. (A call that has only started,
      ;; or the caller cancelling, which this task answers by finishing the request: keep waiting.)
      (if (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                   (i32.eq (local.get $payload) (global.get $RETURNED)))
        (then
          (call $subtask-drop (local.get $index))
          (return (call $answer (local.get $state)))))
      ;; The host took (part of) the body.
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_WRITE))
        (then
          (call $taken (local.get $state))
          (call $body-written (local.get $state) (local.get $payload))))
      ;; The host took the trailers: that future is done with.
      (if (i32.eq (local.get $event) (global.get $EVENT_FUTURE_WRITE))
        (then
          (call $taken (local.get $state))
          (call $trailers-drop-writable (local.get $index))))
      (call $maybe-end (local.get $state)))

    ;; The first value of header `name` as a string (ptr, len) at `out`; empty when there is none.
    (func $header (param $state i32) (param $fields i32) (param $name i32) (param $name_len i32) (param $out i32)
      (local $values i32)
      (call $fields-get (local.get $fields) (local.get $name) (local.get $name_len) (i32.add (local.get $state) (i32.const 88)))
      (if (i32.eqz (i32.load offset=92 (local.get $state)))
        (then (return)))
      (local.set $values (i32.load offset=88 (local.get $state)))
      (i32.store offset=0 (local.get $out) (i32.load offset=0 (local.get $values)))
      (i32.store offset=4 (local.get $out) (i32.load offset=4 (local.get $values))))

    ;; `Bearer TOKEN` -> TOKEN, the scheme in any case (RFC 9110 11.1); anything else is passed
    ;; on as it is, for auth to refuse as malformed.
    (func $strip-bearer (param $token i32)
      (local $p i32) (local $i i32)
      (if (i32.lt_u (i32.load offset=4 (local.get $token)) (i32.const 7))
        (then (return)))
      (local.set $p (i32.load (local.get $token)))
      (loop $next
        ;; OR 0x20 lower-cases a letter and leaves the space as it is.
        (if (i32.ne (i32.or (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 0x20))
                    (i32.load8_u (i32.add (i32.const 0x040) (local.get $i))))
          (then (return)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 7))))
      (i32.store offset=0 (local.get $token) (i32.add (local.get $p) (i32.const 7)))
      (i32.store offset=4 (local.get $token) (i32.sub (i32.load offset=4 (local.get $token)) (i32.const 7))))

    ;; The router answered: return the response's head at once, then write its body and trailers.
    (func $answer (param $state i32) (result i32)
      (local $status i32) (local $body i32) (local $len i32) (local $ends i64) (local $response i32)
      (local.set $body (i32.load offset=60 (local.get $state)))
      (local.set $len (i32.load offset=64 (local.get $state)))
      (i32.store offset=128 (local.get $state) (i32.const 0x060))
      (i32.store offset=132 (local.get $state) (i32.const 12))
      (if (i32.eqz (i32.load8_u offset=56 (local.get $state)))
        (then
          (local.set $status (i32.const 200))
          (i32.store offset=136 (local.get $state) (i32.const 0x070))
          (i32.store offset=140 (local.get $state) (i32.const 16)))
        (else
          ;; err("STATUS reason"): that status, the reason as the body.
          (local.set $status (call $status-of (local.get $body) (local.get $len)))
          (if (local.get $status)
            (then
              (local.set $body (i32.add (local.get $body) (i32.const 4)))
              (local.set $len (i32.sub (local.get $len) (i32.const 4))))
            (else (local.set $status (i32.const 502))))
          (i32.store offset=136 (local.get $state) (i32.const 0x080))
          (i32.store offset=140 (local.get $state) (i32.const 25))))
      (i32.store offset=16 (local.get $state) (local.get $body))
      (i32.store offset=20 (local.get $state) (local.get $len))

      ;; The head: one header. A valid name and value, so from-list answers ok.
      (call $from-list (i32.add (local.get $state) (i32.const 128)) (i32.const 1) (i32.add (local.get $state) (i32.const 104)))
      (if (i32.load8_u offset=104 (local.get $state))
        (then unreachable))
      ;; The body is a stream of our own (its readable end goes in the response), and so are the
      ;; trailers, a future.
      (local.set $ends (call $stream-new))
      (i32.store offset=8 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $response-new (i32.load offset=108 (local.get $state)) (i32.const 1) (i32.wrap_i64 (local.get $ends))
        (call $new-trailers (local.get $state)) (i32.add (local.get $state) (i32.const 96)))
      (local.set $response (i32.load offset=96 (local.get $state)))
      ;; How the response's transmission went is not needed here.
      (call $sent-drop-readable (i32.load offset=100 (local.get $state)))
      (drop (call $set-status (local.get $response) (local.get $status)))
      (call $task-return (i32.const 0) (local.get $response) (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))

      ;; The task goes on: the host reads the body and the trailers as the client takes them.
      (call $write-body (local.get $state))
      (if (i32.eq (call $trailers-write (i32.load offset=12 (local.get $state)) (i32.const 0)) (global.get $BLOCKED))
        (then (call $await-write (local.get $state) (i32.load offset=12 (local.get $state))))
        (else (call $trailers-drop-writable (i32.load offset=12 (local.get $state)))))
      (call $maybe-end (local.get $state)))

    ;; A new trailers future: keeps its writable end, returns its readable end.
    (func $new-trailers (param $state i32) (result i32)
      (local $ends i64)
      (local.set $ends (call $trailers-new))
      (i32.store offset=12 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (i32.wrap_i64 (local.get $ends)))

    ;; The status an error starts with ("429 rate limited" -> 429), or 0 when it starts with none.
    (func $status-of (param $s i32) (param $len i32) (result i32)
      (local $i i32) (local $digit i32) (local $n i32)
      (if (i32.lt_u (local.get $len) (i32.const 4))
        (then (return (i32.const 0))))
      (if (i32.ne (i32.load8_u offset=3 (local.get $s)) (i32.const 0x20))
        (then (return (i32.const 0))))
      (loop $next
        (local.set $digit (i32.sub (i32.load8_u (i32.add (local.get $s) (local.get $i))) (i32.const 0x30)))
        (if (i32.gt_u (local.get $digit) (i32.const 9))
          (then (return (i32.const 0))))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $digit)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 3))))
      ;; HTTP's statuses are 100 to 599.
      (if (i32.or (i32.lt_u (local.get $n) (i32.const 100)) (i32.gt_u (local.get $n) (i32.const 599)))
        (then (return (i32.const 0))))
      (local.get $n))

    ;; Writes what is left of the body; when it is all written (or the reader has gone), ends it.
    (func $write-body (param $state i32)
      (local $r i32) (local $written i32)
      (local.set $written (i32.load offset=24 (local.get $state)))
      (if (i32.lt_u (local.get $written) (i32.load offset=20 (local.get $state)))
        (then
          (local.set $r (call $stream-write (i32.load offset=8 (local.get $state))
            (i32.add (i32.load offset=16 (local.get $state)) (local.get $written))
            (i32.sub (i32.load offset=20 (local.get $state)) (local.get $written))))
          (if (i32.eq (local.get $r) (global.get $BLOCKED))
            (then (return (call $await-write (local.get $state) (i32.load offset=8 (local.get $state))))))
          (return (call $body-written (local.get $state) (local.get $r)))))
      (call $stream-drop-writable (i32.load offset=8 (local.get $state)))
      (i32.store offset=8 (local.get $state) (i32.const 0)))

    ;; A write finished with `result | count << 4`; when the reader is gone, nothing more is written.
    (func $body-written (param $state i32) (param $payload i32)
      (i32.store offset=24 (local.get $state)
        (i32.add (i32.load offset=24 (local.get $state)) (i32.shr_u (local.get $payload) (i32.const 4))))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (i32.store offset=24 (local.get $state) (i32.load offset=20 (local.get $state)))))
      (call $write-body (local.get $state)))

    ;; A write waits for the host: its end's event comes in the task's set.
    (func $await-write (param $state i32) (param $end i32)
      (i32.store offset=4 (local.get $state) (i32.add (i32.load offset=4 (local.get $state)) (i32.const 1)))
      (call $waitable-join (local.get $end) (i32.load (local.get $state))))

    (func $taken (param $state i32)
      (i32.store offset=4 (local.get $state) (i32.sub (i32.load offset=4 (local.get $state)) (i32.const 1))))

    ;; The task is over once the body has ended and the host has taken every write.
    (func $maybe-end (param $state i32) (result i32)
      (if (i32.or (i32.load offset=4 (local.get $state)) (i32.load offset=8 (local.get $state)))
        (then (return (call $wait (local.get $state)))))
      (call $waitable-set-drop (i32.load (local.get $state)))
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (if (i32.eqz (global.get $live))
        (then (call $heap-reset)))
      (global.get $EXIT))

    (func $wait (param $state i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4)))))

  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "gateway" (instance (export "handle" (func $gateway-handle-async))))
    (with "http" (instance
      (export "request.get-path-with-query" (func $get-path-sync))
      (export "request.get-headers" (func $get-headers-sync))
      (export "fields.get" (func $fields-get-sync))
      (export "fields.from-list" (func $from-list-sync))
      (export "response.new" (func $response-new-sync))
      (export "response.set-status-code" (func $set-status-sync))
      (export "request.drop" (func $request-drop))
      (export "fields.drop" (func $fields-drop))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "stream.new" (func $stream-new))
      (export "stream.write" (func $stream-write))
      (export "stream.drop-writable" (func $stream-drop-writable))
      (export "trailers.new" (func $trailers-new))
      (export "trailers.write" (func $trailers-write))
      (export "trailers.drop-writable" (func $trailers-drop-writable))
      (export "sent.drop-readable" (func $sent-drop-readable))
      (export "context.get" (func $context-get))
      (export "context.set" (func $context-set))
      (export "waitable-set.new" (func $waitable-set-new))
      (export "waitable-set.drop" (func $waitable-set-drop))
      (export "waitable.join" (func $waitable-join))
      (export "subtask.drop" (func $subtask-drop))))))

  ;; ------------------------------------------------------------------ the world's export
  (func $handle async (param "request" (own $request)) (result $handled)
    (canon lift (core func $main "handle") async (memory $memory) (realloc $realloc)
      (callback (core func $main "handle_cb"))))
  ;; The interface exports its `use`d types too (handler's `use types.{request, response,
  ;; error-code}`), and its `handle` is typed with them: a small component takes `handle` and the
  ;; types in and gives them out under the interface's names, as wit-component's shims do.
  (component $Handler
    (import "request" (type $request-in (sub resource)))
    (import "response" (type $response-in (sub resource)))
    ;; error-code is a variant whose cases carry three named records: each must come in by name
    ;; before the variant that uses them can.
    (alias outer 1 $DNS-error-payload (type $DNS-error-payload-outer))
    (alias outer 1 $TLS-alert-received-payload (type $TLS-alert-received-payload-outer))
    (alias outer 1 $field-size-payload (type $field-size-payload-outer))
    (import "DNS-error-payload" (type $DNS-error-payload (eq $DNS-error-payload-outer)))
    (import "TLS-alert-received-payload" (type $TLS-alert-received-payload (eq $TLS-alert-received-payload-outer)))
    (import "field-size-payload" (type $field-size-payload (eq $field-size-payload-outer)))
    (type $error-code (variant (case "DNS-timeout") (case "DNS-error" $DNS-error-payload) (case "destination-not-found") (case "destination-unavailable") (case "destination-IP-prohibited") (case "destination-IP-unroutable") (case "connection-refused") (case "connection-terminated") (case "connection-timeout") (case "connection-read-timeout") (case "connection-write-timeout") (case "connection-limit-reached") (case "TLS-protocol-error") (case "TLS-certificate-error") (case "TLS-alert-received" $TLS-alert-received-payload) (case "HTTP-request-denied") (case "HTTP-request-length-required") (case "HTTP-request-body-size" (option u64)) (case "HTTP-request-method-invalid") (case "HTTP-request-URI-invalid") (case "HTTP-request-URI-too-long") (case "HTTP-request-header-section-size" (option u32)) (case "HTTP-request-header-size" (option $field-size-payload)) (case "HTTP-request-trailer-section-size" (option u32)) (case "HTTP-request-trailer-size" $field-size-payload) (case "HTTP-response-incomplete") (case "HTTP-response-header-section-size" (option u32)) (case "HTTP-response-header-size" $field-size-payload) (case "HTTP-response-body-size" (option u64)) (case "HTTP-response-trailer-section-size" (option u32)) (case "HTTP-response-trailer-size" $field-size-payload) (case "HTTP-response-transfer-coding" (option string)) (case "HTTP-response-content-coding" (option string)) (case "HTTP-response-timeout") (case "HTTP-upgrade-failed") (case "HTTP-protocol-error") (case "loop-detected") (case "configuration-error") (case "internal-error" (option string))))
    (import "error-code" (type $error-code-in (eq $error-code)))
    (import "handle" (func $handle-in async (param "request" (own $request-in)) (result (result (own $response-in) (error $error-code-in)))))
    (export $request-out "request" (type $request-in))
    (export $response-out "response" (type $response-in))
    (export $error-code-out "error-code" (type $error-code-in))
    (export "handle" (func $handle-in) (func async (param "request" (own $request-out)) (result (result (own $response-out) (error $error-code-out))))))
  (instance $handler (instantiate $Handler
    (with "request" (type $request))
    (with "response" (type $response))
    (with "DNS-error-payload" (type $DNS-error-payload))
    (with "TLS-alert-received-payload" (type $TLS-alert-received-payload))
    (with "field-size-payload" (type $field-size-payload))
    (with "error-code" (type $http-error-code))
    (with "handle" (func $handle))))
  (export "wasi:http/handler@0.3.0" (instance $handler)))
