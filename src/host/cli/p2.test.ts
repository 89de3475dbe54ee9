import { describe, expect, it } from "vitest";
import { outputByteSink } from "./p2";

describe("a 0.2 output-stream over a run's output", () => {
  it("counts what is written while the output is full as queued, until the output has room", async () => {
    let room: () => void = () => {};
    let full = false;
    const written: number[] = [];
    const sink = outputByteSink({
      write: (b) => {
        written.push(b.length);
        return full ? new Promise<void>((r) => (room = r)) : undefined;
      },
    });
    sink.write(new Uint8Array(5));
    expect(sink.queued).toBe(0);
    full = true;
    sink.write(new Uint8Array(7));
    sink.write(new Uint8Array(2));
    expect(sink.queued).toBe(9);
    const drained = sink.drained!();
    let done = false;
    void drained.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    room();
    await drained;
    expect(sink.queued).toBe(0);
    expect(written).toEqual([5, 7, 2]);
  });
});
