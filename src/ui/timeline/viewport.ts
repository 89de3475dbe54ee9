/**
 * What part of the trace the timeline shows: the time window, the rows scrolled off the top, and
 * follow mode (the newest event stays at the right edge). The panel holds one in a ref, changes it
 * on every gesture and reads it once per frame; keys and the wheel map to commands here.
 */
import { nanos, type Nanos } from "../../base/time";
import { AXIS_H, LABEL_W, TimelineRenderer, type Viewport } from "./render";
import { TimeScale } from "./TimeScale";
import type { TraceStore } from "./traceStore";

/** The first and last instant of a trace. */
export interface TraceBounds {
  first: Nanos;
  last: Nanos;
}

/**
 * The stored trace's bounds, or null while it is empty: from the first thing that ran (not the
 * instantiation before it, which may be long before the first call) to the last event.
 */
export function traceBounds(store: TraceStore): TraceBounds | null {
  if (store.length === 0) return null;
  const first = Number.isNaN(store.firstActivityT) ? store.minT : store.firstActivityT;
  return { first: nanos(BigInt(first)), last: nanos(BigInt(store.maxT)) };
}

export class TimelineViewport implements Viewport {
  scale: TimeScale | null = null;
  scrollY = 0;
  /** Keep the newest event at the right edge. */
  follow = true;
  /** The span shown while following; null fits the whole trace. */
  followSpan: bigint | null = null;
  /** CSS pixels of the canvas. */
  width = 0;
  height = 0;

  /** Pixels of the time axis (the label column is not time). */
  get timeWidth(): number {
    return TimelineRenderer.timeWidth(this);
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  /** A new trace: follow it from the start, unscrolled. */
  reset(): void {
    Object.assign(this, { scale: null, scrollY: 0, follow: true, followSpan: null });
  }

  /**
   * The window for the next frame: the newest `followSpan` (with a 2% margin on the right) or the
   * whole trace while following or before the first frame, else the same window over the
   * current width. Null while the trace is empty.
   */
  frame(bounds: TraceBounds | null): TimeScale | null {
    const width = this.timeWidth;
    if (!bounds) this.scale = null;
    else if (!this.scale || this.follow) {
      const span = this.followSpan;
      this.scale = this.follow && span !== null ? new TimeScale(nanos(bounds.last + span / 50n - span), nanos(span), width) : TimeScale.fit(bounds.first, bounds.last, width);
    } else if (this.scale.width !== width) this.scale = this.scale.withWidth(width);
    return this.scale;
  }

  /** Keeps the rows in sight: no scrolling above the first or far below the last (8 px slack). */
  clampScroll(contentHeight: number): void {
    this.scrollY = Math.max(0, Math.min(this.scrollY, contentHeight - (this.height - AXIS_H) + 8));
  }

  /** Zooms by `factor` (> 1 zooms in) at canvas x `px`; while following, the new span is followed. */
  zoomAt(factor: number, px: number): void {
    if (!this.scale) return;
    this.scale = this.scale.zoom(factor, Math.max(0, px - LABEL_W));
    if (this.follow) this.followSpan = this.scale.span;
  }

  /** Pans by `dxPx` (leaving follow mode) and scrolls rows by `dyPx`. */
  pan(dxPx: number, dyPx = 0): void {
    if (!this.scale) return;
    if (dxPx !== 0) {
      this.follow = false;
      this.scale = this.scale.pan(dxPx);
    }
    this.scrollY += dyPx;
  }

  /** Shows the whole trace and stops following. */
  fit(bounds: TraceBounds | null): void {
    this.follow = false;
    if (bounds) this.scale = TimeScale.fit(bounds.first, bounds.last, this.timeWidth);
  }

  /** Keeps instant `t` (ns) in sight: if it is outside the window, centres it (same span); stops following. */
  reveal(t: number): void {
    if (!this.scale) return;
    this.follow = false;
    const s = this.scale;
    if (t >= Number(s.start) && t <= Number(s.end)) return;
    this.scale = new TimeScale(nanos(BigInt(Math.round(t)) - s.span / 2n), s.span, s.width);
  }

  /** Follows the newest events again, showing the whole trace until the next zoom. */
  followNewest(): void {
    this.follow = true;
    this.followSpan = null;
  }

  /** The instant (ns) drawn at canvas x `px`, or null while nothing is drawn. */
  timeAt(px: number): number | null {
    return this.scale ? Number(this.scale.pxToTime(px - LABEL_W)) : null;
  }

  /** The window in nanoseconds (0 to 0 while empty), for the test hook. */
  range(): { start: number; end: number; follow: boolean; scrollY: number } {
    const s = this.scale;
    return { start: s ? Number(s.start) : 0, end: s ? Number(s.end) : 0, follow: this.follow, scrollY: this.scrollY };
  }
}

/** What a key or the wheel asks of the view. */
export type ViewCommand =
  | { kind: "zoom"; factor: number; atPx: number }
  | { kind: "pan"; dxPx: number; dyPx: number }
  | { kind: "follow" }
  | { kind: "fit" }
  | { kind: "clear-selection" };

/**
 * The canvas keys: W/S or +/- zoom at the centre, A/D or left/right pan by 15% of the width,
 * up/down scroll rows, F follows, 0 or Home fits, Escape clears the selection.
 */
export function keyCommand(key: string, view: { timeWidth: number }): ViewCommand | null {
  const center = LABEL_W + view.timeWidth / 2;
  const step = view.timeWidth * 0.15;
  switch (key.toLowerCase()) {
    case "w":
    case "+":
    case "=":
      return { kind: "zoom", factor: 1.5, atPx: center };
    case "s":
    case "-":
      return { kind: "zoom", factor: 1 / 1.5, atPx: center };
    case "a":
    case "arrowleft":
      return { kind: "pan", dxPx: -step, dyPx: 0 };
    case "d":
    case "arrowright":
      return { kind: "pan", dxPx: step, dyPx: 0 };
    case "arrowup":
      return { kind: "pan", dxPx: 0, dyPx: -40 };
    case "arrowdown":
      return { kind: "pan", dxPx: 0, dyPx: 40 };
    case "f":
      return { kind: "follow" };
    case "0":
    case "home":
      return { kind: "fit" };
    case "escape":
      return { kind: "clear-selection" };
    default:
      return null;
  }
}

/** The wheel fields a command depends on (a WheelEvent has them all). */
export interface WheelInput {
  deltaX: number;
  deltaY: number;
  /** 0 pixels, 1 lines, 2 pages. */
  deltaMode: number;
  shiftKey: boolean;
  offsetX: number;
}

/** The wheel zooms at the pointer; shift+wheel scrolls rows; a mostly horizontal wheel pans. */
export function wheelCommand(e: WheelInput): ViewCommand {
  const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
  if (e.shiftKey) return { kind: "pan", dxPx: 0, dyPx: e.deltaY * unit };
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) return { kind: "pan", dxPx: e.deltaX * unit, dyPx: 0 };
  return { kind: "zoom", factor: Math.exp(-e.deltaY * unit * 0.0015), atPx: e.offsetX };
}
