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
  /**
   * A component instance: `instance` its id, `name` its path from the root (`app.wasm/router`),
   * `id` the instance it was instantiated in (absent for a root: a composition's nested instances
   * have the composition's root as parent).
   */
  | "instance"
  /**
   * A task (an export call) starts; `name` is the export, `id` the caller's subtask id if a guest
   * called it (subtask ids are unique in the run: this links a call across instances to its task).
   */
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
  /**
   * A copy on a stream/future end: `id` is the stream (shared by both ends), `end` which end,
   * `count` elements moved, `detail` how it ended; "blocked" (count 0) marks a copy that could not
   * finish at once, recorded again when it does.
   */
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
  | "host.end"
  /**
   * A waiting task is woken: an event reached the waitable set (`id`) it waits on. It is
   * *scheduled* (woken, not yet running) until its `wait.end`, when it resumes.
   */
  | "task.wake";

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

/** Every kind in a fixed order: a kind's index is its code in `TraceChunk.kind`. */
export const TRACE_KINDS = [
  "instance",
  "task.start",
  "task.return",
  "task.cancel",
  "task.end",
  "subtask.start",
  "subtask.resolve",
  "wait.begin",
  "wait.end",
  "yield",
  "stream.read",
  "stream.write",
  "stream.drop",
  "future.read",
  "future.write",
  "future.drop",
  "backpressure.on",
  "backpressure.off",
  "host.begin",
  "host.end",
  "task.wake",
] as const satisfies readonly TraceKind[];

/** `end` codes in `TraceChunk.end`: index 0 means "no end". */
export const TRACE_ENDS = [undefined, "readable", "writable"] as const;

/**
 * A `TraceBatch` in columns: what the runtime worker posts (a million events would be a million
 * objects otherwise). Row `i` of every array is one event, in recording order.
 * - `t`: nanoseconds since the run started, integral (exact below 2^53 ns, about 104 days);
 * - `kind`: index into `TRACE_KINDS`; `end`: index into `TRACE_ENDS`;
 * - `id`, `count`: NaN when absent; `name`, `detail`: index into `strings`, -1 when absent.
 */
export interface TraceChunk {
  fidelity: TraceFidelity;
  /** Events lost to the recorder's ring buffer since the run began (oldest first). */
  dropped: number;
  length: number;
  t: Float64Array;
  kind: Uint8Array;
  instance: Uint32Array;
  task: Uint32Array;
  id: Float64Array;
  count: Float64Array;
  end: Uint8Array;
  name: Int32Array;
  detail: Int32Array;
  strings: string[];
}

// Compile-time check that TRACE_KINDS lists every TraceKind (a kind left out would have no code).
type MissingKinds = Exclude<TraceKind, (typeof TRACE_KINDS)[number]>;
const _everyKindHasACode: [MissingKinds] extends [never] ? true : MissingKinds = true;
