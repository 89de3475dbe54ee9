/**
 * Real wasm-tools (jco's componentEmbed, in Node) checks each broken project; the tests assert
 * that its position-less message lands on the line and column where the mistake is.
 */
import { componentEmbed } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import type { SourceDiagnostic } from "../protocol/authoring-api";
import { bundle } from "./bundle";
import { locateWitError } from "./locate";
import { WitModel, type SourceFile } from "./model";
import { CONSTRUCTS } from "./testdata/corpus";
import { VENDORED_WIT } from "./vendored";

async function check(files: Record<string, string>): Promise<SourceDiagnostic | null> {
  const project: SourceFile[] = Object.entries(files).map(([path, text]) => ({ path, text, group: "root" }));
  const b = bundle(project, [...VENDORED_WIT]);
  try {
    await componentEmbed({ witSource: b.source, dummy: true, world: b.worlds[0] ?? b.syntheticWorld ?? undefined });
    return null;
  } catch (e) {
    const model = new WitModel([...project, ...VENDORED_WIT]);
    return locateWitError(String((e as Error).message ?? e), model, project.map((f) => f.path), b);
  }
}

const BASE = `package demo:app;
interface api {
  use wasi:cli/types@0.3.0.{error-code};
  record point { x: u32 }
  resource res { constructor(); m: func(); }
  f: func(p: point) -> result<_, error-code>;
}
world app {
  import wasi:cli/stdout@0.3.0;
  export api;
  export g: func() -> u32;
}
`;

/** Replaces `from` in BASE and checks; returns `[line, column, message]`. */
async function broken(from: string, to: string): Promise<[number, number, string] | null> {
  if (!BASE.includes(from)) throw new Error(`BASE lacks ${from}`);
  const d = await check({ "wit/world.wit": BASE.replace(from, to) });
  return d && [d.line, d.column, d.message];
}

describe("bundle + wasm-tools", () => {
  it("the corpus and the base project are valid, with WASI deps used in place", async () => {
    expect(await check({ "wit/world.wit": BASE })).toBeNull();
    expect(await check({ "wit/c.wit": CONSTRUCTS })).toBeNull();
  });

  it("only the reachable dependencies are added", () => {
    const b = bundle([{ path: "wit/world.wit", text: BASE, group: "root" }], [...VENDORED_WIT]);
    expect(b.deps.sort()).toEqual(["wasi:cli@0.3.0", "wasi:clocks@0.3.0", "wasi:filesystem@0.3.0", "wasi:random@0.3.0", "wasi:sockets@0.3.0"]);
    expect(b.worlds).toEqual(["app"]);
  });

  it("a package with no world still checks (a world is added for wasm-tools)", async () => {
    expect(await check({ "wit/a.wit": "package demo:lib;\ninterface i { f: func(); }\n" })).toBeNull();
    expect((await check({ "wit/a.wit": "package demo:lib;\ninterface i { f: func() -> nope; }\n" }))?.line).toBe(2);
  });

  it("the project's own deps/ win over the vendored package of the same name", async () => {
    const text = "package demo:app;\nworld w { import wasi:cli/extra@0.3.0; }\n";
    const project = [{ path: "wit/a.wit", text, group: "root" }];
    const own = { path: "wit/deps/cli/package.wit", text: "package wasi:cli@0.3.0;\ninterface extra { f: func(); }\n", group: "deps/cli" };
    const b = bundle(project, [own, ...VENDORED_WIT]);
    await expect(componentEmbed({ witSource: b.source, dummy: true })).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe("locateWitError finds the place wasm-tools does not give", () => {
  it("syntax errors: from our parser", async () => {
    expect(await broken("export g: func() -> u32;", "export g: func() -> u32")).toEqual([11, 23, "expected ';', found '}'"]);
    expect(await broken("record point { x: u32 }", "record point { x: u32 y: u8 }")).toEqual([4, 25, "expected '}', found an identifier"]);
    expect(await broken("f: func(p: point)", "f: func(p: stream<point, u8>)")).toEqual([6, 26, "expected '>', found ','"]);
  });

  it("names that do not exist: the unresolved reference", async () => {
    expect(await broken("f: func(p: point)", "f: func(p: pointt)")).toEqual([6, 14, "name `pointt` does not exist"]);
    expect(await broken("export g: func() -> u32;", "export g: func() -> strin;")).toEqual([11, 23, "name `strin` does not exist"]);
    // The message names `error-code`; its unresolved use is the function's result type.
    expect(await broken("{error-code}", "{error-codes}")).toEqual([6, 34, "name `error-code` does not exist"]);
  });

  it("paths that do not exist: the interface, world or package name", async () => {
    expect(await broken("export api;", "export apx;")).toEqual([10, 10, "interface or world `apx` does not exist"]);
    expect(await broken("import wasi:cli/stdout@0.3.0;", "import wasi:cli/stdoot@0.3.0;")).toEqual([9, 19, "interface 'stdoot' not found in package 'wasi:cli@0.3.0'"]);
    const pkg = await broken("import wasi:cli/stdout@0.3.0;", "import wasi:cli/stdout@0.3.1;");
    expect(pkg?.slice(0, 2)).toEqual([9, 10]);
    expect(pkg?.[2]).toMatch(/^package 'wasi:cli@0.3.1' not found/);
    expect(await broken("world app {", "world app {\n  include wasi:cli/nope@0.3.0;")).toEqual([9, 20, "world 'nope' not found in package 'wasi:cli@0.3.0'"]);
  });

  it("duplicates: the second definition", async () => {
    expect(await broken("record point { x: u32 }", "record point { x: u32 }\n  record point { y: u8 }")).toEqual([5, 10, "name `point` is defined more than once"]);
    expect(await broken("f: func(p: point)", "f: func(p: point, p: u8)")).toEqual([6, 21, "param `p` is defined more than once"]);
    expect(await broken("export g: func() -> u32;", "export g: func() -> u32;\n  export g: func();")).toEqual([12, 10, "export `g` conflicts with prior func of same name"]);
    expect(await broken("import wasi:cli/stdout@0.3.0;", "import wasi:cli/stdout@0.3.0;\n  import wasi:cli/stdout@0.3.0;")).toEqual([10, 10, "interface cannot be imported more than once"]);
    expect(await broken("m: func();", "m: func();\n    constructor();")).toEqual([6, 5, "duplicate constructors"]);
  });

  it("other semantic errors", async () => {
    expect(await broken("record point { x: u32 }", "record point { x: point }")).toEqual([4, 10, "type `point` depends on itself"]);
    expect(await broken("f: func(p: point)", "f: func(p: borrow<point>)")).toEqual([6, 21, "type `point` used in a handle must be a resource"]);
  });

  it("errors in the second file of a package point into that file", async () => {
    const d = await check({ "wit/world.wit": BASE, "wit/more.wit": "interface more {\n  use api.{point};\n  h: func(p: point, q: nope);\n}\n" });
    expect(d).toMatchObject({ path: "wit/more.wit", line: 3, column: 24, message: "name `nope` does not exist" });
  });

  it("two files of a package may each `use` the same interface at the top level", async () => {
    const use = "use wasi:cli/types@0.3.0 as cli-types;\n";
    expect(
      await check({
        "wit/a.wit": `package demo:app;\n${use}interface a { use cli-types.{error-code}; f: func() -> error-code; }\nworld w { export a; export b; }\n`,
        "wit/b.wit": `${use}interface b { use cli-types.{error-code}; g: func() -> error-code; }\n`,
      }),
    ).toBeNull();
  });

  it("conflicting package headers are reported on the second header", async () => {
    const d = bundle(
      [
        { path: "wit/a.wit", text: "package demo:app;\n", group: "root" },
        { path: "wit/b.wit", text: "// b\npackage demo:other;\n", group: "root" },
      ],
      [],
    ).problems;
    expect(d).toEqual([expect.objectContaining({ path: "wit/b.wit", line: 2, column: 9, message: expect.stringContaining("does not match `demo:app` declared in wit/a.wit") })]);
  });

  it("no package header: wasm-tools' message at the top of the first file", async () => {
    expect(await check({ "wit/a.wit": "world w {}\n" })).toMatchObject({ line: 1, column: 1, message: expect.stringContaining("no `package` header") });
  });
});
