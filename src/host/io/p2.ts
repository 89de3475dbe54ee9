/** wasi:io@0.2.x (error, poll, streams): the 0.2 resources that cli, clocks and filesystem hand out. */
import type * as Poll from "../generated/host-p2/interfaces/wasi-io-poll.js";
import type * as Streams from "../generated/host-p2/interfaces/wasi-io-streams.js";
import type { ByteQueue } from "../streams";
import type { OutputSink } from "../cli/ctx";
import { alwaysReady, NeedsJspiError, type BlockingCtx, type Readiness } from "./ctx";

/** The largest write `check-write` permits at once. */
export const WRITE_BUDGET = 1024 * 1024;

export function createIoP2(blocking: BlockingCtx) {
  /** Waits for `readiness`, suspending through JSPI where allowed. */
  function waitFor(readiness: Readiness, call: string): void | Promise<void> {
    if (readiness.isReady()) return;
    if (!blocking.canSuspend) throw new NeedsJspiError(call);
    return readiness.whenReady();
  }

  class IoError {
    constructor(readonly message: string) {}
    toDebugString(): string {
      return this.message;
    }
  }

  class Pollable {
    constructor(readonly readiness: Readiness) {}
    ready(): boolean {
      return this.readiness.isReady();
    }
    block(): void {
      return waitFor(this.readiness, "wasi:io/poll#[method]pollable.block") as void;
    }
  }

  function poll(list: Pollable[]): Uint32Array {
    if (list.length === 0) throw new Error("wasi:io/poll#poll: the list of pollables is empty (the guest broke the rule that it must not be)");
    const ready = () => Uint32Array.from(list.flatMap((p, i) => (p.ready() ? [i] : [])));
    const now = ready();
    if (now.length > 0) return now;
    if (!blocking.canSuspend) throw new NeedsJspiError("wasi:io/poll#poll");
    return Promise.race(list.map((p) => p.readiness.whenReady())).then(ready) as unknown as Uint32Array;
  }

  class InputStream {
    constructor(readonly source: ByteQueue) {}
    #readiness: Readiness = {
      isReady: () => this.source.isReady,
      whenReady: () => this.source.ready(),
    };
    read(len: bigint): Uint8Array {
      const bytes = this.source.take(Number(len));
      if (bytes.length === 0 && len > 0n && this.source.closed && this.source.available === 0) throw { tag: "closed" };
      return bytes;
    }
    blockingRead(len: bigint): Uint8Array {
      if (len === 0n || this.source.isReady) return this.read(len);
      if (!blocking.canSuspend) throw new NeedsJspiError("wasi:io/streams#[method]input-stream.blocking-read");
      return this.source.ready().then(() => this.read(len)) as unknown as Uint8Array;
    }
    skip(len: bigint): bigint {
      return BigInt(this.read(len).length);
    }
    blockingSkip(len: bigint): bigint {
      const r = this.blockingRead(len) as Uint8Array | Promise<Uint8Array>;
      if (r instanceof Promise) return r.then((b) => BigInt(b.length)) as unknown as bigint;
      return BigInt(r.length);
    }
    subscribe(): Pollable {
      return new Pollable(this.#readiness);
    }
  }

  class OutputStream {
    constructor(readonly sink: OutputSink) {}
    checkWrite(): bigint {
      return BigInt(WRITE_BUDGET);
    }
    write(contents: Uint8Array): void {
      if (contents.length > WRITE_BUDGET) throw { tag: "last-operation-failed", val: new IoError("write larger than check-write permitted") };
      // The guest's memory view may be reused after we return: copy.
      this.sink.write(contents.slice());
    }
    blockingWriteAndFlush(contents: Uint8Array): void {
      this.sink.write(contents.slice());
    }
    flush(): void {}
    blockingFlush(): void {}
    subscribe(): Pollable {
      return new Pollable(alwaysReady);
    }
    writeZeroes(len: bigint): void {
      this.write(new Uint8Array(Number(len)));
    }
    blockingWriteZeroesAndFlush(len: bigint): void {
      this.sink.write(new Uint8Array(Number(len)));
    }
    splice(src: InputStream, len: bigint): bigint {
      const bytes = src.read(len);
      this.sink.write(bytes.slice());
      return BigInt(bytes.length);
    }
    blockingSplice(src: InputStream, len: bigint): bigint {
      const bytes = src.blockingRead(len) as Uint8Array | Promise<Uint8Array>;
      const finish = (b: Uint8Array) => {
        this.sink.write(b.slice());
        return BigInt(b.length);
      };
      return bytes instanceof Promise ? (bytes.then(finish) as unknown as bigint) : finish(bytes);
    }
  }

  return {
    Pollable,
    InputStream,
    OutputStream,
    IoError,
    interfaces: {
      "wasi:io/error@0.2.12": { Error: IoError },
      "wasi:io/poll@0.2.12": { Pollable, poll } satisfies Record<keyof typeof Poll, unknown>,
      "wasi:io/streams@0.2.12": { InputStream, OutputStream } satisfies Record<keyof typeof Streams, unknown>,
    },
  };
}

export type IoP2 = ReturnType<typeof createIoP2>;
