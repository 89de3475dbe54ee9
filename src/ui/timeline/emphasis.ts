/**
 * What a lesson (or anything embedding the timeline) asks it to stress: some kinds of marks, some
 * tasks, some instances, or any predicate. Everything else is drawn dimmed. Pure; the renderer
 * asks `emphasized` per mark only while an emphasis is set.
 *
 * @example
 * ```tsx
 * // Stress the waits and the backpressure of task 3; dim the rest.
 * <TimelinePanel ... emphasis={{ kinds: new Set(["wait", "backpressure"]), tasks: new Set([3]) }} />
 * ```
 */
import type { Marker, MarkerKind, Span, SpanKind } from "./layout";

export interface Emphasis {
  /** Span kinds (`task`, `wait`, ...) or marker kinds (`task.return`, `stream`, ...) to stress. */
  kinds?: ReadonlySet<SpanKind | MarkerKind>;
  /** Task ids (as in the trace) whose marks to stress. */
  tasks?: ReadonlySet<number>;
  /** Lane names (`router`, `hello.wasm`) whose marks to stress. */
  instances?: ReadonlySet<string>;
  /** Any other test; a mark must pass every condition given. */
  predicate?: (mark: Span | Marker) => boolean;
}

/** Whether `mark` is stressed: it meets every condition the emphasis sets (none set: all are). */
export function emphasized(e: Emphasis, mark: Span | Marker): boolean {
  if (e.kinds && !e.kinds.has(mark.kind)) return false;
  if (e.tasks && !e.tasks.has(mark.group.task)) return false;
  if (e.instances && !e.instances.has(mark.group.lane.name)) return false;
  return !e.predicate || e.predicate(mark);
}

/** How strongly a dimmed mark is drawn (canvas `globalAlpha`). */
export const DIMMED_ALPHA = 0.18;
