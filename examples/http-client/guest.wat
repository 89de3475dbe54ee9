;; http-client: a command that sends one GET with wasi:http 0.3's client and prints the response:
;; its status and headers, then its body as it streams in. `http-client [URL]`; the URL defaults to
;; http://http-hello.localhost:8080/, the http-hello example served in the same page, reached by
;; name over the playground's virtual network.
;;
;; Written by hand in WAT: componentize-qjs cannot build a JS guest that imports
;; `wasi:http/client.send` (its build-time linker has no async `send`; see README.md). The callback
;; ABI (CanonicalABI.md "canon lift", "canon lower", "stream.write", "future.read", "future.write"):
;; - `run` is lifted `async` with a callback; it and the callback return EXIT = 0 or
;;   WAIT = 2 | (waitable set << 4), and the callback gets each event from the set as
;;   (event code, handle index, payload).
;; - `send` is lowered `async`: the call starts a subtask and returns `state | (subtask << 4)`
;;   (RETURNED = 2: done already); its result<response, error-code> lands at the pointer passed.
;; - The request's trailers and the response body's `res` are futures this component writes:
;;   `future.new`, then `future.write` of `ok` that completes (FUTURE_WRITE) once the host reads it,
;;   and only then `future.drop-writable`.
;; - The body is not copied through this component: its `stream<u8>` readable end goes to stdout's
;;   `write-via-stream` as it is, so stdout shows each chunk as the served component writes it.
;;   The status and headers before it go through a stream of our own (`stream.new`, `stream.write`).
(component
  ;; ------------------------------------------------------------------ the world's imports
  ;; The interfaces' types exactly as wasm-tools prints them for world.wit (a type's number is its
  ;; index inside its instance type); the build checks they still match.
  (type $environment-type
    (instance
      (type (;0;) (tuple string string))
      (type (;1;) (list 0))
      (type (;2;) (func (result 1)))
      (export (;0;) "get-environment" (func (type 2)))
      (type (;3;) (list string))
      (type (;4;) (func (result 3)))
      (export (;1;) "get-arguments" (func (type 4)))
      (type (;5;) (option string))
      (type (;6;) (func (result 5)))
      (export (;2;) "get-initial-cwd" (func (type 6)))
    )
  )
  (import "wasi:cli/environment@0.3.0" (instance $environment (type $environment-type)))
  (type $cli-types-type
    (instance
      (type (;0;) (enum "io" "illegal-byte-sequence" "pipe"))
      (export (;1;) "error-code" (type (eq 0)))
    )
  )
  (import "wasi:cli/types@0.3.0" (instance $cli-types (type $cli-types-type)))
  (alias export $cli-types "error-code" (type $cli-error-code))
  (type $stdout-type
    (instance
      (alias outer 1 $cli-error-code (type (;0;)))
      (export (;1;) "error-code" (type (eq 0)))
      (type (;2;) (stream u8))
      (type (;3;) (result (error 1)))
      (type (;4;) (future 3))
      (type (;5;) (func (param "data" 2) (result 4)))
      (export (;0;) "write-via-stream" (func (type 5)))
    )
  )
  (import "wasi:cli/stdout@0.3.0" (instance $stdout (type $stdout-type)))
  (type $stderr-type
    (instance
      (alias outer 1 $cli-error-code (type (;0;)))
      (export (;1;) "error-code" (type (eq 0)))
      (type (;2;) (stream u8))
      (type (;3;) (result (error 1)))
      (type (;4;) (future 3))
      (type (;5;) (func (param "data" 2) (result 4)))
      (export (;0;) "write-via-stream" (func (type 5)))
    )
  )
  (import "wasi:cli/stderr@0.3.0" (instance $stderr (type $stderr-type)))
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
  (alias export $http-types "request" (type $request))
  (alias export $http-types "response" (type $response))
  (alias export $http-types "error-code" (type $http-error-code))
  (type $client-type
    (instance
      (alias outer 1 $request (type (;0;)))
      (export (;1;) "request" (type (eq 0)))
      (alias outer 1 $response (type (;2;)))
      (export (;3;) "response" (type (eq 2)))
      (alias outer 1 $http-error-code (type (;4;)))
      (export (;5;) "error-code" (type (eq 4)))
      (type (;6;) (own 1))
      (type (;7;) (own 3))
      (type (;8;) (result 7 (error 5)))
      (type (;9;) (func async (param "request" 6) (result 8)))
      (export (;0;) "send" (func (type 9)))
    )
  )
  (import "wasi:http/client@0.3.0" (instance $client (type $client-type)))
  (alias export $environment "get-arguments" (func $get-arguments))
  (alias export $stdout "write-via-stream" (func $stdout-write-via-stream))
  (alias export $stderr "write-via-stream" (func $stderr-write-via-stream))
  (alias export $http-types "fields" (type $fields))
  (alias export $http-types "[static]request.new" (func $request-new))
  (alias export $http-types "[method]request.set-scheme" (func $request-set-scheme))
  (alias export $http-types "[method]request.set-authority" (func $request-set-authority))
  (alias export $http-types "[method]request.set-path-with-query" (func $request-set-path-with-query))
  (alias export $http-types "[method]response.get-status-code" (func $response-get-status-code))
  (alias export $http-types "[method]response.get-headers" (func $response-get-headers))
  (alias export $http-types "[method]fields.copy-all" (func $fields-copy-all))
  (alias export $http-types "[static]response.consume-body" (func $response-consume-body))
  (alias export $client "send" (func $send))

  ;; ------------------------------------------------------------------ memory and allocator
  ;; Instantiated first: the lowered imports and the copy built-ins name this memory.
  (core module $Libc
    (memory (export "memory") 1)
    ;; Bump allocation above the constants (0x000-0x7ff); a command runs once, so nothing is freed.
    (global $heap (mut i32) (i32.const 0x800))
    (func $alloc (export "alloc") (param $size i32) (result i32)
      (local $p i32) (local $have i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (local.set $have (i32.shl (memory.size) (i32.const 16)))
      (if (i32.gt_u (global.get $heap) (local.get $have))
        (then
          (if (i32.eq (i32.const -1)
                (memory.grow (i32.shr_u (i32.add (i32.sub (global.get $heap) (local.get $have)) (i32.const 0xffff)) (i32.const 16))))
            (then unreachable))))
      (local.get $p))
    ;; For the host's lists and strings (arguments, header fields): always a new block.
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (call $alloc (local.get $size)))
      (if (local.get $old-size) (then (memory.copy (local.get $p) (local.get $old) (local.get $old-size))))
      (local.get $p)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))

  ;; ------------------------------------------------------------------ canonical built-ins
  (type $bytes (stream u8))
  (type $trailers (own $fields))
  (type $trailers-result (result (option $trailers) (error $http-error-code)))
  (type $trailers-future (future $trailers-result))
  (type $done-result (result (error $http-error-code)))
  (type $done-future (future $done-result))
  (type $written-result (result (error $cli-error-code)))
  (type $written-future (future $written-result))
  (type $run-result (result))
  (core func $get-arguments-sync (canon lower (func $get-arguments) (memory $memory) (realloc $realloc)))
  (core func $stdout-sync (canon lower (func $stdout-write-via-stream)))
  (core func $stderr-sync (canon lower (func $stderr-write-via-stream)))
  (core func $fields-new (canon lower (func $http-types "[constructor]fields")))
  (core func $request-new-sync (canon lower (func $request-new) (memory $memory)))
  (core func $request-set-scheme-sync (canon lower (func $request-set-scheme) (memory $memory)))
  (core func $request-set-authority-sync (canon lower (func $request-set-authority) (memory $memory)))
  (core func $request-set-path-sync (canon lower (func $request-set-path-with-query) (memory $memory)))
  (core func $send-async (canon lower (func $send) async (memory $memory) (realloc $realloc)))
  (core func $status-sync (canon lower (func $response-get-status-code)))
  (core func $headers-sync (canon lower (func $response-get-headers)))
  (core func $copy-all-sync (canon lower (func $fields-copy-all) (memory $memory) (realloc $realloc)))
  (core func $consume-body-sync (canon lower (func $response-consume-body) (memory $memory)))
  (core func $fields-drop (canon resource.drop $fields))
  (core func $task-return (canon task.return (result $run-result)))
  (core func $stream-new (canon stream.new $bytes))
  (core func $stream-write (canon stream.write $bytes async (memory $memory)))
  (core func $stream-drop-writable (canon stream.drop-writable $bytes))
  (core func $trailers-new (canon future.new $trailers-future))
  (core func $trailers-write (canon future.write $trailers-future async (memory $memory)))
  (core func $trailers-read (canon future.read $trailers-future async (memory $memory) (realloc $realloc)))
  (core func $trailers-drop-writable (canon future.drop-writable $trailers-future))
  (core func $trailers-drop-readable (canon future.drop-readable $trailers-future))
  (core func $done-new (canon future.new $done-future))
  (core func $done-write (canon future.write $done-future async (memory $memory)))
  (core func $done-drop-writable (canon future.drop-writable $done-future))
  (core func $done-drop-readable (canon future.drop-readable $done-future))
  (core func $written-read (canon future.read $written-future async (memory $memory)))
  (core func $written-drop-readable (canon future.drop-readable $written-future))
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
    ;; get-arguments(where to write list<string> as ptr, len)
    (import "env" "get-arguments" (func $get-arguments (param i32)))
    ;; write-via-stream(readable end) -> the future's readable end
    (import "cli" "stdout" (func $stdout (param i32) (result i32)))
    (import "cli" "stderr" (func $stderr (param i32) (result i32)))
    (import "http" "fields.new" (func $fields-new (result i32)))
    ;; request.new(headers, contents: option<stream>, trailers, options: option<request-options>,
    ;; where to write (request, transmission future))
    (import "http" "request.new" (func $request-new (param i32 i32 i32 i32 i32 i32 i32)))
    ;; set-scheme(self, option<scheme>: is-some, HTTP 0 | HTTPS 1, other's ptr, len) -> result
    (import "http" "request.set-scheme" (func $request-set-scheme (param i32 i32 i32 i32 i32) (result i32)))
    ;; set-authority / set-path-with-query(self, option<string>: is-some, ptr, len) -> result
    (import "http" "request.set-authority" (func $request-set-authority (param i32 i32 i32 i32) (result i32)))
    (import "http" "request.set-path-with-query" (func $request-set-path (param i32 i32 i32 i32) (result i32)))
    ;; send(request, where to write result<response, error-code>) -> state | subtask << 4
    (import "http" "send" (func $send (param i32 i32) (result i32)))
    (import "http" "response.get-status-code" (func $status (param i32) (result i32)))
    (import "http" "response.get-headers" (func $headers (param i32) (result i32)))
    ;; copy-all(self, where to write list<tuple<string, list<u8>>> as ptr, len)
    (import "http" "fields.copy-all" (func $copy-all (param i32 i32)))
    ;; consume-body(response, res future, where to write (body stream, trailers future))
    (import "http" "response.consume-body" (func $consume-body (param i32 i32 i32)))
    (import "http" "fields.drop" (func $fields-drop (param i32)))
    ;; task.return(result<_, _>) flattened: 0 ok, 1 err
    (import "cm" "task.return" (func $task-return (param i32)))
    ;; stream.new / future.new -> readable index | writable index << 32
    (import "cm" "stream.new" (func $stream-new (result i64)))
    ;; stream.write(end, buffer, count) -> BLOCKED | result | count << 4
    (import "cm" "stream.write" (func $stream-write (param i32 i32 i32) (result i32)))
    (import "cm" "stream.drop-writable" (func $stream-drop-writable (param i32)))
    (import "cm" "trailers.new" (func $trailers-new (result i64)))
    ;; future.write / future.read(end, value's address) -> BLOCKED | result
    (import "cm" "trailers.write" (func $trailers-write (param i32 i32) (result i32)))
    (import "cm" "trailers.read" (func $trailers-read (param i32 i32) (result i32)))
    (import "cm" "trailers.drop-writable" (func $trailers-drop-writable (param i32)))
    (import "cm" "trailers.drop-readable" (func $trailers-drop-readable (param i32)))
    (import "cm" "done.new" (func $done-new (result i64)))
    (import "cm" "done.write" (func $done-write (param i32 i32) (result i32)))
    (import "cm" "done.drop-writable" (func $done-drop-writable (param i32)))
    (import "cm" "done.drop-readable" (func $done-drop-readable (param i32)))
    (import "cm" "written.read" (func $written-read (param i32 i32) (result i32)))
    (import "cm" "written.drop-readable" (func $written-drop-readable (param i32)))
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
    (global $EVENT_FUTURE_READ i32 (i32.const 4))
    (global $EVENT_FUTURE_WRITE i32 (i32.const 5))
    (global $RETURNED i32 (i32.const 2))
    (global $BLOCKED i32 (i32.const -1))
    (global $DROPPED i32 (i32.const 1))

    ;; What the task is doing (state +4).
    (global $SENDING i32 (i32.const 1))
    (global $PRINTING_HEAD i32 (i32.const 2))
    (global $PRINTING_BODY i32 (i32.const 3))
    (global $READING_TRAILERS i32 (i32.const 4))
    (global $PRINTING_ERROR i32 (i32.const 5))
    (global $DONE i32 (i32.const 6))

    ;; Constants. 0x000-0x01f stays zero: the `ok` written to both futures (result ok = 0, and
    ;; for the trailers option none = 0) is read from there.
    (data (i32.const 0x020) "http://http-hello.localhost:8080/")  ;; 0x020, 33
    (data (i32.const 0x048) "http://")                            ;; 0x048, 7
    (data (i32.const 0x050) "https://")                           ;; 0x050, 8
    (data (i32.const 0x058) "> GET ")                             ;; 0x058, 6
    (data (i32.const 0x060) "< ")                                 ;; 0x060, 2
    (data (i32.const 0x064) ": ")                                 ;; 0x064, 2
    (data (i32.const 0x068) "http-client: GET ")                  ;; 0x068, 17
    (data (i32.const 0x080) " failed: ")                          ;; 0x080, 9
    (data (i32.const 0x090) "http-client: the body broke off: ")  ;; 0x090, 33
    (data (i32.const 0x0b8) "http-client: give an http:// or https:// URL (default http://http-hello.localhost:8080/), not ")  ;; 0x0b8, 94
    ;; error-code's case names in order, each ended by a NUL (for `failed: NAME`).
    (data (i32.const 0x120)
      "DNS-timeout\00DNS-error\00destination-not-found\00destination-unavailable\00destination-IP-prohibited\00"
      "destination-IP-unroutable\00connection-refused\00connection-terminated\00connection-timeout\00"
      "connection-read-timeout\00connection-write-timeout\00connection-limit-reached\00TLS-protocol-error\00"
      "TLS-certificate-error\00TLS-alert-received\00HTTP-request-denied\00HTTP-request-length-required\00"
      "HTTP-request-body-size\00HTTP-request-method-invalid\00HTTP-request-URI-invalid\00HTTP-request-URI-too-long\00"
      "HTTP-request-header-section-size\00HTTP-request-header-size\00HTTP-request-trailer-section-size\00"
      "HTTP-request-trailer-size\00HTTP-response-incomplete\00HTTP-response-header-section-size\00"
      "HTTP-response-header-size\00HTTP-response-body-size\00HTTP-response-trailer-section-size\00"
      "HTTP-response-trailer-size\00HTTP-response-transfer-coding\00HTTP-response-content-coding\00"
      "HTTP-response-timeout\00HTTP-upgrade-failed\00HTTP-protocol-error\00loop-detected\00configuration-error\00"
      "internal-error\00")

    ;; The task's state (256 bytes, from $alloc):
    ;;   +0  its waitable set   +4  what it is doing   +8  future writes not yet taken by the host
    ;;   +12 the URL (ptr)      +16 its length         +20 the run's result (0 ok, 1 err)
    ;;   +24 the response       +28 its body (readable end)   +32 its trailers future
    ;;   +36 the text being printed (ptr)  +40 its length  +44 of which written
    ;;   +48 our stream's writable end      +52 stdout's (or stderr's) future for what it printed
    ;;   +56 the request's trailers future (writable end)  +60 the body's `res` future (writable end)
    ;;   +64 send's result<response, error-code>: +64 ok 0 | err 1, +72 the response or the error's case
    ;;   +104 request.new's (request, future)  +112 consume-body's (stream, future)
    ;;   +120 the arguments (ptr, len)  +128 the header fields (ptr, len)
    ;;   +136 what stdout reported: result<_, cli error-code>
    ;;   +144 the trailers: result<option<trailers>, error-code>: +144 ok 0 | err 1, +152 is-some, +156 fields

    (func (export "run") (result i32)
      (local $state i32) (local $ends i64) (local $request i32) (local $at i32) (local $end i32)
      (local $url i32) (local $len i32) (local $called i32)
      (local.set $state (call $alloc (i32.const 256)))
      (memory.fill (local.get $state) (i32.const 0) (i32.const 256))
      (call $context-set (local.get $state))
      (i32.store offset=0 (local.get $state) (call $waitable-set-new))

      ;; The URL: the first argument, or the default.
      (call $get-arguments (i32.add (local.get $state) (i32.const 120)))
      (local.set $url (i32.const 0x020))
      (local.set $len (i32.const 33))
      (if (i32.ge_u (i32.load offset=124 (local.get $state)) (i32.const 2))
        (then
          (local.set $url (i32.load offset=8 (i32.load offset=120 (local.get $state))))
          (local.set $len (i32.load offset=12 (i32.load offset=120 (local.get $state))))))
      (i32.store offset=12 (local.get $state) (local.get $url))
      (i32.store offset=16 (local.get $state) (local.get $len))

      ;; The request: no headers, no body; trailers `ok(none)` once the host asks for them.
      (local.set $ends (call $trailers-new))
      (i32.store offset=56 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $request-new (call $fields-new) (i32.const 0) (i32.const 0) (i32.wrap_i64 (local.get $ends)) (i32.const 0) (i32.const 0)
        (i32.add (local.get $state) (i32.const 104)))
      (local.set $request (i32.load offset=104 (local.get $state)))
      ;; How the transmission went is not needed: the response (or its error) says it.
      (call $done-drop-readable (i32.load offset=108 (local.get $state)))
      (call $write-ok (local.get $state) (i32.load offset=56 (local.get $state)) (i32.const 1))

      ;; scheme://authority/path: https:// or http://, the authority up to the first `/`.
      (local.set $at (i32.const -1))
      (if (call $starts-with (local.get $url) (local.get $len) (i32.const 0x050) (i32.const 8))
        (then
          (drop (call $request-set-scheme (local.get $request) (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0)))
          (local.set $at (i32.const 8))))
      (if (call $starts-with (local.get $url) (local.get $len) (i32.const 0x048) (i32.const 7))
        (then
          (drop (call $request-set-scheme (local.get $request) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
          (local.set $at (i32.const 7))))
      (if (i32.lt_s (local.get $at) (i32.const 0))
        (then (return (call $print-bad-url (local.get $state)))))
      (local.set $end (local.get $at))
      (block $found
        (loop $next
          (br_if $found (i32.ge_u (local.get $end) (local.get $len)))
          (br_if $found (i32.eq (i32.load8_u (i32.add (local.get $url) (local.get $end))) (i32.const 0x2f)))
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $next)))
      (drop (call $request-set-authority (local.get $request) (i32.const 1)
        (i32.add (local.get $url) (local.get $at)) (i32.sub (local.get $end) (local.get $at))))
      ;; The path from the `/` (or `/` when there is none); a bad one is the host's to refuse at send.
      (if (i32.lt_u (local.get $end) (local.get $len))
        (then (drop (call $request-set-path (local.get $request) (i32.const 1)
          (i32.add (local.get $url) (local.get $end)) (i32.sub (local.get $len) (local.get $end)))))
        (else (drop (call $request-set-path (local.get $request) (i32.const 1) (i32.const 0x02f) (i32.const 1)))))

      ;; Send it; the response (or the error) arrives at +64.
      (i32.store offset=4 (local.get $state) (global.get $SENDING))
      (local.set $called (call $send (local.get $request) (i32.add (local.get $state) (i32.const 64))))
      (if (i32.eq (local.get $called) (global.get $RETURNED))
        (then (return (call $sent (local.get $state)))))
      (call $waitable-join (i32.shr_u (local.get $called) (i32.const 4)) (i32.load (local.get $state)))
      (call $wait (local.get $state)))

    ;; The callback: an event for the task whose state context slot 0 holds.
    (func (export "run_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (local $state i32) (local $doing i32)
      (local.set $state (call $context-get))
      (local.set $doing (i32.load offset=4 (local.get $state)))
      (if (i32.eq (local.get $event) (global.get $EVENT_FUTURE_WRITE))
        (then (return (call $written-ok (local.get $state) (local.get $index)))))
      (if (i32.and (i32.eq (local.get $event) (global.get $EVENT_SUBTASK))
                   (i32.eq (local.get $payload) (global.get $RETURNED)))
        (then
          (call $subtask-drop (local.get $index))
          (return (call $sent (local.get $state)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_STREAM_WRITE))
        (then (return (call $have-written (local.get $state) (local.get $payload)))))
      (if (i32.eq (local.get $event) (global.get $EVENT_FUTURE_READ))
        (then
          (if (i32.eq (local.get $doing) (global.get $READING_TRAILERS))
            (then (return (call $have-trailers (local.get $state)))))
          (return (call $printed (local.get $state)))))
      ;; Anything else (the subtask has only started): keep waiting.
      (call $wait (local.get $state)))

    ;; Writes `ok` to a future whose writable end is `end` (1: the trailers' type, 0: `res`'s).
    (func $write-ok (param $state i32) (param $end i32) (param $trailers i32)
      (local $r i32)
      (if (local.get $trailers)
        (then (local.set $r (call $trailers-write (local.get $end) (i32.const 0))))
        (else (local.set $r (call $done-write (local.get $end) (i32.const 0)))))
      (if (i32.eq (local.get $r) (global.get $BLOCKED))
        (then
          (i32.store offset=8 (local.get $state) (i32.add (i32.load offset=8 (local.get $state)) (i32.const 1)))
          (call $waitable-join (local.get $end) (i32.load (local.get $state))))
        (else (call $drop-written (local.get $state) (local.get $end)))))

    ;; The host took a future's `ok`: that end is done with.
    (func $written-ok (param $state i32) (param $end i32) (result i32)
      (call $waitable-join (local.get $end) (i32.const 0))
      (call $drop-written (local.get $state) (local.get $end))
      (i32.store offset=8 (local.get $state) (i32.sub (i32.load offset=8 (local.get $state)) (i32.const 1)))
      (call $maybe-finish (local.get $state)))

    (func $drop-written (param $state i32) (param $end i32)
      (if (i32.eq (local.get $end) (i32.load offset=56 (local.get $state)))
        (then (call $trailers-drop-writable (local.get $end)))
        (else (call $done-drop-writable (local.get $end)))))

    ;; `send` returned: print the status and headers, or the error.
    (func $sent (param $state i32) (result i32)
      (local $response i32) (local $fields i32) (local $list i32) (local $n i32) (local $i i32)
      (local $size i32) (local $p i32) (local $e i32) (local $ends i64)
      (if (i32.load8_u offset=64 (local.get $state))
        (then (return (call $print-send-error (local.get $state) (i32.load8_u offset=72 (local.get $state))))))
      (local.set $response (i32.load offset=72 (local.get $state)))
      (i32.store offset=24 (local.get $state) (local.get $response))
      (local.set $fields (call $headers (local.get $response)))
      (call $copy-all (local.get $fields) (i32.add (local.get $state) (i32.const 128)))
      (call $fields-drop (local.get $fields))
      (local.set $list (i32.load offset=128 (local.get $state)))
      (local.set $n (i32.load offset=132 (local.get $state)))
      ;; Room for "> GET URL\n< STATUS\n", each "< name: value\n" and the empty line.
      (local.set $size (i32.add (i32.load offset=16 (local.get $state)) (i32.const 32)))
      (local.set $i (i32.const 0))
      (block $counted
        (loop $more
          (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $e (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 4))))
          (local.set $size (i32.add (local.get $size)
            (i32.add (i32.const 5) (i32.add (i32.load offset=4 (local.get $e)) (i32.load offset=12 (local.get $e))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $more)))
      (local.set $p (call $alloc (local.get $size)))
      (i32.store offset=36 (local.get $state) (local.get $p))
      (local.set $p (call $request-line (local.get $state) (local.get $p)))
      (local.set $p (call $copy (local.get $p) (i32.const 0x060) (i32.const 2)))
      (local.set $p (call $decimal (call $status (local.get $response)) (local.get $p)))
      (local.set $p (call $newline (local.get $p)))
      (local.set $i (i32.const 0))
      (block $listed
        (loop $more
          (br_if $listed (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $e (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 4))))
          (local.set $p (call $copy (local.get $p) (i32.const 0x060) (i32.const 2)))
          (local.set $p (call $copy (local.get $p) (i32.load offset=0 (local.get $e)) (i32.load offset=4 (local.get $e))))
          (local.set $p (call $copy (local.get $p) (i32.const 0x064) (i32.const 2)))
          (local.set $p (call $copy (local.get $p) (i32.load offset=8 (local.get $e)) (i32.load offset=12 (local.get $e))))
          (local.set $p (call $newline (local.get $p)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $more)))
      (local.set $p (call $newline (local.get $p)))
      (i32.store offset=40 (local.get $state) (i32.sub (local.get $p) (i32.load offset=36 (local.get $state))))

      ;; Take the body now (its bytes wait in the stream until stdout reads them); `res` says ok.
      (local.set $ends (call $done-new))
      (i32.store offset=60 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $consume-body (local.get $response) (i32.wrap_i64 (local.get $ends)) (i32.add (local.get $state) (i32.const 112)))
      (i32.store offset=28 (local.get $state) (i32.load offset=112 (local.get $state)))
      (i32.store offset=32 (local.get $state) (i32.load offset=116 (local.get $state)))
      (call $write-ok (local.get $state) (i32.load offset=60 (local.get $state)) (i32.const 0))
      (i32.store offset=4 (local.get $state) (global.get $PRINTING_HEAD))
      (call $print (local.get $state) (i32.const 0)))

    ;; "> GET URL\n" at p; returns the end.
    (func $request-line (param $state i32) (param $p i32) (result i32)
      (local.set $p (call $copy (local.get $p) (i32.const 0x058) (i32.const 6)))
      (local.set $p (call $copy (local.get $p) (i32.load offset=12 (local.get $state)) (i32.load offset=16 (local.get $state))))
      (call $newline (local.get $p)))

    ;; "http-client: GET URL failed: NAME\n" on stderr.
    (func $print-send-error (param $state i32) (param $case i32) (result i32)
      (local $p i32) (local $name i32)
      (local.set $p (call $alloc (i32.add (i32.load offset=16 (local.get $state)) (i32.const 96))))
      (i32.store offset=36 (local.get $state) (local.get $p))
      (local.set $p (call $copy (local.get $p) (i32.const 0x068) (i32.const 17)))
      (local.set $p (call $copy (local.get $p) (i32.load offset=12 (local.get $state)) (i32.load offset=16 (local.get $state))))
      (local.set $p (call $copy (local.get $p) (i32.const 0x080) (i32.const 9)))
      (local.set $name (call $error-name (local.get $case)))
      (local.set $p (call $copy (local.get $p) (local.get $name) (call $strlen (local.get $name))))
      (local.set $p (call $newline (local.get $p)))
      (call $fail-with (local.get $state) (local.get $p)))

    (func $print-bad-url (param $state i32) (result i32)
      (local $p i32)
      (local.set $p (call $alloc (i32.add (i32.load offset=16 (local.get $state)) (i32.const 96))))
      (i32.store offset=36 (local.get $state) (local.get $p))
      (local.set $p (call $copy (local.get $p) (i32.const 0x0b8) (i32.const 94)))
      (local.set $p (call $copy (local.get $p) (i32.load offset=12 (local.get $state)) (i32.load offset=16 (local.get $state))))
      (local.set $p (call $newline (local.get $p)))
      (call $fail-with (local.get $state) (local.get $p)))

    ;; Prints the text from +36 to `end` on stderr; the run's result is then an error.
    (func $fail-with (param $state i32) (param $end i32) (result i32)
      (i32.store offset=40 (local.get $state) (i32.sub (local.get $end) (i32.load offset=36 (local.get $state))))
      (i32.store offset=20 (local.get $state) (i32.const 1))
      (i32.store offset=4 (local.get $state) (global.get $PRINTING_ERROR))
      (call $print (local.get $state) (i32.const 1)))

    ;; Prints the text at +36 (+40 bytes) through a stream of our own, to stdout or stderr.
    (func $print (param $state i32) (param $to-stderr i32) (result i32)
      (local $ends i64) (local $readable i32)
      (local.set $ends (call $stream-new))
      (local.set $readable (i32.wrap_i64 (local.get $ends)))
      (i32.store offset=48 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $waitable-join (i32.load offset=48 (local.get $state)) (i32.load (local.get $state)))
      (if (local.get $to-stderr)
        (then (i32.store offset=52 (local.get $state) (call $stderr (local.get $readable))))
        (else (i32.store offset=52 (local.get $state) (call $stdout (local.get $readable)))))
      (i32.store offset=44 (local.get $state) (i32.const 0))
      (call $write-more (local.get $state)))

    ;; Writes what is left of the text; when it is all written, ends the stream and waits for the
    ;; host's report on it.
    (func $write-more (param $state i32) (result i32)
      (local $r i32) (local $written i32)
      (local.set $written (i32.load offset=44 (local.get $state)))
      (if (i32.lt_u (local.get $written) (i32.load offset=40 (local.get $state)))
        (then
          (local.set $r (call $stream-write (i32.load offset=48 (local.get $state))
            (i32.add (i32.load offset=36 (local.get $state)) (local.get $written))
            (i32.sub (i32.load offset=40 (local.get $state)) (local.get $written))))
          (if (i32.eq (local.get $r) (global.get $BLOCKED))
            (then (return (call $wait (local.get $state)))))
          (return (call $have-written (local.get $state) (local.get $r)))))
      (call $waitable-join (i32.load offset=48 (local.get $state)) (i32.const 0))
      (call $stream-drop-writable (i32.load offset=48 (local.get $state)))
      (call $await-printed (local.get $state)))

    ;; A write finished with `result | count << 4`; when the reader is gone, nothing more is printed.
    (func $have-written (param $state i32) (param $payload i32) (result i32)
      (i32.store offset=44 (local.get $state)
        (i32.add (i32.load offset=44 (local.get $state)) (i32.shr_u (local.get $payload) (i32.const 4))))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 0xf)) (global.get $DROPPED))
        (then (i32.store offset=40 (local.get $state) (i32.load offset=44 (local.get $state)))))
      (call $write-more (local.get $state)))

    ;; Reads the future stdout (or stderr) returned: it settles once the host has printed it all.
    (func $await-printed (param $state i32) (result i32)
      (if (i32.eq (call $written-read (i32.load offset=52 (local.get $state)) (i32.add (local.get $state) (i32.const 136)))
                  (global.get $BLOCKED))
        (then
          (call $waitable-join (i32.load offset=52 (local.get $state)) (i32.load (local.get $state)))
          (return (call $wait (local.get $state)))))
      (call $printed (local.get $state)))

    ;; Something was printed: the head, then the body; or the error, and then it is done.
    (func $printed (param $state i32) (result i32)
      (local $doing i32)
      (call $waitable-join (i32.load offset=52 (local.get $state)) (i32.const 0))
      (call $written-drop-readable (i32.load offset=52 (local.get $state)))
      (local.set $doing (i32.load offset=4 (local.get $state)))
      (if (i32.eq (local.get $doing) (global.get $PRINTING_HEAD))
        (then
          ;; The body's stream goes to stdout as it is: the host copies each chunk as it comes.
          (i32.store offset=4 (local.get $state) (global.get $PRINTING_BODY))
          (i32.store offset=52 (local.get $state) (call $stdout (i32.load offset=28 (local.get $state))))
          (return (call $await-printed (local.get $state)))))
      (if (i32.eq (local.get $doing) (global.get $PRINTING_BODY))
        (then
          ;; The body has ended: its trailers future says whether it ended well.
          (i32.store offset=4 (local.get $state) (global.get $READING_TRAILERS))
          (if (i32.eq (call $trailers-read (i32.load offset=32 (local.get $state)) (i32.add (local.get $state) (i32.const 144)))
                      (global.get $BLOCKED))
            (then
              (call $waitable-join (i32.load offset=32 (local.get $state)) (i32.load (local.get $state)))
              (return (call $wait (local.get $state)))))
          (return (call $have-trailers (local.get $state)))))
      (i32.store offset=4 (local.get $state) (global.get $DONE))
      (call $maybe-finish (local.get $state)))

    ;; The trailers: dropped if there are some; an error means the body broke off.
    (func $have-trailers (param $state i32) (result i32)
      (local $p i32) (local $name i32)
      (call $waitable-join (i32.load offset=32 (local.get $state)) (i32.const 0))
      (call $trailers-drop-readable (i32.load offset=32 (local.get $state)))
      (if (i32.eqz (i32.load8_u offset=144 (local.get $state)))
        (then
          (if (i32.load8_u offset=152 (local.get $state))
            (then (call $fields-drop (i32.load offset=156 (local.get $state)))))
          (i32.store offset=4 (local.get $state) (global.get $DONE))
          (return (call $maybe-finish (local.get $state)))))
      (local.set $p (call $alloc (i32.const 96)))
      (i32.store offset=36 (local.get $state) (local.get $p))
      (local.set $p (call $copy (local.get $p) (i32.const 0x090) (i32.const 33)))
      (local.set $name (call $error-name (i32.load8_u offset=152 (local.get $state))))
      (local.set $p (call $copy (local.get $p) (local.get $name) (call $strlen (local.get $name))))
      (call $fail-with (local.get $state) (call $newline (local.get $p))))

    ;; Ends the task once it is done and the host has taken every future's `ok`.
    (func $maybe-finish (param $state i32) (result i32)
      (if (i32.or (i32.ne (i32.load offset=4 (local.get $state)) (global.get $DONE))
                  (i32.load offset=8 (local.get $state)))
        (then (return (call $wait (local.get $state)))))
      (call $waitable-set-drop (i32.load (local.get $state)))
      (call $task-return (i32.load offset=20 (local.get $state)))
      (global.get $EXIT))

    (func $wait (param $state i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load (local.get $state)) (i32.const 4))))

    ;; ---------------------------------------------------------------- text
    (func $copy (param $dst i32) (param $src i32) (param $n i32) (result i32)
      (memory.copy (local.get $dst) (local.get $src) (local.get $n))
      (i32.add (local.get $dst) (local.get $n)))

    (func $newline (param $p i32) (result i32)
      (i32.store8 (local.get $p) (i32.const 0x0a))
      (i32.add (local.get $p) (i32.const 1)))

    (func $starts-with (param $s i32) (param $len i32) (param $prefix i32) (param $n i32) (result i32)
      (local $i i32)
      (if (i32.lt_u (local.get $len) (local.get $n)) (then (return (i32.const 0))))
      (block $differs
        (loop $next
          (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const 1))))
          (br_if $differs (i32.ne (i32.load8_u (i32.add (local.get $s) (local.get $i)))
                                  (i32.load8_u (i32.add (local.get $prefix) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (i32.const 0))

    ;; The name of error-code case `n`: the n-th NUL-ended name of the table.
    (func $error-name (param $n i32) (result i32)
      (local $p i32)
      (local.set $p (i32.const 0x120))
      (block $found
        (loop $skip
          (br_if $found (i32.eqz (local.get $n)))
          (local.set $p (i32.add (local.get $p) (i32.add (call $strlen (local.get $p)) (i32.const 1))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $skip)))
      (local.get $p))

    (func $strlen (param $s i32) (result i32)
      (local $p i32)
      (local.set $p (local.get $s))
      (block $end
        (loop $next
          (br_if $end (i32.eqz (i32.load8_u (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $next)))
      (i32.sub (local.get $p) (local.get $s)))

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
    (with "env" (instance (export "get-arguments" (func $get-arguments-sync))))
    (with "cli" (instance
      (export "stdout" (func $stdout-sync))
      (export "stderr" (func $stderr-sync))))
    (with "http" (instance
      (export "fields.new" (func $fields-new))
      (export "request.new" (func $request-new-sync))
      (export "request.set-scheme" (func $request-set-scheme-sync))
      (export "request.set-authority" (func $request-set-authority-sync))
      (export "request.set-path-with-query" (func $request-set-path-sync))
      (export "send" (func $send-async))
      (export "response.get-status-code" (func $status-sync))
      (export "response.get-headers" (func $headers-sync))
      (export "fields.copy-all" (func $copy-all-sync))
      (export "response.consume-body" (func $consume-body-sync))
      (export "fields.drop" (func $fields-drop))))
    (with "cm" (instance
      (export "task.return" (func $task-return))
      (export "stream.new" (func $stream-new))
      (export "stream.write" (func $stream-write))
      (export "stream.drop-writable" (func $stream-drop-writable))
      (export "trailers.new" (func $trailers-new))
      (export "trailers.write" (func $trailers-write))
      (export "trailers.read" (func $trailers-read))
      (export "trailers.drop-writable" (func $trailers-drop-writable))
      (export "trailers.drop-readable" (func $trailers-drop-readable))
      (export "done.new" (func $done-new))
      (export "done.write" (func $done-write))
      (export "done.drop-writable" (func $done-drop-writable))
      (export "done.drop-readable" (func $done-drop-readable))
      (export "written.read" (func $written-read))
      (export "written.drop-readable" (func $written-drop-readable))
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
