import { describe, expect, it } from "vitest";
import { nanos } from "../../base/time";
import { batchToChunk } from "../../protocol/trace-chunk";
import { AXIS_H, LABEL_W } from "./render";
import { ev, fanoutTrace } from "./testTrace";
import { TimeScale } from "./TimeScale";
import { TraceStore } from "./traceStore";
import { keyCommand, TimelineViewport, traceBounds, wheelCommand } from "./viewport";

const ms = (n: number) => nanos(BigInt(n) * 1_000_000n);
const bounds = (first: number, last: number) => ({ first: ms(first), last: ms(last) });

/** A 1170 x 400 canvas: 1000 px of time axis after the label column. */
function viewport(): TimelineViewport {
  const v = new TimelineViewport();
  v.resize(LABEL_W + 1000, 400);
  return v;
}

describe("traceBounds", () => {
  it("is null while the store is empty, then its first and last instant", () => {
    const store = new TraceStore();
    expect(traceBounds(store)).toBeNull();
    store.append(batchToChunk({ fidelity: "exact", events: fanoutTrace(2), dropped: 0 }));
    expect(traceBounds(store)).toEqual({ first: nanos(1000n), last: nanos(BigInt(store.maxT)) });
  });

  it("starts at the first thing that ran, not at the instantiation before it", () => {
    const store = new TraceStore();
    store.append(batchToChunk({ fidelity: "exact", events: [ev(0, "instance", 1, 0, { name: "a.wasm" }), ev(40_000_000, "task.start", 1, 1), ev(41_000_000, "task.end", 1, 1)], dropped: 0 }));
    expect(traceBounds(store)).toEqual({ first: nanos(40_000_000n), last: nanos(41_000_000n) });
  });
});

describe("TimelineViewport.frame", () => {
  it("shows nothing for an empty trace and the whole trace on the first frame", () => {
    const v = viewport();
    expect(v.frame(null)).toBeNull();
    const s = v.frame(bounds(0, 100))!;
    expect(s).toEqual(TimeScale.fit(ms(0), ms(100), 1000));
    expect(s.start).toBeLessThan(ms(0));
    expect(s.end).toBeGreaterThan(ms(100));
  });

  it("while following with a span, keeps the newest event near the right edge as the trace grows", () => {
    const v = viewport();
    v.frame(bounds(0, 100));
    v.followSpan = ms(10);
    const s = v.frame(bounds(0, 500))!;
    expect(s.span).toBe(ms(10));
    // A 2% margin after the newest event.
    expect(s.end).toBe(nanos(ms(500) + ms(10) / 50n));
    expect(v.frame(bounds(0, 900))!.end).toBe(nanos(ms(900) + ms(10) / 50n));
  });

  it("once the user moved, keeps the window as the trace grows, and its time per pixel when resized", () => {
    const v = viewport();
    v.frame(bounds(0, 100));
    v.pan(100);
    const moved = v.scale!;
    expect(v.frame(bounds(0, 500))).toBe(moved);
    v.resize(LABEL_W + 500, 400);
    const narrower = v.frame(bounds(0, 500))!;
    expect(narrower.start).toBe(moved.start);
    expect(narrower.width).toBe(500);
    expect(narrower.nsPerPx).toBeCloseTo(moved.nsPerPx, 0);
  });
});

describe("TimelineViewport gestures", () => {
  it("zooming while following follows the zoomed span; without a window it does nothing", () => {
    const empty = viewport();
    empty.zoomAt(2, LABEL_W);
    expect(empty.scale).toBeNull();
    const v = viewport();
    v.frame(bounds(0, 100));
    const before = v.scale!;
    v.zoomAt(2, LABEL_W + 500);
    expect(v.follow).toBe(true);
    expect(v.followSpan).toBe(v.scale!.span);
    expect(Number(v.scale!.span)).toBeCloseTo(Number(before.span) / 2, -1);
    // The instant under the pointer stays there.
    expect(v.scale!.pxToTime(500)).toBe(before.pxToTime(500));
  });

  it("panning sideways stops following; scrolling rows does not", () => {
    const v = viewport();
    v.frame(bounds(0, 100));
    v.pan(0, 30);
    expect(v.follow).toBe(true);
    expect(v.scrollY).toBe(30);
    const start = v.scale!.start;
    v.pan(100);
    expect(v.follow).toBe(false);
    expect(v.scale!.start).toBeGreaterThan(start);
  });

  it("fit shows the whole trace and stops following; followNewest follows the whole trace again", () => {
    const v = viewport();
    v.frame(bounds(0, 100));
    v.zoomAt(8, LABEL_W);
    v.fit(bounds(0, 400));
    expect(v.follow).toBe(false);
    expect(v.scale).toEqual(TimeScale.fit(ms(0), ms(400), 1000));
    v.followNewest();
    expect(v.follow).toBe(true);
    expect(v.followSpan).toBeNull();
    expect(v.frame(bounds(0, 800))).toEqual(TimeScale.fit(ms(0), ms(800), 1000));
  });

  it("reveal keeps an instant in sight: untouched inside the window, centred outside it", () => {
    const v = new TimelineViewport();
    v.resize(LABEL_W + 1000, 300);
    v.frame(bounds(0, 100));
    const before = v.scale!;
    v.reveal(50_000_000);
    expect(v.scale).toBe(before);
    expect(v.follow).toBe(false);
    v.reveal(500_000_000);
    expect(Number(v.scale!.start) + Number(v.scale!.span) / 2).toBeCloseTo(500_000_000, -1);
    expect(v.scale!.span).toBe(before.span);
  });

  it("clampScroll keeps rows in sight: not above the first, at most 8 px past the last", () => {
    const v = viewport();
    v.scrollY = -50;
    v.clampScroll(1000);
    expect(v.scrollY).toBe(0);
    v.scrollY = 5000;
    v.clampScroll(1000);
    expect(v.scrollY).toBe(1000 - (400 - AXIS_H) + 8);
    v.clampScroll(100);
    expect(v.scrollY).toBe(0);
  });

  it("reset follows a new trace from the start; timeAt and range read the window", () => {
    const v = viewport();
    expect(v.timeAt(LABEL_W)).toBeNull();
    expect(v.range()).toEqual({ start: 0, end: 0, follow: true, scrollY: 0 });
    v.frame(bounds(0, 100));
    v.pan(50, 20);
    expect(v.timeAt(LABEL_W)).toBe(Number(v.scale!.start));
    expect(v.range()).toEqual({ start: Number(v.scale!.start), end: Number(v.scale!.end), follow: false, scrollY: 20 });
    v.followSpan = ms(1);
    v.reset();
    expect(v).toMatchObject({ scale: null, scrollY: 0, follow: true, followSpan: null });
  });
});

describe("keyCommand", () => {
  const view = { timeWidth: 1000 };
  it("zooms at the centre of the time axis and pans by 15% of it", () => {
    const center = LABEL_W + 500;
    expect(keyCommand("w", view)).toEqual({ kind: "zoom", factor: 1.5, atPx: center });
    expect(keyCommand("W", view)).toEqual({ kind: "zoom", factor: 1.5, atPx: center });
    expect(keyCommand("+", view)).toEqual(keyCommand("=", view));
    expect(keyCommand("s", view)).toEqual({ kind: "zoom", factor: 1 / 1.5, atPx: center });
    expect(keyCommand("-", view)).toEqual(keyCommand("s", view));
    expect(keyCommand("a", view)).toEqual({ kind: "pan", dxPx: -150, dyPx: 0 });
    expect(keyCommand("ArrowLeft", view)).toEqual(keyCommand("a", view));
    expect(keyCommand("d", view)).toEqual({ kind: "pan", dxPx: 150, dyPx: 0 });
    expect(keyCommand("ArrowRight", view)).toEqual(keyCommand("d", view));
    expect(keyCommand("ArrowUp", view)).toEqual({ kind: "pan", dxPx: 0, dyPx: -40 });
    expect(keyCommand("ArrowDown", view)).toEqual({ kind: "pan", dxPx: 0, dyPx: 40 });
  });

  it("F follows, 0 or Home fits, Escape clears the selection; other keys are left alone", () => {
    expect(keyCommand("f", view)).toEqual({ kind: "follow" });
    expect(keyCommand("0", view)).toEqual({ kind: "fit" });
    expect(keyCommand("Home", view)).toEqual({ kind: "fit" });
    expect(keyCommand("Escape", view)).toEqual({ kind: "clear-selection" });
    expect(keyCommand("x", view)).toBeNull();
    expect(keyCommand("Enter", view)).toBeNull();
  });
});

describe("wheelCommand", () => {
  const wheel = { deltaX: 0, deltaY: 0, deltaMode: 0, shiftKey: false, offsetX: 400 };
  it("zooms at the pointer: in for a wheel up, out for a wheel down", () => {
    const up = wheelCommand({ ...wheel, deltaY: -100 });
    expect(up).toEqual({ kind: "zoom", factor: Math.exp(0.15), atPx: 400 });
    const down = wheelCommand({ ...wheel, deltaY: 100 });
    expect(down.kind === "zoom" && down.factor).toBeLessThan(1);
  });

  it("shift scrolls rows, a mostly sideways wheel pans, in pixels whatever the delta unit", () => {
    expect(wheelCommand({ ...wheel, deltaY: 3, deltaMode: 1, shiftKey: true })).toEqual({ kind: "pan", dxPx: 0, dyPx: 48 });
    expect(wheelCommand({ ...wheel, deltaX: 50, deltaY: 10 })).toEqual({ kind: "pan", dxPx: 50, dyPx: 0 });
    expect(wheelCommand({ ...wheel, deltaX: -1, deltaMode: 2 })).toEqual({ kind: "pan", dxPx: -400, dyPx: 0 });
  });
});
