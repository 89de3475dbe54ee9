import { describe, expect, it } from "vitest";
import { nanos } from "../../base/time";
import { batchToChunk } from "../../protocol/trace-chunk";
import { hitAtPoint, hitTest, relatedTo } from "./hit";
import { TimelineLayout } from "./layout";
import { AXIS_H, LABEL_W } from "./render";
import { BAR_H, HEADER_H, layoutRows, NO_FILTERS, TRACK_H } from "./rows";
import { composedTrace, ev, fanoutTrace } from "./testTrace";
import { describeHit } from "./tooltip";
import { TimeScale } from "./TimeScale";
import { TraceStore } from "./traceStore";

function setup(events = fanoutTrace(5)) {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "exact", events, dropped: 0 }));
  const layout = new TimelineLayout(store);
  while (layout.advance(1000));
  // 1 ns per pixel from t = 0, so x - LABEL_W is the time.
  const scale = new TimeScale(nanos(0n), nanos(20_000_000n), 20_000_000);
  return { layout, scale, rows: layoutRows(layout.lanes, NO_FILTERS) };
}

describe("hitTest", () => {
  it("finds the call span under the pointer in its track row", () => {
    const { rows, scale } = setup();
    // Track 2 of the first group: below the lane header and the bar.
    const y = HEADER_H + BAR_H + 2 * TRACK_H + 3;
    const hit = hitTest(rows, scale, NO_FILTERS, LABEL_W + 3_000_000, y);
    expect(hit).toMatchObject({ kind: "host", row: 2, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for" });
  });

  it("finds a backpressure band where nothing else is drawn, and describes it", () => {
    const { rows, scale, layout } = setup(composedTrace());
    const handle = rows.rows.find((r) => r.kind === "track" && r.group.name === "handle")!;
    const hit = hitTest(rows, scale, NO_FILTERS, LABEL_W + 180, handle.y + 2);
    expect(hit).toMatchObject({ kind: "backpressure", start: 170, end: 201 });
    expect(describeHit(layout.store, hit!)).toMatch(/^backpressure: backpressure on stream 8\n170 ns \+ 31 ns\nrouter · task 1 \(handle\)$/);
    expect(hitTest(rows, scale, { ...NO_FILTERS, hiddenKinds: new Set(["backpressure"]) }, LABEL_W + 180, handle.y + 2)).toBeNull();
  });

  it("on the bar row finds markers first, then the task; nothing in the label column or past the end", () => {
    const { rows, scale, layout } = setup();
    const y = HEADER_H + 4;
    const end = layout.spans[0]!.end;
    expect(hitTest(rows, scale, NO_FILTERS, LABEL_W + end, y)).toMatchObject({ kind: "task.return" });
    expect(hitTest(rows, scale, NO_FILTERS, LABEL_W + 5_000_000, y)).toMatchObject({ kind: "task", name: "fanout" });
    expect(hitTest(rows, scale, NO_FILTERS, 10, y)).toBeNull();
    expect(hitTest(rows, scale, NO_FILTERS, LABEL_W + end + 1_000_000, y)).toBeNull();
  });

  it("hidden kinds are not hit", () => {
    const { rows, scale } = setup();
    const filters = { hiddenInstances: new Set<number>(), hiddenKinds: new Set(["host" as const]) };
    expect(hitTest(rows, scale, filters, LABEL_W + 3_000_000, HEADER_H + BAR_H + 3)).toBeNull();
  });
});

describe("hitAtPoint", () => {
  it("takes canvas coordinates: the axis hits nothing, rows start below it and move with the scroll", () => {
    const { rows, scale } = setup();
    const x = LABEL_W + 3_000_000;
    const trackY = HEADER_H + BAR_H + 2 * TRACK_H + 3;
    expect(hitAtPoint(rows, scale, NO_FILTERS, x, AXIS_H + trackY, 0)).toBe(hitTest(rows, scale, NO_FILTERS, x, trackY));
    expect(hitAtPoint(rows, scale, NO_FILTERS, x, AXIS_H + trackY - 10, 10)).toBe(hitTest(rows, scale, NO_FILTERS, x, trackY));
    expect(hitAtPoint(rows, scale, NO_FILTERS, x, AXIS_H + trackY, 0)).not.toBeNull();
    expect(hitAtPoint(rows, scale, NO_FILTERS, x, AXIS_H - 1, trackY)).toBeNull();
  });
});

describe("relatedTo", () => {
  it("names the caller's subtask and what the task waits on at an instant", () => {
    const { layout } = setup([
      ev(0, "task.start", 1, 1, { name: "outer" }),
      ev(10, "subtask.start", 1, 1, { id: 9, name: "inner" }),
      ev(11, "task.start", 2, 2, { id: 9, name: "inner" }),
      ev(12, "host.begin", 2, 2, { id: 50, name: "a" }),
      ev(13, "host.begin", 2, 2, { id: 51, name: "b" }),
      ev(20, "host.end", 2, 2, { id: 50 }),
      ev(30, "host.end", 2, 2, { id: 51 }),
      ev(40, "task.end", 2, 2),
    ]);
    const inner = layout.lanes.find((l) => l.instance === 2)!.groups[0]!.bar!;
    const at15 = relatedTo(layout, inner, 15);
    expect(at15.starter).toMatchObject({ kind: "subtask", id: 9, name: "inner" });
    expect(at15.waitingOn.map((s) => s.name)).toEqual(["a", "b"]);
    expect(relatedTo(layout, inner, 25).waitingOn.map((s) => s.name)).toEqual(["b"]);
    const outer = layout.lanes.find((l) => l.instance === 1)!.groups[0]!.bar!;
    expect(relatedTo(layout, outer, 15).starter).toBeNull();
  });
});
