import { describe, expect, it } from "vitest";
import { batchToChunk, chunkToBatch } from "../protocol/trace-chunk";
import { TraceRecorder } from "./trace";

/** A clock the test moves by hand (milliseconds). */
function manualClock(start = 1000) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

describe("TraceRecorder", () => {
  it("records every field, with nanoseconds since its creation", () => {
    const clock = manualClock();
    const rec = new TraceRecorder({ fidelity: "exact", now: clock.now, clockEvery: 1 });
    clock.ms += 1.5;
    rec.emit("task.start", 1, 7, 3, "fanout");
    clock.ms += 0.000001;
    rec.emit("stream.write", 1, 7, 9, undefined, 42, "writable", "chunk");
    const batch = rec.takeBatch();
    expect(batch.fidelity).toBe("exact");
    expect(batch.dropped).toBe(0);
    expect(batch.events).toEqual([
      { t: 1_500_000n, kind: "task.start", instance: 1, task: 7, id: 3, name: "fanout" },
      { t: 1_500_001n, kind: "stream.write", instance: 1, task: 7, id: 9, count: 42, end: "writable", detail: "chunk" },
    ]);
  });

  it("take returns only what is new, then nothing", () => {
    const rec = new TraceRecorder({ fidelity: "host-boundary", now: manualClock().now });
    rec.emit("yield", 1, 1);
    expect(rec.take()?.length).toBe(1);
    expect(rec.take()).toBeNull();
    rec.emit("yield", 1, 2);
    rec.emit("yield", 1, 3);
    expect(Array.from(rec.take()!.task)).toEqual([2, 3]);
  });

  it("a disabled recorder records nothing", () => {
    const rec = TraceRecorder.disabled();
    expect(rec.enabled).toBe(false);
    for (let i = 0; i < 10; i++) rec.emit("host.begin", 1, 1, i, "wasi:clocks/monotonic-clock#wait-for");
    expect(rec.pending).toBe(0);
    expect(rec.take()).toBeNull();
  });

  it("keeps the newest events when more are recorded than taken, and counts the dropped", () => {
    const rec = new TraceRecorder({ fidelity: "exact", capacity: 16, now: manualClock().now });
    for (let i = 0; i < 40; i++) rec.emit("host.begin", 1, 1, i);
    expect(rec.pending).toBe(16);
    const c = rec.take()!;
    expect(c.dropped).toBe(24);
    expect(Array.from(c.id)).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
    rec.emit("host.end", 1, 1, 40);
    const next = rec.take()!;
    expect(next.dropped).toBe(24);
    expect(Array.from(next.id)).toEqual([40]);
  });

  it("strings are interned once per chunk", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    for (let i = 0; i < 100; i++) rec.emit("host.begin", 1, 1, i, "wasi:clocks/monotonic-clock#wait-for");
    expect(rec.take()!.strings).toEqual(["wasi:clocks/monotonic-clock#wait-for"]);
  });

  it("shares a clock reading among up to clockEvery events of one millisecond, never across milliseconds", () => {
    const clock = manualClock();
    let wall = 0;
    let reads = 0;
    const rec = new TraceRecorder({ fidelity: "exact", now: () => (reads++, clock.now()), wallMs: () => wall, clockEvery: 4 });
    reads = 0;
    for (let i = 0; i < 10; i++) {
      clock.ms += 0.01;
      rec.emit("yield", 1, 1);
    }
    expect(reads).toBe(3);
    expect(rec.takeBatch().events.map((e) => Number(e.t) / 1e4)).toEqual([1, 1, 1, 1, 5, 5, 5, 5, 9, 9]);
    // A guest computing between two events: the millisecond changes, so the second gets its own time.
    clock.ms += 100;
    wall += 100;
    rec.emit("task.return", 1, 1);
    expect(rec.takeBatch().events.map((e) => Number(e.t) / 1e4)).toEqual([10_010]);
  });

  it("emitAt records an event observed after the fact at its own time", () => {
    const clock = manualClock();
    const rec = new TraceRecorder({ fidelity: "host-boundary", now: clock.now });
    const idleSince = rec.nowNs();
    clock.ms += 2;
    rec.emitAt(idleSince, "backpressure.on", 1, 1, 5);
    rec.emit("backpressure.off", 1, 1, 5);
    expect(rec.takeBatch().events.map((e) => e.t)).toEqual([0n, 2_000_000n]);
  });

  it("newId numbers from 1, unique per recorder", () => {
    const a = new TraceRecorder({ fidelity: "exact" });
    const b = new TraceRecorder({ fidelity: "exact" });
    expect([a.newId(), a.newId(), b.newId()]).toEqual([1, 2, 1]);
  });
});

describe("trace chunk codec", () => {
  it("a batch survives columns and back", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    rec.emit("instance", 1, 0, undefined, "a.wasm");
    rec.emit("subtask.resolve", 1, 2, 3, undefined, undefined, undefined, "returned");
    rec.emit("future.read", 1, 2, 4, undefined, 1, "readable");
    const batch = rec.takeBatch();
    expect(chunkToBatch(batchToChunk(batch))).toEqual(batch);
  });
});
