import { describe, expect, it } from "vitest";
import { callsNamed, peakConcurrency, tasksNamed } from "./measure";
import type { FactTask } from "./lesson";

const task = (name: string, calls: FactTask["calls"]): FactTask => ({ id: 1, name, instance: "a.wasm", outcome: "returned", start: 0, end: 10, calls, waits: [] });

describe("measures", () => {
  it("peak concurrency: overlapping intervals count, touching ones do not", () => {
    expect(peakConcurrency([])).toBe(0);
    expect(peakConcurrency([{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 30 }])).toBe(1);
    expect(peakConcurrency([{ start: 0, end: 10 }, { start: 1, end: 11 }, { start: 2, end: 3 }, { start: 12, end: 13 }])).toBe(3);
    expect(peakConcurrency([{ start: 0, end: Infinity }, { start: 5, end: 6 }])).toBe(2);
  });

  it("calls and tasks by name", () => {
    const w = { kind: "subtask" as const, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for", start: 1, end: 2 };
    const tasks = [task("wasi:http/handler@0.3.0#handle", [w]), task("greet", [])];
    expect(callsNamed(tasks, "wait-for")).toEqual([w]);
    expect(tasksNamed(tasks, "handle").length).toBe(1);
    expect(tasksNamed(tasks, "greet").length).toBe(1);
    expect(tasksNamed(tasks, "other").length).toBe(0);
  });
});
