/**
 * Streams and futures (CanonicalABI.md, "Runtime State": Buffer State, Stream State, Future State;
 * "Lifting and Lowering" of stream/future values), plus their host edges: a JS `ReadableStream` /
 * async iterable or a Promise from the host becomes a readable end the guest copies from, and a
 * readable end the guest hands to the host becomes an async iterable with `read({count})` or a Promise.
 */
import { assert } from "../../base/assert";
import { loadListFromValidRange, storeListIntoValidRange, layout, type LiftLowerContext } from "./abi";
import { Waitable } from "./handles";
import type { ComponentInstance, Store } from "./instance";
import type { ValType } from "./types";

export const enum CopyResult {
  COMPLETED = 0,
  DROPPED = 1,
  CANCELLED = 2,
}

export type ReclaimBuffer = () => void;
export type OnCopy = (reclaim: ReclaimBuffer) => void;
export type OnCopyDone = (result: CopyResult) => void;

/** Elements in flight: bytes for `u8`, typed arrays for other numbers, arrays otherwise. */
export type Elements = ArrayLike<unknown>;

export interface Buffer {
  readonly t: ValType | null;
  remain(): number;
  isZeroLength(): boolean;
  progress: number;
}
export interface ReadableBuffer extends Buffer {
  read(n: number): Elements;
}
export interface WritableBuffer extends Buffer {
  write(vs: Elements): void;
}

const MAX_BUFFER_LENGTH = 2 ** 28 - 1;

/** A guest's memory range: `ReadableBufferGuestImpl` / `WritableBufferGuestImpl`. */
export class GuestBuffer implements ReadableBuffer, WritableBuffer {
  progress = 0;
  readonly #size: number;
  constructor(
    readonly t: ValType | null,
    readonly cx: LiftLowerContext,
    public ptr: number,
    readonly length: number,
  ) {
    if (length > MAX_BUFFER_LENGTH) cx.inst.trap(`a stream copy of ${length} elements is longer than allowed (${MAX_BUFFER_LENGTH})`);
    this.#size = t ? layout(t).size : 0;
    if (t && length > 0) cx.checkRange(ptr, length * this.#size, layout(t).align, "stream buffer");
  }
  remain(): number {
    return this.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.length === 0;
  }
  read(n: number): Elements {
    assert(n <= this.remain(), "read past the buffer");
    let vs: Elements;
    if (!this.t) vs = new Array<undefined>(n);
    else if (this.t === "u8") vs = this.cx.u8.slice(this.ptr, this.ptr + n);
    else vs = loadListFromValidRange(this.cx, this.ptr, n, this.t) as Elements;
    this.ptr += n * this.#size;
    this.progress += n;
    return vs;
  }
  write(vs: Elements): void {
    assert(vs.length <= this.remain(), "write past the buffer");
    if (this.t) storeListIntoValidRange(this.cx, vs, this.ptr, this.t);
    this.ptr += vs.length * this.#size;
    this.progress += vs.length;
  }
}

/** A host-side buffer collecting up to `length` elements (the host reading a guest's stream). */
export class HostWritableBuffer implements WritableBuffer {
  progress = 0;
  readonly #chunks: Elements[] = [];
  constructor(
    readonly t: ValType | null,
    readonly length: number,
  ) {}
  remain(): number {
    return this.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.length === 0;
  }
  write(vs: Elements): void {
    this.#chunks.push(vs);
    this.progress += vs.length;
  }
  /** What was written, as one chunk. */
  take(): Elements {
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

/** A host-side source of elements (the host's data the guest reads). */
class HostReadableBuffer implements ReadableBuffer {
  progress = 0;
  constructor(
    readonly t: ValType | null,
    readonly data: Elements,
  ) {}
  remain(): number {
    return this.data.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.data.length === 0;
  }
  read(n: number): Elements {
    const d = this.data;
    const out = ArrayBuffer.isView(d) ? (d as Uint8Array).subarray(this.progress, this.progress + n) : Array.prototype.slice.call(d, this.progress, this.progress + n);
    this.progress += n;
    return out;
  }
}

// ---------------------------------------------------------------- shared stream / future

/** The readable side as copy ends see it: `ReadableStream` in the spec's terms. */
export interface ReadableStreamLike {
  readonly t: ValType | null;
  readonly id: number;
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void;
  cancel(): void;
  drop(): void;
}
export interface WritableStreamLike {
  readonly t: ValType | null;
  readonly id: number;
  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void;
  cancel(): void;
  drop(): void;
}

function noneOrNumberType(t: ValType | null): boolean {
  return t === null || (typeof t === "string" && t !== "bool" && t !== "char" && t !== "string" && t !== "error-context");
}

/** `SharedStreamImpl`: a rendezvous between one reader and one writer. */
export class SharedStreamImpl implements ReadableStreamLike, WritableStreamLike {
  dropped = false;
  #pendingInst: ComponentInstance | null = null;
  #pendingBuffer: (ReadableBuffer & WritableBuffer) | Buffer | null = null;
  #pendingOnCopy: OnCopy | null = null;
  #pendingOnCopyDone: OnCopyDone | null = null;
  readonly id: number;

  constructor(
    readonly t: ValType | null,
    store: Store,
  ) {
    this.id = store.streamId();
  }

  #resetPending = (): void => {
    this.#pendingInst = null;
    this.#pendingBuffer = null;
    this.#pendingOnCopy = null;
    this.#pendingOnCopyDone = null;
  };
  #setPending(inst: ComponentInstance | null, buffer: Buffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.#pendingInst = inst;
    this.#pendingBuffer = buffer;
    this.#pendingOnCopy = onCopy;
    this.#pendingOnCopyDone = onCopyDone;
  }
  #resetAndNotifyPending(result: CopyResult): void {
    const done = this.#pendingOnCopyDone;
    this.#resetPending();
    done?.(result);
  }

  cancel(): void {
    this.#resetAndNotifyPending(CopyResult.CANCELLED);
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.#pendingBuffer) this.#resetAndNotifyPending(CopyResult.DROPPED);
  }

  #checkSameInstance(inst: ComponentInstance | null): void {
    if (inst && inst === this.#pendingInst && !noneOrNumberType(this.t)) {
      inst.trap("a component may not copy non-numeric stream elements to itself");
    }
  }

  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as ReadableBuffer | null;
    if (!pending) return this.#setPending(inst, dst, onCopy, onCopyDone);
    this.#checkSameInstance(inst);
    if (pending.remain() > 0) {
      if (dst.remain() > 0) {
        const n = Math.min(dst.remain(), pending.remain());
        dst.write(pending.read(n));
        this.#pendingOnCopy!(this.#resetPending);
      }
      onCopyDone(CopyResult.COMPLETED);
    } else {
      this.#resetAndNotifyPending(CopyResult.COMPLETED);
      this.#setPending(inst, dst, onCopy, onCopyDone);
    }
  }

  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as WritableBuffer | null;
    if (!pending) return this.#setPending(inst, src, onCopy, onCopyDone);
    this.#checkSameInstance(inst);
    if (pending.remain() > 0) {
      if (src.remain() > 0) {
        const n = Math.min(src.remain(), pending.remain());
        pending.write(src.read(n));
        this.#pendingOnCopy!(this.#resetPending);
      }
      onCopyDone(CopyResult.COMPLETED);
    } else if (src.isZeroLength() && pending.isZeroLength()) {
      onCopyDone(CopyResult.COMPLETED);
    } else {
      this.#resetAndNotifyPending(CopyResult.COMPLETED);
      this.#setPending(inst, src, onCopy, onCopyDone);
    }
  }
}

export interface ReadableFutureLike {
  readonly t: ValType | null;
  readonly id: number;
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void;
  cancel(): void;
  drop(): void;
}

/** `SharedFutureImpl`: one value, written once. */
export class SharedFutureImpl implements ReadableFutureLike {
  dropped = false;
  #pendingInst: ComponentInstance | null = null;
  #pendingBuffer: Buffer | null = null;
  #pendingOnCopyDone: OnCopyDone | null = null;
  readonly id: number;

  constructor(
    readonly t: ValType | null,
    store: Store,
  ) {
    this.id = store.streamId();
  }

  #reset(): void {
    this.#pendingInst = null;
    this.#pendingBuffer = null;
    this.#pendingOnCopyDone = null;
  }
  #resetAndNotifyPending(result: CopyResult): void {
    const done = this.#pendingOnCopyDone;
    this.#reset();
    done?.(result);
  }
  cancel(): void {
    this.#resetAndNotifyPending(CopyResult.CANCELLED);
  }
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.#pendingBuffer && "write" in this.#pendingBuffer) this.#resetAndNotifyPending(CopyResult.DROPPED);
  }
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as ReadableBuffer | null;
    if (!pending) {
      this.#pendingInst = inst;
      this.#pendingBuffer = dst;
      this.#pendingOnCopyDone = onCopyDone;
      return;
    }
    if (inst && inst === this.#pendingInst && !noneOrNumberType(this.t)) inst.trap("a component may not copy a non-numeric future value to itself");
    dst.write(pending.read(1));
    this.#resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as WritableBuffer | null;
    if (!pending) {
      this.#pendingInst = inst;
      this.#pendingBuffer = src;
      this.#pendingOnCopyDone = onCopyDone;
      return;
    }
    if (inst && inst === this.#pendingInst && !noneOrNumberType(this.t)) inst.trap("a component may not copy a non-numeric future value to itself");
    pending.write(src.read(1));
    this.#resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
}

// ---------------------------------------------------------------- copy ends

export type CopyState = "idle" | "sync-copying" | "async-copying" | "cancelling-copy" | "done";

export abstract class CopyEnd extends Waitable {
  state: CopyState = "idle";
  abstract readonly shared: { readonly t: ValType | null; readonly id: number; drop(): void; cancel(): void };
  copying(): boolean {
    return this.state === "sync-copying" || this.state === "async-copying" || this.state === "cancelling-copy";
  }
  drop(inst: ComponentInstance): void {
    if (this.copying()) inst.trap("a stream or future end was dropped while a copy is in progress");
    this.shared.drop();
    this.dropWaitable();
  }
}

export class ReadableStreamEnd extends CopyEnd {
  constructor(readonly shared: ReadableStreamLike) {
    super();
  }
}
export class WritableStreamEnd extends CopyEnd {
  constructor(readonly shared: SharedStreamImpl) {
    super();
  }
}
export class ReadableFutureEnd extends CopyEnd {
  constructor(readonly shared: ReadableFutureLike) {
    super();
  }
}
export class WritableFutureEnd extends CopyEnd {
  constructor(readonly shared: SharedFutureImpl) {
    super();
  }
  override drop(inst: ComponentInstance): void {
    if (this.state !== "done") inst.trap("a future's writable end was dropped before a value was written");
    super.drop(inst);
  }
}

// ---------------------------------------------------------------- host edges

/** The trace's instance number for the host (its lane). */
const HOST_INSTANCE = 0;

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
        this.store.trace?.emit("stream.write", HOST_INSTANCE, 0, this.id, this.label, n, "writable");
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
    this.#next().then(
      ({ value, done }) => {
        this.#pulling = false;
        if (done) this.#done = true;
        else {
          this.#queue = this.t === "u8" ? toBytes(value) : Array.isArray(value) || ArrayBuffer.isView(value) ? (value as Elements) : [value];
          this.#queueAt = 0;
        }
        this.#deliver();
      },
      (err: unknown) => this.store.fail(err),
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
    promise.then(
      (value) => {
        this.#settled = { value };
        this.#deliver();
      },
      (err: unknown) => store.fail(err),
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

/** What the host gets for a guest's readable stream: async iterable of elements plus `read({count})`. */
export interface HostStreamView extends AsyncIterable<unknown> {
  read(opts?: { count?: number }): Promise<{ value: Elements | undefined; done: boolean }>;
  return(): Promise<IteratorResult<unknown>>;
}

/**
 * A trap ends the run, and with it every copy a host is waiting for: its pending read rejects with
 * the trap instead of waiting for elements that will never come.
 */
function failingWith(store: Store): { watch(reject: (err: unknown) => void): void; done(): void } {
  let pending: ((err: unknown) => void) | null = null;
  store.onFailure((err) => pending?.(err));
  return {
    watch: (reject) => {
      if (store.failed !== undefined) reject(store.failed);
      else pending = reject;
    },
    done: () => void (pending = null),
  };
}

/**
 * The host's view of a guest stream. `label` (the host function it was passed to) names the host's
 * reads in the trace, where they pair with the guest's writes as transfers.
 */
export function streamForHost(shared: ReadableStreamLike, store: Store, label?: string): HostStreamView {
  let done = false;
  const failure = failingWith(store);
  const read = (opts?: { count?: number }): Promise<{ value: Elements | undefined; done: boolean }> => {
    if (done) return Promise.resolve({ value: undefined, done: true });
    const buf = new HostWritableBuffer(shared.t, Math.max(1, opts?.count ?? 64 * 1024));
    return new Promise((resolve, reject) => {
      failure.watch(reject);
      const finish = (result: CopyResult) => {
        failure.done();
        if (buf.progress > 0) {
          store.trace?.emit("stream.read", HOST_INSTANCE, 0, shared.id, label, buf.progress, "readable");
          resolve({ value: buf.take(), done: false });
        }
        else if (result === CopyResult.DROPPED) {
          done = true;
          resolve({ value: undefined, done: true });
        } else resolve({ value: shared.t === "u8" ? new Uint8Array(0) : [], done: false });
      };
      shared.read(null, buf, (reclaim) => {
        reclaim();
        finish(CopyResult.COMPLETED);
      }, finish);
    });
  };
  const view: HostStreamView = {
    read,
    async return() {
      done = true;
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

export function futureForHost(shared: ReadableFutureLike, store: Store): Promise<unknown> {
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

// ---------------------------------------------------------------- lifting and lowering stream/future values

export function liftStreamEnd(cx: LiftLowerContext, i: number, t: { elem: ValType | null }): unknown {
  const e = cx.inst.handles.get(i);
  if (!(e instanceof ReadableStreamEnd)) cx.inst.trap(`handle ${i} is not the readable end of a stream`);
  if (!sameType(e.shared.t, t.elem)) cx.inst.trap(`stream handle ${i} has a different element type`);
  if (e.state !== "idle") cx.inst.trap(`stream handle ${i} is busy copying and cannot be passed on`);
  cx.inst.handles.remove(i);
  e.dropWaitable();
  return cx.forHost ? streamForHost(e.shared, cx.inst.store) : e.shared;
}

export function liftFutureEnd(cx: LiftLowerContext, i: number, t: { elem: ValType | null }): unknown {
  const e = cx.inst.handles.get(i);
  if (!(e instanceof ReadableFutureEnd)) cx.inst.trap(`handle ${i} is not the readable end of a future`);
  if (!sameType(e.shared.t, t.elem)) cx.inst.trap(`future handle ${i} has a different value type`);
  if (e.state !== "idle") cx.inst.trap(`future handle ${i} is busy copying and cannot be passed on`);
  cx.inst.handles.remove(i);
  e.dropWaitable();
  return cx.forHost ? futureForHost(e.shared, cx.inst.store) : e.shared;
}

export function lowerStreamValue(cx: LiftLowerContext, v: unknown, t: { elem: ValType | null }): number {
  let shared: ReadableStreamLike;
  if (v instanceof SharedStreamImpl || v instanceof HostSourceStream) shared = v;
  else if (isJsSource(v)) shared = new HostSourceStream(t.elem, v, cx.inst.store, cx.callee);
  else cx.inst.trap(`expected a stream from the host (ReadableStream or async iterable), got ${typeof v}`);
  return cx.inst.handles.add(new ReadableStreamEnd(shared));
}

export function lowerFutureValue(cx: LiftLowerContext, v: unknown, t: { elem: ValType | null }): number {
  let shared: ReadableFutureLike;
  if (v instanceof SharedFutureImpl || v instanceof HostSourceFuture) shared = v;
  else if (typeof (v as PromiseLike<unknown> | null)?.then === "function") shared = new HostSourceFuture(t.elem, v as PromiseLike<unknown>, cx.inst.store);
  else shared = new HostSourceFuture(t.elem, Promise.resolve(v), cx.inst.store);
  return cx.inst.handles.add(new ReadableFutureEnd(shared));
}

/** Element types match when they are the same resolved type (structurally, for our purposes). */
export function sameType(a: ValType | null, b: ValType | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a === "string" || typeof b === "string") return false;
  return JSON.stringify(a, skipResources) === JSON.stringify(b, skipResources);
}

function skipResources(key: string, value: unknown): unknown {
  return key === "rt" ? (value as { name: string }).name : value;
}

export { HostReadableBuffer };

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
