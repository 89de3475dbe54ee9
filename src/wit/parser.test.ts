import { describe, expect, it } from "vitest";
import type { InterfaceDecl, NestedPackage, ResourceItem, TypeRef, WorldDecl } from "./ast";
import { parseWit } from "./parser";
import { CONSTRUCTS, DEPS } from "./testdata/corpus";

const at = (text: string, offset: number) => {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
};

/** A type reference printed back as WIT, to compare structure compactly. */
function show(t: TypeRef | null): string {
  if (!t) return "_";
  switch (t.kind) {
    case "builtin":
      return t.name;
    case "named":
      return t.name.name;
    case "list":
      return `list<${show(t.elem)}${t.length !== null ? `, ${t.length}` : ""}>`;
    case "option":
      return `option<${show(t.elem)}>`;
    case "result":
      return t.ok || t.err ? `result<${show(t.ok)}, ${show(t.err)}>` : "result";
    case "tuple":
      return `tuple<${t.elems.map(show).join(", ")}>`;
    case "map":
      return `map<${show(t.key)}, ${show(t.value)}>`;
    case "future":
    case "stream":
      return t.elem ? `${t.kind}<${show(t.elem)}>` : t.kind;
    case "borrow":
    case "own":
      return `${t.kind}<${t.resource.name}>`;
  }
}

describe("parseWit on the corpus", () => {
  const file = parseWit(CONSTRUCTS);
  const iface = (name: string) => file.items.find((i): i is InterfaceDecl => i.kind === "interface" && i.name.name === name)!;
  const world = (name: string) => file.items.find((i): i is WorldDecl => i.kind === "world" && i.name.name === name)!;

  it("has no syntax errors", () => {
    expect(file.errors).toEqual([]);
  });

  it("reads the package header with its full semver, and top-level uses", () => {
    expect(file.package?.text).toBe("corpus:every-construct@1.2.3-rc.1+build.7");
    expect(file.package?.version).toBe("1.2.3-rc.1+build.7");
    const uses = file.items.filter((i) => i.kind === "top-use");
    expect(uses.map((u) => (u.kind === "top-use" && u.path.kind === "qualified" ? [u.path.pkg.text, u.path.iface.name, u.as?.name ?? null] : null))).toEqual([
      ["wasi:clocks@0.3.0", "types", "clock-types"],
      ["wasi:random@0.3.0", "random", null],
    ]);
  });

  it("reads records, variants, enums, flags, aliases with docs and gates", () => {
    const shapes = iface("shapes");
    expect(shapes.docs).toBe("Shapes and their measures.");
    expect(shapes.gates).toEqual([expect.objectContaining({ kind: "since", value: "1.0.0" })]);
    const point = shapes.items.find((i) => i.kind === "record")!;
    expect(point.kind === "record" && point.fields.map((f) => [f.name.name, show(f.type), f.docs])).toEqual([
      ["x", "f64", "Horizontal."],
      ["y", "f64", ""],
    ]);
    expect(point.docs).toBe("A point on the plane,\nin doc-block form.");
    const variant = shapes.items.find((i) => i.kind === "variant")!;
    expect(variant.kind === "variant" && variant.cases.map((c) => [c.name.name, show(c.type)])).toEqual([
      ["circle", "f64"],
      ["polygon", "list<point>"],
      ["empty", "_"],
    ]);
    const en = shapes.items.find((i) => i.kind === "enum")!;
    expect(en.kind === "enum" && en.cases.map((c) => c.name.name)).toEqual(["red", "green", "blue"]);
    const fl = shapes.items.find((i) => i.kind === "flags")!;
    expect(fl.kind === "flags" && fl.flags.map((c) => c.name.name)).toEqual(["bold", "italic", "HTTP-underline"]);
    const aliases = Object.fromEntries(shapes.items.flatMap((i) => (i.kind === "type" ? [[i.name.name, show(i.type)]] : [])));
    expect(aliases).toEqual({
      pair: "tuple<u8, u16, u32, u64, s8, s16, s32, s64, f32, f64, char, bool, string>",
      maybe: "option<result<point, color>>",
      "bare-result": "result",
      "ok-only": "result<string, _>",
      "err-only": "result<_, color>",
      fixed: "list<u8, 4>",
      table: "map<string, list<u32>>",
    });
    const old = shapes.items.find((i) => i.kind === "func" && i.name.name === "old-area")!;
    expect(old.gates.map((g) => [g.kind, g.value])).toEqual([
      ["since", "1.0.0"],
      ["deprecated", "1.1.0"],
    ]);
  });

  it("reads uses with renames, resources with constructors, methods, statics and async", () => {
    const canvas = iface("canvas");
    const uses = canvas.items.filter((i) => i.kind === "use");
    expect(uses.map((u) => u.kind === "use" && [u.path.kind === "local" ? u.path.name.name : u.path.pkg.text, u.names.map((n) => (n.as ? `${n.name.name} as ${n.as.name}` : n.name.name))])).toEqual([
      ["shapes", ["point", "shape as figure", "color"]],
      ["clock-types", ["duration"]],
      ["wasi:cli@0.3.0", ["error-code"]],
    ]);
    const surface = canvas.items.find((i): i is ResourceItem => i.kind === "resource" && i.name.name === "surface")!;
    expect(surface.docs).toBe("A surface to draw on.");
    expect(surface.funcs!.map((f) => [f.kind, f.name.name, f.func.async, f.func.params.map((p) => `${p.name.name}: ${show(p.type)}`).join(", "), show(f.func.result)])).toEqual([
      ["constructor", "constructor", false, "width: u32, height: u32", "_"],
      ["method", "draw", false, "f: figure, c: color", "result<_, error-code>"],
      ["method", "snapshot", true, "", "list<u8>"],
      ["method", "frames", false, "every: duration", "stream<list<u8>>"],
      ["static", "merge", false, "a: borrow<surface>, b: own<surface>", "surface"],
      ["static", "open", true, "name: string", "result<surface, error-code>"],
    ]);
    expect(surface.funcs![0]!.docs).toBe("Makes a blank surface.");
    const brush = canvas.items.find((i): i is ResourceItem => i.kind === "resource" && i.name.name === "brush")!;
    expect(brush.funcs).toBeNull();
    const render = canvas.items.find((i) => i.kind === "func" && i.name.name === "render")!;
    expect(render.kind === "func" && [render.func.async, render.func.params.map((p) => show(p.type)), show(render.func.result)]).toEqual([
      true,
      ["borrow<surface>", "stream", "future"],
      "future<result<point, error-context>>",
    ]);
    const escaped = canvas.items.find((i) => i.kind === "func" && i.name.name === "type")!;
    expect(escaped.kind === "func" && escaped.func.params.map((p) => p.name.name)).toEqual(["interface", "record"]);
  });

  it("reads unstable gates", () => {
    expect(iface("wobbly").gates).toEqual([expect.objectContaining({ kind: "unstable", value: "wobbly" })]);
  });

  it("reads every kind of world item", () => {
    const painter = world("painter");
    const summary = painter.items.map((i) => {
      switch (i.kind) {
        case "include":
          return `include ${i.path.kind === "local" ? i.path.name.name : i.path.pkg.text + "/" + i.path.iface.name}${i.with.map((w) => ` ${w.from.name}->${w.to.name}`).join("")}`;
        case "import":
        case "export": {
          const e = i.extern;
          const what = e.kind === "func" ? `${e.func.async ? "async " : ""}func` : e.kind === "interface" ? `interface{${e.items.length}}` : e.path.kind === "local" ? e.path.name.name : `${e.path.pkg.text}/${e.path.iface.name}`;
          return `${i.kind} ${i.name ? `${i.name.name}: ` : ""}${what}`;
        }
        default:
          return i.kind;
      }
    });
    expect(summary).toEqual([
      "include base log->base-log",
      "include wasi:cli@0.3.0/imports",
      "use",
      "type",
      "import wasi:clocks@0.3.0/monotonic-clock",
      "import shapes",
      "import second-shapes: shapes",
      "import host-stdout: wasi:cli@0.3.0/stdout",
      "import notify: async func",
      "import slugify: func",
      "export canvas",
      "export wasi:cli@0.3.0/run",
      "export tools: interface{2}",
      "export paint: async func",
    ]);
    const slugify = painter.items.find((i) => i.kind === "import" && i.name?.name === "slugify")!;
    expect(slugify.gates.map((g) => [g.kind, g.value])).toEqual([
      ["since", "1.0.0"],
      ["external-id", "https://example.com/slugify@1.6.6"],
    ]);
  });

  it("reads nested packages", () => {
    const nested = file.items.find((i): i is NestedPackage => i.kind === "package")!;
    expect(nested.name.text).toBe("corpus:inline@0.1.0");
    expect(nested.items.map((i) => `${i.kind} ${i.kind === "top-use" ? "" : i.name.name}`)).toEqual(["interface helpers", "world helper-world"]);
  });

  it("spans point at the source", () => {
    const surface = iface("canvas").items.find((i) => i.kind === "resource")!;
    expect(CONSTRUCTS.slice(surface.name.span.start, surface.name.span.end)).toBe("surface");
    expect(at(CONSTRUCTS, surface.span.start)).toEqual({ line: 73, column: 3 });
    const painter = world("painter");
    expect(CONSTRUCTS.slice(painter.body.start, painter.body.start + 1)).toBe("{");
    expect(CONSTRUCTS[painter.body.end - 1]).toBe("}");
  });
});

describe("parseWit on wit/deps", () => {
  it.each(DEPS)("%s parses without errors", (_name, text) => {
    const file = parseWit(text);
    expect(file.errors).toEqual([]);
    expect(file.package).not.toBeNull();
    expect(file.items.length).toBeGreaterThan(0);
  });
});

describe("syntax errors", () => {
  const errorsOf = (text: string) => parseWit(text).errors.map((e) => ({ message: e.message, ...at(text, e.span.start) }));

  it("a missing `;` at a line's end is reported on the token before it; within a line, where the next token is", () => {
    expect(errorsOf("package a:b;\nworld w {\n  export f: func() -> u32\n}\n")).toEqual([{ message: "expected ';', found '}'", line: 3, column: 23 }]);
    expect(errorsOf("package a:b;\nworld w { export f: func() -> u32 }\n")).toEqual([{ message: "expected ';', found '}'", line: 2, column: 35 }]);
  });

  it("a keyword where a name belongs", () => {
    expect(errorsOf("package a:b;\ninterface i {\n  record r { a: u32 b: u8 }\n}\n")).toEqual([{ message: "expected '}', found an identifier", line: 3, column: 21 }]);
  });

  it("recovers: later items still parse and report their own errors", () => {
    const text = "package a:b;\ninterface i {\n  f: func(;\n  g: func() -> u32;\n  h: func() -> ;\n}\nworld w { export i; }\n";
    const file = parseWit(text);
    expect(file.errors.map((e) => at(text, e.span.start).line)).toEqual([3, 5]);
    const i = file.items[0] as InterfaceDecl;
    expect(i.items.map((x) => (x.kind === "func" ? x.name.name : x.kind))).toEqual(["g"]);
    expect(file.items.map((x) => x.kind)).toEqual(["interface", "world"]);
  });

  it("an unclosed block, a bad identifier, an unknown gate, a bad version", () => {
    expect(errorsOf("package a:b;\nworld w {\n  import x: func();\n")).toEqual([{ message: "expected '}', found end of file", line: 4, column: 1 }]);
    expect(errorsOf("package a:b;\ninterface i { fooBar: func(); }")).toEqual([{ message: "identifier `fooBar` must be in kebab-case", line: 2, column: 15 }]);
    expect(errorsOf("package a:b;\n@sinse(version = 1.0.0)\ninterface i {}")[0]).toMatchObject({ line: 2, column: 1 });
    expect(errorsOf("package a:b@1;\n")[0]).toMatchObject({ message: "expected a semver version after '@', found an integer", line: 1, column: 13 });
  });
});
