// Copying imports with their type closure (ComponentBuilder.importsFrom): real components'
// imports forwarded into an outer component, merged by name, renamed, checked by jco's wasm-tools.
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ComponentAst, InstanceType } from "./ast";
import { ComponentBuilder, type Idx } from "./builder";
import { ImportCopyError, mergeInstanceTypes } from "./closure";
import { decode } from "./decode";
import { componentTypes } from "./types";

const fixture = (f: string) => decode(readFileSync(new URL(`../../../shared/conformance/component-model-async/${f}`, import.meta.url)));
const importNames = (ast: ComponentAst) => ast.definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
const same = (names: readonly string[]) => new Map(names.map((n) => [n, n]));

/** Instantiates `component` in `b` with every import taken from `imports` (by the same or a mapped name). */
function instantiate(b: ComponentBuilder, component: ComponentAst, imports: ReadonlyMap<string, Idx>, rename: Record<string, string> = {}) {
  return b.instantiate(b.component(component), Object.fromEntries(importNames(component).map((n) => [n, imports.get(rename[n] ?? n)!])));
}

describe("ComponentBuilder.importsFrom", () => {
  it("forwards two components' imports, one import per name, instance types merged, one alias per resource", async () => {
    const callee = fixture("general/async-borrowing-callee.wasm");
    const caller = fixture("general/async-borrowing-caller.wasm");
    const b = new ComponentBuilder();
    const callerForwarded = importNames(caller).filter((n) => n !== "local:local/borrowing");
    const imports = b.importsFrom([
      { component: callee, imports: same(importNames(callee)) },
      { component: caller, imports: same(callerForwarded) },
    ]);
    expect([...imports.keys()]).toEqual(importNames(callee));
    const i = instantiate(b, callee, imports);
    const borrowing = b.alias(i, "local:local/borrowing", "instance");
    b.instantiate(b.component(caller), Object.fromEntries(importNames(caller).map((n) => [n, n === "local:local/borrowing" ? borrowing : imports.get(n)!])));
    const { bytes, ast } = b.finish();
    expect(await componentWit(bytes)).toMatch(/import local:local\/borrowing-types;/);
    // The caller imports `x` and its constructor, the callee also the method: the import has all three.
    const types = componentTypes(ast);
    const bt = types.imports.find((m) => m.name === "local:local/borrowing-types")!.type;
    expect(bt.kind === "instance" && bt.exports.map((m) => m.name)).toEqual(["x", "[constructor]x", "[method]x.foo"]);
    // Each imported instance's type export is aliased once, however many imports use it.
    const aliases = ast.definitions.flatMap((d) => (d.kind === "alias" && d.alias.target.kind === "export" ? [`${d.alias.target.instance}/${d.alias.target.name}`] : []));
    expect(new Set(aliases).size).toBe(aliases.length);
    // Every import comes after the types it uses.
    const firstImport = ast.definitions.findIndex((d) => d.kind === "import");
    expect(ast.definitions[firstImport - 1]?.kind).toBe("type");
  });

  it("renames imports, and the types of one follow the other's new name", async () => {
    const callee = fixture("round-trip/async-round-trip-stackless.wasm");
    const rename: Record<string, string> = { "wasi:io/error@0.2.12": "my:io/error@1.0.0", "wasi:io/streams@0.2.12": "my:io/streams@1.0.0" };
    const b = new ComponentBuilder();
    const imports = b.importsFrom([{ component: callee, imports: new Map(importNames(callee).map((n) => [n, rename[n] ?? n])) }]);
    const i = instantiate(b, callee, imports, rename);
    b.export("local:local/baz", b.alias(i, "local:local/baz", "instance"));
    const { bytes, ast } = b.finish();
    const wit = await componentWit(bytes);
    expect(wit).toMatch(/import my:io\/error@1\.0\.0;/);
    expect(wit).toMatch(/import my:io\/streams@1\.0\.0;/);
    expect(wit).not.toMatch(/wasi:io/);
    const t = componentTypes(ast);
    const streams = t.imports.find((m) => m.name === "my:io/streams@1.0.0")!.type;
    const error = streams.kind === "instance" && streams.exports.find((m) => m.name === "error")!.type;
    expect(error).toMatchObject({ kind: "type", type: { kind: "resource", origin: { kind: "import", path: ["my:io/error@1.0.0", "error"] } } });
  });

  it("refuses an import whose types reach an import that is not copied", () => {
    const callee = fixture("round-trip/async-round-trip-stackless.wasm");
    const b = new ComponentBuilder();
    expect(() => b.importsFrom([{ component: callee, imports: same(["wasi:io/streams@0.2.12"]) }])).toThrow(
      new ImportCopyError('an import\'s types refer to import "wasi:io/error@0.2.12", which is not among the imports being copied'),
    );
    expect(() => b.importsFrom([{ component: callee, imports: same(["wasi:nope/x"]) }])).toThrow('the component has no import "wasi:nope/x" to copy');
  });
});

describe("mergeInstanceTypes", () => {
  it("keeps the first type's declarators and adds the others' missing exports with what they need", async () => {
    const typeOf = async (decls: string): Promise<InstanceType> => {
      const ast = decode(await parse(`(component (type (instance ${decls})))`));
      return (ast.definitions[0] as { type: InstanceType }).type;
    };
    const a = await typeOf(`(export "x" (type $x (sub resource))) (type $o (own $x)) (export "new" (func (result $o)))`);
    const b = await typeOf(`(export "x" (type $x (sub resource))) (type $b (borrow $x)) (export "get" (func (param "self" $b) (result u32)))`);
    const merged = mergeInstanceTypes([a, b]);
    expect(merged.decls.slice(0, a.decls.length)).toEqual(a.decls);
    // `get`'s borrow refers to the first type's `x`, not a second resource.
    expect(merged.decls.slice(a.decls.length).map((d) => [d.kind, d.space, d.index])).toEqual([
      ["type", "type", 3],
      ["type", "type", 4],
      ["export", "func", 1],
    ]);
    expect(merged.decls[a.decls.length]).toMatchObject({ type: { kind: "borrow", resource: 0 } });
    const b2 = new ComponentBuilder();
    b2.import("i", { sort: "instance", type: b2.type(merged).index });
    expect(await componentWit(b2.finish().bytes)).toMatch(/import i: interface \{\s*resource x;\s*new: func\(\) -> x;\s*get: func\(self: borrow<x>\) -> u32;\s*\}/);
  });
});
