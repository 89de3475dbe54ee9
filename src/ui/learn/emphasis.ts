/** A lesson's emphasis (data in src/learn) as the timeline's `Emphasis`. */
import type { LessonEmphasis } from "../../learn/lesson";
import type { Emphasis } from "../timeline/emphasis";
import type { MarkerKind, SpanKind } from "../timeline/layout";

export function timelineEmphasis(e: LessonEmphasis): Emphasis {
  return {
    ...(e.kinds ? { kinds: new Set(e.kinds as Array<SpanKind | MarkerKind>) } : {}),
    ...(e.instances ? { instances: new Set(e.instances) } : {}),
  };
}
