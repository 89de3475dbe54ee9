import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { ParseCache } from "../wit/bundle";
import { STARTERS } from "./templates";
import { buildComponentWat, buildCoreWat, watFunctionPosition, watParseDiagnostic } from "./wat";

/** The component WAT starter: an async export lifted with a callback (`start` yields, `callback` returns x + 1). */
const ASYNC_COMPONENT_WAT = STARTERS["wat-component"].files[0]!.text;

const CORE_WIT = "package demo:adder;\nworld adder {\n  export add: func(a: u32, b: u32) -> u32;\n}\n";
const CORE_WAT = `(module
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
)
`;

const fail = (o: Awaited<ReturnType<typeof buildComponentWat>>) => {
  if (o.ok) throw new Error("expected a failure");
  return o.diagnostics.map((d) => ({ path: d.path, line: d.line, column: d.column, message: d.message }));
};

describe("component WAT", () => {
  it("an async export lifted with a callback builds and validates", async () => {
    const out = await buildComponentWat({ path: "component.wat", text: ASYNC_COMPONENT_WAT });
    expect(out.ok).toBe(true);
    if (out.ok) expect(await componentWit(out.bytes)).toContain("export add-one: async func(x: u32) -> u32;");
  });

  it("a syntax error is placed at its line and column", async () => {
    const text = ASYNC_COMPONENT_WAT.replace("i32.add", "i32.addd");
    expect(fail(await buildComponentWat({ path: "component.wat", text }))).toEqual([
      { path: "component.wat", line: text.split("\n").findIndex((l) => l.includes("i32.addd")) + 1, column: 7, message: "unknown operator or unexpected token" },
    ]);
  });

  it("a validation error (an async lift of a sync function type) names the place it can", async () => {
    const text = ASYNC_COMPONENT_WAT.replace('(func (export "add-one") async', '(func (export "add-one")');
    const d = fail(await buildComponentWat({ path: "component.wat", text }))[0]!;
    expect(d.message).toContain("the `async` canonical option requires an async function type");
  });

  it("a core module is refused with advice", async () => {
    expect(fail(await buildComponentWat({ path: "component.wat", text: CORE_WAT }))[0]!.message).toContain("this is a core module");
  });
});

describe("core WAT + WIT", () => {
  const files = (wat: string, wit = CORE_WIT) => [
    { path: "module.wat", text: wat },
    { path: "wit/world.wit", text: wit },
  ];
  const build = (wat: string, wit?: string) => buildCoreWat({ path: "module.wat", text: wat }, files(wat, wit), null, new ParseCache());

  it("builds a component exporting the world's function", async () => {
    const out = await build(CORE_WAT);
    expect(out.ok).toBe(true);
    if (out.ok) expect(await componentWit(out.bytes)).toContain("export add: func(a: u32, b: u32) -> u32;");
  });

  it("a type error in a function is placed on that function (V8 names it)", async () => {
    const wat = `(module\n  (import "x" "y" (func))\n  (type $t (func))\n  (func $ok)\n  (func (export "add") (param i32 i32) (result i32)\n    i64.const 1)\n)\n`;
    const [d] = fail(await build(wat));
    expect(d).toMatchObject({ path: "module.wat", line: 5, column: 3 });
    expect(d!.message).toContain("Compiling function #2");
  });

  it("a missing export points at the WIT that wants it", async () => {
    const [d] = fail(await build(CORE_WAT.replace('"add"', '"sum"')));
    expect(d).toMatchObject({ path: "wit/world.wit", line: 3, column: 10 });
    expect(d!.message).toContain("failed to find export of function `add`");
  });

  it("a WIT error is placed in the WIT file", async () => {
    expect(fail(await build(CORE_WAT, CORE_WIT.replace("-> u32;", "-> u33;")))).toEqual([
      { path: "wit/world.wit", line: 3, column: 39, message: "name `u33` does not exist" },
    ]);
  });
});

describe("watParseDiagnostic and watFunctionPosition", () => {
  it("reads wast's Debug errors (0-based line and column)", () => {
    const raw = 'Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 1, col: 4, snippet: "x" }), file: None, span: Span { offset: 9 }, kind: Custom("unknown func: failed to find name `$nope`") } }) }';
    expect(watParseDiagnostic(raw, "m.wat", "(module\n  (call $nope))")).toMatchObject({ line: 2, column: 5, message: "unknown func: failed to find name `$nope`" });
    const lex = "Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 0, col: 8, snippet: \"\" }), file: None, span: Span { offset: 8 }, kind: Lex(DanglingBlockComment) } }) }";
    expect(watParseDiagnostic(lex, "m.wat", "(module (; x")).toMatchObject({ line: 1, column: 9, message: "unclosed block comment `(;`" });
  });

  it("counts imported functions, skips types, exports, comments and strings", () => {
    const text = `(module ;; (func in a comment\n  (import "a" "(func" (func $i))\n  (type (func))\n  (; (func ;)\n  (export "f" (func $f))\n  (func $f)\n  (func $g))`;
    expect(watFunctionPosition(text, 0)).toEqual({ line: 2, column: 23 });
    expect(watFunctionPosition(text, 1)).toEqual({ line: 6, column: 3 });
    expect(watFunctionPosition(text, 2)).toEqual({ line: 7, column: 3 });
    expect(watFunctionPosition(text, 3)).toBeNull();
  });
});
