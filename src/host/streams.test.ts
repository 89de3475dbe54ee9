import { describe, expect, it } from "vitest";
import { ByteQueue, drainBytes, liftedBytesToReadable, streamWithCompletion, type LiftedByteStream } from "./streams";

async function collect(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  return [...new Uint8Array(await new Response(stream).arrayBuffer())];
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
  it("hands out one byte sequence to every taker", () => {
    const q = new ByteQueue();
    q.push(new TextEncoder().encode("hello world"));
    expect(new TextDecoder().decode(q.take(6))).toBe("hello ");
    expect(new TextDecoder().decode(q.take(100))).toBe("world");
    expect(q.take(1).length).toBe(0);
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

/** A guest-written stream<u8> as engines lift it, remembering whether the host dropped it. */
function guestBytes(...chunks: number[][]): LiftedByteStream & { dropped: boolean } {
  const queue = chunks.map((c) => Uint8Array.from(c));
  const lifted = {
    dropped: false,
    async *[Symbol.asyncIterator]() {},
    async read() {
      const value = queue.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
    return() {
      lifted.dropped = true;
    },
  };
  return lifted;
}

class WasiFailure extends Error {}
const codeOf = (err: unknown): string => {
  if (err instanceof WasiFailure) return err.message;
  throw err;
};

describe("streamWithCompletion", () => {
  it("takes from the source only as the guest pulls, then completes ok at the end", async () => {
    const items = ["a", "b"];
    let taken = 0;
    const [stream, done] = streamWithCompletion<string, string>({
      next: async () => {
        taken++;
        return items.shift();
      },
      errorCode: codeOf,
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(taken).toBe(0);
    const reader = stream.getReader();
    expect(await reader.read()).toEqual({ value: "a", done: false });
    expect(taken).toBe(1);
    expect(await reader.read()).toEqual({ value: "b", done: false });
    expect(await reader.read()).toEqual({ value: undefined, done: true });
    expect(await done).toEqual({ tag: "ok", val: undefined });
  });

  it("ends the stream on a failure and completes with its error-code", async () => {
    const [stream, done] = streamWithCompletion<string, string>({
      next: () => Promise.reject(new WasiFailure("no-entry")),
      errorCode: codeOf,
    });
    expect(await stream.getReader().read()).toEqual({ value: undefined, done: true });
    expect(await done).toEqual({ tag: "err", val: "no-entry" });
  });

  it("a guest that drops the stream early completes it with the source's failure, if any", async () => {
    for (const failure of [null, new WasiFailure("connection-reset")]) {
      let released = false;
      const [stream, done] = streamWithCompletion<string, string>({
        next: async () => "x",
        errorCode: codeOf,
        cancel: () => {
          released = true;
          return failure;
        },
      });
      await stream.cancel();
      expect(released).toBe(true);
      expect(await done).toEqual(failure ? { tag: "err", val: "connection-reset" } : { tag: "ok", val: undefined });
    }
  });

  it("a source that fails completes the future while nobody reads", async () => {
    const [, done] = streamWithCompletion<string, string>({
      next: () => new Promise(() => {}),
      errorCode: codeOf,
      failed: Promise.resolve(new WasiFailure("connection-aborted")),
    });
    expect(await done).toEqual({ tag: "err", val: "connection-aborted" });
  });
});

describe("drainBytes", () => {
  it("writes every chunk in order, waiting for each, then closes and completes ok", async () => {
    const written: number[][] = [];
    let inFlight = 0;
    let closed = false;
    const done = await drainBytes(guestBytes([1, 2], [3], [4, 5, 6]), {
      write: async (chunk) => {
        expect(inFlight).toBe(0);
        inFlight++;
        await new Promise((r) => setTimeout(r, 1));
        written.push([...chunk]);
        inFlight--;
      },
      close: () => (closed = true),
      errorCode: codeOf,
    });
    expect(done).toEqual({ tag: "ok", val: undefined });
    expect(written).toEqual([[1, 2], [3], [4, 5, 6]]);
    expect(closed).toBe(true);
  });

  it("a failed write completes with its error-code, stops reading and drops the guest's stream", async () => {
    const guest = guestBytes([1], [2], [3]);
    const written: number[] = [];
    let closed = false;
    const done = await drainBytes(guest, {
      write: (chunk) => {
        if (chunk[0] === 2) throw new WasiFailure("insufficient-space");
        written.push(...chunk);
      },
      close: () => (closed = true),
      errorCode: codeOf,
    });
    expect(done).toEqual({ tag: "err", val: "insufficient-space" });
    expect(written).toEqual([1]);
    expect(closed).toBe(false);
    expect(guest.dropped).toBe(true);
  });

  it("a failure that is not the interface's error rejects (our bug, not the guest's)", async () => {
    const bug = new TypeError("bug");
    await expect(drainBytes(guestBytes([1]), { write: () => Promise.reject(bug), errorCode: codeOf })).rejects.toBe(bug);
  });
});
