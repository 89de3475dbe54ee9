/** A run as a lesson's check reads it: the outcome, the timeline's trace query, the raw events. */
import type { LessonRun } from "../../learn/lesson";
import type { RunOutcome } from "../../protocol/runtime";
import type { TraceEvent } from "../../protocol/trace-events";
import type { TraceStore } from "../timeline/traceStore";
import { queryTrace } from "../timeline/traceQuery";

export function lessonRun(outcome: RunOutcome | null, events: readonly TraceEvent[]): LessonRun {
  return { outcome, trace: queryTrace(events), events };
}

/** Every event the timeline holds for the run it shows. */
export function storedEvents(store: TraceStore): TraceEvent[] {
  return Array.from({ length: store.length }, (_, i) => store.event(i));
}
