import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent } from "../../protocol/trace-events";
import { importChromeTrace, TraceImportError, type ChromeEvent } from "./chromeTrace";
import { markerLabel, type TimelineLayout } from "./layout";
import { TraceSession } from "./session";
import { ev, fanoutTrace, streamTrace } from "./testTrace";

function sessionWith(events: TraceEvent[], fidelity: "exact" | "host-boundary" = "host-boundary") {
  const s = new TraceSession();
  s.begin({ kind: "run", component: "demo.wasm" });
  s.store.fidelity = fidelity;
  s.appendEvents(events);
  s.settle();
  return s;
}

/** The drawn model, in plain data: what "the same picture" means. */
function picture(layout: TimelineLayout) {
  return {
    lanes: layout.lanes.map((l) => ({
      instance: l.instance,
      name: l.name,
      groups: l.groups.map((g) => ({
        task: g.task,
        name: g.name,
        bar: g.bar && [g.bar.start, g.bar.end],
        waits: g.waits.map((w) => [w.start, w.end, w.name]),
        tracks: g.tracks.map((t) => t.spans.map((s) => [s.kind, s.start, s.end, s.name, s.detail])),
        markers: g.markers.map((m) => [m.kind, m.t, markerLabel(layout.store, m)]),
        bands: g.bands.map((b) => [b.start, b.end]),
      })),
    })),
    transfers: layout.transfers.map((t) => [t.kind, t.id, t.count, t.from.t, t.to.t, t.from.group.lane.instance, t.to.group.lane.instance]),
  };
}

describe("Chrome Trace Event export", () => {
  it("is JSON with traceEvents carrying ph, ts, pid and tid", () => {
    const text = sessionWith(streamTrace([3, 4])).exportText();
    const json = JSON.parse(text) as { traceEvents: ChromeEvent[]; displayTimeUnit: string; otherData: Record<string, unknown> };
    expect(json.traceEvents.length).toBeGreaterThan(10);
    for (const e of json.traceEvents) {
      expect(typeof e.ph).toBe("string");
      expect(typeof e.ts).toBe("number");
      expect(Number.isInteger(e.pid)).toBe(true);
      expect(Number.isInteger(e.tid)).toBe(true);
    }
    expect(json.otherData).toMatchObject({ producer: "WASI Playground", component: "demo.wasm", fidelity: "host-boundary" });
    // Async pairs balance per id; copies become flow arrows.
    const opens = json.traceEvents.filter((e) => e.ph === "b").length;
    expect(json.traceEvents.filter((e) => e.ph === "e").length).toBe(opens);
    expect(json.traceEvents.filter((e) => e.ph === "s")).toHaveLength(4);
    expect(json.traceEvents.filter((e) => e.ph === "f")).toHaveLength(4);
    expect(json.traceEvents.find((e) => e.ph === "M" && e.name === "process_name" && e.pid === 1)?.args?.name).toBe("stream-upper.wasm");
    // Microseconds.
    expect(json.traceEvents.find((e) => e.args?.kind === "task.start")?.ts).toBe(0.01);
  });

  it("re-imports to the same events and the same picture", async () => {
    for (const [events, fidelity] of [
      [fanoutTrace(50), "host-boundary"],
      [streamTrace([5, 7, 3]), "host-boundary"],
      [[ev(0, "task.start", 1, 1), ev(3, "wait.begin", 1, 1, { id: 2, count: 3 }), ev(9, "wait.end", 1, 1, { id: 2, detail: "x" }), ev(10, "task.cancel", 1, 1)], "exact"],
    ] as const) {
      const a = sessionWith([...events], fidelity);
      const b = new TraceSession();
      await b.importText("t.json", a.exportText(), async () => {});
      b.settle();
      expect(b.error).toBeNull();
      expect(b.store.fidelity).toBe(fidelity);
      expect(Array.from({ length: b.store.length }, (_, i) => b.store.event(i))).toEqual(Array.from({ length: a.store.length }, (_, i) => a.store.event(i)));
      expect(picture(b.layout)).toEqual(picture(a.layout));
      expect(b.source).toEqual({ kind: "file", file: "t.json", component: "demo.wasm" });
    }
  });

  it("keeps the dropped count, so the marker shows again", async () => {
    const a = sessionWith(fanoutTrace(2));
    a.store.droppedByRecorder = 1234;
    const b = new TraceSession();
    await b.importText("t.json", a.exportText(), async () => {});
    expect(b.store.dropped).toBe(1234);
  });

  it("re-formatted JSON (not one event per line) still imports", async () => {
    const a = sessionWith(fanoutTrace(5));
    const b = new TraceSession();
    await b.importText("t.json", JSON.stringify(JSON.parse(a.exportText()), null, 2), async () => {});
    b.settle();
    expect(picture(b.layout)).toEqual(picture(a.layout));
  });

  it("hands events over in slices, yielding between them", async () => {
    const a = sessionWith(fanoutTrace(1000));
    let yields = 0;
    const slices: number[] = [];
    await importChromeTrace(a.exportText(), (es) => slices.push(es.length), {
      slice: 100,
      yieldNow: async () => {
        yields++;
      },
    });
    expect(slices.reduce((x, y) => x + y, 0)).toBe(a.store.length);
    expect(yields).toBeGreaterThanOrEqual(20);
  });

  it("refuses traces it did not write, and a failed import keeps the previous trace", async () => {
    await expect(importChromeTrace(JSON.stringify({ traceEvents: [{ ph: "X", name: "x", pid: 1, tid: 1, ts: 0, dur: 5 }] }), () => {})).rejects.toThrow(TraceImportError);
    await expect(importChromeTrace("not json", () => {})).rejects.toThrow(/Not JSON/);
    const s = sessionWith(fanoutTrace(3));
    const before = s.store;
    await s.importText("bad.json", "{}", async () => {});
    expect(s.error).toMatch(/Could not open 'bad.json'/);
    expect(s.store).toBe(before);
  });
});

describe("TraceSession sources", () => {
  it("a run's late events do not land in a file opened meanwhile, and a run supersedes a loading file", async () => {
    const s = new TraceSession();
    s.begin({ kind: "run", component: "a.wasm" });
    const file = sessionWith(fanoutTrace(3)).exportText();
    await s.importText("t.json", file, async () => {});
    const n = s.store.length;
    s.append(batchToChunk({ fidelity: "host-boundary", events: fanoutTrace(2), dropped: 0 }));
    expect(s.store.length).toBe(n);

    const big = sessionWith(fanoutTrace(3000)).exportText();
    const loading = s.importText("big.json", big, () => new Promise((r) => setTimeout(r, 0)));
    s.begin({ kind: "run", component: "b.wasm" });
    await loading;
    expect(s.source).toEqual({ kind: "run", component: "b.wasm" });
    expect(s.store.length).toBe(0);
    expect(s.loading).toBeNull();
  });
});
