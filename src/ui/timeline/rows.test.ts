import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import { TimelineLayout } from "./layout";
import { BAR_H, GAP, HEADER_H, layoutRows, NO_FILTERS, rowAt, rowIndexAt, toggleInstance, toggleKind, TRACK_H } from "./rows";
import { fanoutTrace, streamTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

function layout(events = fanoutTrace(3)) {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "host-boundary", events, dropped: 0 }));
  const l = new TimelineLayout(store);
  while (l.advance(1000));
  return l;
}

describe("layoutRows", () => {
  it("stacks a lane header, each task's bar and its call tracks; a lane with nothing in it is left out", () => {
    const l = layout();
    expect(l.lanes.map((x) => x.name)).toEqual(["sleep-fanout.wasm", "host"]);
    const { rows, height } = layoutRows(l.lanes, NO_FILTERS);
    expect(rows.map((r) => r.kind)).toEqual(["lane", "bar", "track", "track", "track"]);
    expect(rows[1]).toMatchObject({ y: HEADER_H, h: BAR_H, groupH: BAR_H + 3 * TRACK_H });
    expect(height).toBe(HEADER_H + BAR_H + 3 * TRACK_H + GAP);
  });

  it("filters drop lanes, and call tracks when both call kinds are hidden", () => {
    const l = layout([...fanoutTrace(3).slice(0, -2), ...streamTrace([4]).slice(3)]);
    expect(layoutRows(l.lanes, NO_FILTERS).rows.map((r) => r.kind)).toEqual(["lane", "bar", "track", "track", "track", "lane", "bar"]);
    expect(layoutRows(l.lanes, { hiddenInstances: new Set([0]), hiddenKinds: new Set() }).rows.map((r) => r.kind)).toEqual(["lane", "bar", "track", "track", "track"]);
    expect(layoutRows(l.lanes, { hiddenInstances: new Set(), hiddenKinds: new Set(["host", "subtask"]) }).rows.map((r) => r.kind)).toEqual(["lane", "bar", "lane", "bar"]);
  });

  it("finds the row at a height", () => {
    const { rows } = layoutRows(layout().lanes, NO_FILTERS);
    expect(rowAt(rows, 0)?.kind).toBe("lane");
    expect(rowAt(rows, HEADER_H + BAR_H + TRACK_H)).toMatchObject({ kind: "track", index: 1 });
    expect(rowAt(rows, HEADER_H + BAR_H + 3 * TRACK_H + 1)).toBeUndefined(); // the gap
    expect(rowIndexAt(rows, 1e9)).toBe(rows.length);
  });
});

describe("toggleKind / toggleInstance", () => {
  it("hide what is shown and show what is hidden, leaving the rest and the input alone", () => {
    const hidden = toggleKind(toggleInstance(NO_FILTERS, 2), "host");
    expect([...hidden.hiddenKinds]).toEqual(["host"]);
    expect([...hidden.hiddenInstances]).toEqual([2]);
    expect(NO_FILTERS.hiddenKinds.size + NO_FILTERS.hiddenInstances.size).toBe(0);
    const shown = toggleInstance(toggleKind(hidden, "host"), 2);
    expect(shown.hiddenKinds.size + shown.hiddenInstances.size).toBe(0);
    expect([...toggleKind(hidden, "wait").hiddenKinds]).toEqual(["host", "wait"]);
  });
});
