// Each canon builtin, type constructor and section, written in component WAT, encoded by jco's
// wasm-tools and decoded here; constructs wasm-tools no longer writes are built byte by byte.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import type { CanonDefinition, ComponentAst, Definition, TypeDefinition } from "./ast";
import { CANON_CASES, COMPONENT_TYPES, IMPLEMENTS, INLINE_TYPES, OUTER_ALIASES, PRELUDE, PRIMITIVES, SECTIONS, TYPE_CASES, VALUE_IMPORT } from "./constructs.fixture";
import { DecodeError, decode } from "./decode";
import { encode } from "./encode";

async function wat(text: string): Promise<ComponentAst> {
  return decode(await parse(text));
}

function last<K extends Definition["kind"]>(ast: ComponentAst, kind: K): Extract<Definition, { kind: K }> {
  const defs = ast.definitions.filter((d) => d.kind === kind);
  expect(defs.length).toBeGreaterThan(0);
  return defs[defs.length - 1] as Extract<Definition, { kind: K }>;
}

async function canon(item: string): Promise<CanonDefinition> {
  const ast = await wat(`(component ${PRELUDE} ${item})`);
  return last(ast, "canon");
}

describe("canon builtins", () => {
  it.each(CANON_CASES)("%s", async (item, expected) => {
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
  it.each(PRIMITIVES)("primitive %s", async (p) => {
    expect(await type(p)).toEqual({ kind: "primitive", type: p });
    expect(await type(`(list ${p})`)).toEqual({ kind: "list", element: p });
  });
  it.each(TYPE_CASES)("%s", async (text, expected) => {
    expect(await type(text)).toEqual(expected);
  });

  it("decodes inline element types as definitions of their own, referred to by index", async () => {
    const ast = await wat(INLINE_TYPES);
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
    const ast = await wat(COMPONENT_TYPES);
    const [, component, instance] = ast.definitions.filter((d): d is TypeDefinition => d.kind === "type").map((d) => d.type);
    expect(component).toMatchObject({
      kind: "component",
      decls: [
        { kind: "import", space: "type", index: 0, name: { name: "r", isInterface: false }, desc: { sort: "type", bound: { kind: "sub resource" } } },
        { kind: "alias", space: "type", index: 1, alias: { sort: "type", target: { kind: "outer", count: 1, index: 0 } } },
        { kind: "type", space: "type", index: 2, type: { kind: "own", resource: 0 } },
        { kind: "type", space: "type", index: 3, type: { kind: "func", async: false, params: [{ label: "x", type: 2 }], result: 1 } },
        {
          kind: "type",
          space: "type",
          index: 4,
          type: {
            kind: "instance",
            decls: [
              { kind: "type", space: "type", index: 0, type: { kind: "func", async: false, params: [] } },
              { kind: "export", space: "func", index: 0, desc: { sort: "func", type: 0 } },
            ],
          },
        },
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
        { kind: "type", space: "type", index: 0, type: { kind: "primitive", type: "u8" } },
        { kind: "export", space: "type", index: 1, desc: { sort: "type", bound: { kind: "eq", type: 0 } } },
        { kind: "core type", space: "core type", index: 0, type: { kind: "func", shared: false, params: [], results: [] } },
        {
          kind: "core type",
          space: "core type",
          index: 1,
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
        { kind: "export", space: "type", index: 2, desc: { sort: "type", bound: { kind: "sub resource" } } },
      ],
    });
  });
});

describe("sections and index spaces", () => {
  it("records, for each definition in order, the index space it appends to", async () => {
    const ast = await wat(SECTIONS);
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
    const ast = await wat(OUTER_ALIASES);
    const c = ast.definitions[1];
    expect(c?.kind === "component" && c.component.definitions[0]).toMatchObject({ kind: "alias", alias: { sort: "type", target: { kind: "outer", count: 1, index: 0 } } });
    expect(ast.names?.component).toBe("root");
    expect(ast.names?.sorts.get("core module")?.get(0)).toBe("named");
    expect(ast.names?.sorts.get("component")?.get(0)).toBe("c");
    expect(c?.kind === "component" && c.component.names?.sorts.get("core module")?.get(0)).toBe("cm");
  });

  it("reads import names with the 0x02 `implements` option", async () => {
    const ast = await wat(IMPLEMENTS);
    expect(last(ast, "import").name).toEqual({
      name: "store",
      unversioned: "store",
      isInterface: false,
      encoding: 2,
      implements: "wasi:keyvalue/store@0.2.0",
    });
  });

  it("reads value imports (🪙)", async () => {
    const ast = await wat(VALUE_IMPORT);
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

  it("reads the `cancellable` flag, and refuses other values of it with their offset", () => {
    const ast = decode(component(section(8, [[0x1f], [0x20, 0x01, 0x00], [0x21, 0x00, 0x00], [0x0c, 0x01], [0x2d, 0x00]])));
    expect(ast.definitions.map((d) => (d.kind === "canon" ? d.canon : null))).toEqual([
      { op: "waitable-set.new" },
      { op: "waitable-set.wait", cancellable: true, memory: 0 },
      { op: "waitable-set.poll", cancellable: false, memory: 0 },
      { op: "thread.yield", cancellable: true },
      { op: "thread.yield-then-promote", cancellable: false },
    ]);
    const bytes = component(section(8, [[0x1f], [0x20, 0x02, 0x00]]));
    const err = decodeError(bytes);
    expect(err.offset).toBe(bytes.length - 2);
    expect(err.message).toContain("invalid cancellable flag 0x02 for waitable-set.wait");
    expect(err.message).toContain(`after core func 0 = canon waitable-set.new, at byte offset ${bytes.length - 2}`);
  });

  it("reads the `external-id` name option", () => {
    const ast = decode(component(section(7, [[0x42, 0x00]]), section(10, [[0x02, ...str("i"), 0x02, 0x00, ...str("a:b/c"), 0x02, ...str("id"), 0x05, 0x00]])));
    expect(ast.definitions[1]).toMatchObject({ kind: "import", name: { name: "i", encoding: 2, implements: "a:b/c", externalId: "id" } });
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

  it("reads GC `sub` core function types (0x00 0x50 non-final, 0x4f final) and writes them back", () => {
    const bytes = component(section(3, [[0x60, 0x00, 0x00], [0x00, 0x50, 0x00, 0x60, 0x00, 0x00], [0x4f, 0x01, 0x01, 0x60, 0x01, 0x7f, 0x00]]));
    const ast = decode(bytes);
    expect(ast.definitions.map((d) => (d.kind === "core type" ? d.type : null))).toEqual([
      { kind: "func", shared: false, params: [], results: [] },
      { kind: "func", shared: false, params: [], results: [], sub: { final: false, supertypes: [] } },
      { kind: "func", shared: false, params: ["i32"], results: [], sub: { final: true, supertypes: [1] } },
    ]);
    expect([...encode(ast)]).toEqual([...bytes]);
    expect(decodeError(component(section(3, [[0x00, 0x50, 0x00, 0x5f, 0x00]]))).construct).toBe("core subtype of composite type 0x5f (GC struct or array)");
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
