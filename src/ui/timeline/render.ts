/**
 * Draws a laid-out trace on a 2D canvas. Cost per frame is bounded by what is visible, not by the
 * trace's size: rows outside the viewport are skipped, each track is binary-searched to the window,
 * and runs of spans narrower than a pixel collapse into one rectangle per pixel column.
 */
import { DIMMED_ALPHA, emphasized, type Emphasis } from "./emphasis";
import type { CallLink, Marker, Span, TimelineLayout, Track, Transfer } from "./layout";
import type { TraceStore } from "./traceStore";
import { LIGHT_TIMELINE, type TimelinePalette } from "./palette";
import { layoutRows, rowIndexAt, TRACK_H, type Filters, type Row, type RowLayout } from "./rows";
import { tickLabel, ticks, TimeScale } from "./TimeScale";

export const LABEL_W = 170;
export const AXIS_H = 22;

export interface Viewport {
  /** CSS pixels. */
  width: number;
  height: number;
  /** Content pixels scrolled off the top (below the axis). */
  scrollY: number;
}

/** What is highlighted: a selected task's starter and what it waits on, and the hovered item. */
export interface Highlight {
  selected?: Span;
  related?: Span[];
  hovered?: Span | Marker;
  /** Marks to stress; the others are drawn dimmed (emphasis.ts). */
  emphasis?: Emphasis;
  /** Step mode: the instant (ns) of the current step, drawn as a vertical line. */
  cursor?: number;
}

export interface DrawStats {
  spans: number;
  markers: number;
  /** Copy arrows drawn. */
  arrows: number;
  /** Call arrows drawn (a subtask to the task it started). */
  calls: number;
  rows: number;
}

/** Index of the first span whose end is at or after `t` (tracks are sorted by end). */
export function firstEndingAfter(spans: readonly Span[], t: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.end < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first item with `t` at or after `t` (markers are in time order per group). */
export function firstAtOrAfter(items: ReadonlyArray<{ t: number }>, t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TimelineRenderer {
  /** The colours of the page's theme (the panel swaps it and redraws). */
  palette: TimelinePalette = LIGHT_TIMELINE;
  #rows: RowLayout | null = null;
  #rowsKey = "";

  /** Rows for the current layout and filters, rebuilt only when either changed. */
  rows(layout: TimelineLayout, filters: Filters): RowLayout {
    const key = `${layout.shape}|${[...filters.hiddenInstances].join(",")}|${[...filters.hiddenKinds].join(",")}`;
    if (!this.#rows || key !== this.#rowsKey || this.#rowsLayout !== layout) {
      this.#rows = layoutRows(layout.lanes, filters);
      this.#rowsKey = key;
      this.#rowsLayout = layout;
    }
    return this.#rows;
  }
  #rowsLayout: TimelineLayout | null = null;
  /** The emphasis of the frame being drawn, if any. */
  #emphasis: Emphasis | undefined;

  /** Full strength for a stressed mark (or when nothing is stressed), dimmed otherwise. */
  #alphaFor(ctx: CanvasRenderingContext2D, mark: Span | Marker): void {
    const e = this.#emphasis;
    if (e) ctx.globalAlpha = emphasized(e, mark) ? 1 : DIMMED_ALPHA;
  }

  /** The time scale of the drawing area for a viewport (the label column is not time). */
  static timeWidth(v: Viewport): number {
    return Math.max(1, v.width - LABEL_W);
  }

  draw(ctx: CanvasRenderingContext2D, layout: TimelineLayout, scale: TimeScale, v: Viewport, filters: Filters, hl: Highlight = {}): DrawStats {
    const stats: DrawStats = { spans: 0, markers: 0, arrows: 0, calls: 0, rows: 0 };
    const { rows, barOf } = this.rows(layout, filters);
    this.#emphasis = hl.emphasis;
    ctx.save();
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, v.width, v.height);
    ctx.font = "10px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const t0 = Number(scale.start);
    const t1 = Number(scale.end);
    const x = (ns: number) => LABEL_W + scale.nsToPx(ns);
    const top = AXIS_H;
    const yOf = (contentY: number) => top + contentY - v.scrollY;

    this.#grid(ctx, scale, v);

    ctx.save();
    ctx.beginPath();
    ctx.rect(0, top, v.width, v.height - top);
    ctx.clip();
    // Backpressure bands span a whole group: start from the bar of the group at the top.
    let first = rowIndexAt(rows, v.scrollY);
    while (first > 0 && rows[first]!.kind === "track") first--;
    for (let r = first; r < rows.length; r++) {
      const row = rows[r]!;
      const y = yOf(row.y);
      if (y > v.height) break;
      if (y + (row.kind === "bar" ? row.groupH : row.h) < top) continue;
      stats.rows++;
      if (row.kind === "lane") this.#laneHeader(ctx, row, y, v);
      else if (row.kind === "bar") this.#bar(ctx, layout, row, y, t0, t1, x, filters, stats);
      else this.#track(ctx, row.track, y, row.h, t0, t1, x, filters, stats);
    }
    ctx.globalAlpha = 1;
    if (!filters.hiddenKinds.has("transfers")) this.#arrows(ctx, layout.transfers, barOf, yOf, t0, t1, x, v, stats);
    this.#calls(ctx, layout.calls, barOf, yOf, t0, t1, x, v, filters, stats);
    this.#highlights(ctx, hl, barOf, rows, yOf, x);
    if (hl.cursor !== undefined && hl.cursor >= t0 && hl.cursor <= t1) {
      const px = Math.round(x(hl.cursor)) + 0.5;
      ctx.strokeStyle = this.palette.selected;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, v.height);
      ctx.stroke();
    }
    this.#dropped(ctx, layout, x, v);
    ctx.restore();

    // Label column over everything, so long spans never run under it.
    ctx.fillStyle = this.palette.labels;
    ctx.fillRect(0, top, LABEL_W, v.height - top);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, top, LABEL_W, v.height - top);
    ctx.clip();
    for (let r = first; r < rows.length; r++) {
      const row = rows[r]!;
      const y = yOf(row.y);
      if (y > v.height) break;
      if (y + row.h < top) continue;
      this.#label(ctx, row, y);
    }
    ctx.restore();
    ctx.strokeStyle = this.palette.rule;
    ctx.beginPath();
    ctx.moveTo(LABEL_W + 0.5, top);
    ctx.lineTo(LABEL_W + 0.5, v.height);
    ctx.stroke();
    ctx.restore();
    return stats;
  }

  /** A blank canvas with one line of text, for when there is no trace to draw. */
  drawMessage(ctx: CanvasRenderingContext2D, v: Viewport, text: string): DrawStats {
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, v.width, v.height);
    ctx.fillStyle = this.palette.message;
    ctx.font = "13px system-ui, sans-serif";
    ctx.fillText(text, 16, 30);
    return { spans: 0, markers: 0, arrows: 0, calls: 0, rows: 0 };
  }

  #grid(ctx: CanvasRenderingContext2D, scale: TimeScale, v: Viewport): void {
    ctx.fillStyle = this.palette.axis;
    ctx.fillRect(0, 0, v.width, AXIS_H);
    const { step, times } = ticks(scale, 90);
    ctx.strokeStyle = this.palette.grid;
    ctx.fillStyle = this.palette.axisText;
    ctx.beginPath();
    for (const t of times) {
      const px = Math.round(LABEL_W + scale.timeToPx(t)) + 0.5;
      ctx.moveTo(px, AXIS_H - 6);
      ctx.lineTo(px, v.height);
    }
    ctx.stroke();
    ctx.textAlign = "left";
    for (const t of times) ctx.fillText(tickLabel(t, step), LABEL_W + scale.timeToPx(t) + 3, 9);
    ctx.strokeStyle = this.palette.rule;
    ctx.beginPath();
    ctx.moveTo(0, AXIS_H - 0.5);
    ctx.lineTo(v.width, AXIS_H - 0.5);
    ctx.stroke();
  }

  #laneHeader(ctx: CanvasRenderingContext2D, row: Row & { kind: "lane" }, y: number, v: Viewport): void {
    ctx.fillStyle = this.palette.lane;
    ctx.fillRect(0, y, v.width, row.h);
  }

  #label(ctx: CanvasRenderingContext2D, row: Row, y: number): void {
    ctx.textAlign = "left";
    if (row.kind === "lane") {
      ctx.fillStyle = this.palette.laneLabel;
      ctx.fillRect(0, y, LABEL_W, row.h);
      ctx.fillStyle = this.palette.laneLabelText;
      ctx.font = "bold 11px system-ui, sans-serif";
      ctx.fillText(fit(`${row.lane.name}`, LABEL_W - 8, 6.5), 4, y + row.h / 2);
      ctx.font = "10px system-ui, sans-serif";
    } else if (row.kind === "bar") {
      ctx.fillStyle = this.palette.barLabel;
      const g = row.group;
      const name = g.task === 0 ? g.name : `${g.name} #${g.task}`;
      ctx.fillText(fit(name, LABEL_W - 14, 5.8), 10, y + row.h / 2);
    } else if (row.index === 0) {
      ctx.fillStyle = this.palette.trackLabel;
      ctx.fillText(`${row.group.tracks.length} call track${row.group.tracks.length === 1 ? "" : "s"}`, 16, y + row.h / 2);
    }
  }

  #bar(ctx: CanvasRenderingContext2D, layout: TimelineLayout, row: Row & { kind: "bar" }, y: number, t0: number, t1: number, x: (ns: number) => number, filters: Filters, stats: DrawStats): void {
    const g = row.group;
    if (!filters.hiddenKinds.has("backpressure")) {
      ctx.fillStyle = this.palette.spans.backpressure;
      for (const b of g.bands) {
        if (b.end < t0 || b.start > t1) continue;
        this.#alphaFor(ctx, b);
        const x0 = Math.max(LABEL_W, x(b.start));
        const x1 = Math.min(x(t1), x(Math.min(b.end, t1)));
        ctx.fillRect(x0, y, Math.max(1, x1 - x0), row.groupH);
        stats.spans++;
      }
    }
    if (g.bar && !filters.hiddenKinds.has("task") && g.bar.end >= t0 && g.bar.start <= t1) {
      const x0 = Math.max(LABEL_W - 1, x(g.bar.start));
      const x1 = Math.min(x(t1) + 1, x(Math.min(g.bar.end, t1 + 1)));
      this.#alphaFor(ctx, g.bar);
      ctx.fillStyle = g.bar.detail === "failed" ? this.palette.failure : this.palette.spans.task;
      ctx.fillRect(x0, y + 2, Math.max(1, x1 - x0), row.h - 4);
      if (x1 - x0 > 40) {
        ctx.fillStyle = this.palette.onSpan;
        ctx.fillText(fit(g.name, x1 - x0 - 6, 5.8), Math.max(x0, LABEL_W) + 3, y + row.h / 2);
      }
      stats.spans++;
    }
    if (!filters.hiddenKinds.has("wait")) this.#spans(ctx, g.waits, y + 4, row.h - 8, t0, t1, x, filters, stats);
    if (!filters.hiddenKinds.has("markers")) this.#markers(ctx, g.markers, y, row.h, t0, t1, x, stats, filters.hiddenKinds.has("transfers") ? null : layout.store);
  }

  #track(ctx: CanvasRenderingContext2D, track: Track, y: number, h: number, t0: number, t1: number, x: (ns: number) => number, filters: Filters, stats: DrawStats): void {
    this.#spans(ctx, track.spans, y + 1, h - 2, t0, t1, x, filters, stats);
  }

  /** Spans of one row (sorted, non-overlapping); sub-pixel runs merge per pixel column. */
  #spans(ctx: CanvasRenderingContext2D, spans: readonly Span[], y: number, h: number, t0: number, t1: number, x: (ns: number) => number, filters: Filters, stats: DrawStats): void {
    let lastPx = -Infinity;
    for (let i = firstEndingAfter(spans, t0); i < spans.length; i++) {
      const s = spans[i]!;
      if (s.start > t1) break;
      if (filters.hiddenKinds.has(s.kind)) continue;
      const x0 = Math.max(LABEL_W - 1, x(s.start));
      const x1 = Math.min(x(t1) + 1, x(Math.min(s.end, t1 + 1)));
      const w = x1 - x0;
      if (w < 1) {
        const px = Math.floor(x0);
        if (px === lastPx) continue;
        lastPx = px;
      } else lastPx = Math.floor(x1);
      this.#alphaFor(ctx, s);
      ctx.fillStyle = this.palette.spans[s.kind];
      ctx.fillRect(x0, y, Math.max(1, w), h);
      if (s.woken !== undefined && w >= 1) {
        // Woken, not yet running: the scheduled part of the wait.
        const k0 = Math.max(x0, x(s.woken));
        ctx.fillStyle = this.palette.scheduled;
        ctx.fillRect(k0, y, Math.max(1, x1 - k0), h);
      }
      const inner = s.inner;
      if (inner && !filters.hiddenKinds.has("host") && w >= 1) {
        // The host function serving this subtask: a strip along the bottom.
        const i0 = Math.max(x0, x(inner.start));
        const i1 = Math.min(x1, x(Math.min(inner.end, t1 + 1)));
        ctx.fillStyle = this.palette.spans.host;
        ctx.fillRect(i0, y + h - 3, Math.max(1, i1 - i0), 3);
      }
      if (s.detail === "threw") {
        ctx.strokeStyle = this.palette.failure;
        ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(1, w) - 1, h - 1);
      }
      if (w > 50 && h >= 9) {
        ctx.fillStyle = this.palette.onSpan;
        ctx.fillText(fit(shortName(s.name), w - 6, 5.8), Math.max(x0, LABEL_W) + 3, y + h / 2);
      }
      stats.spans++;
    }
  }

  /**
   * Markers of one bar row. A copy whose other end was not traced (a host-side end under
   * engine/cm) gets a stub arrow, out of the row for writes and into it for reads, and its count
   * where there is room; paired copies have their count on the arrow instead.
   */
  #markers(ctx: CanvasRenderingContext2D, markers: readonly Marker[], y: number, h: number, t0: number, t1: number, x: (ns: number) => number, stats: DrawStats, store: TraceStore | null): void {
    let lastPx = -Infinity;
    let lastKind = "";
    let lastLabel = -Infinity;
    for (let i = firstAtOrAfter(markers, t0); i < markers.length; i++) {
      const m = markers[i]!;
      if (m.t > t1) break;
      const px = Math.round(x(m.t));
      if (px === lastPx && m.kind === lastKind) continue;
      lastPx = px;
      lastKind = m.kind;
      this.#alphaFor(ctx, m);
      ctx.fillStyle = this.palette.markers[m.kind];
      drawMarker(ctx, m.kind, px, y, h);
      if (store && !m.paired && (m.kind === "stream" || m.kind === "future")) {
        const out = store.end[m.event] === 2;
        ctx.beginPath();
        ctx.moveTo(px, out ? y + h - 6 : y - 4);
        ctx.lineTo(px - 3, out ? y - 1 : y + h - 9);
        ctx.lineTo(px + 3, out ? y - 1 : y + h - 9);
        ctx.fill();
        if (px - lastLabel > 44) {
          const n = store.count[m.event]!;
          if (!Number.isNaN(n)) {
            ctx.fillText(String(n), px + 4, y + 3);
            lastLabel = px;
          }
        }
      }
      stats.markers++;
    }
  }

  /**
   * Copy arrows, writer end to reader end. Lines and heads are batched into one path each; an
   * arrow landing on the pixel column of the previous one between the same rows is skipped, and
   * counts are written only where there is room for them.
   */
  #arrows(
    ctx: CanvasRenderingContext2D,
    transfers: readonly Transfer[],
    barOf: RowLayout["barOf"],
    yOf: (contentY: number) => number,
    t0: number,
    t1: number,
    x: (ns: number) => number,
    v: Viewport,
    stats: DrawStats,
  ): void {
    const lines = new Path2D();
    const heads = new Path2D();
    const labels: Array<[string, number, number]> = [];
    const lastX = new Map<number, number>();
    let lastLabelX = -Infinity;
    for (let i = 0; i < transfers.length; i++) {
      const tr = transfers[i]!;
      if (tr.to.t < t0 || tr.from.t > t1) continue;
      const a = barOf.get(tr.from.group);
      const b = barOf.get(tr.to.group);
      if (!a || !b) continue;
      const ya = yOf(a.y) + a.h / 2;
      const yb = yOf(b.y) + b.h / 2;
      if ((ya < AXIS_H && yb < AXIS_H) || (ya > v.height && yb > v.height)) continue;
      const xa = Math.round(x(tr.from.t));
      const xb = Math.round(x(tr.to.t));
      const pair = ya * 100_003 + yb;
      if (lastX.get(pair) === xb) continue;
      lastX.set(pair, xb);
      arrow(lines, heads, xa, ya, xb, yb);
      const lx = (xa + xb) / 2 + 3;
      if (lx - lastLabelX > 48) {
        labels.push([String(tr.count), lx, (ya + yb) / 2]);
        lastLabelX = lx;
      }
      stats.arrows++;
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = this.palette.arrow;
    ctx.stroke(lines);
    ctx.fillStyle = this.palette.arrow;
    ctx.fill(heads);
    ctx.fillStyle = this.palette.arrowLabel;
    ctx.textAlign = "left";
    for (const [text, lx, ly] of labels) ctx.fillText(text, lx, ly);
  }

  /**
   * Call arrows: from where a subtask starts (on its call track, or the caller's bar when calls
   * are hidden) to the start of the task it started, usually in another instance's lane. Dashed,
   * so they read apart from the solid copy arrows.
   */
  #calls(ctx: CanvasRenderingContext2D, calls: readonly CallLink[], barOf: RowLayout["barOf"], yOf: (contentY: number) => number, t0: number, t1: number, x: (ns: number) => number, v: Viewport, filters: Filters, stats: DrawStats): void {
    const tracksShown = !filters.hiddenKinds.has("subtask") || !filters.hiddenKinds.has("host");
    const path = new Path2D();
    const heads = new Path2D();
    for (const c of calls) {
      const callee = c.task.bar;
      if (!callee || callee.start < t0 || c.subtask.start > t1) continue;
      const a = barOf.get(c.subtask.group);
      const b = barOf.get(c.task);
      if (!a || !b) continue;
      const ya = yOf(a.y) + (tracksShown && c.subtask.row >= 0 ? a.h + c.subtask.row * TRACK_H + TRACK_H / 2 : a.h / 2);
      const yb = yOf(b.y) + b.h / 2;
      if ((ya < AXIS_H && yb < AXIS_H) || (ya > v.height && yb > v.height)) continue;
      const xa = x(c.subtask.start);
      const xb = x(callee.start);
      arrow(path, heads, xa, ya, xb, yb);
      stats.calls++;
    }
    ctx.strokeStyle = this.palette.callArrow;
    ctx.setLineDash([3, 2]);
    ctx.lineWidth = 1;
    ctx.stroke(path);
    ctx.setLineDash([]);
    ctx.fillStyle = this.palette.callArrow;
    ctx.fill(heads);
  }

  #highlights(ctx: CanvasRenderingContext2D, hl: Highlight, barOf: RowLayout["barOf"], rows: readonly Row[], yOf: (y: number) => number, x: (ns: number) => number): void {
    const boxOf = (s: Span): { y: number; h: number } | null => {
      const bar = barOf.get(s.group);
      if (!bar) return null;
      if (s.row < 0) return { y: yOf(bar.y), h: bar.h };
      const tr = rows.find((r) => r.kind === "track" && r.group === s.group && r.index === s.row);
      return tr ? { y: yOf(tr.y), h: tr.h } : null;
    };
    const outline = (s: Span, color: string, width: number) => {
      const box = boxOf(s);
      if (!box) return;
      const x0 = Math.max(LABEL_W, x(s.start));
      const x1 = Math.max(x0 + 2, Number.isFinite(s.end) ? x(s.end) : x0 + 4);
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(x0 - 1, box.y, x1 - x0 + 2, box.h);
    };
    for (const s of hl.related ?? []) outline(s, this.palette.related, 2);
    if (hl.selected) {
      outline(hl.selected, this.palette.selected, 2);
      // A line from the starter to the task it started.
      const starter = hl.related?.find((r) => r.kind === "subtask" && r.id === hl.selected!.group.startedBy);
      const a = starter && boxOf(starter);
      const b = boxOf(hl.selected);
      if (starter && a && b) {
        ctx.strokeStyle = this.palette.related;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x(starter.start), a.y + a.h / 2);
        ctx.lineTo(x(hl.selected.start), b.y + b.h / 2);
        ctx.stroke();
      }
    }
    if (hl.hovered && "end" in hl.hovered) outline(hl.hovered, this.palette.hovered, 1);
    ctx.lineWidth = 1;
  }

  #dropped(ctx: CanvasRenderingContext2D, layout: TimelineLayout, x: (ns: number) => number, v: Viewport): void {
    const n = layout.store.dropped;
    if (n === 0 || Number.isNaN(layout.store.minT)) return;
    const px = Math.round(x(layout.store.minT)) + 0.5;
    ctx.strokeStyle = this.palette.failure;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(px, AXIS_H);
    ctx.lineTo(px, v.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = this.palette.failure;
    ctx.textAlign = "left";
    ctx.fillText(`◀ ${n.toLocaleString("en")} older events dropped`, Math.max(LABEL_W + 2, px + 3), AXIS_H + 8);
  }
}

/** An arrow from (xa, ya) to (xb, yb): its line added to `lines`, its head (at b) to `heads`. */
function arrow(lines: Path2D, heads: Path2D, xa: number, ya: number, xb: number, yb: number): void {
  lines.moveTo(xa, ya);
  lines.lineTo(xb, yb);
  const dir = yb >= ya ? 1 : -1;
  heads.moveTo(xb, yb);
  heads.lineTo(xb - 3, yb - 6 * dir);
  heads.lineTo(xb + 3, yb - 6 * dir);
  heads.closePath();
}

function drawMarker(ctx: CanvasRenderingContext2D, kind: Marker["kind"], px: number, y: number, h: number): void {
  switch (kind) {
    case "task.return": {
      ctx.beginPath();
      ctx.moveTo(px - 4, y);
      ctx.lineTo(px + 4, y);
      ctx.lineTo(px, y + 6);
      ctx.fill();
      return;
    }
    case "task.cancel": {
      ctx.fillRect(px - 4, y + h / 2 - 1, 8, 2);
      ctx.fillRect(px - 1, y + h / 2 - 4, 2, 8);
      return;
    }
    case "stream":
    case "future":
      ctx.fillRect(px - 0.5, y + h - 5, 2, 5);
      return;
    case "drop":
      ctx.fillRect(px - 2, y + h - 4, 4, 4);
      return;
    case "yield":
      ctx.fillRect(px - 1, y + h / 2 - 1, 2, 2);
      return;
  }
}

/** `wasi:clocks/monotonic-clock@0.3.0#wait-for` -> `monotonic-clock@0.3.0#wait-for` (the package is in the hover details). */
export function shortName(name: string): string {
  const hash = name.indexOf("#");
  const slash = name.lastIndexOf("/", hash < 0 ? undefined : hash);
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/** Truncates to about `px` pixels at `charPx` per character (measureText is too slow per span). */
function fit(text: string, px: number, charPx: number): string {
  const n = Math.floor(px / charPx);
  if (text.length <= n) return text;
  return n <= 1 ? "" : `${text.slice(0, n - 1)}…`;
}
