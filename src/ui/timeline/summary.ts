/** What a trace adds up to: tasks started, peak concurrency, and how long each task was blocked. */
import type { Span, TimelineLayout } from "./layout";

export interface TaskSummary {
  lane: string;
  task: number;
  name: string;
  /** Task start to end (or to the newest event while it runs). */
  durationNs: number;
  /** Time with the task blocked: inside a wait, or (host-boundary traces, which see no waits) with a call pending. */
  blockedNs: number;
  blockedBy: "waits" | "calls";
  calls: number;
}

export interface TimelineSummary {
  tasksStarted: number;
  /** Most tasks running at one instant. */
  maxConcurrentTasks: number;
  /** Most subtasks and host calls in flight at one instant. */
  maxConcurrentCalls: number;
  tasks: TaskSummary[];
}

/** Most intervals open at one instant (an interval ending at t does not overlap one starting at t). */
export function maxOverlap(intervals: Array<{ start: number; end: number }>): number {
  const points: Array<[number, number]> = [];
  for (const iv of intervals) points.push([iv.start, 1], [iv.end, -1]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) {
    cur += d;
    if (cur > max) max = cur;
  }
  return max;
}

/** Total length of the union of intervals. */
export function unionLength(intervals: Array<{ start: number; end: number }>): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const iv of sorted) {
    if (iv.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = iv.start;
      curEnd = iv.end;
    } else if (iv.end > curEnd) curEnd = iv.end;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export function summarize(layout: TimelineLayout): TimelineSummary {
  const now = layout.store.maxT;
  const closed = (s: Span) => ({ start: s.start, end: Number.isFinite(s.end) ? s.end : Math.max(s.start, now) });
  const bars: Span[] = [];
  const calls: Span[] = [];
  const tasks: TaskSummary[] = [];
  for (const lane of layout.lanes) {
    for (const g of lane.groups) {
      const own = g.tracks.flatMap((t) => t.spans).map(closed);
      calls.push(...g.tracks.flatMap((t) => t.spans));
      if (!g.bar) continue;
      bars.push(g.bar);
      const bar = closed(g.bar);
      // An exact trace records waits; a host-boundary one sees only the calls the task awaits.
      const byWaits = layout.store.fidelity === "exact" || g.waits.length > 0;
      tasks.push({
        lane: lane.name,
        task: g.task,
        name: g.name,
        durationNs: bar.end - bar.start,
        // A yield is not blocked on anything: the task is only letting others run.
        blockedNs: unionLength(byWaits ? g.waits.filter((w) => w.name !== "yield").map(closed) : own),
        blockedBy: byWaits ? "waits" : "calls",
        calls: own.length,
      });
    }
  }
  return {
    tasksStarted: layout.spans.filter((s) => s.kind === "task").length,
    maxConcurrentTasks: maxOverlap(bars.map(closed)),
    maxConcurrentCalls: maxOverlap(calls.map(closed)),
    tasks,
  };
}
