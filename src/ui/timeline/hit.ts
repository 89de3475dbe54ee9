/** What is under the pointer, and what a selected task relates to. Pure, over the laid-out trace. */
import type { Marker, Span, TimelineLayout } from "./layout";
import { AXIS_H, firstAtOrAfter, firstEndingAfter, LABEL_W } from "./render";
import { rowAt, type Filters, type RowLayout } from "./rows";
import type { TimeScale } from "./TimeScale";

/** The span or marker at content position (`x` in canvas pixels, `contentY` below the axis), within `slopPx`. */
export function hitTest(rows: RowLayout, scale: TimeScale, filters: Filters, x: number, contentY: number, slopPx = 3): Span | Marker | null {
  if (x < LABEL_W) return null;
  const row = rowAt(rows.rows, contentY);
  if (!row || row.kind === "lane") return null;
  const t = Number(scale.pxToTime(x - LABEL_W));
  const slop = slopPx * scale.nsPerPx;
  const inSpans = (spans: readonly Span[]) => {
    for (let i = firstEndingAfter(spans, t - slop); i < spans.length; i++) {
      const s = spans[i]!;
      if (s.start > t + slop) break;
      if (!filters.hiddenKinds.has(s.kind)) return s;
    }
    return null;
  };
  const g = row.group;
  // Backpressure bands cover the whole group (bar and tracks) and come last: anything drawn on them wins.
  const band = () => (filters.hiddenKinds.has("backpressure") ? null : (g.bands.find((b) => b.start - slop <= t && t <= b.end + slop) ?? null));
  if (row.kind === "track") return inSpans(row.track.spans) ?? band();
  if (!filters.hiddenKinds.has("markers")) {
    let best: Marker | null = null;
    for (let i = firstAtOrAfter(g.markers, t - slop); i < g.markers.length && g.markers[i]!.t <= t + slop; i++) {
      const m = g.markers[i]!;
      if (!best || Math.abs(m.t - t) < Math.abs(best.t - t)) best = m;
    }
    if (best) return best;
  }
  const wait = filters.hiddenKinds.has("wait") ? null : inSpans(g.waits);
  if (wait) return wait;
  if (g.bar && !filters.hiddenKinds.has("task") && g.bar.start - slop <= t && t <= g.bar.end + slop) return g.bar;
  return band();
}

/** The span or marker at canvas point (`x`, `y`) with the rows scrolled by `scrollY`; nothing on the axis. */
export function hitAtPoint(rows: RowLayout, scale: TimeScale, filters: Filters, x: number, y: number, scrollY: number): Span | Marker | null {
  return y > AXIS_H ? hitTest(rows, scale, filters, x, y - AXIS_H + scrollY) : null;
}

/**
 * For a selected span's task: the subtask that started it (a guest caller) and what it is waiting
 * on at time `t`: its wait, and its subtasks and host calls in flight then.
 */
export function relatedTo(layout: TimelineLayout, span: Span, t: number): { starter: Span | null; waitingOn: Span[] } {
  const g = span.group;
  const startedBy = g.startedBy;
  const starter = startedBy === undefined ? null : (layout.spans.find((s) => s.kind === "subtask" && s.id === startedBy && s.start <= (g.bar?.start ?? Infinity)) ?? null);
  const at = (s: Span) => s.start <= t && t <= s.end;
  const waitingOn = [...g.waits.filter(at), ...g.tracks.flatMap((tr) => tr.spans.filter(at))];
  return { starter, waitingOn };
}
