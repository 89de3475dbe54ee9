import { describe, expect, it } from "vitest";
import type { RunEvent } from "../protocol/runtime";
import { EventBatcher, OUTPUT_WINDOW } from "./event-batcher";

/** A page that takes each batch when the test says so (as a comlink proxy's call settles once the page ran it). */
function slowPage() {
  const batches: RunEvent[][] = [];
  const takes: Array<() => void> = [];
  return {
    batches,
    send: (events: RunEvent[]) => {
      batches.push(events);
      return new Promise<void>((resolve) => takes.push(resolve));
    },
    takeOne: () => takes.shift()?.(),
    takeAll: () => takes.splice(0).forEach((take) => take()),
  };
}

const settled = async (p: unknown): Promise<boolean> => {
  let done = false;
  void Promise.resolve(p).then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

const outputBytes = (batches: RunEvent[][]) => batches.flat().reduce((n, e) => n + (e.kind === "output" ? e.data.length : 0), 0);

describe("EventBatcher", () => {
  it("sends what arrives within a few ms as one batch; output under the window never waits", async () => {
    const page = slowPage();
    const events = new EventBatcher(page.send);
    const out = events.output("stdout");
    expect(out.write(new Uint8Array(10))).toBeUndefined();
    events.push({ kind: "phase", phase: "running", atMs: 1 });
    expect(out.write(new Uint8Array(OUTPUT_WINDOW - 10))).toBeUndefined();
    expect(page.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(page.batches).toHaveLength(1);
    expect(page.batches[0]!.map((e) => e.kind)).toEqual(["output", "phase", "output"]);
  });

  it("a write past the window is sent at once and waits until the page took the output", async () => {
    const page = slowPage();
    const events = new EventBatcher(page.send);
    const out = events.output("stderr");
    expect(out.write(new Uint8Array(OUTPUT_WINDOW))).toBeUndefined();
    const waiting = out.write(new Uint8Array(1));
    expect(waiting).toBeInstanceOf(Promise);
    // Sent without waiting for the batch delay, and not settled while the page has not taken it.
    expect(outputBytes(page.batches)).toBe(OUTPUT_WINDOW + 1);
    expect(await settled(waiting)).toBe(false);
    // Every write while the window is full waits too, however small.
    const next = out.write(new Uint8Array(1));
    expect(next).toBeInstanceOf(Promise);
    // Once the first batch is taken only the second's byte is on the way: both writes go on.
    page.takeOne();
    expect(await settled(waiting)).toBe(true);
    expect(await settled(next)).toBe(true);
    expect(out.write(new Uint8Array(1))).toBeUndefined();
  });

  it("a batch the page could not take frees the window as well (the run goes on to its end)", async () => {
    const events = new EventBatcher(() => Promise.reject(new Error("page gone")));
    const out = events.output("stdout");
    const waiting = out.write(new Uint8Array(OUTPUT_WINDOW + 1));
    expect(await settled(waiting)).toBe(true);
  });

  it("drain sends what is pending and waits for the page to take it", async () => {
    const page = slowPage();
    const events = new EventBatcher(page.send);
    void events.output("stdout").write(new Uint8Array(3));
    const drained = events.drain();
    expect(page.batches).toHaveLength(1);
    expect(await settled(drained)).toBe(false);
    page.takeAll();
    expect(await settled(drained)).toBe(true);
  });
});
