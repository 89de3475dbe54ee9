import { describe, expect, it } from "vitest";
import { suspendOnlyToBlockModule, type CoreFuncType } from "./suspend";

/** Instantiates the module for `type` with plain imports; `blocked` says which way `f` goes. */
function trampoline(type: CoreFuncType, blocked: boolean) {
  const calls: string[] = [];
  const instance = new WebAssembly.Instance(new WebAssembly.Module(suspendOnlyToBlockModule(type)), {
    "": {
      now: (...a: unknown[]) => void calls.push(`now ${a.join(" ")}`),
      blocked: () => (blocked ? 1 : 0),
      wait: () => (calls.push("wait"), type.results.length ? 7 : undefined),
      take: () => (calls.push("take"), type.results.length ? 5 : undefined),
    },
  });
  return { f: instance.exports.f as (...a: unknown[]) => unknown, calls };
}

describe("the core module of a blocking built-in", () => {
  it.each([
    { params: [], results: ["i32"] },
    { params: ["i32", "i32"], results: ["i32"] },
    { params: ["i64", "f32", "f64", "i32"], results: [] },
    { params: Array<"i32">(17).fill("i32"), results: ["i64"] },
  ] satisfies CoreFuncType[])("is valid for $params -> $results", (type) => {
    expect(WebAssembly.validate(suspendOnlyToBlockModule(type))).toBe(true);
  });

  it("passes the arguments to `now`, then returns what `take` gives when the built-in did not block", () => {
    const { f, calls } = trampoline({ params: ["i32", "i32"], results: ["i32"] }, false);
    expect(f(3, 4)).toBe(5);
    expect(calls).toEqual(["now 3 4", "take"]);
  });

  it("returns what `wait` (the suspending import) gives when it blocked", () => {
    const { f, calls } = trampoline({ params: ["i32"], results: ["i32"] }, true);
    expect(f(9)).toBe(7);
    expect(calls).toEqual(["now 9", "wait"]);
  });

  it("works for a built-in without results", () => {
    const { f, calls } = trampoline({ params: ["i64"], results: [] }, true);
    expect(f(2n)).toBeUndefined();
    expect(calls).toEqual(["now 2", "wait"]);
  });
});
