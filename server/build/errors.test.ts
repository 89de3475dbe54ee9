import { describe, expect, it } from "vitest";
import { mapBuildError } from "./errors";

describe("mapBuildError", () => {
  it("a JS syntax error: QuickJS's reason at guest.js line and column", () => {
    const raw = ": Failed to evaluate user JavaScript module: Failed to declare JavaScript module: Error: Unexpected token ';'\n    at /guest.js:3:21\n";
    expect(mapBuildError(raw, "/tmp/b1")).toEqual({
      message: "guest.js:3:21: Unexpected token ';' (while parsing the module)",
      diagnostics: [{ path: "guest.js", line: 3, column: 21, endLine: 3, endColumn: 22, message: "Unexpected token ';' (while parsing the module)", severity: "error" }],
    });
  });

  it("an error thrown by top-level code at build time", () => {
    const raw = ": Failed to evaluate user JavaScript module: Failed to finish JavaScript module evaluation: Error: cannot read property 'foo' of null\n    at <anonymous> (/guest.js:2:1)\n";
    expect(mapBuildError(raw, "/tmp/b1").diagnostics[0]).toMatchObject({ path: "guest.js", line: 2, column: 1, message: "cannot read property 'foo' of null (while running its top-level code, at build time)" });
  });

  it("paths under the build folder become project paths; messages without places stay whole", () => {
    const raw = "failed to parse\n --> /tmp/b2/wit/world.wit:4:7\n";
    expect(mapBuildError(raw, "/tmp/b2").diagnostics[0]).toMatchObject({ path: "wit/world.wit", line: 4, column: 7 });
    expect(mapBuildError("something odd happened", "/tmp/b3")).toEqual({ message: "something odd happened", diagnostics: [] });
  });
});
