import { describe, expect, it } from "vitest";
import { LESSONS } from "../../learn/lessons";
import type { MarkerKind, SpanKind } from "../timeline/layout";
import { timelineEmphasis } from "./emphasis";

const KINDS = ["task", "subtask", "host", "wait", "backpressure", "task.return", "task.cancel", "yield", "stream", "future", "drop"] satisfies ReadonlyArray<SpanKind | MarkerKind>;

describe("lesson emphasis", () => {
  it("every lesson stresses kinds the timeline draws", () => {
    for (const l of LESSONS) for (const k of l.emphasis.kinds ?? []) expect(KINDS, `${l.id}: ${k}`).toContain(k);
  });

  it("becomes the timeline's sets", () => {
    expect(timelineEmphasis({ kinds: ["wait"], instances: ["users"] })).toEqual({ kinds: new Set(["wait"]), instances: new Set(["users"]) });
    expect(timelineEmphasis({})).toEqual({});
  });
});
