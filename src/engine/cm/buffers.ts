/**
 * The guest's buffers (CanonicalABI.md, "Runtime State": Buffer State): `BufferGuestImpl`,
 * `ReadableBufferGuestImpl` and `WritableBufferGuestImpl`, a range of linear memory a
 * `stream.read/write` or `future.read/write` copies into or out of. They load and store through
 * abi.ts, which lifts stream ends from streams.ts, hence a file of their own above both.
 */
import { assert } from "../../base/assert";
import { layout, loadListFromValidRange, storeListIntoValidRange, type LiftLowerContext } from "./abi";
import { MAX_BUFFER_LENGTH, type Buffer, type Elements, type ReadableBuffer, type WritableBuffer } from "./streams";
import type { ValType } from "./types";

/** `BufferGuestImpl` */
export abstract class BufferGuestImpl implements Buffer {
  progress = 0;
  protected readonly size: number;
  constructor(
    readonly t: ValType | null,
    readonly cx: LiftLowerContext,
    public ptr: number,
    readonly length: number,
  ) {
    if (length > MAX_BUFFER_LENGTH) cx.inst.trap(`a stream copy of ${length} elements is longer than allowed (${MAX_BUFFER_LENGTH})`);
    this.size = t ? layout(t).size : 0;
    if (t && length > 0) cx.checkRange(ptr, length * this.size, layout(t).align, "stream buffer");
  }
  remain(): number {
    return this.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.length === 0;
  }
}

/**
 * `ReadableBufferGuestImpl`: what a guest writes to a stream or future. Bytes are read as a view
 * of linear memory, not a copy: every `WritableBuffer.write` copies what it is given before the
 * guest runs again (into the reader's memory, or into the host's own buffer), so a copy between two
 * guests is one memcpy and a host reading into its own buffer allocates nothing.
 */
export class ReadableBufferGuestImpl extends BufferGuestImpl implements ReadableBuffer {
  read(n: number): Elements {
    assert(n <= this.remain(), "read past the buffer");
    let vs: Elements;
    if (!this.t) vs = new Array<undefined>(n);
    else if (this.t === "u8") vs = this.cx.u8.subarray(this.ptr, this.ptr + n);
    else vs = loadListFromValidRange(this.cx, this.ptr, n, this.t) as Elements;
    this.ptr += n * this.size;
    this.progress += n;
    return vs;
  }
}

/** `WritableBufferGuestImpl`: where a guest reads a stream or future into. */
export class WritableBufferGuestImpl extends BufferGuestImpl implements WritableBuffer {
  write(vs: Elements): void {
    assert(vs.length <= this.remain(), "write past the buffer");
    if (this.t) storeListIntoValidRange(this.cx, vs, this.ptr, this.t);
    this.ptr += vs.length * this.size;
    this.progress += vs.length;
  }
}
