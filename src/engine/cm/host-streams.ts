/**
 * The host's edges of streams and futures (jco's conventions, DESIGN.md "Host imports"): a JS
 * `ReadableStream` / async iterable or a Promise from the host becomes the readable side a guest's
 * end copies from, and a readable side the guest hands to the host becomes an async iterable with
 * `read({count})` or a Promise. The spec's state these plug into is in streams.ts.
 */
import type { ComponentInstance, Store } from "./instance";
import {
  CopyResult,
  SharedFutureImpl,
  SharedStreamImpl,
  type Elements,
  type OnCopy,
  type OnCopyDone,
  type ReadableFutureLike,
  type ReadableStreamLike,
  type WritableBuffer,
} from "./streams";
import type { ValType } from "./types";

/** The trace's instance number for the host (its lane). */
const HOST_INSTANCE = 0;

/**
 * A host-side buffer collecting up to `length` elements (the host reading a guest's stream): into
 * `into` when the host reads bytes into a buffer of its own, else into copies it keeps.
 */
class HostWritableBuffer implements WritableBuffer {
  progress = 0;
  readonly #chunks: Elements[] = [];
  constructor(
    readonly t: ValType | null,
    readonly length: number,
    private readonly into?: Uint8Array,
  ) {}
  remain(): number {
    return this.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.length === 0;
  }
  write(vs: Elements): void {
    // `vs` may be a view of the writer's memory (see ReadableBufferGuestImpl): copied now.
    if (this.into) this.into.set(vs as Uint8Array, this.progress);
    else this.#chunks.push(ArrayBuffer.isView(vs) ? (vs as Uint8Array).slice() : vs);
    this.progress += vs.length;
  }
  /** What was written, as one chunk. */
  take(): Elements {
    if (this.into) return this.into.subarray(0, this.progress);
    if (this.#chunks.length === 1) return this.#chunks[0]!;
    if (this.t === "u8") {
      const out = new Uint8Array(this.progress);
      let at = 0;
      for (const c of this.#chunks) {
        out.set(c as Uint8Array, at);
        at += c.length;
      }
      return out;
    }
    return this.#chunks.flatMap((c) => Array.from(c));
  }
}

// ---------------------------------------------------------------- host -> guest

type JsSource = ReadableStream<unknown> | AsyncIterable<unknown>;

const isJsSource = (v: unknown): v is JsSource =>
  typeof v === "object" && v !== null && (v instanceof ReadableStream || Symbol.asyncIterator in (v as object));

/** A host-produced stream the guest reads from (the host returned a ReadableStream or async iterable). */
class HostSourceStream implements ReadableStreamLike {
  readonly id: number;
  #next: () => Promise<IteratorResult<unknown>>;
  #close: () => void;
  #queue: Elements | null = null;
  #queueAt = 0;
  #done = false;
  #pulling = false;
  #pending: { dst: WritableBuffer; onCopyDone: OnCopyDone } | null = null;

  constructor(
    readonly t: ValType | null,
    source: JsSource,
    private readonly store: Store,
    /** The host function that returned it: names the host's writes in the trace. */
    private readonly label?: string,
  ) {
    this.id = store.streamId();
    if (source instanceof ReadableStream) {
      const reader = source.getReader();
      this.#next = () => reader.read() as Promise<IteratorResult<unknown>>;
      this.#close = () => void reader.cancel().catch(() => {});
    } else {
      const it = source[Symbol.asyncIterator]();
      this.#next = () => it.next();
      this.#close = () => void it.return?.()?.catch?.(() => {});
    }
  }

  #available(): number {
    return this.#queue ? this.#queue.length - this.#queueAt : 0;
  }

  #deliver(): void {
    const p = this.#pending;
    if (!p) return;
    // Like a pending writer in `SharedStreamImpl.read`: a read (also a zero-length one, which asks
    // "is the writer ready?") completes once the host has elements, and waits until then.
    if (this.#available() > 0) {
      const n = Math.min(this.#available(), p.dst.remain());
      const q = this.#queue!;
      if (n > 0) {
        const at = this.#queueAt;
        p.dst.write(ArrayBuffer.isView(q) ? (q as Uint8Array).subarray(at, at + n) : Array.prototype.slice.call(q, at, at + n));
        this.#queueAt += n;
        this.store.trace?.streamWrite(HOST_INSTANCE, 0, this.id, n, this.label);
      }
      this.#pending = null;
      p.onCopyDone(CopyResult.COMPLETED);
    } else if (this.#done) {
      this.#pending = null;
      p.onCopyDone(CopyResult.DROPPED);
    } else this.#pull();
  }

  #pull(): void {
    if (this.#pulling || this.#done) return;
    this.#pulling = true;
    const release = this.store.hold();
    this.#next().then(
      ({ value, done }) => {
        release();
        this.#pulling = false;
        if (done) this.#done = true;
        else {
          this.#queue = this.t === "u8" ? toBytes(value) : Array.isArray(value) || ArrayBuffer.isView(value) ? (value as Elements) : [value];
          this.#queueAt = 0;
        }
        this.#deliver();
      },
      (err: unknown) => {
        release();
        this.store.fail(err);
      },
    );
  }

  read(_inst: ComponentInstance | null, dst: WritableBuffer, _onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.#pending = { dst, onCopyDone };
    this.#deliver();
  }
  cancel(): void {
    const p = this.#pending;
    this.#pending = null;
    p?.onCopyDone(CopyResult.CANCELLED);
  }
  drop(): void {
    this.#pending = null;
    this.#done = true;
    this.#close();
  }
}

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "number") return Uint8Array.of(v);
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return new Uint8Array(0);
}

/** A host Promise the guest reads as a future. */
class HostSourceFuture implements ReadableFutureLike {
  readonly id: number;
  #settled: { value: unknown } | null = null;
  #pending: { dst: WritableBuffer; onCopyDone: OnCopyDone } | null = null;
  constructor(
    readonly t: ValType | null,
    promise: PromiseLike<unknown>,
    store: Store,
  ) {
    this.id = store.streamId();
    const release = store.hold();
    promise.then(
      (value) => {
        release();
        this.#settled = { value };
        this.#deliver();
      },
      (err: unknown) => {
        release();
        store.fail(err);
      },
    );
  }
  #deliver(): void {
    const p = this.#pending;
    if (!p || !this.#settled) return;
    this.#pending = null;
    p.dst.write([this.#settled.value]);
    p.onCopyDone(CopyResult.COMPLETED);
  }
  read(_inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    this.#pending = { dst, onCopyDone };
    this.#deliver();
  }
  cancel(): void {
    const p = this.#pending;
    this.#pending = null;
    p?.onCopyDone(CopyResult.CANCELLED);
  }
  drop(): void {
    this.#pending = null;
  }
}

/**
 * The readable side for a stream value being lowered into a guest: a guest's or host's stream
 * passed on as it is, a host `ReadableStream` or async iterable wrapped (`label`, the host
 * function that returned it, names its writes in the trace); null for anything else.
 */
export function readableStreamFrom(v: unknown, t: ValType | null, store: Store, label?: string): ReadableStreamLike | null {
  if (v instanceof SharedStreamImpl || v instanceof HostSourceStream) return v;
  if (isJsSource(v)) return new HostSourceStream(t, v, store, label);
  return null;
}

/** The readable side for a future value being lowered into a guest: a Promise, or a value it resolves to at once. */
export function readableFutureFrom(v: unknown, t: ValType | null, store: Store): ReadableFutureLike {
  if (v instanceof SharedFutureImpl || v instanceof HostSourceFuture) return v;
  if (typeof (v as PromiseLike<unknown> | null)?.then === "function") return new HostSourceFuture(t, v as PromiseLike<unknown>, store);
  return new HostSourceFuture(t, Promise.resolve(v), store);
}

// ---------------------------------------------------------------- guest -> host

/**
 * What the host gets for a guest's readable stream: an async iterable of elements, plus
 * `read({count})` as jco's host streams offer it; a byte stream also reads into a buffer of the
 * host's own (`read({into})`, like a BYOB reader: the value is a view of `into`), so a host that
 * consumes the bytes at once allocates nothing per read.
 */
interface HostStreamView extends AsyncIterable<unknown> {
  read(opts?: { count?: number; into?: Uint8Array }): Promise<{ value: Elements | undefined; done: boolean }>;
  return(): Promise<IteratorResult<unknown>>;
}

/**
 * A trap ends the run, and with it every copy a host is waiting for: its pending read rejects with
 * the trap instead of waiting for elements that will never come. Listens only while a copy is
 * pending, so a stream read many times leaves no listener behind.
 */
function failingWith(store: Store): { watch(reject: (err: unknown) => void): void; done(): void } {
  let stop: (() => void) | null = null;
  return {
    watch: (reject) => {
      if (store.failed !== undefined) reject(store.failed);
      else stop = store.onFailure(reject);
    },
    done: () => {
      stop?.();
      stop = null;
    },
  };
}

/**
 * The host's view of a guest stream. `label` (the host function it was passed to) names the host's
 * reads in the trace, where they pair with the guest's writes as transfers.
 */
function streamForHost(shared: ReadableStreamLike, store: Store, label?: string): HostStreamView {
  let done = false;
  // A guest writer waits for the host's reads, which may come at any time until the view closes.
  const release = store.hold();
  const failure = failingWith(store);
  const read = (opts?: { count?: number; into?: Uint8Array }): Promise<{ value: Elements | undefined; done: boolean }> => {
    if (done) return Promise.resolve({ value: undefined, done: true });
    const into = opts?.into;
    if (into && (shared.t !== "u8" || into.length === 0)) return Promise.reject(new TypeError(shared.t !== "u8" ? "read({into}) reads bytes, and this stream does not carry bytes" : "read({into}) needs room for at least one byte"));
    const buf = into ? new HostWritableBuffer(shared.t, into.length, into) : new HostWritableBuffer(shared.t, Math.max(1, opts?.count ?? 64 * 1024));
    return new Promise((resolve, reject) => {
      failure.watch(reject);
      const finish = (result: CopyResult) => {
        failure.done();
        if (buf.progress > 0) {
          store.trace?.streamRead(HOST_INSTANCE, 0, shared.id, buf.progress, label);
          resolve({ value: buf.take(), done: false });
        } else if (result === CopyResult.DROPPED) {
          done = true;
          release();
          resolve({ value: undefined, done: true });
        } else resolve({ value: shared.t === "u8" ? new Uint8Array(0) : [], done: false });
      };
      shared.read(
        null,
        buf,
        (reclaim) => {
          reclaim();
          finish(CopyResult.COMPLETED);
        },
        finish,
      );
    });
  };
  const view: HostStreamView = {
    read,
    async return() {
      done = true;
      release();
      shared.drop();
      return { value: undefined, done: true };
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const { value, done: end } = await read();
        if (end || !value) return;
        for (let i = 0; i < value.length; i++) yield value[i];
      }
    },
  };
  return view;
}

function futureForHost(shared: ReadableFutureLike, store: Store): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const failure = failingWith(store);
    failure.watch(reject);
    const buf = new HostWritableBuffer(shared.t, 1);
    shared.read(null, buf, (result) => {
      failure.done();
      if (result === CopyResult.COMPLETED) resolve(buf.take()[0]);
      else reject(new Error("the guest dropped a future without writing its value"));
    });
  });
}

/**
 * A lifted value as the host expects it: guest stream and future ends become host views, also
 * inside tuples, records, variants and lists (lifted values are fresh, so they are changed in place).
 */
export function valueForHost(v: unknown, store: Store, label?: string): unknown {
  // A stream or future the host made and the guest passes back (a request body a handler returns
  // as its response body) is read through the same view: the guest may have taken part of it.
  if (v instanceof SharedStreamImpl || v instanceof HostSourceStream) return streamForHost(v, store, label);
  if (v instanceof SharedFutureImpl || v instanceof HostSourceFuture) return futureForHost(v, store);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = valueForHost(v[i], store, label);
  } else if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = valueForHost(o[k], store, label);
  }
  return v;
}
