import { describe, expect, it } from "vitest";
import { maxConcurrency, overlap, timeAtConcurrency } from "./intervals";

const iv = (pairs: Array<[number, number]>) => pairs.map(([start, end]) => ({ start, end }));

describe("intervals", () => {
  it("maxConcurrency counts intervals open at one instant; touching ones do not overlap", () => {
    expect(maxConcurrency([])).toBe(0);
    expect(maxConcurrency(iv([[0, 10], [10, 20], [20, 30]]))).toBe(1);
    expect(maxConcurrency(iv([[0, 10], [5, 20], [6, 7], [15, 30]]))).toBe(3);
    // One that has not ended is open from its start on.
    expect(maxConcurrency(iv([[0, Infinity], [5, 6]]))).toBe(2);
  });

  it("timeAtConcurrency: at 1 the union's length, at 2 the overlap", () => {
    const xs = iv([[5, 15], [0, 10], [20, 25], [21, 22]]);
    expect(timeAtConcurrency(xs, 1)).toBe(20);
    expect(timeAtConcurrency([], 1)).toBe(0);
    expect(overlap(xs)).toBe(5 + 1);
    expect(overlap(iv([[0, 10], [10, 20]]))).toBe(0);
    expect(timeAtConcurrency(iv([[0, 10], [2, 8], [4, 6]]), 3)).toBe(2);
  });
});
