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

/** Settles as `f`, or as "hang" when the guest is still waiting after `ms`: a hang fails, not times out. */
const orHang = <T>(f: Promise<T>, ms = 2000): Promise<T | "hang"> =>
  Promise.race([f, new Promise<"hang">((r) => setTimeout(() => r("hang"), ms).unref())]);

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
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $at i32)
      (local.set $at (global.get $next))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
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
  });
});
