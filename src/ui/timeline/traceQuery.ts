/**
 * A trace read into a model one can ask questions of: which tasks ran in which instance, what
 * each waited on and for how long, which calls crossed instances, what overlapped. Pure; lessons
 * check exercises with it, over the same layout the timeline draws (so "the timeline shows X"
 * and "the check saw X" never disagree).
 *
 * @example
 * ```ts
 * const q = queryTrace(events);
 * const fetches = q.tasks.filter((t) => t.instance === "users" && t.name === "fetch");
 * expect(overlap(fetches)).toBeGreaterThan(0);              // the two backends ran at once
 * expect(q.calls.some((c) => c.from.instance === "router" && c.to.instance === "auth")).toBe(true);
 * ```
 */
import { batchToChunk } from "../../protocol/trace-chunk";
import type { TraceEvent, TraceFidelity } from "../../protocol/trace-events";
import type { Interval } from "../../base/intervals";
import { TimelineLayout, type Span, type TaskGroup } from "./layout";
import { TraceStore } from "./traceStore";

/** A stretch of time in ns since the run started; `end` is Infinity while still open. */
export type { Interval };

export interface TaskInfo extends Interval {
  /** Task id, unique in the run. */
  id: number;
  /** The export it runs. */
  name: string;
  /** Its lane: the component (`hello.wasm`) or composition instance (`router`). */
  instance: string;
  /** How it ended: "returned", "cancelled", "failed", or "running". */
  outcome: "returned" | "cancelled" | "failed" | "running";
  /** The caller's subtask id when a guest called it; undefined when the host did. */
  calledBy?: number;
  waits: WaitInfo[];
  /**
   * Its time in the three states Tokio console tells apart (ns; 0 while it runs on): busy
   * (running), idle (waiting, nothing ready), scheduled (woken, waiting for its turn).
   */
  busyNs: number;
  idleNs: number;
  scheduledNs: number;
  /** Its subtasks and host calls, in start order. */
  calls: CallInfo[];
  /** When its writers waited for readers. */
  backpressure: Interval[];
}

export interface WaitInfo extends Interval {
  task: number;
  /** The waitable set's handle (0 for a blocked stack). */
  set: number;
  /** What woke it (`subtask 2 2`, `stream-read 1 64`), once it ended. */
  event?: string;
  /** When the task was woken; from then to `end` it was scheduled, before it idle. */
  woken?: number;
}

export interface CallInfo extends Interval {
  kind: "subtask" | "host";
  id: number;
  /** The callee: `wasi:clocks/monotonic-clock@0.3.0#wait-for`, `check`, ... */
  name: string;
  task: number;
}

/** A call from one instance's task into another's export. */
export interface CrossCall {
  subtask: number;
  from: { instance: string; task: number; t: number };
  to: { instance: string; task: number; t: number };
}

export interface Copy {
  kind: "stream" | "future";
  id: number;
  count: number;
  from: { instance: string; task: number; t: number };
  to: { instance: string; task: number; t: number };
}

export interface TraceQuery {
  fidelity: TraceFidelity | null;
  /** Lane names that ran anything, in the order the timeline draws them. */
  instances: string[];
  tasks: TaskInfo[];
  waits: WaitInfo[];
  calls: CrossCall[];
  copies: Copy[];
  /** The tasks that ran in one lane. */
  tasksIn(instance: string): TaskInfo[];
  task(id: number): TaskInfo | undefined;
}

const interval = (s: Span): Interval => ({ start: s.start, end: s.end });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function taskOf(g: TaskGroup): TaskInfo {
  const bar = g.bar;
  const marks = new Set(g.markers.map((m) => m.kind));
  const outcome = bar?.detail === "failed" ? "failed" : marks.has("task.cancel") ? "cancelled" : marks.has("task.return") ? "returned" : "running";
  const calls = g.tracks
    .flatMap((tr) => tr.spans)
    .map((s): CallInfo => ({ kind: s.kind === "host" ? "host" : "subtask", id: s.id, name: s.name, task: g.task, ...interval(s) }))
    .sort((a, b) => a.start - b.start);
  const waits = g.waits.map((w): WaitInfo => ({ task: g.task, set: w.id, ...interval(w), ...(w.detail !== undefined ? { event: w.detail } : {}), ...(w.woken !== undefined ? { woken: w.woken } : {}) }));
  const done = bar !== null && Number.isFinite(bar.end) && waits.every((w) => Number.isFinite(w.end));
  const idleNs = done ? sum(waits.map((w) => (w.woken ?? w.end) - w.start)) : 0;
  const scheduledNs = done ? sum(waits.map((w) => (w.woken === undefined ? 0 : w.end - w.woken))) : 0;
  return {
    id: g.task,
    name: g.name,
    instance: g.lane.name,
    start: bar?.start ?? NaN,
    end: bar?.end ?? Infinity,
    outcome,
    ...(g.startedBy !== undefined ? { calledBy: g.startedBy } : {}),
    waits,
    busyNs: done ? bar.end - bar.start - idleNs - scheduledNs : 0,
    idleNs,
    scheduledNs,
    calls,
    backpressure: g.bands.map(interval),
  };
}

/** Reads laid-out trace (the timeline's own) into a `TraceQuery`. */
export function queryLayout(layout: TimelineLayout): TraceQuery {
  while (layout.advance(1000));
  const groups = layout.lanes.flatMap((l) => l.groups.filter((g) => g.task !== 0));
  const tasks = groups.map(taskOf);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const end = (g: TaskGroup, t: number) => ({ instance: g.lane.name, task: g.task, t });
  return {
    fidelity: layout.store.fidelity,
    instances: layout.lanes.filter((l) => l.groups.length > 0).map((l) => l.name),
    tasks,
    waits: tasks.flatMap((t) => t.waits).sort((a, b) => a.start - b.start),
    calls: layout.calls.map((c) => ({ subtask: c.subtask.id, from: end(c.subtask.group, c.subtask.start), to: end(c.task, c.task.bar?.start ?? c.subtask.start) })),
    copies: layout.transfers.map((c) => ({ kind: c.kind, id: c.id, count: c.count, from: end(c.from.group, c.from.t), to: end(c.to.group, c.to.t) })),
    tasksIn: (instance) => tasks.filter((t) => t.instance === instance),
    task: (id) => byId.get(id),
  };
}

/** Reads trace events (a run's, in recording order) into a `TraceQuery`. */
export function queryTrace(events: readonly TraceEvent[], fidelity: TraceFidelity = "exact"): TraceQuery {
  const store = new TraceStore(Math.max(events.length, 1));
  store.append(batchToChunk({ fidelity, events: [...events], dropped: 0 }));
  return queryLayout(new TimelineLayout(store));
}
