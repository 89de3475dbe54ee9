import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent } from "../../protocol/trace-events";
import { TimelineLayout } from "./layout";
import { selectAt } from "./selection";
import { ev, fanoutTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

function laidOut(events: TraceEvent[]) {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "exact", events, dropped: 0 }));
  const layout = new TimelineLayout(store);
  while (layout.advance(1000));
  return layout;
}

// outer (instance 1) calls inner (instance 2) through subtask 9; inner waits on two host calls.
const nested = [
  ev(0, "task.start", 1, 1, { name: "outer" }),
  ev(10, "subtask.start", 1, 1, { id: 9, name: "wasi:demo/api@0.1.0#inner" }),
  ev(11, "task.start", 2, 2, { id: 9, name: "inner" }),
  ev(12, "host.begin", 2, 2, { id: 50, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for" }),
  ev(13, "host.begin", 2, 2, { id: 51, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for" }),
  ev(14, "wait.begin", 2, 2, { id: 1, count: 2 }),
  ev(20, "host.end", 2, 2, { id: 50 }),
  ev(30, "host.end", 2, 2, { id: 51 }),
  ev(31, "wait.end", 2, 2, { id: 1 }),
  ev(40, "task.end", 2, 2),
];

describe("selectAt", () => {
  it("selects nothing for empty space or a marker", () => {
    const layout = laidOut(fanoutTrace(2));
    expect(selectAt(layout, null, 0)).toBeNull();
    const marker = layout.lanes[0]!.groups[0]!.markers[0]!;
    expect(selectAt(layout, marker, marker.t)).toBeNull();
  });

  it("a task bar: who started it and what it waits on at the clicked instant, in words and highlighted", () => {
    const layout = laidOut(fanoutTrace(50));
    const bar = layout.spans[0]!;
    const s = selectAt(layout, bar, 5_000_000)!;
    expect(s.selected).toBe(bar);
    expect(s.related).toHaveLength(50);
    expect(s.text).toBe("fanout (task 1) in sleep-fanout.wasm. Started by the host (an export call). At 5 ms it waits on: 50 × monotonic-clock@0.3.0#wait-for.");
  });

  it("a task started by a guest names the caller's subtask; clicking its wait selects the task", () => {
    const layout = laidOut(nested);
    const inner = layout.lanes.find((l) => l.instance === 2)!.groups[0]!;
    const s = selectAt(layout, inner.waits[0]!, 25)!;
    expect(s.selected).toBe(inner.bar);
    expect(s.related.map((r) => r.kind)).toEqual(["subtask", "wait", "host"]);
    expect(s.text).toBe("inner (task 2) in instance 2. Started by subtask 9 (api@0.1.0#inner) in instance 1 · outer. At 25 ns it waits on: wait on set 1 (2 waitables), monotonic-clock@0.3.0#wait-for.");
  });

  it("a call selects itself, with what its task relates to at that instant, and reads as what it is", () => {
    const layout = laidOut(nested);
    const call = layout.spans.find((s) => s.kind === "host" && s.id === 51)!;
    const s = selectAt(layout, call, 25)!;
    expect(s.selected).toBe(call);
    expect(s.related.map((r) => `${r.kind} ${r.id}`)).toEqual(["subtask 9", "wait 1", "host 51"]);
    expect(s.text).toBe("host wasi:clocks/monotonic-clock@0.3.0#wait-for in inner (task 2), 13 ns + 17 ns.");
  });
});
