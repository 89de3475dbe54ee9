import { describe, expect, it } from "vitest";
import { batchToChunk, chunkToBatch } from "../protocol/trace-chunk";
import { TRACE_KINDS, type TraceEvent } from "../protocol/trace-events";
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
    rec.taskStart(1, 7, "fanout", 3);
    clock.ms += 0.000001;
    rec.streamWrite(1, 7, 9, 42, undefined, "chunk");
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
    rec.yield(1, 1);
    expect(rec.take()?.length).toBe(1);
    expect(rec.take()).toBeNull();
    rec.yield(1, 2);
    rec.yield(1, 3);
    expect(Array.from(rec.take()!.task)).toEqual([2, 3]);
  });

  it("a disabled recorder records nothing", () => {
    const rec = TraceRecorder.disabled();
    expect(rec.enabled).toBe(false);
    for (let i = 0; i < 10; i++) rec.hostBegin(1, 1, i, "wasi:clocks/monotonic-clock#wait-for");
    expect(rec.pending).toBe(0);
    expect(rec.take()).toBeNull();
  });

  it("keeps the newest events when more are recorded than taken, and counts the dropped", () => {
    const rec = new TraceRecorder({ fidelity: "exact", capacity: 16, now: manualClock().now });
    for (let i = 0; i < 40; i++) rec.hostBegin(1, 1, i, "f");
    expect(rec.pending).toBe(16);
    const c = rec.take()!;
    expect(c.dropped).toBe(24);
    expect(Array.from(c.id)).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
    rec.hostEnd(1, 1, 40, "f");
    const next = rec.take()!;
    expect(next.dropped).toBe(24);
    expect(Array.from(next.id)).toEqual([40]);
  });

  it("strings are interned once per chunk", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    for (let i = 0; i < 100; i++) rec.hostBegin(1, 1, i, "wasi:clocks/monotonic-clock#wait-for");
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
      rec.yield(1, 1);
    }
    expect(reads).toBe(3);
    expect(rec.takeBatch().events.map((e) => Number(e.t) / 1e4)).toEqual([1, 1, 1, 1, 5, 5, 5, 5, 9, 9]);
    // A guest computing between two events: the millisecond changes, so the second gets its own time.
    clock.ms += 100;
    wall += 100;
    rec.taskReturn(1, 1, "f");
    expect(rec.takeBatch().events.map((e) => Number(e.t) / 1e4)).toEqual([10_010]);
  });

  it("backpressureWindow records the window's start, observed after the fact, at its own time", () => {
    const clock = manualClock();
    const rec = new TraceRecorder({ fidelity: "host-boundary", now: clock.now });
    const idleSince = rec.nowNs();
    clock.ms += 2;
    rec.backpressureWindow(idleSince, 1, 1, 5, "s", "reader idle");
    expect(rec.takeBatch().events.map((e) => e.t)).toEqual([0n, 2_000_000n]);
  });

  it("newId numbers from 1, unique per recorder", () => {
    const a = new TraceRecorder({ fidelity: "exact" });
    const b = new TraceRecorder({ fidelity: "exact" });
    expect([a.newId(), a.newId(), b.newId()]).toEqual([1, 2, 1]);
  });
});

/** Each recording method, what it is called with, and the events (without times) it records. */
const METHODS: Array<[string, (r: TraceRecorder) => void, Array<Omit<TraceEvent, "t">>]> = [
  ["instance", (r) => r.instance(2, "a.wasm"), [{ kind: "instance", instance: 2, task: 0, name: "a.wasm" }]],
  ["taskStart", (r) => r.taskStart(2, 7, "run", 4), [{ kind: "task.start", instance: 2, task: 7, id: 4, name: "run" }]],
  ["taskStart from the host", (r) => r.taskStart(2, 7, "run"), [{ kind: "task.start", instance: 2, task: 7, name: "run" }]],
  ["taskReturn", (r) => r.taskReturn(2, 7, "run"), [{ kind: "task.return", instance: 2, task: 7, name: "run" }]],
  ["taskCancel", (r) => r.taskCancel(2, 7, "run"), [{ kind: "task.cancel", instance: 2, task: 7, name: "run" }]],
  ["taskEnd", (r) => r.taskEnd(2, 7, "run", "failed"), [{ kind: "task.end", instance: 2, task: 7, name: "run", detail: "failed" }]],
  ["subtaskStart", (r) => r.subtaskStart(2, 7, 8, "i#f"), [{ kind: "subtask.start", instance: 2, task: 7, id: 8, name: "i#f" }]],
  ["subtaskResolve", (r) => r.subtaskResolve(2, 7, 8, "i#f", "cancelled"), [{ kind: "subtask.resolve", instance: 2, task: 7, id: 8, name: "i#f", detail: "cancelled" }]],
  ["waitBegin on a set", (r) => r.waitBegin(2, 7, undefined, 3, 50), [{ kind: "wait.begin", instance: 2, task: 7, id: 3, count: 50 }]],
  ["waitBegin of a blocked stack", (r) => r.waitBegin(2, 7, "waitable-set.wait"), [{ kind: "wait.begin", instance: 2, task: 7, name: "waitable-set.wait" }]],
  ["waitEnd on a set", (r) => r.waitEnd(2, 7, undefined, 3, "subtask 1 2"), [{ kind: "wait.end", instance: 2, task: 7, id: 3, detail: "subtask 1 2" }]],
  ["waitEnd of a blocked stack", (r) => r.waitEnd(2, 7, "yield"), [{ kind: "wait.end", instance: 2, task: 7, name: "yield" }]],
  ["yield", (r) => r.yield(2, 7, 0), [{ kind: "yield", instance: 2, task: 7, id: 0 }]],
  ["taskWake", (r) => r.taskWake(2, 7, 3), [{ kind: "task.wake", instance: 2, task: 7, id: 3 }]],
  ["streamRead", (r) => r.streamRead(2, 7, 5, 10, undefined, "completed"), [{ kind: "stream.read", instance: 2, task: 7, id: 5, count: 10, end: "readable", detail: "completed" }]],
  ["streamWrite", (r) => r.streamWrite(0, 0, 5, 10, "i#f"), [{ kind: "stream.write", instance: 0, task: 0, id: 5, name: "i#f", count: 10, end: "writable" }]],
  ["streamDrop", (r) => r.streamDrop(2, 7, 5, "readable"), [{ kind: "stream.drop", instance: 2, task: 7, id: 5, end: "readable" }]],
  ["futureRead", (r) => r.futureRead(2, 7, 6, 1, undefined, "dropped"), [{ kind: "future.read", instance: 2, task: 7, id: 6, count: 1, end: "readable", detail: "dropped" }]],
  ["futureWrite", (r) => r.futureWrite(0, 0, 6, 1, "i#f", "value"), [{ kind: "future.write", instance: 0, task: 0, id: 6, name: "i#f", count: 1, end: "writable", detail: "value" }]],
  ["futureDrop", (r) => r.futureDrop(2, 7, 6, "writable", "i#f"), [{ kind: "future.drop", instance: 2, task: 7, id: 6, name: "i#f", end: "writable" }]],
  ["backpressure on an instance", (r) => r.backpressure(true, 2, 7, undefined, "run"), [{ kind: "backpressure.on", instance: 2, task: 7, name: "run" }]],
  ["backpressure off on a stream", (r) => r.backpressure(false, 2, 7, 5), [{ kind: "backpressure.off", instance: 2, task: 7, id: 5 }]],
  [
    "backpressureWindow",
    (r) => r.backpressureWindow(0, 1, 7, 5, "s", "host reader idle"),
    [
      { kind: "backpressure.on", instance: 1, task: 7, id: 5, name: "s", end: "writable", detail: "host reader idle" },
      { kind: "backpressure.off", instance: 1, task: 7, id: 5, name: "s", end: "writable" },
    ],
  ],
  ["hostBegin", (r) => r.hostBegin(2, 7, 9, "i#f"), [{ kind: "host.begin", instance: 2, task: 7, id: 9, name: "i#f" }]],
  ["hostEnd", (r) => r.hostEnd(2, 7, 9, "i#f", "threw"), [{ kind: "host.end", instance: 2, task: 7, id: 9, name: "i#f", detail: "threw" }]],
];

describe("one recording method per kind", () => {
  it.each(METHODS)("%s records its fields", (_name, record, expected) => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    record(rec);
    expect(rec.takeBatch().events.map(({ t: _t, ...rest }) => rest)).toEqual(expected);
  });

  it.each(METHODS)("%s records nothing when disabled", (_name, record) => {
    const rec = TraceRecorder.disabled();
    record(rec);
    expect(rec.pending).toBe(0);
  });

  it("every kind has a method", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    for (const [, record] of METHODS) record(rec);
    expect(new Set(rec.takeBatch().events.map((e) => e.kind))).toEqual(new Set(TRACE_KINDS));
  });
});

describe("pump", () => {
  it("entering posts what was recorded since the last post, nothing when nothing is new; stop posts the rest", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    const posted: number[] = [];
    rec.taskStart(1, 1, "run");
    rec.entering();
    expect(posted).toEqual([]);
    const stop = rec.pump((c) => posted.push(c.length), 60_000);
    rec.streamWrite(1, 1, 2, 12);
    rec.entering();
    rec.entering();
    expect(posted).toEqual([2]);
    rec.taskEnd(1, 1, "run");
    stop();
    rec.entering();
    expect(posted).toEqual([2, 1]);
  });
});

describe("trace chunk codec", () => {
  it("a batch survives columns and back", () => {
    const rec = new TraceRecorder({ fidelity: "exact", now: manualClock().now });
    rec.instance(1, "a.wasm");
    rec.subtaskResolve(1, 2, 3, "f", "returned");
    rec.futureRead(1, 2, 4, 1);
    const batch = rec.takeBatch();
    expect(chunkToBatch(batchToChunk(batch))).toEqual(batch);
  });
});
