/**
 * stream<T> and future<T> at the host edge: the guest's ends as Web Streams and Promises.
 *
 * Lifted streams (guest -> host) arrive from the engine as async iterables; engines that can read
 * many elements at once also offer `read({count})` (jco's host stream does). We adapt both into a
 * `ReadableStream<Uint8Array>` whose `pull` asks the guest for more only when the consumer wants it,
 * so the guest's writes block (backpressure) while nobody reads. Streams the host writes are
 * ReadableStreams pulled by the guest, so the host reads its source no faster than the guest.
 */

/** What an engine hands the host for a `stream<u8>` the guest writes. */
export type LiftedByteStream = AsyncIterable<number> & {
  read?: (opts: { count: number }) => Promise<{ value: Uint8Array | number[] | number | undefined; done: boolean }>;
};

/** What an engine hands the host for a `stream<T>` the guest writes. */
export type LiftedStream<T> = [T] extends [number] ? LiftedByteStream : AsyncIterable<T>;

/**
 * What the host may hand an engine for a `stream<T>` it writes: a ReadableStream or async iterable
 * of elements, and for numbers (WASI's only numeric stream is `stream<u8>`) of byte chunks too.
 */
export type HostStream<T> = ReadableStream<T> | AsyncIterable<T> | ([T] extends [number] ? ReadableStream<Uint8Array> : never);

/** How a stream ended, the value of its completion future: WASI's `future<result<_, error-code>>`. */
export type Completion<E> = { tag: "ok"; val: undefined } | { tag: "err"; val: E };

const ENDED: Completion<never> = { tag: "ok", val: undefined };

export const STREAM_CHUNK = 64 * 1024;

/** Where the elements of a stream the host writes come from (`streamWithCompletion`). */
export interface StreamSource<T, E> {
  /** The next element (or byte chunk), undefined at the end; a throw ends the stream with an error. */
  next(): Promise<T | undefined>;
  /** The interface's error-code for a failure; throws again what is not one (our bug, not the guest's). */
  errorCode(err: unknown): E;
  /** The guest dropped the stream before its end: let go of the source; returns its failure, if any. */
  cancel?(): unknown;
  /** Settles with the source's failure as soon as it fails, even while the guest is not reading. */
  failed?: Promise<unknown>;
}

/**
 * A `stream<T>` the host writes, and the future that says how it ended (`read-via-stream`,
 * `read-directory`, `receive`). Each pull of the guest takes one element or chunk from the source.
 */
export function streamWithCompletion<T, E>(source: StreamSource<T, E>): [ReadableStream<T>, Promise<Completion<E>>] {
  let settle!: (c: Completion<E>) => void;
  const done = new Promise<Completion<E>>((resolve) => (settle = resolve));
  const failure = (err: unknown): Completion<E> => ({ tag: "err", val: source.errorCode(err) });
  void source.failed?.then((err) => settle(failure(err)));
  const stream = new ReadableStream<T>(
    {
      async pull(controller) {
        try {
          const item = await source.next();
          if (item !== undefined) controller.enqueue(item);
          else {
            controller.close();
            settle(ENDED);
          }
        } catch (err) {
          controller.close();
          settle(failure(err));
        }
      },
      cancel() {
        const err = source.cancel?.();
        settle(err ? failure(err) : ENDED);
      },
    },
    { highWaterMark: 0 },
  );
  return [stream, done];
}

/** Where the bytes of a stream the guest writes go (`drainBytes`). */
export interface ByteDrain<E> {
  /** Takes one chunk; the next is read once this settles. */
  write(chunk: Uint8Array): void | Promise<void>;
  /** The stream ended and every chunk was written. */
  close?(): void;
  /** The interface's error-code for a failure; throws again what is not one (our bug, not the guest's). */
  errorCode(err: unknown): E;
}

/**
 * Reads a `stream<u8>` the guest writes to its end into `drain` (`write-via-stream`, `send`) and
 * resolves with how it ended. The guest's writes wait while a chunk is written; a failure stops
 * reading and drops the guest's stream. `stop` ends it early, as if the guest had ended its
 * stream: a chunk being written is written first, and the guest's stream is dropped.
 */
export async function drainBytes<E>(data: LiftedByteStream, drain: ByteDrain<E>, stop?: AbortSignal): Promise<Completion<E>> {
  const reader = liftedBytesToReadable(data).getReader();
  stop?.addEventListener("abort", () => void reader.cancel().catch(() => {}), { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      await drain.write(value);
    }
    drain.close?.();
    return ENDED;
  } catch (err) {
    void reader.cancel().catch(() => {});
    return { tag: "err", val: drain.errorCode(err) };
  }
}

/**
 * Lets go of a `stream<u8>` the guest writes without reading any of it (a call that fails before
 * it reads its data): the guest's writes end DROPPED instead of waiting for a reader forever.
 */
export function refuseBytes(data: LiftedByteStream): void {
  void liftedBytesToReadable(data).cancel();
}

/** Adapts a guest-written `stream<u8>` to a byte `ReadableStream`, pulling only on demand. */
export function liftedBytesToReadable(stream: LiftedByteStream): ReadableStream<Uint8Array> {
  const read = stream.read?.bind(stream);
  if (read) {
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { value, done } = await read({ count: STREAM_CHUNK });
          if (done) {
            controller.close();
            return;
          }
          const bytes = toBytes(value);
          if (bytes.length > 0) controller.enqueue(bytes);
        },
        cancel() {
          (stream as { return?: () => unknown }).return?.();
        },
      },
      { highWaterMark: 0 },
    );
  }
  const it = stream[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(toBytes(value));
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

function toBytes(value: Uint8Array | number[] | number | undefined): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return Uint8Array.from(value);
  if (typeof value === "number") return Uint8Array.of(value);
  return new Uint8Array(0);
}

/**
 * A byte source shared by the 0.2 and 0.3 views of one stdin: whatever one view consumes, the
 * other does not see again. Closed when the run's stdin ends.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #closed = false;
  #waiters: Array<() => void> = [];

  push(bytes: Uint8Array): void {
    if (this.#closed) throw new Error("stdin is already closed");
    if (bytes.length > 0) this.#chunks.push(bytes);
    this.#wake();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes available right now, without waiting. */
  get available(): number {
    let n = 0;
    for (const c of this.#chunks) n += c.length;
    return n;
  }

  /** Takes up to `max` bytes that are available now (possibly none). */
  take(max: number): Uint8Array {
    const first = this.#chunks[0];
    if (!first || max <= 0) return new Uint8Array(0);
    if (first.length <= max) {
      this.#chunks.shift();
      return first;
    }
    this.#chunks[0] = first.subarray(max);
    return first.subarray(0, max);
  }

  /** Resolves when bytes are available or the queue is closed. */
  ready(): Promise<void> {
    if (this.#chunks.length > 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  get isReady(): boolean {
    return this.#chunks.length > 0 || this.#closed;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
