// Each canon builtin, type constructor and section, written in component WAT, encoded by jco's
// wasm-tools and decoded here; constructs wasm-tools no longer writes are built byte by byte.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import type { Canon, CanonDefinition, ComponentAst, Definition, TypeDefinition } from "./ast";
import { DecodeError, decode } from "./decode";

async function wat(text: string): Promise<ComponentAst> {
  return decode(await parse(text));
}

function last<K extends Definition["kind"]>(ast: ComponentAst, kind: K): Extract<Definition, { kind: K }> {
  const defs = ast.definitions.filter((d) => d.kind === kind);
  expect(defs.length).toBeGreaterThan(0);
  return defs[defs.length - 1] as Extract<Definition, { kind: K }>;
}

// Core funcs: realloc 0, cb 1, f 2, dtor 3, so the builtin under test is core func 4.
// Types: $r 0, $s 1, $fu 2, g's inline func type 3, $lifted 4; core types $ft 0, $sft 1. Memory 0, table 0.
const PRELUDE = `
  (core module $m
    (memory (export "mem") 1)
    (table (export "tbl") 1 funcref)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "f") (param i32 i32) (result i32) unreachable)
    (func (export "dtor") (param i32)))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "tbl" (core table $tbl))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "cb" (core func $cb))
  (alias core export $i "f" (core func $f))
  (alias core export $i "dtor" (core func $dtor))
  (type $r (resource (rep i32) (dtor (core func $dtor))))
  (type $s (stream u8))
  (type $fu (future string))
  (core type $ft (func (param i32)))
  (core type $sft (shared (func (param i32))))
  (import "g" (func $g (param "x" string) (result string)))
  (type $lifted (func async (param "x" string) (result string)))
`;

const NO_OPTS = { async: false, gc: false };

async function canon(item: string): Promise<CanonDefinition> {
  const ast = await wat(`(component ${PRELUDE} ${item})`);
  return last(ast, "canon");
}

describe("canon builtins", () => {
  const cases: [string, Canon][] = [
    [
      "(func (type $lifted) (canon lift (core func $f) async (callback $cb) (memory $mem) (realloc $realloc) string-encoding=utf16))",
      { op: "lift", coreFunc: 2, type: 4, options: { async: true, gc: false, callback: 1, memory: 0, realloc: 0, stringEncoding: "utf16" } },
    ],
    [
      "(func (type $lifted) (canon lift (core func $f) (memory $mem) string-encoding=latin1+utf16 (post-return $dtor)))",
      { op: "lift", coreFunc: 2, type: 4, options: { ...NO_OPTS, memory: 0, stringEncoding: "latin1+utf16", postReturn: 3 } },
    ],
    [
      "(core type $gt (func (param i32 i32) (result i32))) (func (type $lifted) (canon lift (core func $f) gc (core-type $gt)))",
      { op: "lift", coreFunc: 2, type: 4, options: { async: false, gc: true, coreType: 2 } },
    ],
    [
      "(core func (canon lower (func $g) (memory $mem) (realloc $realloc) async string-encoding=utf8))",
      { op: "lower", func: 0, options: { async: true, gc: false, memory: 0, realloc: 0, stringEncoding: "utf8" } },
    ],
    ["(core func (canon resource.new $r))", { op: "resource.new", resource: 0 }],
    ["(core func (canon resource.drop $r))", { op: "resource.drop", resource: 0, async: false }],
    ["(core func (canon resource.rep $r))", { op: "resource.rep", resource: 0 }],
    ["(core func (canon backpressure.inc))", { op: "backpressure.inc" }],
    ["(core func (canon backpressure.dec))", { op: "backpressure.dec" }],
    [
      "(core func (canon task.return (result string) (memory $mem) string-encoding=utf8))",
      { op: "task.return", result: "string", options: { ...NO_OPTS, memory: 0, stringEncoding: "utf8" } },
    ],
    ["(core func (canon task.return (result $s)))", { op: "task.return", result: 1, options: NO_OPTS }],
    ["(core func (canon task.return))", { op: "task.return", options: NO_OPTS }],
    ["(core func (canon task.cancel))", { op: "task.cancel" }],
    ["(core func (canon context.get i32 0))", { op: "context.get", type: "i32", slot: 0 }],
    ["(core func (canon context.set i32 1))", { op: "context.set", type: "i32", slot: 1 }],
    ["(core func (canon thread.yield))", { op: "thread.yield" }],
    ["(core func (canon subtask.cancel))", { op: "subtask.cancel", async: false }],
    ["(core func (canon subtask.cancel async))", { op: "subtask.cancel", async: true }],
    ["(core func (canon subtask.drop))", { op: "subtask.drop" }],
    ["(core func (canon stream.new $s))", { op: "stream.new", type: 1 }],
    ["(core func (canon stream.read $s (memory $mem)))", { op: "stream.read", type: 1, options: { ...NO_OPTS, memory: 0 } }],
    ["(core func (canon stream.write $s async (memory $mem)))", { op: "stream.write", type: 1, options: { ...NO_OPTS, async: true, memory: 0 } }],
    ["(core func (canon stream.cancel-read $s))", { op: "stream.cancel-read", type: 1, async: false }],
    ["(core func (canon stream.cancel-write $s async))", { op: "stream.cancel-write", type: 1, async: true }],
    ["(core func (canon stream.drop-readable $s))", { op: "stream.drop-readable", type: 1 }],
    ["(core func (canon stream.drop-writable $s))", { op: "stream.drop-writable", type: 1 }],
    ["(core func (canon future.new $fu))", { op: "future.new", type: 2 }],
    [
      "(core func (canon future.read $fu (memory $mem) (realloc $realloc) string-encoding=utf16))",
      { op: "future.read", type: 2, options: { ...NO_OPTS, memory: 0, realloc: 0, stringEncoding: "utf16" } },
    ],
    ["(core func (canon future.write $fu (memory $mem)))", { op: "future.write", type: 2, options: { ...NO_OPTS, memory: 0 } }],
    ["(core func (canon future.cancel-read $fu async))", { op: "future.cancel-read", type: 2, async: true }],
    ["(core func (canon future.cancel-write $fu))", { op: "future.cancel-write", type: 2, async: false }],
    ["(core func (canon future.drop-readable $fu))", { op: "future.drop-readable", type: 2 }],
    ["(core func (canon future.drop-writable $fu))", { op: "future.drop-writable", type: 2 }],
    ["(core func (canon error-context.new (memory $mem)))", { op: "error-context.new", options: { ...NO_OPTS, memory: 0 } }],
    [
      "(core func (canon error-context.debug-message (memory $mem) (realloc $realloc)))",
      { op: "error-context.debug-message", options: { ...NO_OPTS, memory: 0, realloc: 0 } },
    ],
    ["(core func (canon error-context.drop))", { op: "error-context.drop" }],
    ["(core func (canon waitable-set.new))", { op: "waitable-set.new" }],
    ["(core func (canon waitable-set.wait (memory $mem)))", { op: "waitable-set.wait", memory: 0 }],
    ["(core func (canon waitable-set.poll (memory $mem)))", { op: "waitable-set.poll", memory: 0 }],
    ["(core func (canon waitable-set.drop))", { op: "waitable-set.drop" }],
    ["(core func (canon waitable.join))", { op: "waitable.join" }],
    ["(core func (canon thread.index))", { op: "thread.index" }],
    ["(core func (canon thread.new-indirect $ft $tbl))", { op: "thread.new-indirect", type: 0, table: 0 }],
    ["(core func (canon thread.resume-later))", { op: "thread.resume-later" }],
    ["(core func (canon thread.suspend))", { op: "thread.suspend" }],
    ["(core func (canon thread.suspend-then-resume))", { op: "thread.suspend-then-resume" }],
    ["(core func (canon thread.yield-then-resume))", { op: "thread.yield-then-resume" }],
    ["(core func (canon thread.suspend-then-promote))", { op: "thread.suspend-then-promote" }],
    ["(core func (canon thread.yield-then-promote))", { op: "thread.yield-then-promote" }],
    ["(core func (canon thread.spawn-ref $sft))", { op: "thread.spawn-ref", type: 1 }],
    ["(core func (canon thread.spawn-indirect $sft $tbl))", { op: "thread.spawn-indirect", type: 1, table: 0 }],
    ["(core func (canon thread.available_parallelism))", { op: "thread.available-parallelism" }],
  ];
  it.each(cases)("%s", async (item, expected) => {
    const def = await canon(item);
    expect(def.canon).toEqual(expected);
    expect(def.space).toBe(expected.op === "lift" ? "func" : "core func");
    // lift: imported func g is func 0, so the lifted func is 1; builtins follow realloc, cb, f, dtor (0-3).
    expect(def.index).toBe(expected.op === "lift" ? 1 : 4);
  });
});

describe("type constructors", () => {
  async function type(text: string, extra = ""): Promise<TypeDefinition["type"]> {
    const ast = await wat(`(component (type $r (resource (rep i32))) ${extra} (type ${text}))`);
    return last(ast, "type").type;
  }
  const prims = ["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string"] as const;
  it.each(prims)("primitive %s", async (p) => {
    expect(await type(p)).toEqual({ kind: "primitive", type: p });
    expect(await type(`(list ${p})`)).toEqual({ kind: "list", element: p });
  });
  it.each<[string, unknown]>([
    ["error-context", { kind: "primitive", type: "error-context" }],
    ['(record (field "a" u8) (field "b-c" $r))', { kind: "record", fields: [{ label: "a", type: "u8" }, { label: "b-c", type: 0 }] }],
    ['(variant (case "a") (case "b" string))', { kind: "variant", cases: [{ label: "a" }, { label: "b", type: "string" }] }],
    ["(list u8 4)", { kind: "list", element: "u8", length: 4 }],
    ["(tuple u8 s64)", { kind: "tuple", types: ["u8", "s64"] }],
    ['(flags "a" "b" "c")', { kind: "flags", labels: ["a", "b", "c"] }],
    ['(enum "x" "y")', { kind: "enum", labels: ["x", "y"] }],
    ["(option char)", { kind: "option", type: "char" }],
    ["(result u8 (error string))", { kind: "result", ok: "u8", err: "string" }],
    ["(result (error string))", { kind: "result", err: "string" }],
    ["(result u32)", { kind: "result", ok: "u32" }],
    ["(result)", { kind: "result" }],
    ["(own $r)", { kind: "own", resource: 0 }],
    ["(borrow $r)", { kind: "borrow", resource: 0 }],
    ["(stream u8)", { kind: "stream", element: "u8" }],
    ["(stream)", { kind: "stream" }],
    ["(future string)", { kind: "future", element: "string" }],
    ["(future)", { kind: "future" }],
    ["(map string u32)", { kind: "map", key: "string", value: "u32" }],
    ['(func (param "a" u32) (result string))', { kind: "func", async: false, params: [{ label: "a", type: "u32" }], result: "string" }],
    ["(func)", { kind: "func", async: false, params: [] }],
  ])("%s", async (text, expected) => {
    expect(await type(text)).toEqual(expected);
  });

  it("decodes inline element types as definitions of their own, referred to by index", async () => {
    const ast = await wat(`(component (type $r (resource (rep i32))) (type (func async (param "s" (stream u8)) (result (own $r)))))`);
    const types = ast.definitions.filter((d): d is TypeDefinition => d.kind === "type").map((d) => d.type);
    expect(types).toEqual([
      { kind: "resource", rep: "i32", dtorAsync: false },
      { kind: "stream", element: "u8" },
      { kind: "own", resource: 0 },
      { kind: "func", async: true, params: [{ label: "s", type: 1 }], result: 2 },
    ]);
  });

  it("decodes resources with and without a destructor", async () => {
    const ast = await wat(`(component ${PRELUDE})`);
    expect(ast.definitions.find((d) => d.kind === "type")).toMatchObject({ type: { kind: "resource", rep: "i32", dtor: 3, dtorAsync: false } });
  });

  it("decodes component and instance types in their own scopes", async () => {
    const ast = await wat(`(component
      (type $u u32)
      (type (component
        (import "r" (type $rr (sub resource)))
        (alias outer 1 $u (type $uu))
        (type $o (own $rr))
        (type $f (func (param "x" $o) (result $uu)))
        (type $it (instance (export "ready" (func (type 0)))))
        (import "wasi:io/poll@0.2.4" (instance (type $it)))
        (export "q" (func (type $f)))))
      (type (instance
        (export "e" (type (eq 0)))
        (core type (module (import "a" "b" (func)) (export "m" (memory 1 2)) (alias outer 1 0 (type))))
        (export "r" (type (sub resource))))))`);
    const [, component, instance] = ast.definitions.filter((d): d is TypeDefinition => d.kind === "type").map((d) => d.type);
    expect(component).toMatchObject({
      kind: "component",
      decls: [
        { kind: "import", space: "type", index: 0, name: { name: "r", isInterface: false }, desc: { sort: "type", bound: { kind: "sub resource" } } },
        { kind: "alias", space: "type", index: 1, alias: { sort: "type", target: { kind: "outer", count: 1, index: 0 } } },
        { kind: "type", space: "type", index: 2, type: { kind: "own", resource: 0 } },
        { kind: "type", space: "type", index: 3, type: { kind: "func", async: false, params: [{ label: "x", type: 2 }], result: 1 } },
        { kind: "type", space: "type", index: 4, type: { kind: "instance", decls: [{ kind: "export", space: "func", index: 0, desc: { sort: "func", type: 0 } }] } },
        {
          kind: "import",
          space: "instance",
          index: 0,
          name: { name: "wasi:io/poll@0.2.4", unversioned: "wasi:io/poll", version: "0.2.4", isInterface: true },
          desc: { sort: "instance", type: 4 },
        },
        { kind: "export", space: "func", index: 0, name: { name: "q" }, desc: { sort: "func", type: 3 } },
      ],
    });
    expect(instance).toMatchObject({
      kind: "instance",
      decls: [
        { kind: "export", space: "type", index: 0, desc: { sort: "type", bound: { kind: "eq", type: 0 } } },
        {
          kind: "core type",
          space: "core type",
          index: 0,
          type: {
            kind: "module",
            decls: [
              { kind: "type", space: "core type", index: 0, type: { kind: "func", shared: false, params: [], results: [] } },
              { kind: "import", space: "core func", index: 0, module: "a", name: "b", desc: { kind: "func", type: 0 } },
              { kind: "export", space: null, name: "m", desc: { kind: "memory", limits: { min: 1n, max: 2n, shared: false, is64: false } } },
              { kind: "alias", space: "core type", index: 1, sort: "type", target: { kind: "outer", count: 1, index: 0 } },
            ],
          },
        },
        { kind: "export", space: "type", index: 1, desc: { sort: "type", bound: { kind: "sub resource" } } },
      ],
    });
  });
});

describe("sections and index spaces", () => {
  it("records, for each definition in order, the index space it appends to", async () => {
    const ast = await wat(`(component
      (type $it (instance (export "f" (func))))
      (import "wasi:cli/stdout@0.3.0" (instance $io (type $it)))
      (core module $m (func (export "run")))
      (core instance $ci (instantiate $m))
      (core instance (export "run2" (func $ci "run")))
      (alias export $io "f" (func $f))
      (core func $lowered (canon lower (func $f)))
      (component $inner
        (import "x" (func))
        (core module))
      (instance $inst (instantiate $inner (with "x" (func $f))))
      (instance (export "f" (func $f)))
      (export "wasi:cli/run@0.3.0" (instance $inst))
      (export "g" (func $f) (func)))`);
    expect(ast.definitions.map((d) => [d.kind, d.space, d.index])).toEqual([
      ["type", "type", 0],
      ["import", "instance", 0],
      ["core module", "core module", 0],
      ["core instance", "core instance", 0],
      ["alias", "core func", 0],
      ["core instance", "core instance", 1],
      ["alias", "func", 0],
      ["canon", "core func", 1],
      ["component", "component", 0],
      ["instance", "instance", 1],
      ["instance", "instance", 2],
      ["export", "instance", 3],
      ["type", "type", 1],
      ["export", "func", 1],
    ]);
    expect(ast.counts).toMatchObject({ instance: 4, func: 2, "core func": 2, "core module": 1, "core instance": 2, component: 1, type: 2 });
    const defs = ast.definitions;
    expect(defs[3]).toMatchObject({ expr: { kind: "instantiate", module: 0, args: [] } });
    expect(defs[5]).toMatchObject({ expr: { kind: "exports", exports: [{ name: "run2", target: { sort: "core func", index: 0 } }] } });
    expect(defs[4]).toMatchObject({ alias: { sort: "core func", target: { kind: "core export", instance: 0, name: "run" } } });
    expect(defs[6]).toMatchObject({ alias: { sort: "func", target: { kind: "export", instance: 0, name: "f" } } });
    expect(defs[9]).toMatchObject({ expr: { kind: "instantiate", component: 0, args: [{ name: "x", target: { sort: "func", index: 0 } }] } });
    expect(defs[10]).toMatchObject({ expr: { kind: "exports", exports: [{ name: { name: "f" }, target: { sort: "func", index: 0 } }] } });
    expect(defs[11]).toMatchObject({ name: { name: "wasi:cli/run@0.3.0", version: "0.3.0" }, target: { sort: "instance", index: 1 } });
    expect(defs[13]).toMatchObject({ name: { name: "g" }, target: { sort: "func", index: 0 }, desc: { sort: "func", type: 1 } });
    const inner = defs[8];
    expect(inner?.kind === "component" && inner.component.definitions.map((d) => [d.kind, d.space, d.index])).toEqual([
      ["type", "type", 0],
      ["import", "func", 0],
      ["core module", "core module", 0],
    ]);
    const module = defs[2];
    expect(module?.kind === "core module" && [...module.bytes.subarray(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(module?.kind === "core module" && (await WebAssembly.compile(module.bytes)) instanceof WebAssembly.Module).toBe(true);
  });

  it("reads outer aliases and the component-name section", async () => {
    const ast = await wat(`(component $root
      (type $t u8)
      (component $c (alias outer $root $t (type)) (core module $cm))
      (core module $named))`);
    const c = ast.definitions[1];
    expect(c?.kind === "component" && c.component.definitions[0]).toMatchObject({ kind: "alias", alias: { sort: "type", target: { kind: "outer", count: 1, index: 0 } } });
    expect(ast.names?.component).toBe("root");
    expect(ast.names?.sorts.get("core module")?.get(0)).toBe("named");
    expect(ast.names?.sorts.get("component")?.get(0)).toBe("c");
    expect(c?.kind === "component" && c.component.names?.sorts.get("core module")?.get(0)).toBe("cm");
  });

  it("reads import names with the 0x02 `implements` option", async () => {
    const ast = await wat(`(component (import "store" (implements "wasi:keyvalue/store@0.2.0") (instance)))`);
    expect(last(ast, "import").name).toEqual({
      name: "store",
      unversioned: "store",
      isInterface: false,
      encoding: 2,
      implements: "wasi:keyvalue/store@0.2.0",
    });
  });

  it("reads value imports (🪙)", async () => {
    const ast = await wat(`(component (import "v" (value u32)))`);
    expect(last(ast, "import")).toMatchObject({ space: "value", index: 0, desc: { sort: "value", type: "u32" } });
  });
});

// ---------------------------------------------------------------------------------------------
// Byte-level components for constructs wasm-tools no longer writes.

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, items: number[][]) => {
  const body = [...leb(items.length), ...items.flat()];
  return [id, ...leb(body.length), ...body];
};
const component = (...sections: number[][]) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, ...sections.flat()]);

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decode(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error("expected a DecodeError");
}

describe("constructs outside jco's WAT", () => {
  it("decodes backpressure.set, async resource.drop and the forward builtins", () => {
    const ast = decode(component(section(8, [[0x08], [0x07, 0x00], [0x2e, 0x03], [0x2f, 0x04]])));
    expect(ast.definitions.map((d) => (d as CanonDefinition).canon)).toEqual([
      { op: "backpressure.set" },
      { op: "resource.drop", resource: 0, async: true },
      { op: "stream.forward", type: 3 },
      { op: "future.forward", type: 4 },
    ]);
  });

  it("decodes resources with an async destructor and callback", () => {
    const ast = decode(component(section(7, [[0x3e, 0x7f, 0x05, 0x01, 0x06], [0x3e, 0x7f, 0x05, 0x00]])));
    expect(ast.definitions.map((d) => (d as TypeDefinition).type)).toEqual([
      { kind: "resource", rep: "i32", dtor: 5, dtorAsync: true, dtorCallback: 6 },
      { kind: "resource", rep: "i32", dtor: 5, dtorAsync: true },
    ]);
  });

  it("decodes start and value sections (🪙) and version suffix name options", () => {
    const ast = decode(
      component(
        section(12, [[0x79, 0x01, 0x2a]]),
        [9, 4, 0x00, 0x01, 0x00, 0x02],
        section(11, [[0x02, ...str("wasi:cli/run"), 0x01, 0x01, ...str("0.3.0"), 0x02, 0x00, 0x00]]),
      ),
    );
    expect(ast.definitions).toMatchObject([
      { kind: "value", space: "value", index: 0, type: "u32", bytes: new Uint8Array([0x2a]) },
      { kind: "start", space: "value", index: 1, func: 0, args: [0], results: 2 },
      { kind: "export", space: "value", index: 3, name: { name: "wasi:cli/run", version: "0.3.0", versionSuffix: "0.3.0", encoding: 2 } },
    ]);
    expect(ast.counts.value).toBe(4);
  });

  it("names the removed `cancellable` flag with its offset", () => {
    const bytes = component(section(8, [[0x1f], [0x20, 0x01, 0x00]]));
    const err = decodeError(bytes);
    expect(err.construct).toBe("`waitable-set.wait cancellable`");
    expect(err.offset).toBe(bytes.length - 2);
    expect(err.section).toBe("canon section (8)");
    expect(err.message).toContain("cancellable");
    expect(err.message).toContain(`after core func 0 = canon waitable-set.new, at byte offset ${bytes.length - 2}`);
  });

  it.each<[string, number[], string]>([
    ["named results", [0x40, 0x00, 0x01, 0x01, ...str("a"), 0x79], "named function results"],
    ["variant refines", [0x71, 0x02, ...str("a"), 0x00, 0x00, ...str("b"), 0x00, 0x01, 0x00], "variant case `refines`"],
    ["union", [0x6c, 0x01, 0x79], "`union` type"],
    ["GC rec groups", [], ""],
  ])("names removed or unsupported type constructs: %s", (_, type, construct) => {
    if (!type.length) {
      const err = decodeError(component(section(3, [[0x4e, 0x01, 0x60, 0x00, 0x00]])));
      expect(err.construct).toBe("core recursive type group (`rec`, GC proposal)");
      expect(err.section).toBe("core type section (3)");
      return;
    }
    const err = decodeError(component(section(7, [type])));
    expect(err.construct).toBe(construct);
  });

  it("names the nested component path in errors", () => {
    const inner = component(section(8, [[0x99]]));
    const err = decodeError(component(section(7, [[0x79]]), [0x04, ...leb(inner.length), ...inner]));
    expect(err.path).toEqual([`component 0 (at offset 14)`]);
    // The nested component has no definitions before the failure, so none is named (not the outer one's).
    expect(err.message).toMatch(/unknown canon opcode 0x99 \(in canon section \(8\) of nested component 0 \(at offset 14\), at byte offset 25/);
    expect(err.after).toBeUndefined();
  });
});

describe("not a component", () => {
  it.each<[string, Uint8Array, RegExp]>([
    ["empty input", new Uint8Array(), /not a WebAssembly binary/],
    ["text", new TextEncoder().encode("hello, world"), /not a WebAssembly binary/],
    ["a core module", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), /core WebAssembly module, not a component/],
    ["an old component version", new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0a, 0, 1, 0]), /component binary version 0x0a is not supported/],
    ["an unknown layer", new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 2, 0]), /unknown WebAssembly layer 2/],
    ["an unknown section", component([0x0d, 0x00]), /unknown section id 13 \(in section header, at byte offset 8/],
    ["a section past the end", component([0x07, 0x05, 0x01]), /type section \(7\) of 5 bytes runs past the end/],
    ["trailing bytes in a section", component([0x07, 0x03, 0x01, 0x79, 0x79]), /type section \(7\) has 1 unread bytes/],
    ["a huge vector count", component([0x07, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f]), /types count 4294967295 exceeds/],
    ["an overlong LEB", component([0x07, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), /types count does not fit in 32 bits/],
    ["invalid UTF-8 in a name", component(section(10, [[0x00, 0x01, 0xff, 0x01, 0x00]])), /import name is not valid UTF-8/],
    ["a bad core module", component([0x01, 0x04, 0x00, 0x61, 0x73, 0x6d]), /does not hold a core WebAssembly module/],
  ])("%s", (_, bytes, message) => {
    expect(decodeError(bytes).message).toMatch(message);
  });

  it("never fails on a broken name section", () => {
    const ast = decode(component([0x00, ...leb(16), ...str("component-name"), 0x01]));
    expect(ast.names).toBeUndefined();
    expect(ast.customSectionWarnings[0]).toMatch(/ignored component-name section/);
    expect(ast.customSections[0]?.name).toBe("component-name");
  });
});
