import { describe, expect, it } from "vitest";
import { guestWorld, MISSING_EXPORTS } from "../../src/authoring/guest-shape";
import { WitModel } from "../../src/wit/model";
import { VENDORED_WIT } from "../../src/wit/vendored";
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

describe("mapBuildError with the project's sources and world", () => {
  const WIT = "package a:b;\nworld w {\n  import wasi:clocks/monotonic-clock@0.3.0;\n  export greet: func(name: string) -> string;\n}\n";
  const JS = 'import { now, nowz } from "wasi:clocks/monotonic-clock@0.3.0";\nimport { x } from "wasi:nope/x@1.0.0";\nimport { y } from "./lib.js";\nexport function greet(n) { return n; }\n';
  const files = [
    { path: "wit/world.wit", text: WIT },
    { path: "guest.js", text: JS },
  ];
  const model = new WitModel([{ path: "wit/world.wit", text: WIT, group: "project" }, ...VENDORED_WIT]);
  const ctx = { files, entry: "guest.js", world: guestWorld(model, model.groupPackage.get("project")!, null) };

  it("an interface the world does not import: placed on the specifier, with what the world imports", () => {
    // As componentize-qjs 0.4.5 reports it (paths under the build folder).
    const raw = ": Failed to evaluate user JavaScript module: Failed to declare JavaScript module: Error: Error resolving module 'wasi:nope/x@1.0.0' from '/guest.js': filesystem module not found: failed to resolve JavaScript import \"wasi:nope/x@1.0.0\" from /tmp/b1/guest.js\n";
    expect(mapBuildError(raw, "/tmp/b1", ctx)).toEqual({
      message: 'guest.js:2:19: cannot import "wasi:nope/x@1.0.0": world `w` does not import it. Add `import wasi:nope/x@1.0.0;` to the world (it imports wasi:clocks/monotonic-clock@0.3.0).',
      diagnostics: [expect.objectContaining({ path: "guest.js", line: 2, column: 19, endColumn: 38 })],
    });
  });

  it("a relative import of a file the project does not have", () => {
    const raw = ": Failed to evaluate user JavaScript module: Failed to declare JavaScript module: Error: Error resolving module './lib.js' from '/guest.js': filesystem module not found\n";
    expect(mapBuildError(raw, "/tmp/b1", ctx).message).toBe('guest.js:3:19: cannot import "./lib.js": the project has no such file (JS files: guest.js).');
  });

  it("a name the imported interface does not export: placed on the name, with the names it has", () => {
    const raw = ": Failed to evaluate user JavaScript module: Failed to evaluate JavaScript module: Error: Could not find export 'nowz' in module 'wasi:clocks/monotonic-clock@0.3.0'\n";
    expect(mapBuildError(raw, "/tmp/b1", ctx)).toEqual({
      message: 'guest.js:1:15: "wasi:clocks/monotonic-clock@0.3.0" has no export `nowz` (it exports now, getResolution, waitUntil, waitFor).',
      diagnostics: [expect.objectContaining({ path: "guest.js", line: 1, column: 15, endColumn: 19 })],
    });
  });

  it("the checker module's report of missing exports, placed on the world's export", () => {
    const raw = `: Failed to evaluate user JavaScript module: Failed to finish JavaScript module evaluation: Error: ${MISSING_EXPORTS}[["greet"]]\n    at <anonymous> (/playground+entry.js:7:76)\n`;
    expect(mapBuildError(raw, "/tmp/b1", ctx)).toEqual({
      message: "world `w`: guest.js does not export `greet` (the world exports `greet: func(name: string) -> string`).",
      diagnostics: [expect.objectContaining({ path: "wit/world.wit", line: 4, column: 10 })],
    });
  });
});
