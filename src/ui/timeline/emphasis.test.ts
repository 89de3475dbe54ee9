import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import { emphasized } from "./emphasis";
import { TimelineLayout } from "./layout";
import { composedTrace } from "./testTrace";
import { TraceStore } from "./traceStore";

function layout() {
  const store = new TraceStore();
  store.append(batchToChunk({ fidelity: "exact", events: composedTrace(), dropped: 0 }));
  const l = new TimelineLayout(store);
  while (l.advance(1000));
  return l;
}

describe("emphasized", () => {
  it("stresses marks meeting every condition set, and everything when none is", () => {
    const l = layout();
    const wait = l.spans.find((s) => s.kind === "wait")!;
    const check = l.spans.find((s) => s.kind === "task" && s.name === "check")!;
    const ret = check.group.markers.find((m) => m.kind === "task.return")!;
    expect(emphasized({}, wait)).toBe(true);
    expect(emphasized({ kinds: new Set(["wait"]) }, wait)).toBe(true);
    expect(emphasized({ kinds: new Set(["wait"]) }, check)).toBe(false);
    expect(emphasized({ kinds: new Set(["task.return"]) }, ret)).toBe(true);
    expect(emphasized({ tasks: new Set([3]) }, check)).toBe(true);
    expect(emphasized({ tasks: new Set([3]) }, wait)).toBe(false);
    expect(emphasized({ instances: new Set(["auth"]) }, ret)).toBe(true);
    expect(emphasized({ instances: new Set(["auth"]), kinds: new Set(["wait"]) }, ret)).toBe(false);
    expect(emphasized({ predicate: (m) => "end" in m && m.end - m.start > 30 }, wait)).toBe(false);
    expect(emphasized({ predicate: (m) => "end" in m && m.end - m.start > 30 }, check)).toBe(true);
  });
});
