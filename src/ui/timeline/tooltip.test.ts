import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent } from "../../protocol/trace-events";
import { TimelineLayout } from "./layout";
import { ev, fanoutTrace, streamTrace } from "./testTrace";
import { TraceStore } from "./traceStore";
import { describeHit, tipPosition } from "./tooltip";

function laidOut(events: TraceEvent[]) {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "exact", events, dropped: 0 }));
  const layout = new TimelineLayout(store);
  while (layout.advance(1000));
  return { store, layout };
}

describe("describeHit", () => {
  it("a span: kind and name, start + duration, the task it ran in", () => {
    const { store, layout } = laidOut(fanoutTrace(3));
    const [task, call] = layout.spans;
    expect(describeHit(store, task!)).toBe("task: fanout\n1 µs + 10 ms\nsleep-fanout.wasm · task 1 (fanout)");
    expect(describeHit(store, call!)).toBe("host: wasi:clocks/monotonic-clock@0.3.0#wait-for\n2 µs + 10 ms\nsleep-fanout.wasm · task 1 (fanout)");
  });

  it("a guest call the host serves says how long the host took; a span still open says so", () => {
    const name = "wasi:clocks/monotonic-clock@0.3.0#wait-for";
    const { store, layout } = laidOut([
      ev(0, "task.start", 1, 1, { name: "main" }),
      ev(1000, "subtask.start", 1, 1, { id: 5, name }),
      ev(1500, "host.begin", 1, 1, { id: 6, name }),
      ev(2500, "host.end", 1, 1, { id: 6 }),
      ev(3000, "subtask.resolve", 1, 1, { id: 5, detail: "returned" }),
    ]);
    const sub = layout.spans.find((s) => s.kind === "subtask")!;
    expect(describeHit(store, sub)).toBe(`subtask: ${name}\n1 µs + 2 µs · returned\nserved by the host in 1 µs\ninstance 1 · task 1 (main)`);
    expect(describeHit(store, layout.spans[0]!)).toBe("task: main\n0 ns + still running\ninstance 1 · task 1 (main)");
  });

  it("a marker: its event, the instant, the lane and task", () => {
    const { store, layout } = laidOut(streamTrace([3]));
    const markers = layout.lanes.flatMap((l) => l.groups.flatMap((g) => g.markers));
    expect(markers.map((m) => describeHit(store, m))).toContain("stream.read 3 (stdin, readable end)\nat 100 ns\nstream-upper.wasm · wasi:cli/run@0.3.0#run");
    expect(markers.map((m) => describeHit(store, m))).toContain("stream.write 3 (stdin, writable end)\nat 100 ns\nhost · (outside tasks)");
  });
});

describe("tipPosition", () => {
  it("sits below and right of the pointer, pulled left near the canvas's right edge", () => {
    expect(tipPosition(100, 50, 1000)).toEqual({ left: 112, top: 64 });
    expect(tipPosition(900, 50, 1000)).toEqual({ left: 740, top: 64 });
  });
});
