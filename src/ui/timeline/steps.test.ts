import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import { TRACE_KINDS } from "../../protocol/trace-events";
import { TimelineLayout } from "./layout";
import { stepAt, stepLine } from "./steps";
import { composedTrace, ev } from "./testTrace";
import { TraceStore } from "./traceStore";

function store(events = composedTrace()) {
  const s = new TraceStore();
  s.append(batchToChunk({ fidelity: "exact", events, dropped: 0 }));
  return s;
}

describe("steps", () => {
  it("names each event as its spec step", () => {
    const s = store();
    const steps = Array.from({ length: s.length }, (_, i) => stepAt(s, i).step);
    expect(steps).toEqual([
      "instantiate",
      "instantiate",
      "instantiate",
      "instantiate",
      "instantiate",
      "canon lift",
      "canon lower",
      "canon lift",
      "waitable-set.wait",
      "stream.write COMPLETED",
      "task.return",
      "subtask RETURNED",
      "task exit",
      "event delivered",
      "callback",
      "stream.read COMPLETED",
      "stream.write BLOCKED",
      "task.return",
      "task exit",
    ]);
    expect(stepAt(s, 7).text).toBe("a call to 'check' starts task 3, for subtask 2 of its caller");
    expect(stepLine(s, 8)).toBe("#9 of 19 · 120 ns · waitable-set.wait: task 1's callback returned WAIT on waitable set 1 (1 waitable): it is idle until an event arrives");
  });

  it("a copy that blocked, then completed: two steps, and only the completion is paired into an arrow", () => {
    const s = store([
      ev(0, "task.start", 1, 1, { name: "run" }),
      ev(1, "stream.read", 1, 1, { id: 4, count: 0, end: "readable", detail: "blocked" }),
      ev(5, "stream.write", 2, 2, { id: 4, count: 64, end: "writable", detail: "completed" }),
      ev(6, "stream.read", 1, 1, { id: 4, count: 64, end: "readable", detail: "completed" }),
    ]);
    expect([1, 3].map((i) => stepAt(s, i).step)).toEqual(["stream.read BLOCKED", "stream.read COMPLETED"]);
    expect(stepAt(s, 1).text).toContain("returns BLOCKED and completes later");
    const layout = new TimelineLayout(s);
    while (layout.advance(1000));
    expect(layout.transfers.map((t) => [t.from.t, t.to.t, t.count])).toEqual([[5, 6, 64]]);
  });

  it("has a step for every kind", () => {
    const s = store(TRACE_KINDS.map((k, i) => ev(i, k, 1, 1, { id: 1, name: "x" })));
    for (let i = 0; i < s.length; i++) expect(stepAt(s, i).step, s.kindOf(i)).toMatch(/\S/);
  });
});
