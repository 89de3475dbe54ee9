/** wasi:io@0.2.x (error, poll, streams): the 0.2 resources that cli, clocks and filesystem hand out. */
import type * as ErrorTypes from "../generated/host-p2/interfaces/wasi-io-error.js";
import type * as Poll from "../generated/host-p2/interfaces/wasi-io-poll.js";
import type * as Streams from "../generated/host-p2/interfaces/wasi-io-streams.js";
import type { P2, PackageP2 } from "../types";
import { alwaysReady, andThen, suspend, type BlockingCtx, type ByteSink, type ByteSource, type Readiness, type StreamFailure, type Suspendable, type Suspending } from "./ctx";

/** The largest write `check-write` permits at once. */
export const WRITE_BUDGET = 1024 * 1024;

/** The 0.2 calls that wait for something (wasi-libc's read, write and poll all come through here). */
export const ioP2Suspending = {
  "wasi:io/poll@0.2.12": ["poll", "[method]pollable.block"],
  "wasi:io/streams@0.2.12": [
    "[method]input-stream.blocking-read",
    "[method]input-stream.blocking-skip",
    "[method]output-stream.blocking-write-and-flush",
    "[method]output-stream.blocking-flush",
    "[method]output-stream.blocking-write-zeroes-and-flush",
    "[method]output-stream.blocking-splice",
  ],
} satisfies Suspending;

export function createIoP2(blocking: BlockingCtx) {
  /** Runs `then` now if `readiness` holds, else once it does (suspending the guest meanwhile). */
  function after<T>(readiness: Readiness, call: string, then: () => T): Suspendable<T> {
    if (readiness.isReady()) return then();
    return suspend(blocking, call, () => readiness.whenReady().then(then));
  }

  class IoError implements P2<ErrorTypes.Error> {
    constructor(
      readonly message: string,
      /** The error code of the interface whose stream failed (wasi:filesystem's `filesystem-error-code`). */
      readonly code?: string,
    ) {}
    toDebugString(): string {
      return this.message;
    }
  }

  const failed = (f: StreamFailure) => ({ tag: "last-operation-failed", val: new IoError(f.message, f.code) });

  class Pollable implements P2<Poll.Pollable> {
    constructor(readonly readiness: Readiness) {}
    ready(): boolean {
      return this.readiness.isReady();
    }
    block(): Suspendable<void> {
      return after(this.readiness, "wasi:io/poll#[method]pollable.block", () => undefined);
    }
  }

  function poll(list: Pollable[]): Suspendable<Uint32Array> {
    if (list.length === 0) throw new Error("wasi:io/poll#poll: the list of pollables is empty (the guest broke the rule that it must not be)");
    const ready = () => Uint32Array.from(list.flatMap((p, i) => (p.ready() ? [i] : [])));
    const any: Readiness = { isReady: () => list.some((p) => p.ready()), whenReady: () => Promise.race(list.map((p) => p.readiness.whenReady())) };
    return after(any, "wasi:io/poll#poll", ready);
  }

  class InputStream implements P2<Streams.InputStream> {
    constructor(readonly source: ByteSource) {}
    #readiness: Readiness = {
      isReady: () => this.source.isReady,
      whenReady: () => this.source.ready(),
    };
    read(len: bigint): Uint8Array {
      const bytes = this.source.take(Number(len));
      if (bytes.length > 0 || len === 0n) return bytes;
      if (this.source.failure) throw failed(this.source.failure);
      if (this.source.closed && this.source.available === 0) throw { tag: "closed" };
      return bytes;
    }
    blockingRead(len: bigint): Suspendable<Uint8Array> {
      if (len === 0n) return this.read(len);
      return after(this.#readiness, "wasi:io/streams#[method]input-stream.blocking-read", () => this.read(len));
    }
    skip(len: bigint): bigint {
      return BigInt(this.read(len).length);
    }
    blockingSkip(len: bigint): Suspendable<bigint> {
      if (len === 0n) return 0n;
      return after(this.#readiness, "wasi:io/streams#[method]input-stream.blocking-skip", () => BigInt(this.read(len).length));
    }
    subscribe(): Pollable {
      return new Pollable(this.#readiness);
    }
  }

  class OutputStream implements P2<Streams.OutputStream> {
    constructor(readonly sink: ByteSink) {}
    /** Ready for more once everything written so far has landed (or failed). */
    #drained: Readiness = {
      isReady: () => !this.sink.queued,
      whenReady: () => this.sink.drained?.() ?? Promise.resolve(),
    };
    #check(): void {
      if (this.sink.failure) throw failed(this.sink.failure);
    }
    /** Waits until the sink drained, then reports any failure. */
    #flushed(call: string): Suspendable<void> {
      return after(this.#drained, call, () => this.#check());
    }
    checkWrite(): bigint {
      this.#check();
      return BigInt(Math.max(0, WRITE_BUDGET - (this.sink.queued ?? 0)));
    }
    write(contents: Uint8Array): void {
      this.#check();
      if (contents.length > WRITE_BUDGET - (this.sink.queued ?? 0)) throw failed({ message: "write larger than check-write permitted" });
      // The guest's memory view may be reused after we return: copy.
      this.sink.write(contents.slice());
    }
    blockingWriteAndFlush(contents: Uint8Array): Suspendable<void> {
      this.#check();
      this.sink.write(contents.slice());
      return this.#flushed("wasi:io/streams#[method]output-stream.blocking-write-and-flush");
    }
    flush(): void {
      this.#check();
    }
    blockingFlush(): Suspendable<void> {
      return this.#flushed("wasi:io/streams#[method]output-stream.blocking-flush");
    }
    subscribe(): Pollable {
      return new Pollable(this.sink.queued === undefined ? alwaysReady : this.#drained);
    }
    writeZeroes(len: bigint): void {
      this.write(new Uint8Array(Number(len)));
    }
    blockingWriteZeroesAndFlush(len: bigint): Suspendable<void> {
      this.#check();
      this.sink.write(new Uint8Array(Number(len)));
      return this.#flushed("wasi:io/streams#[method]output-stream.blocking-write-zeroes-and-flush");
    }
    splice(src: InputStream, len: bigint): bigint {
      this.#check();
      const bytes = src.read(len);
      this.sink.write(bytes.slice());
      return BigInt(bytes.length);
    }
    blockingSplice(src: InputStream, len: bigint): Suspendable<bigint> {
      this.#check();
      return andThen(src.blockingRead(len), (bytes) => {
        this.sink.write(bytes.slice());
        return BigInt(bytes.length);
      });
    }
  }

  return {
    Pollable,
    InputStream,
    OutputStream,
    IoError,
    interfaces: {
      "wasi:io/error@0.2.12": { Error: IoError },
      "wasi:io/poll@0.2.12": { Pollable, poll },
      "wasi:io/streams@0.2.12": { InputStream, OutputStream },
    } satisfies PackageP2<"wasi:io">,
  };
}

export type IoP2 = ReturnType<typeof createIoP2>;
