/**
 * stream<T> and future<T> at the host edge: the guest's ends as Web Streams and Promises.
 *
 * Lifted streams (guest -> host) arrive from the engine as async iterables; engines that can read
 * many elements at once also offer `read({count})` (jco's host stream does). We adapt both into a
 * `ReadableStream<Uint8Array>` whose `pull` asks the guest for more only when the consumer wants it,
 * so the guest's writes block (backpressure) while nobody reads.
 */

/** What an engine hands the host for a `stream<u8>` the guest writes. */
export type LiftedByteStream = AsyncIterable<number> & {
  read?: (opts: { count: number }) => Promise<{ value: Uint8Array | number[] | number | undefined; done: boolean }>;
};

export const STREAM_CHUNK = 64 * 1024;

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

  /** A pull-based view: each pull hands out what is queued, waiting when nothing is. */
  toReadable(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          await this.ready();
          const bytes = this.take(STREAM_CHUNK);
          if (bytes.length > 0) controller.enqueue(bytes);
          else if (this.#closed) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
