import { describe, expect, it } from "vitest";
import { ByteQueue, liftedBytesToReadable, type LiftedByteStream } from "./streams";

async function collect(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return out;
}

describe("liftedBytesToReadable", () => {
  it("reads many bytes per pull when the engine offers read({count})", async () => {
    const chunks = [Uint8Array.of(1, 2, 3), Uint8Array.of(4)];
    const counts: number[] = [];
    const lifted = {
      async *[Symbol.asyncIterator]() {},
      async read({ count }: { count: number }) {
        counts.push(count);
        const value = chunks.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
    } as LiftedByteStream;
    expect(await collect(liftedBytesToReadable(lifted))).toEqual([1, 2, 3, 4]);
    expect(counts.every((c) => c > 1)).toBe(true);
  });

  it("falls back to element-wise async iteration", async () => {
    const lifted = (async function* () {
      yield 7;
      yield 8;
    })() as LiftedByteStream;
    expect(await collect(liftedBytesToReadable(lifted))).toEqual([7, 8]);
  });

  it("does not pull from the guest before the consumer asks (backpressure)", async () => {
    let reads = 0;
    const lifted = {
      async *[Symbol.asyncIterator]() {},
      async read() {
        reads++;
        return { value: Uint8Array.of(1), done: false };
      },
    } as LiftedByteStream;
    const readable = liftedBytesToReadable(lifted);
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toBe(0);
    const reader = readable.getReader();
    await reader.read();
    expect(reads).toBe(1);
  });
});

describe("ByteQueue", () => {
  it("shares one byte sequence between takers and a readable view", async () => {
    const q = new ByteQueue();
    q.push(new TextEncoder().encode("hello world"));
    expect(new TextDecoder().decode(q.take(6))).toBe("hello ");
    q.close();
    expect(new TextDecoder().decode(Uint8Array.from(await collect(q.toReadable())))).toBe("world");
  });

  it("waits for data until pushed or closed", async () => {
    const q = new ByteQueue();
    let woke = false;
    const p = q.ready().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    q.push(Uint8Array.of(1));
    await p;
    expect(woke).toBe(true);
  });
});
