/**
 * Vertical layout of the timeline: which rows are shown (after filters) and where. Pure; the
 * renderer and hit tests share it.
 */
import type { Lane, SpanKind, TaskGroup, Track } from "./layout";

/** What a filter can hide: kinds of spans, plus markers and copy arrows. */
export type Category = SpanKind | "markers" | "transfers";
export const CATEGORIES: Array<{ id: Category; label: string }> = [
  { id: "task", label: "tasks" },
  { id: "subtask", label: "subtasks" },
  { id: "host", label: "host calls" },
  { id: "wait", label: "waits" },
  { id: "transfers", label: "stream/future copies" },
  { id: "backpressure", label: "backpressure" },
  { id: "markers", label: "markers" },
];

export interface Filters {
  hiddenInstances: ReadonlySet<number>;
  hiddenKinds: ReadonlySet<Category>;
}

export const NO_FILTERS: Filters = { hiddenInstances: new Set(), hiddenKinds: new Set() };

const toggled = <T>(set: ReadonlySet<T>, item: T): Set<T> => {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
};

/** The filters with `kind` shown if it was hidden, hidden if it was shown. */
export function toggleKind(f: Filters, kind: Category): Filters {
  return { ...f, hiddenKinds: toggled(f.hiddenKinds, kind) };
}

/** The filters with component instance `instance` shown if it was hidden, hidden if it was shown. */
export function toggleInstance(f: Filters, instance: number): Filters {
  return { ...f, hiddenInstances: toggled(f.hiddenInstances, instance) };
}

export const HEADER_H = 18;
export const BAR_H = 16;
export const TRACK_H = 11;
export const GAP = 2;

export type Row =
  | { kind: "lane"; y: number; h: number; lane: Lane }
  | { kind: "bar"; y: number; h: number; lane: Lane; group: TaskGroup; groupH: number }
  | { kind: "track"; y: number; h: number; lane: Lane; group: TaskGroup; track: Track; index: number };

export interface RowLayout {
  rows: Row[];
  height: number;
  /** The bar row of each shown group, for arrows and highlights. */
  barOf: Map<TaskGroup, Row & { kind: "bar" }>;
}

/** Rows for the lanes and groups the filters leave visible; a group's call tracks follow its bar. */
export function layoutRows(lanes: readonly Lane[], filters: Filters): RowLayout {
  const rows: Row[] = [];
  const barOf = new Map<TaskGroup, Row & { kind: "bar" }>();
  const callsShown = !filters.hiddenKinds.has("host") || !filters.hiddenKinds.has("subtask");
  let y = 0;
  for (const lane of lanes) {
    // Instances that never ran a task or call (nested core instances, shims) have nothing to draw.
    if (filters.hiddenInstances.has(lane.instance) || lane.groups.length === 0) continue;
    rows.push({ kind: "lane", y, h: HEADER_H, lane });
    y += HEADER_H;
    for (const group of lane.groups) {
      const tracks = callsShown ? group.tracks : [];
      const bar = { kind: "bar" as const, y, h: BAR_H, lane, group, groupH: BAR_H + tracks.length * TRACK_H };
      rows.push(bar);
      barOf.set(group, bar);
      y += BAR_H;
      tracks.forEach((track, index) => {
        rows.push({ kind: "track", y, h: TRACK_H, lane, group, track, index });
        y += TRACK_H;
      });
      y += GAP;
    }
  }
  return { rows, height: y, barOf };
}

/** Index of the first row ending below content height `y` (binary search; rows are sorted by y). */
export function rowIndexAt(rows: readonly Row[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r.y + r.h <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row at content height `y`, if any (gaps between groups have none). */
export function rowAt(rows: readonly Row[], y: number): Row | undefined {
  const r = rows[rowIndexAt(rows, y)];
  return r && y >= r.y ? r : undefined;
}
