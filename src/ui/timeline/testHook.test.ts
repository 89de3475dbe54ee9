import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent } from "../../protocol/trace-events";
import { AXIS_H, LABEL_W, TimelineRenderer } from "./render";
import { BAR_H, HEADER_H, NO_FILTERS, TRACK_H, type Filters } from "./rows";
import { TraceSession } from "./session";
import { readStatus } from "./status";
import { timelineTestHook, type FrameStats } from "./testHook";
import { composedTrace, ev, streamTrace } from "./testTrace";
import { TimelineViewport, traceBounds } from "./viewport";

function panel(events: TraceEvent[]) {
  const session = new TraceSession();
  session.begin({ kind: "run", component: "stream-upper.wasm", engine: "cm" });
  session.append(batchToChunk({ fidelity: "exact", events, dropped: 0 }));
  const view = new TimelineViewport();
  view.resize(LABEL_W + 1000, 300);
  const state = { filters: NO_FILTERS as Filters, stats: { spans: 3, markers: 1, arrows: 2, calls: 0, rows: 4, frames: 7 } as FrameStats, pending: false };
  const hook = timelineTestHook({
    session,
    view,
    renderer: new TimelineRenderer(),
    filters: () => state.filters,
    stats: () => state.stats,
    framePending: () => state.pending,
    status: () => readStatus(session, view.follow),
  });
  return { session, view, state, hook };
}

describe("timelineTestHook", () => {
  it("lists the laid-out spans and copies, laying out what is still pending first", () => {
    const { session, hook } = panel([...streamTrace([3, 4]), ev(500, "task.start", 1, 2, { name: "late" })]);
    expect(session.layout.done).toBe(false);
    const spans = hook.spans();
    expect(session.layout.done).toBe(true);
    expect(spans[0]).toEqual({ lane: "stream-upper.wasm", instance: 1, task: 1, row: -1, kind: "task", name: "wasi:cli/run@0.3.0#run", start: 10, end: 360 });
    expect(spans.find((s) => s.name === "late")).toMatchObject({ task: 2, end: null });
    expect(hook.transfers().map((t) => [t.kind, t.count, t.fromLane, t.toLane])).toEqual([
      ["stream", 3, "host", "stream-upper.wasm"],
      ["stream", 3, "stream-upper.wasm", "host"],
      ["stream", 4, "host", "stream-upper.wasm"],
      ["stream", 4, "stream-upper.wasm", "host"],
    ]);
    expect(hook.summary().tasksStarted).toBe(2);
    expect(hook.status()).toMatchObject({ events: session.store.length, component: "stream-upper.wasm", origin: "engine/cm" });
  });

  it("lists the lanes drawn and the calls between them", () => {
    const { session, hook } = panel(composedTrace());
    expect(hook.lanes()).toEqual([
      { name: "router", path: "gw.wasm/router", instance: 2, tasks: 1 },
      { name: "auth", path: "gw.wasm/auth", instance: 3, tasks: 1 },
    ]);
    expect(hook.calls()).toEqual([{ fromLane: "router", subtask: 2, from: 110, toLane: "auth", task: 3, to: 111 }]);
    expect(session.layout.calls).toHaveLength(1);
  });

  it("is idle once everything is laid out and no frame is pending", () => {
    const { session, state, hook } = panel(streamTrace([3]));
    expect(hook.idle()).toBe(false);
    session.settle();
    expect(hook.idle()).toBe(true);
    state.pending = true;
    expect(hook.idle()).toBe(false);
  });

  it("reads the view and a copy of the last frame's stats", () => {
    const { session, view, state, hook } = panel(streamTrace([3]));
    expect(hook.view()).toEqual({ start: 0, end: 0, follow: true, scrollY: 0 });
    view.frame(traceBounds(session.store));
    view.pan(10, 5);
    expect(hook.view()).toEqual({ start: Number(view.scale!.start), end: Number(view.scale!.end), follow: false, scrollY: 5 });
    const stats = hook.stats();
    expect(stats).toEqual(state.stats);
    expect(stats).not.toBe(state.stats);
  });

  it("points at a task's bar or call track where it is drawn, and at nothing scrolled or filtered away", () => {
    const { session, view, state, hook } = panel([
      ev(0, "task.start", 1, 1, { name: "main" }),
      ev(100, "host.begin", 1, 1, { id: 1, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for" }),
      ev(200, "host.end", 1, 1, { id: 1 }),
      ev(300, "task.end", 1, 1),
    ]);
    expect(hook.pointOf(150, 1, 1, -1)).toBeNull();
    session.settle();
    view.frame(traceBounds(session.store));
    const x = LABEL_W + view.scale!.nsToPx(150);
    expect(hook.pointOf(150, 1, 1, -1)).toEqual({ x, y: AXIS_H + HEADER_H + BAR_H / 2 });
    expect(hook.pointOf(150, 1, 1, 0)).toEqual({ x, y: AXIS_H + HEADER_H + BAR_H + TRACK_H / 2 });
    expect(hook.pointOf(150, 1, 1, 1)).toBeNull();
    expect(hook.pointOf(150, 1, 9, -1)).toBeNull();
    view.scrollY = HEADER_H + BAR_H;
    expect(hook.pointOf(150, 1, 1, -1)).toBeNull();
    view.scrollY = 0;
    state.filters = { ...NO_FILTERS, hiddenInstances: new Set([1]) };
    expect(hook.pointOf(150, 1, 1, -1)).toBeNull();
  });
});
