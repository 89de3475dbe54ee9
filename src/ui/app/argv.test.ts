import { describe, expect, it } from "vitest";
import { parseEnv, splitArgs } from "./argv";

describe("splitArgs", () => {
  it("splits on whitespace and keeps quoted groups", () => {
    expect(splitArgs(`Ada  "Lovelace the" 'first' a\\ b ""`)).toEqual(["Ada", "Lovelace the", "first", "a b", ""]);
    expect(splitArgs("   ")).toEqual([]);
  });
});

describe("parseEnv", () => {
  it("reads KEY=VALUE lines and reports bad ones", () => {
    expect(parseEnv("A=1\n# c\n\nB=x=y\nbad")).toEqual({
      env: [
        ["A", "1"],
        ["B", "x=y"],
      ],
      errors: ["env line 5: expected KEY=VALUE, got 'bad'"],
    });
  });
});
