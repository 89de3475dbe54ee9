import { describe, expect, it } from "vitest";
import { hoverAt } from "./hover";
import { WitModel, type SourceFile } from "./model";
import { foldingRanges, outline } from "./outline";
import { CONSTRUCTS } from "./testdata/corpus";
import { VENDORED_WIT } from "./vendored";

const project = (files: Record<string, string>): SourceFile[] => Object.entries(files).map(([path, text]) => ({ path, text, group: "root" }));
const modelOf = (files: Record<string, string>) => new WitModel([...project(files), ...VENDORED_WIT]);
/** Offset of the `n`th occurrence (0-based) of `needle` in `text`, plus `delta`. */
const offsetOf = (text: string, needle: string, delta = 0, n = 0) => {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  return i + delta;
};

describe("WitModel", () => {
  it("groups vendored files into WASI 0.3 and 0.2 packages", () => {
    const m = modelOf({});
    expect([...m.packages.keys()].filter((n) => n.startsWith("wasi:cli"))).toEqual(["wasi:cli@0.2.12", "wasi:cli@0.3.0"]);
    expect([...m.packages.get("wasi:cli@0.3.0")!.interfaces.keys()]).toContain("stdout");
    expect([...m.packages.get("wasi:io@0.2.12")!.interfaces.keys()]).toContain("streams");
  });

  it("one package across files: names resolve between them", () => {
    const m = modelOf({
      "wit/types.wit": "interface types {\n  record point { x: u32 }\n}\n",
      "wit/world.wit": "package demo:app;\ninterface api {\n  use types.{point};\n  f: func(p: point);\n}\nworld w { export api; }\n",
    });
    expect(m.packageOfFile("wit/types.wit")!.name).toBe("demo:app");
    const text = m.files.get("wit/world.wit")!.text;
    const scope = m.scopeAt("wit/world.wit", offsetOf(text, "f: func"))!;
    expect(scope.name).toBe("api");
    const def = m.lookupType(scope, "point")!;
    expect(def.def.name.name).toBe("point");
    expect(def.scope.file.path).toBe("wit/types.wit");
  });

  it("follows `use` into vendored WASI packages, through renames and chains", () => {
    const text = "package demo:app;\ninterface api {\n  use wasi:filesystem/types@0.3.0.{descriptor as fd, error-code};\n  f: func(d: borrow<fd>) -> result<_, error-code>;\n}\n";
    const m = modelOf({ "wit/a.wit": text });
    const scope = m.scopeAt("wit/a.wit", offsetOf(text, "f: func"))!;
    const fd = m.lookupType(scope, "fd")!;
    expect([fd.def.kind, fd.def.name.name, fd.scope.pkg.name]).toEqual(["resource", "descriptor", "wasi:filesystem@0.3.0"]);
    expect(m.lookupType(scope, "error-code")!.def.kind).toBe("variant");
    expect(m.lookupType(scope, "nope")).toBeUndefined();
  });
});

describe("hover", () => {
  it("a type reference shows its definition, from another package", () => {
    const text = "package demo:app;\ninterface api {\n  use wasi:cli/types@0.3.0.{error-code};\n  f: func() -> result<_, error-code>;\n}\n";
    const m = modelOf({ "wit/a.wit": text });
    const h = hoverAt(m, "wit/a.wit", offsetOf(text, "error-code>", 2))!;
    expect(h.contents).toContain("enum error-code {");
    expect(h.contents).toContain("illegal-byte-sequence");
    expect(h.contents).toContain("`wasi:cli@0.3.0` interface `types`");
    expect(text.slice(h.span.start, h.span.end)).toBe("error-code");
  });

  it("a local type shows its docs and source; an unknown one says so", () => {
    const text = "package demo:app;\ninterface api {\n  /// Where we are.\n  record point {\n    x: u32,\n  }\n  f: func(p: point, q: pointt);\n}\n";
    const m = modelOf({ "wit/a.wit": text });
    const h = hoverAt(m, "wit/a.wit", offsetOf(text, "p: point", 4))!;
    expect(h.contents).toContain("/// Where we are.\nrecord point {\n  x: u32,\n}");
    expect(hoverAt(m, "wit/a.wit", offsetOf(text, "pointt", 1))!.contents).toContain("`pointt` is not defined in interface `api`");
  });

  it("an interface path shows the interface; a built-in type explains itself", () => {
    const text = "package demo:app;\nworld w {\n  import wasi:cli/stdout@0.3.0;\n  export f: func() -> stream<u8>;\n}\n";
    const m = modelOf({ "wit/a.wit": text });
    expect(hoverAt(m, "wit/a.wit", offsetOf(text, "stdout", 2))!.contents).toContain("write-via-stream: func(data: stream<u8>)");
    expect(hoverAt(m, "wit/a.wit", offsetOf(text, "stream<", 2))!.contents).toContain("backpressure");
    expect(hoverAt(m, "wit/a.wit", offsetOf(text, "\n}", 0))).toBeNull();
  });

  it("a missing package lists the versions that exist", () => {
    const text = "package demo:app;\nworld w {\n  import wasi:cli/stdout@0.9.0;\n}\n";
    const m = modelOf({ "wit/a.wit": text });
    expect(hoverAt(m, "wit/a.wit", offsetOf(text, "stdout", 1))!.contents).toBe("Package `wasi:cli@0.9.0` is not available. Available: `wasi:cli@0.2.12`, `wasi:cli@0.3.0`.");
  });
});

describe("outline", () => {
  it("worlds, interfaces, types, resources with methods, imports and exports", () => {
    const m = modelOf({ "wit/c.wit": CONSTRUCTS });
    const o = outline(m.files.get("wit/c.wit")!.ast);
    const brief = (s: { name: string; kind: string; children: Array<{ name: string }> }) => `${s.kind} ${s.name}`;
    expect(o.map(brief)).toEqual(["interface shapes", "interface canvas", "interface wobbly", "world base", "world painter", "package corpus:inline@0.1.0"]);
    const canvas = o[1]!;
    expect(canvas.children.map((c) => `${c.kind} ${c.name} ${c.detail}`)).toEqual(["resource surface resource", "resource brush resource", "resource pen resource", "function render async func", "function type func"]);
    expect(canvas.children[0]!.children.map((c) => `${c.name}: ${c.detail}`)).toEqual([
      "constructor: constructor", "draw: func", "snapshot: async func", "frames: func", "merge: static func", "open: static async func",
    ]);
    const painter = o[4]!;
    expect(painter.children.map((c) => `${c.kind} ${c.name}`)).toEqual([
      "include base", "include wasi:cli/imports@0.3.0", "type points", "import wasi:clocks/monotonic-clock@0.3.0", "import shapes", "import second-shapes",
      "import host-stdout", "import notify", "import slugify", "export canvas", "export wasi:cli/run@0.3.0", "export tools", "export paint",
    ]);
    expect(painter.children.find((c) => c.name === "tools")!.children.map((c) => c.name)).toEqual(["sharpen"]);
    expect(o[5]!.children.map(brief)).toEqual(["interface helpers", "world helper-world"]);
  });
});

describe("foldingRanges", () => {
  it("folds multi-line blocks (keeping the closing brace) and comment runs", () => {
    const text = "// a\n// b\npackage a:b;\ninterface i {\n  record r {\n    x: u32,\n  }\n  f: func();\n}\n/* one\n   two */\nworld w {}\n";
    expect(foldingRanges(text)).toEqual([
      { startLine: 1, endLine: 2, kind: "comment" },
      { startLine: 4, endLine: 8, kind: "region" },
      { startLine: 5, endLine: 6, kind: "region" },
      { startLine: 10, endLine: 11, kind: "comment" },
    ]);
  });
});
