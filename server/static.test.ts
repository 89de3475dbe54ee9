import { describe, expect, it } from "vitest";
import { safeJoin } from "./static";

describe("safeJoin", () => {
  it("keeps paths inside the root", () => {
    expect(safeJoin("/srv/app", "/a/b.js")).toBe("/srv/app/a/b.js");
    expect(safeJoin("/srv/app", "/../etc/passwd")).toBe("/srv/app/etc/passwd");
    expect(safeJoin("/srv/app", "/%2e%2e/%2e%2e/etc/passwd")).toBe("/srv/app/etc/passwd");
  });
});
