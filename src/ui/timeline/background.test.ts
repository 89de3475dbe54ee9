import { describe, expect, it } from "vitest";
import { batchToChunk, chunkToBatch } from "../../protocol/trace-chunk";
import { BACKGROUND_STRIDE, rebaseBackground } from "./background";
import { TimelineLayout } from "./layout";
import { TraceSession } from "./session";
import { composedTrace, ev, streamTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

const B = BACKGROUND_STRIDE;

describe("rebaseBackground", () => {
  it("moves a background run onto the session's clock, its ids into their own range, its lanes marked", () => {
    const chunk = batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 });
    const events = chunkToBatch(rebaseBackground(chunk, 2, 1000)).events;
    expect(events[0]).toMatchObject({ t: 1000n, kind: "instance", instance: 2 * B + 1, name: "gw.wasm (background)" });
    expect(events[1]).toMatchObject({ kind: "instance", instance: 2 * B + 2, id: 2 * B + 1, name: "gw.wasm/router (background)" });
    expect(events[3]).toMatchObject({ kind: "instance", name: "gw.wasm/auth/instance 22" });
    const start = events.find((e) => e.kind === "task.start" && e.name === "check")!;
    expect(start).toMatchObject({ t: 1111n, instance: 2 * B + 4, task: 2 * B + 3, id: 2 * B + 2 });
    // A waitable-set handle is the instance's own: kept.
    expect(events.find((e) => e.kind === "wait.begin")).toMatchObject({ id: 1, task: 2 * B + 1 });
    expect(events.find((e) => e.kind === "stream.read")).toMatchObject({ id: 2 * B + 7 });
  });

  it("keeps the host shared and drops what happened before the session began (instances stay named)", () => {
    const chunk = batchToChunk({ fidelity: "exact", events: streamTrace([5]), dropped: 0 });
    const events = chunkToBatch(rebaseBackground(chunk, 1, -50)).events;
    expect(events.filter((e) => e.kind === "instance").map((e) => [e.t, e.instance, e.name])).toEqual([
      [0n, 0, "host (background)"],
      [0n, B + 1, "stream-upper.wasm (background)"],
    ]);
    expect(events.some((e) => e.kind === "task.start")).toBe(false);
    expect(events.every((e) => e.t >= 0n)).toBe(true);
  });

  it("a foreground and a background run in one store: separate lanes, tasks and copies", () => {
    const store = new TraceStore();
    store.append(batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 }));
    store.append(rebaseBackground(batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 }), 1, 500));
    store.append(batchToChunk({ fidelity: "exact", events: [ev(900, "task.start", 2, 99, { name: "late" })], dropped: 0 }));
    const layout = new TimelineLayout(store);
    while (layout.advance(1000));
    const lanes = layout.lanes.filter((l) => l.groups.length > 0).map((l) => [l.name, l.groups.length]);
    expect(lanes).toEqual([
      ["router", 2],
      ["auth", 1],
      ["router (background)", 1],
      ["auth (background)", 1],
    ]);
    expect(layout.calls.map((c) => [c.subtask.group.lane.instance, c.task.lane.instance])).toEqual([
      [2, 3],
      [B + 2, B + 3],
    ]);
    expect(layout.transfers).toHaveLength(2);
  });

  it("a session shows background runs beside the run in view, names their lanes again in the next run's trace, and keeps them out of files", () => {
    const session = new TraceSession();
    // It began a second after the session: everything it did is in view.
    session.appendBackground(1, performance.now() + 1000, batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 }));
    expect(session.source).toMatchObject({ kind: "run", component: "background runs" });
    session.settle();
    expect(session.layout.lanes.filter((l) => l.groups.length > 0).map((l) => l.name)).toEqual(["router (background)", "auth (background)"]);

    session.begin({ kind: "run", component: "hello.wasm" });
    session.append(batchToChunk({ fidelity: "exact", events: [ev(0, "instance", 1, 0, { name: "hello.wasm" }), ev(10, "task.start", 1, 1, { name: "run" })], dropped: 0 }));
    session.appendBackground(1, performance.now() - 1, batchToChunk({ fidelity: "exact", events: [ev(2_000_000, "task.start", 2, 50, { name: "handle" })], dropped: 0 }));
    session.settle();
    expect(session.layout.lanes.filter((l) => l.groups.length > 0).map((l) => [l.name, l.groups[0]!.name])).toEqual([
      ["hello.wasm", "run"],
      ["router (background)", "handle"],
    ]);

    session.endBackground(1);
    session.begin({ kind: "file", file: "t.json", component: "t.json" });
    session.appendBackground(2, performance.now(), batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 }));
    expect(session.store.length).toBe(0);
  });
});
