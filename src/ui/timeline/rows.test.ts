import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import { TimelineLayout } from "./layout";
import { BAR_H, GAP, HEADER_H, layoutRows, NO_FILTERS, rowAt, rowIndexAt, TRACK_H } from "./rows";
import { fanoutTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

function layout() {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "host-boundary", events: fanoutTrace(3), dropped: 0 }));
  const l = new TimelineLayout(store);
  while (l.advance(1000));
  return l;
}

describe("layoutRows", () => {
  it("stacks a lane header, each task's bar and its call tracks", () => {
    const { rows, height } = layoutRows(layout().lanes, NO_FILTERS);
    expect(rows.map((r) => r.kind)).toEqual(["lane", "bar", "track", "track", "track", "lane"]);
    expect(rows[1]).toMatchObject({ y: HEADER_H, h: BAR_H, groupH: BAR_H + 3 * TRACK_H });
    expect(height).toBe(HEADER_H + BAR_H + 3 * TRACK_H + GAP + HEADER_H);
  });

  it("filters drop lanes, and call tracks when both call kinds are hidden", () => {
    const l = layout();
    expect(layoutRows(l.lanes, { hiddenInstances: new Set([0]), hiddenKinds: new Set() }).rows.map((r) => r.kind)).toEqual(["lane", "bar", "track", "track", "track"]);
    expect(layoutRows(l.lanes, { hiddenInstances: new Set(), hiddenKinds: new Set(["host", "subtask"]) }).rows.map((r) => r.kind)).toEqual(["lane", "bar", "lane"]);
  });

  it("finds the row at a height", () => {
    const { rows } = layoutRows(layout().lanes, NO_FILTERS);
    expect(rowAt(rows, 0)?.kind).toBe("lane");
    expect(rowAt(rows, HEADER_H + BAR_H + TRACK_H)).toMatchObject({ kind: "track", index: 1 });
    expect(rowAt(rows, HEADER_H + BAR_H + 3 * TRACK_H + 1)).toBeUndefined(); // the gap
    expect(rowIndexAt(rows, 1e9)).toBe(rows.length);
  });
});
