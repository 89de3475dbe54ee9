import { describe, expect, it } from "vitest";
import { compatible, splitVersion } from "./semver";

describe("splitVersion", () => {
  it("splits an interface name from its version", () => {
    expect(splitVersion("wasi:cli/stdout@0.3.0")).toEqual({ base: "wasi:cli/stdout", version: "0.3.0" });
    expect(splitVersion("local:x/y")).toEqual({ base: "local:x/y", version: "" });
  });
});

describe("compatible", () => {
  it("matches any 0.2.x against another 0.2.x", () => {
    expect(compatible("0.2.4", "0.2.12")).toBe(true);
    expect(compatible("0.2.0", "0.2.12")).toBe(true);
  });
  it("keeps 0.2 and 0.3 apart", () => {
    expect(compatible("0.2.4", "0.3.0")).toBe(false);
  });
  it("matches 1.x majors and rejects pre-release mismatches", () => {
    expect(compatible("1.0.0", "1.4.2")).toBe(true);
    expect(compatible("2.0.0", "1.4.2")).toBe(false);
    expect(compatible("0.3.0-rc-2025-09-16", "0.3.0")).toBe(false);
  });
});
