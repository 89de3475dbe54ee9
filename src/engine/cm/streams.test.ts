/**
 * Stream and future state (CanonicalABI.md, "Runtime State": Stream State, Future State) on their
 * own: a reader and a writer meeting in `SharedStreamImpl` / `SharedFutureImpl`, with plain
 * buffers over JS arrays standing in for guest memory.
 */
import { describe, expect, it } from "vitest";
import { Trap } from "../../base/assert";
import { ComponentInstance, Store } from "./instance";
import { CopyResult, ReadableStreamEnd, SharedFutureImpl, SharedStreamImpl, WritableFutureEnd, type Elements, type ReadableBuffer, type WritableBuffer } from "./streams";
import type { ValType } from "./types";

/** Elements to copy out of (`ReadableBuffer`). */
class Source implements ReadableBuffer {
  progress = 0;
  constructor(
    readonly t: ValType | null,
    readonly data: unknown[],
  ) {}
  remain(): number {
    return this.data.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.data.length === 0;
  }
  read(n: number): Elements {
    const out = this.data.slice(this.progress, this.progress + n);
    this.progress += n;
    return out;
  }
}

/** Room for `length` elements to copy into (`WritableBuffer`). */
class Sink implements WritableBuffer {
  progress = 0;
  readonly got: unknown[] = [];
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
    this.got.push(...Array.from(vs));
    this.progress += vs.length;
  }
}

/** A copy's callbacks, recording what happened to it. */
function copy() {
  const log: string[] = [];
  return {
    log,
    onCopy: (reclaim: () => void) => {
      log.push("copy");
      reclaim();
    },
    onCopyDone: (r: CopyResult) => void log.push(["completed", "dropped", "cancelled"][r]!),
  };
}

function setup(t: ValType | null = "u8") {
  const store = new Store();
  return { store, a: new ComponentInstance(store, "a.wasm"), b: new ComponentInstance(store, "b.wasm"), stream: new SharedStreamImpl(t, store), future: new SharedFutureImpl(t, store) };
}

describe("SharedStreamImpl: a reader and a writer meet", () => {
  /**
   * Two copies in order: `first` goes pending, `second` finds it. Each side: which end, how many
   * elements (written: the data; read: the room). Then what each copy's callbacks saw and what the
   * reader got.
   */
  const rows: Array<[string, { first: "read" | "write"; write: unknown[]; room: number }, { writer: string[]; reader: string[]; got: unknown[] }]> = [
    ["a reader waiting gets what a writer then writes", { first: "read", write: [1, 2, 3], room: 8 }, { writer: ["completed"], reader: ["copy"], got: [1, 2, 3] }],
    ["a writer waiting is read from", { first: "write", write: [1, 2, 3], room: 8 }, { writer: ["copy"], reader: ["completed"], got: [1, 2, 3] }],
    ["a smaller reader takes what fits; the writer's copy is reported", { first: "write", write: [1, 2, 3], room: 2 }, { writer: ["copy"], reader: ["completed"], got: [1, 2] }],
    ["a smaller reader waiting takes what fits", { first: "read", write: [1, 2, 3], room: 2 }, { writer: ["completed"], reader: ["copy"], got: [1, 2] }],
    ["a zero-length read meets a waiting writer and completes with nothing", { first: "write", write: [1], room: 0 }, { writer: [], reader: ["completed"], got: [] }],
    ["a zero-length write to a waiting zero-length read completes, the read stays pending", { first: "read", write: [], room: 0 }, { writer: ["completed"], reader: [], got: [] }],
    ["a zero-length write to a waiting reader completes without copying", { first: "read", write: [], room: 4 }, { writer: ["completed"], reader: [], got: [] }],
  ];
  it.each(rows)("%s", (_name, { first, write, room }, want) => {
    const { a, b, stream } = setup();
    const w = copy();
    const r = copy();
    const sink = new Sink("u8", room);
    const doWrite = () => stream.write(a, new Source("u8", write), w.onCopy, w.onCopyDone);
    const doRead = () => stream.read(b, sink, r.onCopy, r.onCopyDone);
    if (first === "read") {
      doRead();
      doWrite();
    } else {
      doWrite();
      doRead();
    }
    expect({ writer: w.log, reader: r.log, got: sink.got }).toEqual(want);
  });

  it("a writer that finds a reader with a zero-length buffer waiting completes it and waits itself", () => {
    const { a, b, stream } = setup();
    const r = copy();
    const w = copy();
    stream.read(b, new Sink("u8", 0), r.onCopy, r.onCopyDone);
    stream.write(a, new Source("u8", [7]), w.onCopy, w.onCopyDone);
    expect(r.log).toEqual(["completed"]);
    expect(w.log).toEqual([]);
    const sink = new Sink("u8", 4);
    stream.read(b, sink, () => {}, () => {});
    expect(sink.got).toEqual([7]);
    expect(w.log).toEqual(["copy"]);
  });

  it("dropping notifies the pending copy and every later one", () => {
    const { a, stream } = setup();
    const w = copy();
    stream.write(a, new Source("u8", [1]), w.onCopy, w.onCopyDone);
    stream.drop();
    stream.drop();
    expect(w.log).toEqual(["dropped"]);
    const r = copy();
    stream.read(a, new Sink("u8", 1), r.onCopy, r.onCopyDone);
    expect(r.log).toEqual(["dropped"]);
  });

  it("cancelling notifies the pending copy, and a later copy waits again", () => {
    const { a, b, stream } = setup();
    const r = copy();
    stream.read(b, new Sink("u8", 1), r.onCopy, r.onCopyDone);
    stream.cancel();
    expect(r.log).toEqual(["cancelled"]);
    const w = copy();
    stream.write(a, new Source("u8", [1]), w.onCopy, w.onCopyDone);
    expect(w.log).toEqual([]);
  });

  const sameInstance: Array<[ValType | null, boolean]> = [
    [null, false],
    ["u8", false],
    ["f64", false],
    ["s64", false],
    ["string", true],
    ["bool", true],
    ["char", true],
    [{ kind: "list", elem: "u8" }, true],
  ];
  it.each(sameInstance)("a component copying stream<%j> to itself traps: %s", (t, traps) => {
    const { a, store } = setup(t);
    const stream = new SharedStreamImpl(t, store);
    stream.read(a, new Sink(t, 1), () => {}, () => {});
    const write = () => stream.write(a, new Source(t, [0]), () => {}, () => {});
    if (traps) expect(write).toThrow(Trap);
    else expect(write).not.toThrow();
  });

  it("numbers streams and futures in one sequence per store", () => {
    const { stream, future, store } = setup();
    expect([stream.id, future.id, new SharedStreamImpl("u8", store).id]).toEqual([1, 2, 3]);
  });
});

describe("SharedFutureImpl: one value, once", () => {
  it.each(["read", "write"] as const)("the value moves whichever side comes first (%s first)", (first) => {
    const { a, b, future } = setup();
    const log: string[] = [];
    const sink = new Sink("u8", 1);
    const read = () => future.read(b, sink, (r) => void log.push(`read ${r}`));
    const write = () => future.write(a, new Source("u8", [42]), (r) => void log.push(`write ${r}`));
    if (first === "read") {
      read();
      write();
    } else {
      write();
      read();
    }
    expect(sink.got).toEqual([42]);
    expect(log.sort()).toEqual([`read ${CopyResult.COMPLETED}`, `write ${CopyResult.COMPLETED}`]);
  });

  it.each(["reader", "writer"] as const)("dropping it notifies a pending %s with DROPPED", (pending) => {
    const { a, future } = setup();
    let result: CopyResult | undefined;
    if (pending === "reader") future.read(a, new Sink("u8", 1), (r) => (result = r));
    else future.write(a, new Source("u8", [1]), (r) => (result = r));
    future.drop();
    expect(result).toBe(CopyResult.DROPPED);
  });

  it("a write after it was dropped reports DROPPED", () => {
    const { a, future } = setup();
    future.drop();
    let result: CopyResult | undefined;
    future.write(a, new Source("u8", [1]), (r) => (result = r));
    expect(result).toBe(CopyResult.DROPPED);
  });
});

describe("copy ends", () => {
  it("an end may not be dropped while it copies", () => {
    const { a, stream } = setup();
    const end = new ReadableStreamEnd(stream);
    end.state = "async-copying";
    expect(() => end.drop(a)).toThrow(/dropped while a copy is in progress/);
    end.state = "idle";
    end.drop(a);
    expect(stream.dropped).toBe(true);
  });

  it("a future's writable end may be dropped only after its value was written", () => {
    const { a, future } = setup();
    const end = new WritableFutureEnd(future);
    expect(() => end.drop(a)).toThrow(/dropped before a value was written/);
    end.state = "done";
    end.drop(a);
    expect(future.dropped).toBe(true);
  });
});
