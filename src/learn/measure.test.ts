import { describe, expect, it } from "vitest";
import { callsNamed, tasksNamed } from "./measure";
import type { FactTask } from "./lesson";

const task = (name: string, calls: FactTask["calls"]): FactTask => ({ id: 1, name, instance: "a.wasm", outcome: "returned", start: 0, end: 10, calls, waits: [] });

describe("measures", () => {
  it("calls and tasks by name", () => {
    const w = { kind: "subtask" as const, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for", start: 1, end: 2 };
    const tasks = [task("wasi:http/handler@0.3.0#handle", [w]), task("greet", [])];
    expect(callsNamed(tasks, "wait-for")).toEqual([w]);
    expect(tasksNamed(tasks, "handle").length).toBe(1);
    expect(tasksNamed(tasks, "greet").length).toBe(1);
    expect(tasksNamed(tasks, "other").length).toBe(0);
  });
});
