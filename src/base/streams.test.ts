import { describe, expect, it } from "vitest";
import { chunksOf } from "./streams";

/** A stream as WebKit has it: no async iteration of its own, only a reader. */
function webkitLike<T>(chunks: T[], opts: { error?: Error; onCancel?: (reason: unknown) => void } = {}): ReadableStream<T> {
  let i = 0;
  const stream = new ReadableStream<T>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else if (opts.error) controller.error(opts.error);
      else controller.close();
    },
    cancel: opts.onCancel,
  });
  Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
  Object.defineProperty(stream, "values", { value: undefined });
  return stream;
}

describe("chunksOf", () => {
  it("the stand-in lacks async iteration, as WebKit's ReadableStream does", async () => {
    const iterate = async () => {
      // eslint-disable-next-line no-restricted-syntax -- the point: a plain `for await` fails on this stream.
      for await (const c of webkitLike([1]) as unknown as AsyncIterable<number>) void c;
    };
    await expect(iterate()).rejects.toThrow(TypeError);
  });

  it("reads every chunk in order through the reader", async () => {
    const got: string[] = [];
    for await (const c of chunksOf(webkitLike(["a", "b", "c"]))) got.push(c);
    expect(got).toEqual(["a", "b", "c"]);
  });

  it("leaving the loop early cancels the stream and releases it", async () => {
    const cancelled: unknown[] = [];
    const stream = webkitLike([1, 2, 3], { onCancel: (r) => cancelled.push(r) });
    for await (const c of chunksOf(stream)) if (c === 1) break;
    expect(cancelled).toHaveLength(1);
    expect(stream.locked).toBe(false);
  });

  it("a stream that errors throws its error from the loop, and is not cancelled", async () => {
    const cancelled: unknown[] = [];
    const got: number[] = [];
    const read = async () => {
      for await (const c of chunksOf(webkitLike([1], { error: new Error("source failed"), onCancel: (r) => cancelled.push(r) }))) got.push(c);
    };
    await expect(read()).rejects.toThrow("source failed");
    expect(got).toEqual([1]);
    expect(cancelled).toEqual([]);
  });

  it("a stream read to its end is released, not cancelled", async () => {
    const cancelled: unknown[] = [];
    const stream = webkitLike(["x"], { onCancel: (r) => cancelled.push(r) });
    for await (const c of chunksOf(stream)) void c;
    expect(cancelled).toEqual([]);
    expect(stream.locked).toBe(false);
  });
});
