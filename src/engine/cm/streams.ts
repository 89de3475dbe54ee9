/**
 * Streams and futures as the Canonical ABI keeps them (CanonicalABI.md, "Runtime State": Buffer
 * State, Stream State, Future State), named as in definitions.py.
 *
 * Only the abstract buffers live here: the guest's buffers read and write linear memory through
 * abi.ts (buffers.ts), and abi.ts lifts and lowers stream ends, so this file stays below it. The
 * host's sides of a stream or future (a JS ReadableStream or Promise) are in host-streams.ts.
 */
import { Waitable } from "./handles";
import type { ComponentInstance, Store } from "./instance";
import type { ValType } from "./types";

// ---------------------------------------------------------------- Buffer State

/** Elements in flight: bytes for `u8`, typed arrays for other numbers, arrays otherwise. */
export type Elements = ArrayLike<unknown>;

/** `Buffer.MAX_LENGTH` */
export const MAX_BUFFER_LENGTH = 2 ** 28 - 1;

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
  /** Copies `vs` in: it may be a view of the writer's linear memory, valid only until the writer runs again. */
  write(vs: Elements): void;
}

// ---------------------------------------------------------------- Stream State

export const enum CopyResult {
  COMPLETED = 0,
  DROPPED = 1,
  CANCELLED = 2,
}

export type ReclaimBuffer = () => void;
export type OnCopy = (reclaim: ReclaimBuffer) => void;
export type OnCopyDone = (result: CopyResult) => void;

/**
 * `SharedBase`. The spec's `ReadableStream`, `WritableStream`, `ReadableFuture` and
 * `WritableFuture` below carry a `Like` suffix: the Web Streams API owns those names in JS.
 * `id` numbers the stream or future in traces (both ends share it).
 */
export interface SharedBase {
  readonly t: ValType | null;
  readonly id: number;
  cancel(): void;
  drop(): void;
}
/** `ReadableStream`: the readable side as copy ends see it. */
export interface ReadableStreamLike extends SharedBase {
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void;
}
/** `WritableStream` */
export interface WritableStreamLike extends SharedBase {
  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void;
}

/** `none_or_number_type`: element types a component may copy to itself. */
export function noneOrNumberType(t: ValType | null): boolean {
  return t === null || (typeof t === "string" && t !== "bool" && t !== "char" && t !== "string" && t !== "error-context");
}

/** `SharedStreamImpl`: a rendezvous between one reader and one writer. */
export class SharedStreamImpl implements ReadableStreamLike, WritableStreamLike {
  dropped = false;
  #pendingInst: ComponentInstance | null = null;
  #pendingBuffer: Buffer | null = null;
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
      inst.trap("a component may not copy non-numeric stream elements to itself", "intra-component-copy");
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

// ---------------------------------------------------------------- copy ends

export type CopyState = "idle" | "sync-copying" | "async-copying" | "cancelling-copy" | "done";

export abstract class CopyEnd extends Waitable {
  state: CopyState = "idle";
  /**
   * The pending event reports progress of a copy that is still open (`on_copy`: the other side
   * copied some elements and more may follow until the event is delivered), not its end.
   */
  progressPending = false;
  abstract readonly shared: SharedBase;
  copying(): boolean {
    return this.state === "sync-copying" || this.state === "async-copying" || this.state === "cancelling-copy";
  }
  drop(inst: ComponentInstance): void {
    if (this.copying()) inst.trap("a stream or future end was dropped while a copy is in progress", "drop-busy-end");
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
  constructor(readonly shared: WritableStreamLike) {
    super();
  }
}

// ---------------------------------------------------------------- Future State

/** `ReadableFuture` */
export interface ReadableFutureLike extends SharedBase {
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void;
}
/** `WritableFuture` */
export interface WritableFutureLike extends SharedBase {
  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopyDone: OnCopyDone): void;
}

/** `SharedFutureImpl`: one value, written once. */
export class SharedFutureImpl implements ReadableFutureLike, WritableFutureLike {
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

  #resetPending(): void {
    this.#pendingInst = null;
    this.#pendingBuffer = null;
    this.#pendingOnCopyDone = null;
  }
  #setPending(inst: ComponentInstance | null, buffer: Buffer, onCopyDone: OnCopyDone): void {
    this.#pendingInst = inst;
    this.#pendingBuffer = buffer;
    this.#pendingOnCopyDone = onCopyDone;
  }
  #resetAndNotifyPending(result: CopyResult): void {
    const done = this.#pendingOnCopyDone;
    this.#resetPending();
    done?.(result);
  }
  #checkSameInstance(inst: ComponentInstance | null): void {
    if (inst && inst === this.#pendingInst && !noneOrNumberType(this.t)) inst.trap("a component may not copy a non-numeric future value to itself", "intra-component-copy");
  }

  cancel(): void {
    this.#resetAndNotifyPending(CopyResult.CANCELLED);
  }
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.#pendingBuffer) this.#resetAndNotifyPending(CopyResult.DROPPED);
  }
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as ReadableBuffer | null;
    if (!pending) return this.#setPending(inst, dst, onCopyDone);
    this.#checkSameInstance(inst);
    dst.write(pending.read(1));
    this.#resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
  write(inst: ComponentInstance | null, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) return onCopyDone(CopyResult.DROPPED);
    const pending = this.#pendingBuffer as WritableBuffer | null;
    if (!pending) return this.#setPending(inst, src, onCopyDone);
    this.#checkSameInstance(inst);
    pending.write(src.read(1));
    this.#resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
}

export class ReadableFutureEnd extends CopyEnd {
  constructor(readonly shared: ReadableFutureLike) {
    super();
  }
}
export class WritableFutureEnd extends CopyEnd {
  constructor(readonly shared: WritableFutureLike) {
    super();
  }
  override drop(inst: ComponentInstance): void {
    if (this.state !== "done") inst.trap("a future's writable end was dropped before a value was written", "future-dropped-unwritten");
    super.drop(inst);
  }
}
