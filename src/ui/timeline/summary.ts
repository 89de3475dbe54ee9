/** What a trace adds up to: tasks started, peak concurrency, and how long each task was blocked. */
import { maxConcurrency, timeAtConcurrency } from "../../base/intervals";
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
        blockedNs: timeAtConcurrency(byWaits ? g.waits.filter((w) => w.name !== "yield").map(closed) : own, 1),
        blockedBy: byWaits ? "waits" : "calls",
        calls: own.length,
      });
    }
  }
  return {
    tasksStarted: layout.spans.filter((s) => s.kind === "task").length,
    maxConcurrentTasks: maxConcurrency(bars.map(closed)),
    maxConcurrentCalls: maxConcurrency(calls.map(closed)),
    tasks,
  };
}
