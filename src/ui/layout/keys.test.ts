import { describe, expect, it } from "vitest";
import { nextArea, tabKeyTarget } from "./keys";

describe("tabKeyTarget", () => {
  it("moves with the arrows and wraps around", () => {
    expect(tabKeyTarget("ArrowRight", 0, 3)).toBe(1);
    expect(tabKeyTarget("ArrowRight", 2, 3)).toBe(0);
    expect(tabKeyTarget("ArrowLeft", 0, 3)).toBe(2);
    expect(tabKeyTarget("ArrowLeft", 2, 3)).toBe(1);
  });

  it("goes to the ends with Home and End", () => {
    expect(tabKeyTarget("Home", 2, 4)).toBe(0);
    expect(tabKeyTarget("End", 0, 4)).toBe(3);
  });

  it("leaves other keys (and an empty strip) alone", () => {
    expect(tabKeyTarget("Enter", 1, 3)).toBeNull();
    expect(tabKeyTarget("ArrowDown", 1, 3)).toBeNull();
    expect(tabKeyTarget("ArrowRight", 0, 0)).toBeNull();
  });
});

describe("nextArea", () => {
  const order = ["left", "centre", "right", "bottom"] as const;

  it("cycles forwards and backwards", () => {
    expect(nextArea(order, "left", false)).toBe("centre");
    expect(nextArea(order, "bottom", false)).toBe("left");
    expect(nextArea(order, "left", true)).toBe("bottom");
    expect(nextArea(order, "right", true)).toBe("centre");
  });

  it("starts at an end from outside the areas", () => {
    expect(nextArea(order, null, false)).toBe("left");
    expect(nextArea(order, null, true)).toBe("bottom");
    expect(nextArea([], null, false)).toBeNull();
  });
});
