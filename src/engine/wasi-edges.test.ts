/**
 * WASI's exact semantics at the host's edges, each checked by a tiny component in component WAT
 * run on engine/cm against the real host (issue 16): what the guest sees on its first look, not
 * what the host's JS functions return.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { createHost, suspendingFunctions, type Host, type HostInit } from "../host";
import { MemoryKv } from "../host/filesystem/kv";
import { FsOwner } from "../host/filesystem/owner";
import { ROOT_INO, Vfs } from "../host/filesystem/vfs";
import { CmEngine } from "./cm/engine";

const newHost = (init: Partial<HostInit> = {}): Host =>
  createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
    blocking: { canSuspend: false },
    ...init,
  });

/** Runs `wat`'s export `name` on engine/cm against `host`. */
async function call(wat: string, name: string, args: unknown[], host: Host = newHost()): Promise<unknown> {
  const engine = new CmEngine();
  const prepared = await engine.prepare(await parse(wat), name);
  const inst = engine.instantiate(prepared, { resolve: (n) => host.resolve(n), suspending: suspendingFunctions }, `${name}.wasm`);
  return inst.call(inst.func(null, name)!, args);
}

/**
 * Settles as `f`, or as "hang" when the guest is still waiting after `ms` (far more than a loaded
 * machine needs): a hang fails the assertion with a name instead of timing the test out.
 */
const orHang = <T>(f: Promise<T>, ms = 8000): Promise<T | "hang"> =>
  Promise.race([f, new Promise<"hang">((r) => setTimeout(() => r("hang"), ms).unref())]);

/** A guest's memory and a bump allocator as its `realloc` (scratch below 4096), as core funcs $mem, $realloc. */
const LIBC = `(core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $at i32)
      (local.set $at (global.get $next))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))`;

/** Subtask states an async-lowered call returns in its low 4 bits (CanonicalABI.md "canon lower"). */
const RETURNED = 2;

/** CopyResult in the low 4 bits of a stream copy's result, the count above them. */
const DROPPED = 1;

/** The variant WASI 0.3's filesystem error-code is, as a component type. */
const FS_ERROR_CODE = `(variant ${"access already bad-descriptor busy deadlock quota exist file-too-large illegal-byte-sequence in-progress interrupted invalid io is-directory loop too-many-links message-size name-too-long no-device no-entry no-lock insufficient-memory insufficient-space not-directory not-empty not-recoverable unsupported no-tty no-such-device overflow not-permitted pipe read-only invalid-seek text-file-busy cross-device"
  .split(" ")
  .map((c) => `(case "${c}")`)
  .join(" ")} (case "other" (option string)))`;

/** `wait-until(at-now ? now() : 0)`, lowered async: the call's packed status, as the guest sees it. */
const WAIT_UNTIL = `(component
  (import "wasi:clocks/monotonic-clock@0.3.0" (instance $clock
    (export "now" (func (result u64)))
    (export "wait-until" (func async (param "when" u64)))))
  (alias export $clock "now" (func $now))
  (alias export $clock "wait-until" (func $wait_until))
  (core func $now (canon lower (func $now)))
  (core func $wait_until (canon lower (func $wait_until) async))
  (core module $m
    (import "" "now" (func $now (result i64)))
    (import "" "wait-until" (func $wait_until (param i64) (result i32)))
    (func (export "probe") (param $at_now i32) (result i32)
      (call $wait_until (select (call $now) (i64.const 0) (local.get $at_now)))))
  (core instance $i (instantiate $m (with "" (instance
    (export "now" (func $now)) (export "wait-until" (func $wait_until))))))
  (func (export "probe") (param "at-now" bool) (result u32) (canon lift (core func $i "probe")))
)`;

describe("wasi:clocks@0.3.0", () => {
  it("wait-until a deadline that is now or past is ready at once (RETURNED, not STARTED)", async () => {
    expect(await call(WAIT_UNTIL, "probe", [true])).toBe(RETURNED);
    expect(await call(WAIT_UNTIL, "probe", [false])).toBe(RETURNED);
  });
});

/**
 * `write`: the first preopen's `write-via-stream` at offset 0, then a 4-byte write to the data
 * stream; returns that write's packed result once it ends (at once, or as the event that ends it).
 */
const WRITE_VIA_STREAM = `(component $C
  (import "wasi:filesystem/types@0.3.0" (instance $types
    (export "descriptor" (type $d (sub resource)))
    (type $error_code ${FS_ERROR_CODE})
    (export "error-code" (type $e (eq $error_code)))
    (export "[method]descriptor.write-via-stream" (func
      (param "self" (borrow $d)) (param "data" (stream u8)) (param "offset" u64) (result (future (result (error $e))))))))
  (alias export $types "descriptor" (type $descriptor))
  (alias export $types "[method]descriptor.write-via-stream" (func $write_via_stream))
  (import "wasi:filesystem/preopens@0.3.0" (instance $preopens
    (alias outer $C $descriptor (type $d))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))
  (alias export $preopens "get-directories" (func $get_directories))
  ${LIBC}
  (type $st (stream u8))
  (core func $get_directories (canon lower (func $get_directories) (memory $mem) (realloc $realloc)))
  (core func $write_via_stream (canon lower (func $write_via_stream)))
  (core func $stream_new (canon stream.new $st))
  (core func $stream_write (canon stream.write $st async (memory $mem)))
  (core func $ws_new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result u32)))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "get-directories" (func $get_directories (param i32)))
    (import "" "write-via-stream" (func $write_via_stream (param i32 i32 i64) (result i32)))
    (import "" "stream.new" (func $stream_new (result i64)))
    (import "" "stream.write" (func $stream_write (param i32 i32 i32) (result i32)))
    (import "" "ws.new" (func $ws_new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "write") (result i32) (local $ends i64) (local $w i32) (local $r i32) (local $ws i32)
      (call $get_directories (i32.const 0))
      (local.set $ends (call $stream_new))
      (local.set $w (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (drop (call $write_via_stream (i32.load (i32.load (i32.const 0))) (i32.wrap_i64 (local.get $ends)) (i64.const 0)))
      (local.set $r (call $stream_write (local.get $w) (i32.const 512) (i32.const 4)))
      (if (i32.ne (local.get $r) (i32.const -1))
        (then (call $ret (local.get $r)) (return (i32.const 0))))
      (local.set $ws (call $ws_new))
      (call $join (local.get $w) (local.get $ws))
      (i32.or (i32.const 2) (i32.shl (local.get $ws) (i32.const 4))))
    (func (export "cb") (param i32 i32 i32) (result i32)
      (call $ret (local.get 2))
      (i32.const 0)))
  (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "" (instance
    (export "get-directories" (func $get_directories)) (export "write-via-stream" (func $write_via_stream))
    (export "stream.new" (func $stream_new)) (export "stream.write" (func $stream_write))
    (export "ws.new" (func $ws_new)) (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "write") async (result u32)
    (canon lift (core func $i "write") async (memory $mem) (callback (core func $i "cb"))))
)`;

describe("wasi:filesystem@0.3.0", () => {
  async function readOnlyRoot(): Promise<Host> {
    const owner = new FsOwner((_name, onChange) => Vfs.open(new MemoryKv(), { onChange }));
    const ws = await owner.workspace("edges");
    return newHost({ preopens: [{ fs: ws.session(), ino: ROOT_INO, guestPath: "/", readOnly: true }] });
  }

  it("write-via-stream on a descriptor not open for writing ends the guest's data stream (DROPPED), no hang", async () => {
    expect(await orHang(call(WRITE_VIA_STREAM, "write", [], await readOnlyRoot()))).toBe(DROPPED);
  }, 20_000);
});

/** The variant WASI 0.3's sockets error-code is, as a component type. */
const SOCKETS_ERROR_CODE = `(variant ${"access-denied not-supported invalid-argument out-of-memory timeout invalid-state address-not-bindable address-in-use remote-unreachable connection-refused connection-broken connection-reset connection-aborted datagram-too-large"
  .split(" ")
  .map((c) => `(case "${c}")`)
  .join(" ")} (case "other" (option string)))`;

/** The types of wasi:sockets/types@0.3.0 a socket's functions use, inside its instance type. */
const SOCKETS_TYPES = `(type $error_code ${SOCKETS_ERROR_CODE})
    (export "error-code" (type $e (eq $error_code)))
    (type $family (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type $f (eq $family)))
    (type $v4 (record (field "port" u16) (field "address" (tuple u8 u8 u8 u8))))
    (export "ipv4-socket-address" (type $v4e (eq $v4)))
    (type $v6 (record (field "port" u16) (field "flow-info" u32) (field "address" (tuple u16 u16 u16 u16 u16 u16 u16 u16)) (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $v6e (eq $v6)))
    (type $sa (variant (case "ipv4" $v4e) (case "ipv6" $v6e)))
    (export "ip-socket-address" (type $a (eq $sa)))`;

/**
 * `local-after-connect`: a UDP socket bound to 0.0.0.0:0, connected to 127.0.0.1:4000; returns
 * the IPv4 address get-local-address then reports, as the u32 its 4 bytes make (little-endian).
 */
const UDP_LOCAL = `(component
  (import "wasi:sockets/types@0.3.0" (instance $types
    (export "udp-socket" (type $s (sub resource)))
    ${SOCKETS_TYPES}
    (export "[static]udp-socket.create" (func (param "address-family" $f) (result (result (own $s) (error $e)))))
    (export "[method]udp-socket.bind" (func (param "self" (borrow $s)) (param "local-address" $a) (result (result (error $e)))))
    (export "[method]udp-socket.connect" (func (param "self" (borrow $s)) (param "remote-address" $a) (result (result (error $e)))))
    (export "[method]udp-socket.get-local-address" (func (param "self" (borrow $s)) (result (result $a (error $e)))))))
  (alias export $types "[static]udp-socket.create" (func $create))
  (alias export $types "[method]udp-socket.bind" (func $bind))
  (alias export $types "[method]udp-socket.connect" (func $connect))
  (alias export $types "[method]udp-socket.get-local-address" (func $local))
  ${LIBC}
  (core func $create (canon lower (func $create) (memory $mem) (realloc $realloc)))
  (core func $bind (canon lower (func $bind) (memory $mem) (realloc $realloc)))
  (core func $connect (canon lower (func $connect) (memory $mem) (realloc $realloc)))
  (core func $local (canon lower (func $local) (memory $mem) (realloc $realloc)))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "create" (func $create (param i32 i32)))
    (import "" "bind" (func $bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
    (import "" "connect" (func $connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
    (import "" "local" (func $local (param i32 i32)))
    (func (export "local-after-connect") (result i32) (local $sock i32)
      (call $create (i32.const 0) (i32.const 0))
      (local.set $sock (i32.load (i32.const 4)))
      (call $bind (local.get $sock) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 32))
      (call $connect (local.get $sock) (i32.const 0) (i32.const 4000) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 32))
      (call $local (local.get $sock) (i32.const 64))
      (i32.load (i32.const 74))))
  (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "" (instance
    (export "create" (func $create)) (export "bind" (func $bind)) (export "connect" (func $connect)) (export "local" (func $local))))))
  (func (export "local-after-connect") (result u32) (canon lift (core func $i "local-after-connect")))
)`;

/**
 * `ping-pong`, after Wasmtime's p3 TCP stream test: a listener on 127.0.0.1:0 accepts (a read of
 * its `listen` stream) while a client connects; each side then `send`s a stream of its own and takes
 * `receive`'s. The server writes "ping" (and with `dropServer` drops its socket once the write
 * completed); the result is the packed result of the client's 4-byte read.
 */
const tcpPingPong = ({ dropServer }: { dropServer: boolean }) => `(component
  (import "wasi:sockets/types@0.3.0" (instance $types
    (export "tcp-socket" (type $s (sub resource)))
    ${SOCKETS_TYPES}
    (export "[static]tcp-socket.create" (func (param "address-family" $f) (result (result (own $s) (error $e)))))
    (export "[method]tcp-socket.bind" (func (param "self" (borrow $s)) (param "local-address" $a) (result (result (error $e)))))
    (export "[method]tcp-socket.connect" (func async (param "self" (borrow $s)) (param "remote-address" $a) (result (result (error $e)))))
    (type $accepted (stream (own $s)))
    (export "[method]tcp-socket.listen" (func (param "self" (borrow $s)) (result (result $accepted (error $e)))))
    (export "[method]tcp-socket.get-local-address" (func (param "self" (borrow $s)) (result (result $a (error $e)))))
    (export "[method]tcp-socket.send" (func (param "self" (borrow $s)) (param "data" (stream u8)) (result (future (result (error $e))))))
    (export "[method]tcp-socket.receive" (func (param "self" (borrow $s)) (result (tuple (stream u8) (future (result (error $e)))))))))
  (alias export $types "tcp-socket" (type $tcp_socket))
  (alias export $types "[static]tcp-socket.create" (func $create))
  (alias export $types "[method]tcp-socket.bind" (func $bind))
  (alias export $types "[method]tcp-socket.connect" (func $connect))
  (alias export $types "[method]tcp-socket.listen" (func $listen))
  (alias export $types "[method]tcp-socket.get-local-address" (func $local))
  (alias export $types "[method]tcp-socket.send" (func $send))
  (alias export $types "[method]tcp-socket.receive" (func $receive))
  ${LIBC}
  (type $bytes (stream u8))
  (type $sockets (stream (own $tcp_socket)))
  (core func $create (canon lower (func $create) (memory $mem) (realloc $realloc)))
  (core func $bind (canon lower (func $bind) (memory $mem) (realloc $realloc)))
  (core func $connect (canon lower (func $connect) async (memory $mem) (realloc $realloc)))
  (core func $listen (canon lower (func $listen) (memory $mem) (realloc $realloc)))
  (core func $local (canon lower (func $local) (memory $mem) (realloc $realloc)))
  (core func $send (canon lower (func $send)))
  (core func $receive (canon lower (func $receive) (memory $mem)))
  (core func $new (canon stream.new $bytes))
  (core func $write (canon stream.write $bytes async (memory $mem)))
  (core func $read (canon stream.read $bytes async (memory $mem)))
  (core func $accept (canon stream.read $sockets async (memory $mem)))
  (core func $drop (canon resource.drop $tcp_socket))
  (core func $ws_new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result u32)))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "create" (func $create (param i32 i32)))
    (import "" "bind" (func $bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
    (import "" "connect" (func $connect (param i32 i32) (result i32)))
    (import "" "listen" (func $listen (param i32 i32)))
    (import "" "local" (func $local (param i32 i32)))
    (import "" "send" (func $send (param i32 i32) (result i32)))
    (import "" "receive" (func $receive (param i32 i32)))
    (import "" "new" (func $new (result i64)))
    (import "" "write" (func $write (param i32 i32 i32) (result i32)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "accept" (func $accept (param i32 i32 i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (import "" "ws.new" (func $ws_new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    (global $ws (mut i32) (i32.const 0))
    (global $waiting (mut i32) (i32.const 0))
    (global $server_w (mut i32) (i32.const 0))
    (global $client_rx (mut i32) (i32.const 0))
    (global $client (mut i32) (i32.const 0))
    (func $wait (param $h i32) (result i32)
      (call $join (local.get $h) (global.get $ws))
      (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
    (func $new_socket (result i32)
      (call $create (i32.const 0) (i32.const 0))
      (i32.load (i32.const 4)))
    ;; send(a stream of ours) and receive(); returns the writer, stores the receive stream at 0.
    (func $connection (param $sock i32) (result i32) (local $ends i64)
      (local.set $ends (call $new))
      (drop (call $send (local.get $sock) (i32.wrap_i64 (local.get $ends))))
      (call $receive (local.get $sock) (i32.const 0))
      (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
    (func $read_client (result i32) (local $r i32)
      ${dropServer ? "(call $drop (i32.load (i32.const 128)))" : ""}
      (local.set $r (call $read (global.get $client_rx) (i32.const 600) (i32.const 4)))
      (if (result i32) (i32.eq (local.get $r) (i32.const -1))
        (then (call $wait (global.get $client_rx)))
        (else (call $ret (local.get $r)) (i32.const 0))))
    (func $connected (result i32)
      (global.set $server_w (call $connection (i32.load (i32.const 128))))
      (drop (call $connection (global.get $client)))
      (global.set $client_rx (i32.load (i32.const 0)))
      (i32.store (i32.const 512) (i32.const 0x676e6970))
      (if (i32.eq (call $write (global.get $server_w) (i32.const 512) (i32.const 4)) (i32.const -1))
        (then (return (call $wait (global.get $server_w)))))
      (call $read_client))
    (func $one_less (result i32)
      (global.set $waiting (i32.sub (global.get $waiting) (i32.const 1)))
      (if (result i32) (i32.eqz (global.get $waiting))
        (then (call $connected))
        (else (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
    (func (export "ping-pong") (result i32) (local $listener i32) (local $conns i32) (local $r i32)
      (global.set $ws (call $ws_new))
      (local.set $listener (call $new_socket))
      (call $bind (local.get $listener) (i32.const 0) (i32.const 0) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 32))
      (call $listen (local.get $listener) (i32.const 0))
      (local.set $conns (i32.load (i32.const 4)))
      (global.set $client (call $new_socket))
      (call $local (local.get $listener) (i32.const 0))
      ;; connect's parameters (handle, ip-socket-address) at 64: the listener's address from 4.
      (i32.store (i32.const 64) (global.get $client))
      (i64.store (i32.const 68) (i64.load (i32.const 4)))
      (i64.store (i32.const 76) (i64.load (i32.const 12)))
      (global.set $waiting (i32.const 2))
      (local.set $r (call $connect (i32.const 64) (i32.const 96)))
      (if (i32.eq (i32.and (local.get $r) (i32.const 15)) (i32.const 2))
        (then (global.set $waiting (i32.const 1)))
        (else (call $join (i32.shr_u (local.get $r) (i32.const 4)) (global.get $ws))))
      (local.set $r (call $accept (local.get $conns) (i32.const 128) (i32.const 1)))
      (if (i32.eq (local.get $r) (i32.const -1))
        (then (call $join (local.get $conns) (global.get $ws)) (return (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))))
      (call $one_less))
    (func (export "cb") (param $event i32) (param $h i32) (param $payload i32) (result i32)
      (if (i32.eq (local.get $h) (global.get $client_rx))
        (then (call $ret (local.get $payload)) (return (i32.const 0))))
      (call $join (local.get $h) (i32.const 0))
      (if (i32.eq (local.get $h) (global.get $server_w))
        (then (return (call $read_client))))
      (call $one_less)))
  (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "" (instance
    (export "create" (func $create)) (export "bind" (func $bind)) (export "connect" (func $connect))
    (export "listen" (func $listen)) (export "local" (func $local))
    (export "send" (func $send)) (export "receive" (func $receive))
    (export "new" (func $new)) (export "write" (func $write)) (export "read" (func $read)) (export "accept" (func $accept))
    (export "drop" (func $drop)) (export "ws.new" (func $ws_new)) (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "ping-pong") async (result u32)
    (canon lift (core func $i "ping-pong") async (memory $mem) (callback (core func $i "cb"))))
)`;



const COMPLETED = 0;

describe("wasi:sockets@0.3.0", () => {
  it("a UDP socket bound to 0.0.0.0 and connected to 127.0.0.1 reports 127.0.0.1 as its local address", async () => {
    expect(await call(UDP_LOCAL, "local-after-connect", [])).toBe(new DataView(Uint8Array.of(127, 0, 0, 1).buffer).getUint32(0, true));
  });

  it("a TCP ping over the streams of a connected pair is read whole: COMPLETED with 4 bytes", async () => {
    expect(await orHang(call(tcpPingPong({ dropServer: false }), "ping-pong", []))).toBe((4 << 4) | COMPLETED);
  }, 20_000);

  it("bytes a guest wrote before dropping its socket arrive before the FIN (COMPLETED, not DROPPED)", async () => {
    expect(await orHang(call(tcpPingPong({ dropServer: true }), "ping-pong", []))).toBe((4 << 4) | COMPLETED);
  }, 20_000);
});
