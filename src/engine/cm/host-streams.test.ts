/**
 * The host edge of streams: a host `ReadableStream` read by a guest, driven through a tiny
 * component in component WAT.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";

/**
 * `probe(s)`: one zero-length async `stream.read` of `s`. Returns the read's packed result
 * (`count << 4 | CopyResult`), plus 0x1000 when the read first blocked and came as an event.
 */
const PROBE = `(component
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (type $st (stream u8))
  (core func $read (canon stream.read $st async (memory $mem)))
  (core func $ws_new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result u32)))
  (core module $m
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "ws.new" (func $ws_new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "probe") (param $s i32) (result i32) (local $r i32) (local $ws i32)
      (local.set $r (call $read (local.get $s) (i32.const 0) (i32.const 0)))
      (if (i32.ne (local.get $r) (i32.const -1))
        (then (call $ret (local.get $r)) (return (i32.const 0))))
      (local.set $ws (call $ws_new))
      (call $join (local.get $s) (local.get $ws))
      (i32.or (i32.const 2) (i32.shl (local.get $ws) (i32.const 4))))
    (func (export "cb") (param i32 i32 i32) (result i32)
      (call $ret (i32.or (i32.const 0x1000) (local.get 2)))
      (i32.const 0)))
  (core instance $i (instantiate $m (with "" (instance
    (export "read" (func $read)) (export "ws.new" (func $ws_new))
    (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "probe") async (param "s" $st) (result u32)
    (canon lift (core func $i "probe") async (memory $mem) (callback (core func $i "cb"))))
)`;

async function probe(stream: ReadableStream<Uint8Array>): Promise<number> {
  const engine = new CmEngine();
  const prepared = await engine.prepare(await parse(PROBE), "probe");
  const inst = engine.instantiate(prepared, { resolveImport: () => undefined }, "probe.wasm");
  return (await inst.call(inst.func(null, "probe")!, [stream])) as number;
}

const BLOCKED_THEN = 0x1000;
const COMPLETED = 0;
const DROPPED = 1;
const later = (f: (c: ReadableStreamDefaultController<Uint8Array>) => void) =>
  new ReadableStream<Uint8Array>({ start: (c) => void setTimeout(() => f(c), 10) }, { highWaterMark: 0 });

/**
 * `pair(trap)`: task.return of a tuple of a stream and the number 5. Without `trap` the stream's
 * writable end is dropped first (the stream is empty); with it, the task yields and its callback
 * traps, leaving the stream open.
 */
const PAIR = `(component
  (type $st (stream u8))
  (type $pair (tuple $st u32))
  (core func $new (canon stream.new $st))
  (core func $drop_w (canon stream.drop-writable $st))
  (core func $ret (canon task.return (result $pair)))
  (core module $m
    (import "" "new" (func $new (result i64)))
    (import "" "drop-w" (func $drop_w (param i32)))
    (import "" "ret" (func $ret (param i32 i32)))
    (func (export "pair") (param $trap i32) (result i32) (local $ends i64)
      (local.set $ends (call $new))
      (if (i32.eqz (local.get $trap))
        (then (call $drop_w (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))))
      (call $ret (i32.wrap_i64 (local.get $ends)) (i32.const 5))
      (local.get $trap))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance
    (export "new" (func $new)) (export "drop-w" (func $drop_w)) (export "ret" (func $ret))))))
  (func (export "pair") async (param "trap" bool) (result $pair)
    (canon lift (core func $i "pair") async (callback (core func $i "cb"))))
)`;

async function pair(trap: boolean) {
  const engine = new CmEngine();
  const inst = engine.instantiate(await engine.prepare(await parse(PAIR), "pair"), { resolveImport: () => undefined }, "pair.wasm");
  return (await inst.call(inst.func(null, "pair")!, [trap])) as [AsyncIterable<number>, number];
}

async function drain(stream: AsyncIterable<number>): Promise<number[]> {
  const got: number[] = [];
  for await (const b of stream) got.push(b);
  return got;
}

describe("a guest's stream handed to the host", () => {
  it("inside a tuple result is a host stream view too", async () => {
    const [stream, n] = await pair(false);
    expect(n).toBe(5);
    expect(await drain(stream)).toEqual([]);
  });

  it("a trap after the guest returned its stream fails the host's pending read", async () => {
    const [stream] = await pair(true);
    await expect(drain(stream)).rejects.toThrow(/pair\.wasm.*unreachable/);
  });
});

describe("a guest reading a host stream", () => {
  it("a zero-length read waits until the host has elements, then completes with none", async () => {
    expect(await probe(later((c) => c.enqueue(Uint8Array.of(1, 2, 3))))).toBe(BLOCKED_THEN | COMPLETED);
  });

  it("a zero-length read of a host stream that ends reports DROPPED", async () => {
    expect(await probe(later((c) => c.close()))).toBe(BLOCKED_THEN | DROPPED);
  });
});
