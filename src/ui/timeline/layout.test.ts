import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent } from "../../protocol/trace-events";
import { markerLabel, TimelineLayout } from "./layout";
import { summarize } from "./summary";
import { describeHit } from "./tooltip";
import { composedTrace, ev, fanoutTrace, streamTrace, syntheticTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

function laidOut(events: TraceEvent[], fidelity: "exact" | "host-boundary" = "host-boundary", maxEvents?: number) {
  const store = new TraceStore(maxEvents);
  store.append(batchToChunk({ fidelity, events, dropped: 0 }));
  const layout = new TimelineLayout(store);
  while (layout.advance(1000));
  return { store, layout };
}

describe("TimelineLayout", () => {
  it("50 overlapping host calls get 50 tracks in the task's group, one lane per instance", () => {
    const { layout } = laidOut(fanoutTrace(50));
    expect(layout.lanes.map((l) => l.name)).toEqual(["sleep-fanout.wasm", "host"]);
    const [g] = layout.lanes[0]!.groups;
    expect(g!.name).toBe("fanout");
    expect(g!.bar).toMatchObject({ kind: "task", start: 1000 });
    expect(g!.tracks).toHaveLength(50);
    expect(g!.tracks.every((t) => t.spans.length === 1 && t.spans[0]!.name === "wasi:clocks/monotonic-clock@0.3.0#wait-for")).toBe(true);
    expect(g!.markers.map((m) => m.kind)).toEqual(["task.return"]);
    const s = summarize(layout);
    expect(s).toMatchObject({ tasksStarted: 1, maxConcurrentTasks: 1, maxConcurrentCalls: 50 });
    expect(s.tasks[0]).toMatchObject({ name: "fanout", calls: 50, blockedBy: "calls" });
    expect(s.tasks[0]!.blockedNs).toBe(10_000_000 + 49 * 100);
  });

  it("calls one after another share one track", () => {
    const es = [ev(0, "task.start", 1, 1, { name: "chain" })];
    for (let i = 0; i < 5; i++) es.push(ev(10 + i * 20, "host.begin", 1, 1, { id: i, name: "w" }), ev(20 + i * 20, "host.end", 1, 1, { id: i }));
    const { layout } = laidOut(es);
    const g = layout.lanes[0]!.groups[0]!;
    expect(g.tracks).toHaveLength(1);
    expect(g.tracks[0]!.spans.map((s) => [s.start, s.end])).toEqual([
      [10, 20],
      [30, 40],
      [50, 60],
      [70, 80],
      [90, 100],
    ]);
    expect(summarize(layout).maxConcurrentCalls).toBe(1);
  });

  it("pairs stream copies write -> read into transfers whose counts add up", () => {
    const { layout } = laidOut(streamTrace([5, 7, 3]));
    const stdout = layout.transfers.filter((t) => t.id === 2);
    expect(stdout.map((t) => t.count)).toEqual([5, 7, 3]);
    expect(stdout.every((t) => t.from.group.lane.instance === 1 && t.to.group.lane.instance === 0)).toBe(true);
    expect(stdout[0]!.to.t - stdout[0]!.from.t).toBe(10);
    const stdin = layout.transfers.filter((t) => t.id === 1);
    expect(stdin.every((t) => t.from.group.lane.name === "host")).toBe(true);
    const g = layout.lanes[0]!.groups[0]!;
    expect(g.bands).toHaveLength(1);
    expect(g.bands[0]).toMatchObject({ kind: "backpressure", end: g.bands[0]!.start + 40 });
    expect(g.markers.some((m) => m.kind === "drop")).toBe(true);
    expect(g.markers.filter((m) => m.kind === "stream").every((m) => m.paired)).toBe(true);
  });

  it("a copy whose other end is not traced stays an unpaired marker (engine/cm's host-side ends)", () => {
    const { layout } = laidOut(
      [ev(0, "task.start", 1, 1), ev(5, "stream.read", 1, 1, { id: 1, count: 100, end: "readable" }), ev(6, "stream.write", 1, 1, { id: 3, count: 100, end: "writable" })],
      "exact",
    );
    expect(layout.transfers).toHaveLength(0);
    const markers = layout.lanes[0]!.groups[0]!.markers;
    expect(markers.map((m) => [m.kind, m.paired ?? false])).toEqual([
      ["stream", false],
      ["stream", false],
    ]);
    expect(markerLabel(layout.store, markers[0]!)).toBe("stream.read 100 (#1, readable end)");
  });

  it("exact traces: waits on the bar row, subtasks in tracks, the caller's subtask recorded", () => {
    const es = [
      ev(0, "task.start", 1, 1, { name: "outer" }),
      ev(10, "subtask.start", 1, 1, { id: 9, name: "inner" }),
      ev(11, "task.start", 2, 2, { id: 9, name: "inner" }),
      ev(20, "wait.begin", 1, 1, { id: 3, count: 1 }),
      ev(50, "task.return", 2, 2),
      ev(51, "task.end", 2, 2),
      ev(52, "subtask.resolve", 1, 1, { id: 9, detail: "returned" }),
      ev(60, "wait.end", 1, 1, { id: 3, detail: "subtask 9 returned" }),
      ev(70, "task.return", 1, 1),
      ev(71, "task.end", 1, 1),
    ];
    const { layout } = laidOut(es, "exact");
    const outer = layout.lanes.find((l) => l.instance === 1)!.groups[0]!;
    const inner = layout.lanes.find((l) => l.instance === 2)!.groups[0]!;
    expect(outer.waits.map((w) => [w.start, w.end, w.detail])).toEqual([[20, 60, "subtask 9 returned"]]);
    expect(outer.tracks[0]!.spans[0]).toMatchObject({ kind: "subtask", id: 9, detail: "returned" });
    expect(inner.startedBy).toBe(9);
    const s = summarize(layout);
    expect(s.maxConcurrentTasks).toBe(2);
    expect(s.tasks.find((t) => t.name === "outer")).toMatchObject({ blockedNs: 40, blockedBy: "waits" });
    expect(s.tasks.find((t) => t.name === "inner")).toMatchObject({ blockedNs: 0, blockedBy: "waits" });
  });

  it("a composition: one lane per composition instance (numbered nested instances fold into theirs), calls and copies between lanes", () => {
    const { layout } = laidOut(composedTrace(), "exact");
    // The root and the shim ran nothing: lanes without groups, which rows leave out.
    expect(layout.lanes.filter((l) => l.groups.length > 0).map((l) => [l.instance, l.name, l.path])).toEqual([
      [2, "router", "gw.wasm/router"],
      [3, "auth", "gw.wasm/auth"],
    ]);
    expect(layout.lanes.map((l) => l.instance)).not.toContain(4);
    const [handle] = layout.lanes[1]!.groups;
    const [check] = layout.lanes[2]!.groups;
    expect(check!.name).toBe("check");
    expect(layout.calls).toHaveLength(1);
    expect(layout.calls[0]!.subtask).toMatchObject({ kind: "subtask", id: 2, start: 110, group: handle });
    expect(layout.calls[0]!.task).toBe(check);
    expect(layout.transfers.map((t) => [t.from.group.lane.name, t.to.group.lane.name, t.count])).toEqual([["auth", "router", 4]]);
    // A band whose end was never recorded ends with its task.
    expect(handle!.bands.map((b) => [b.start, b.end])).toEqual([[170, 201]]);
  });

  it("a wait is idle until its task is woken, then scheduled until it resumes; a yield is scheduled from the start", () => {
    const { layout, store } = laidOut(
      [
        ev(0, "task.start", 1, 1),
        ev(10, "wait.begin", 1, 1, { id: 2, count: 1 }),
        ev(30, "task.wake", 1, 1, { id: 2 }),
        ev(35, "wait.end", 1, 1, { id: 2, detail: "subtask 3 2" }),
        ev(40, "yield", 1, 1, { id: 0 }),
        ev(48, "wait.end", 1, 1, { id: 0, detail: "none 0 0" }),
        ev(50, "task.end", 1, 1),
      ],
      "exact",
    );
    const g = layout.lanes[0]!.groups[0]!;
    expect(g.waits.map((w) => [w.name, w.start, w.woken, w.end])).toEqual([
      ["wait on set 2 (1 waitable)", 10, 30, 35],
      ["yield", 40, 40, 48],
    ]);
    expect(describeHit(store, g.waits[0]!)).toContain("idle 20 ns, then scheduled 5 ns (woken, waiting for its turn to run)");
  });

  it("a subtask's host call (engine/cm records both) is drawn inside the subtask, not on its own track", () => {
    const name = "wasi:clocks/monotonic-clock@0.3.0#wait-for";
    const es = [ev(0, "task.start", 1, 1)];
    for (let i = 0; i < 3; i++) es.push(ev(1, "subtask.start", 1, 1, { id: 10 + i, name }), ev(1, "host.begin", 1, 1, { id: 20 + i, name }));
    for (let i = 0; i < 3; i++) es.push(ev(9, "host.end", 1, 1, { id: 20 + i, name }), ev(9, "subtask.resolve", 1, 1, { id: 10 + i, name, detail: "returned" }));
    const { layout } = laidOut(es, "exact");
    const g = layout.lanes[0]!.groups[0]!;
    expect(g.tracks).toHaveLength(3);
    expect(g.tracks.every((t) => t.spans.length === 1 && t.spans[0]!.kind === "subtask" && t.spans[0]!.inner?.kind === "host" && t.spans[0]!.inner.end === 9)).toBe(true);
    expect(summarize(layout).maxConcurrentCalls).toBe(3);
  });

  it("an end whose begin was dropped starts at the oldest kept event", () => {
    const { layout, store } = laidOut([ev(500, "yield", 1, 1), ev(900, "host.end", 1, 1, { id: 4, name: "x" })]);
    expect(store.minT).toBe(500);
    expect(layout.spans.find((s) => s.kind === "host")).toMatchObject({ kind: "host", start: 500, end: 900 });
  });

  it("open spans stay open (Infinity) until their end arrives", () => {
    const { layout } = laidOut([ev(0, "task.start", 1, 1), ev(5, "host.begin", 1, 1, { id: 1 })]);
    expect(layout.spans.map((s) => s.end)).toEqual([Infinity, Infinity]);
  });

  it("advance works in budgeted steps and reports when it is done", () => {
    const store = new TraceStore();
    store.append(batchToChunk({ fidelity: "host-boundary", events: fanoutTrace(3000), dropped: 0 }));
    const layout = new TimelineLayout(store);
    let steps = 0;
    while (layout.advance(0)) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(layout.done).toBe(true);
    expect(layout.laidOut).toBe(store.length);
  });
});

describe("TraceStore", () => {
  it("evicts the oldest events past its cap, counts them and marks the layout stale", () => {
    const store = new TraceStore(1000);
    const layout = new TimelineLayout(store);
    store.append(batchToChunk({ fidelity: "host-boundary", events: fanoutTrace(300), dropped: 7 }));
    expect(layout.stale).toBe(false);
    store.append(batchToChunk({ fidelity: "host-boundary", events: fanoutTrace(300), dropped: 7 }));
    expect(store.length).toBeLessThanOrEqual(1000);
    expect(store.droppedHere).toBeGreaterThan(0);
    expect(store.dropped).toBe(store.droppedHere + 7);
    expect(store.length + store.droppedHere).toBe(2 * fanoutTrace(300).length);
    expect(layout.stale).toBe(true);
    // The newest event is still the last one appended.
    expect(store.kindOf(store.length - 1)).toBe("task.end");
  });

  it("keeps strings of many chunks in one table", () => {
    const store = new TraceStore();
    store.append(batchToChunk({ fidelity: "exact", events: [ev(1, "host.begin", 1, 1, { id: 1, name: "a" })], dropped: 0 }));
    store.append(batchToChunk({ fidelity: "exact", events: [ev(2, "host.begin", 1, 1, { id: 2, name: "b", detail: "a" })], dropped: 0 }));
    expect(store.event(1)).toEqual(ev(2, "host.begin", 1, 1, { id: 2, name: "b", detail: "a" }));
    expect(store.strings).toEqual(["a", "b"]);
  });
});

describe("TimelineLayout at 100,000 events", () => {
  it("keeps every track sorted and free of overlaps, and pairs every copy", () => {
    const events = syntheticTrace(100_000);
    const { layout, store } = laidOut(events);
    expect(store.length).toBe(events.length);
    let spans = 0;
    let overlaps = 0;
    for (const lane of layout.lanes) {
      for (const g of lane.groups) {
        for (const tr of g.tracks) {
          for (let i = 1; i < tr.spans.length; i++) if (tr.spans[i]!.start < tr.spans[i - 1]!.end) overlaps++;
          spans += tr.spans.length;
        }
      }
    }
    expect(overlaps).toBe(0);
    expect(spans).toBe(events.filter((e) => e.kind === "host.begin").length);
    expect(layout.transfers).toHaveLength(events.filter((e) => e.kind === "stream.write").length);
    expect(layout.spans.every((s) => Number.isFinite(s.end))).toBe(true);
  });
});
