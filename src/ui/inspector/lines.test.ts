import { describe, expect, it } from "vitest";
import { LineIndex, visibleRange } from "./lines";

describe("LineIndex", () => {
  it("finds every line, including empty and last lines", () => {
    const idx = new LineIndex("a\n\nbc\n");
    expect(idx.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => idx.line(i))).toEqual(["a", "", "bc", ""]);
    expect(new LineIndex("").count).toBe(1);
    expect(new LineIndex("one").line(0)).toBe("one");
  });

  it("handles a large text quickly", () => {
    const text = "(component)\n".repeat(600_000);
    const t0 = performance.now();
    const idx = new LineIndex(text);
    expect(idx.count).toBe(600_001);
    expect(idx.line(599_999)).toBe("(component)");
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe("visibleRange", () => {
  it("the lines in view plus overscan, clamped", () => {
    expect(visibleRange(0, 160, 16, 1000, 5)).toEqual({ first: 0, last: 15 });
    expect(visibleRange(1600, 160, 16, 1000, 5)).toEqual({ first: 95, last: 115 });
    expect(visibleRange(16000, 160, 16, 1000, 5)).toEqual({ first: 995, last: 1000 });
  });
});
