import { describe, expect, it } from "vitest";
import { maxOverlap, unionLength } from "./summary";

describe("summary helpers", () => {
  it("maxOverlap counts intervals open at one instant; touching ends do not overlap", () => {
    expect(maxOverlap([])).toBe(0);
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
    ).toBe(1);
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 6, end: 7 },
        { start: 15, end: 30 },
      ]),
    ).toBe(3);
  });

  it("unionLength merges overlaps and keeps gaps out", () => {
    expect(
      unionLength([
        { start: 5, end: 15 },
        { start: 0, end: 10 },
        { start: 20, end: 25 },
        { start: 21, end: 22 },
      ]),
    ).toBe(20);
    expect(unionLength([])).toBe(0);
  });
});
