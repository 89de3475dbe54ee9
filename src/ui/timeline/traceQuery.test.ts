import { describe, expect, it } from "vitest";
import { composedTrace, fanoutTrace } from "./testTrace";
import { maxConcurrency, overlap, timeAtConcurrency } from "../../base/intervals";
import { queryTrace } from "./traceQuery";

describe("queryTrace", () => {
  it("reads a composed run: tasks per instance, their waits, calls and copies across instances", () => {
    const q = queryTrace(composedTrace());
    expect(q.instances).toEqual(["router", "auth"]);
    expect(q.tasksIn("router").map((t) => [t.id, t.name, t.start, t.end, t.outcome])).toEqual([[1, "handle", 100, 201, "returned"]]);
    const check = q.tasksIn("auth")[0]!;
    expect(check).toMatchObject({ id: 3, name: "check", calledBy: 2, start: 111, end: 142 });
    const handle = q.task(1)!;
    expect(handle.waits).toEqual([{ task: 1, set: 1, start: 120, end: 150, event: "subtask 2 2", woken: 145 }]);
    // handle: 100 to 201, waiting 120 to 150 (woken at 145).
    expect([handle.busyNs, handle.idleNs, handle.scheduledNs]).toEqual([71, 25, 5]);
    expect(handle.calls).toEqual([{ kind: "subtask", id: 2, name: "check", task: 1, start: 110, end: 141 }]);
    expect(handle.backpressure).toEqual([{ start: 170, end: 201 }]);
    expect(q.calls).toEqual([{ subtask: 2, from: { instance: "router", task: 1, t: 110 }, to: { instance: "auth", task: 3, t: 111 } }]);
    expect(q.copies).toEqual([{ kind: "stream", id: 7, count: 4, from: { instance: "auth", task: 3, t: 130 }, to: { instance: "router", task: 1, t: 160 } }]);
  });

  it("measures the overlap and concurrency of a fan-out's calls", () => {
    const q = queryTrace(fanoutTrace(4, 1000), "host-boundary");
    const calls = q.tasks[0]!.calls;
    expect(calls).toHaveLength(4);
    expect(maxConcurrency(calls)).toBe(4);
    // Calls start 100 ns apart and last 1000 ns: two or more run from the 2nd start to the 3rd end.
    expect(overlap(calls)).toBe(1100);
    expect(timeAtConcurrency(calls, 4)).toBe(1000 - 300);
  });
});
