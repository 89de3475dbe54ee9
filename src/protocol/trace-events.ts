/**
 * Trace events: what a run's engine records about tasks, subtasks, waits, streams, futures,
 * backpressure and host calls, batched from the runtime worker to the UI timeline.
 * Names follow the Component Model's CanonicalABI.md (Task, Subtask, WaitableSet, stream/future ends).
 */
import type { Nanos } from "../base/time";

/**
 * How much of the scheduling a trace saw:
 * - `exact`: the engine owns the scheduler (engine/cm), every task step is recorded;
 * - `host-boundary`: inferred from host calls, export calls and host-side stream traffic (engine/jco).
 */
export type TraceFidelity = "exact" | "host-boundary";

export type TraceKind =
  /** Names a lane: `instance` is the new instance's id, `name` its component name. */
  | "instance"
  /** A task (an export call) starts; `name` is the export, `id` the caller's subtask id if a guest called it. */
  | "task.start"
  /** `task.return` (or the host-visible return of a sync export). */
  | "task.return"
  | "task.cancel"
  /** The task's callback or stack finished; nothing more runs for it. */
  | "task.end"
  /** A guest task calls an import: `id` is the subtask, `name` the callee. */
  | "subtask.start"
  /** `detail` is the final state: "returned" | "cancelled". */
  | "subtask.resolve"
  /** A task blocks on a waitable set (`id`); `count` = waitables in it. */
  | "wait.begin"
  /** The wait ends; `detail` names the event delivered (e.g. "stream-read 5"). */
  | "wait.end"
  | "yield"
  /** A copy on a stream/future end: `id` is the stream (shared by both ends), `end` which end, `count` elements moved. */
  | "stream.read"
  | "stream.write"
  | "stream.drop"
  | "future.read"
  | "future.write"
  | "future.drop"
  /** A writer's copy waits because its reader is not reading (`id` = stream), and when it resumes. */
  | "backpressure.on"
  | "backpressure.off"
  /** A host import call: `name` is `interface#function`, `id` pairs begin with end. */
  | "host.begin"
  | "host.end";

export interface TraceEvent {
  /** Nanoseconds since the run started. */
  t: Nanos;
  kind: TraceKind;
  /** Component instance id (one lane each); 0 is the host. */
  instance: number;
  /** Task id, unique within a run; 0 when no task is involved. */
  task: number;
  /** The event's subject: subtask, waitable set, stream/future or host call id. */
  id?: number;
  name?: string;
  count?: number;
  end?: "readable" | "writable";
  detail?: string;
}

/** One delivery to the UI. `dropped` counts events lost to the ring buffer since the run began. */
export interface TraceBatch {
  fidelity: TraceFidelity;
  events: TraceEvent[];
  dropped: number;
}
