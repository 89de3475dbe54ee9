import { describe, expect, it } from "vitest";
import { completeAt, contextAt } from "./complete";
import { WitModel } from "./model";
import { VENDORED_WIT } from "./vendored";

/** Completions where `|` is in `source` (the bar is removed). */
function at(source: string) {
  const offset = source.indexOf("|");
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const m = new WitModel([{ path: "wit/a.wit", text, group: "root" }, ...VENDORED_WIT]);
  const r = completeAt(m, "wit/a.wit", offset);
  return { labels: r.items.map((i) => i.label), items: r.items, replaced: text.slice(r.replace.start, r.replace.end) };
}

describe("contextAt", () => {
  it("knows the innermost bracket and the statement so far", () => {
    const c = (s: string) => contextAt(s, s.length);
    expect(c("interface i {\n  f: func(a: ")).toMatchObject({ frame: "params", stmt: ["a", ":"] });
    expect(c("interface i {\n  record r { a: u32, b: ")).toMatchObject({ frame: "record", stmt: ["b", ":"] });
    expect(c("interface i {\n  f: func() -> list<")).toMatchObject({ frame: "type-args", stmt: [] });
    expect(c("interface i {\n  use wasi:cli/types@0.3.0.{")).toMatchObject({ frame: "use-names", usePath: "wasi:cli/types@0.3.0" });
    expect(c("interface i {\n  record r { a: u32 }\n  ")).toMatchObject({ frame: "interface", stmt: [] });
    expect(c("world w {\n  @since(version = 1.0.0)\n  export ")).toMatchObject({ frame: "world", stmt: ["@since", "(", "version", "=", "1.0.0", ")", "export"] });
    expect(c("")).toMatchObject({ frame: "top", stmt: [] });
  });
});

describe("completeAt", () => {
  it("type positions offer built-ins and the names in scope (defined and used)", () => {
    const r = at("package a:b;\ninterface i {\n  use wasi:cli/types@0.3.0.{error-code};\n  record point { x: u32 }\n  f: func(p: po|) -> u32;\n}\n");
    expect(r.labels).toEqual(expect.arrayContaining(["u32", "string", "list", "stream", "future", "error-context", "point", "error-code"]));
    expect(r.replaced).toBe("po");
    expect(r.items.find((i) => i.label === "stream")).toMatchObject({ insertText: "stream<${1:u8}>", snippet: true });
  });

  it("after `->`, inside `<...>`, after `=` and in variant payloads", () => {
    expect(at("package a:b;\ninterface i {\n  type t = u8;\n  f: func() -> |\n}").labels).toContain("t");
    expect(at("package a:b;\ninterface i {\n  type t = u8;\n  f: func() -> result<t, |\n}").labels).toContain("t");
    expect(at("package a:b;\ninterface i {\n  type t = |").labels).toContain("u64");
    expect(at("package a:b;\ninterface i {\n  type t = u8;\n  variant v { a(|) }\n}").labels).toContain("t");
  });

  it("names being declared get nothing", () => {
    expect(at("package a:b;\ninterface i {\n  f: func(|").labels).toEqual([]);
    expect(at("package a:b;\ninterface i {\n  enum e { |").labels).toEqual([]);
  });

  it("item starts offer the keywords of the block", () => {
    expect(at("package a:b;\ninterface i {\n  |\n}").labels).toEqual(expect.arrayContaining(["record", "variant", "enum", "flags", "resource", "type", "use", "func", "async func", "@since"]));
    expect(at("package a:b;\nworld w {\n  |\n}").labels).toEqual(expect.arrayContaining(["import", "export", "include", "use", "type"]));
    expect(at("package a:b;\ninterface i {\n  resource r {\n    |\n  }\n}").labels).toEqual(expect.arrayContaining(["constructor", "func", "static func"]));
    expect(at("|").labels).toEqual(expect.arrayContaining(["package", "interface", "world", "use"]));
    expect(at("package a:b;\n|").labels).not.toContain("package");
  });

  it("after `name:` offers func / async (and static in a resource)", () => {
    expect(at("package a:b;\ninterface i {\n  f: |").labels).toEqual(["func", "async"]);
    expect(at("package a:b;\ninterface i {\n  f: async |").labels).toEqual(["func"]);
    expect(at("package a:b;\ninterface i {\n  resource r {\n    m: |").labels).toEqual(["func", "async", "static"]);
  });

  it("import/export/use offer this package's interfaces and every dependency's, replacing the whole path", () => {
    const r = at("package a:b;\ninterface mine {}\nworld w {\n  import wasi:cl|\n}");
    expect(r.labels).toEqual(expect.arrayContaining(["mine", "wasi:cli/stdout@0.3.0", "wasi:cli/stdout@0.2.12", "wasi:http/types@0.3.0"]));
    expect(r.replaced).toBe("wasi:cl");
    expect(at("package a:b;\nworld w {\n  include |\n}").labels).toEqual(expect.arrayContaining(["wasi:cli/imports@0.3.0", "wasi:cli/command@0.3.0"]));
    expect(at("package a:b;\nworld w {\n  export run: |\n}").labels).toEqual(expect.arrayContaining(["func", "async", "interface", "wasi:cli/run@0.3.0"]));
  });

  it("inside `use path.{...}` offers that interface's types", () => {
    expect(at("package a:b;\ninterface i {\n  use wasi:filesystem/types@0.3.0.{|}\n}").labels).toEqual(expect.arrayContaining(["descriptor", "error-code", "descriptor-flags", "filesize"]));
    expect(at("package a:b;\ninterface t { record r {} }\ninterface i {\n  use t.{|}\n}").labels).toEqual(["r"]);
  });

  it("borrow<...> offers resources", () => {
    expect(at("package a:b;\ninterface i {\n  resource r;\n  record q {}\n  f: func(x: borrow<|>);\n}").labels).toEqual(["r"]);
  });
});
