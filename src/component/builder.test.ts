// Components built with ComponentBuilder: valid for jco's wasm-tools (the WIT it reads), run on
// engine/cm in Node (callback-free sync lifts, so no JSPI), and decoded back to what was built.
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "../engine/cm/engine";
import { ComponentBuilder, type BuiltComponent } from "./builder";
import { plainAst } from "./compare.fixture";
import { MATH_USER } from "./constructs.fixture";
import { EncodeError } from "./encode";

/** Exports `get: func() -> u32`, returning 41. */
const PROVIDER = `(component
  (core module $m (func (export "get") (result i32) i32.const 41))
  (core instance $i (instantiate $m))
  (func (export "get") (result u32) (canon lift (core func $i "get"))))`;

/** Imports `get: func() -> u32`; exports `run: func() -> u32`, returning get() + 1. */
const CONSUMER = `(component
  (import "get" (func $get (result u32)))
  (core func $get (canon lower (func $get)))
  (core module $m
    (import "" "get" (func $get (result i32)))
    (func (export "run") (result i32) (i32.add (call $get) (i32.const 1))))
  (core instance $i (instantiate $m (with "" (instance (export "get" (func $get))))))
  (func (export "run") (result u32) (canon lift (core func $i "run"))))`;

/** Encodes, checks the decoded AST is the one built (but for offsets), and asks wasm-tools for the WIT. */
async function finish(b: ComponentBuilder): Promise<BuiltComponent & { wit: string }> {
  const built = b.finish();
  expect(plainAst(built.ast, false)).toEqual(plainAst(b.toAst(), false));
  return { ...built, wit: await componentWit(built.bytes) };
}

const engine = new CmEngine();

async function run(bytes: Uint8Array, func: string, args: unknown[], host: Record<string, Record<string, unknown>> = {}): Promise<unknown> {
  const prepared = await engine.prepare(bytes, `builder-${func}-${bytes.length}`);
  const inst = engine.instantiate(prepared, { resolveImport: (name) => (host[name] ? { name, impl: host[name]! } : undefined) }, "built.wasm");
  return inst.call(inst.func(null, func)!, args);
}

/** `import double: func(x: u32) -> u32;` and `export twice` of the same func. */
function reexport(): ComponentBuilder {
  const b = new ComponentBuilder();
  const ft = b.type({ kind: "func", async: false, params: [{ label: "x", type: "u32" }], result: "u32" });
  const double = b.import("double", { sort: "func", type: ft.index });
  b.export("twice", double);
  return b;
}

describe("ComponentBuilder", () => {
  it("imports a func and exports it again: indices as built, valid WIT, runs on engine/cm", async () => {
    const b = reexport();
    const { bytes, ast, wit } = await finish(b);
    expect(ast.definitions.map((d) => [d.kind, d.space, d.index])).toEqual([
      ["type", "type", 0],
      ["import", "func", 0],
      ["export", "func", 1],
    ]);
    expect(wit).toMatch(/import double: func\(x: u32\) -> u32;/);
    expect(wit).toMatch(/export twice: func\(x: u32\) -> u32;/);
    expect(await run(bytes, "twice", [21], { double: { default: (x: number) => x * 2 } })).toBe(42);
  });

  it("embeds two components and instantiates one with the other's export as a named argument", async () => {
    const b = new ComponentBuilder();
    const provider = b.component(await parse(PROVIDER));
    const consumer = b.component(await parse(CONSUMER));
    const p = b.instantiate(provider);
    const get = b.alias(p, "get", "func");
    const c = b.instantiate(consumer, { get });
    const runFn = b.alias(c, "run", "func");
    b.export("run", runFn);
    expect([provider, consumer, p, get, c, runFn]).toEqual([
      { sort: "component", index: 0 },
      { sort: "component", index: 1 },
      { sort: "instance", index: 0 },
      { sort: "func", index: 0 },
      { sort: "instance", index: 1 },
      { sort: "func", index: 1 },
    ]);
    const { bytes, ast, wit } = await finish(b);
    expect(ast.definitions[4]).toMatchObject({ kind: "instance", expr: { kind: "instantiate", component: 1, args: [{ name: "get", target: { sort: "func", index: 0 } }] } });
    expect(wit).not.toMatch(/import/);
    expect(wit).toMatch(/export run: func\(\) -> u32;/);
    expect(await run(bytes, "run", [])).toBe(42);
  });

  it("imports an interface typed with instanceType, passes it on, and writes names and producers", async () => {
    const b = new ComponentBuilder().componentName("composed").producer("processed-by", "wasi-playground", "test");
    const math = b.instanceType((t) => t.func("double", [{ label: "x", type: "u32" }], "u32"));
    const m = b.import("local:demo/math@0.1.0", { sort: "instance", type: math.index });
    const user = b.instantiate(b.component(await parse(MATH_USER)), { "local:demo/math@0.1.0": m });
    b.name(user, "math-user");
    b.export("quad", b.alias(user, "quad", "func"));
    const { bytes, ast, wit } = await finish(b);
    expect(ast.definitions[0]).toMatchObject({
      kind: "type",
      type: { kind: "instance", decls: [{ kind: "type", space: "type", index: 0 }, { kind: "export", space: "func", index: 0, name: { name: "double" } }] },
    });
    expect(ast.names?.component).toBe("composed");
    expect(ast.names?.sorts.get("instance")?.get(user.index)).toBe("math-user");
    expect(ast.producers?.get("processed-by")).toEqual([{ name: "wasi-playground", version: "test" }]);
    expect(wit).toMatch(/import local:demo\/math@0\.1\.0;/);
    expect(wit).toMatch(/export quad: func\(x: u32\) -> u32;/);
    expect(await run(bytes, "quad", [5], { "local:demo/math@0.1.0": { double: (x: number) => x * 2 } })).toBe(20);
  });

  it("nests another builder's AST, which sees no outer index space but its own", async () => {
    const inner = reexport();
    const b = new ComponentBuilder();
    const ft = b.type({ kind: "func", async: false, params: [{ label: "x", type: "u32" }], result: "u32" });
    const double = b.import("double", { sort: "func", type: ft.index });
    const i = b.instantiate(b.component(inner.toAst()), { double });
    b.export("twice", b.alias(i, "twice", "func"));
    const { bytes, wit } = await finish(b);
    expect(wit).toMatch(/export twice: func\(x: u32\) -> u32;/);
    expect(await run(bytes, "twice", [4], { double: { default: (x: number) => x * 2 } })).toBe(8);
  });

  it("refuses an index from another builder when it encodes, naming the definition", () => {
    const other = new ComponentBuilder();
    other.type({ kind: "primitive", type: "u8" });
    const foreign = other.type({ kind: "primitive", type: "u8" });
    const b = new ComponentBuilder();
    b.export("t", foreign);
    expect(() => b.finish()).toThrow(EncodeError);
    expect(() => b.finish()).toThrow('exported item is type 1, past the end of the type index space (0 entries here) (in definition 0 (type 0 = export "t" type 1))');
  });
});
