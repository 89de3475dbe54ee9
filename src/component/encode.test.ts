// The encoder against the decoder and jco's wasm-tools: every real component we run encodes back
// to its own bytes, and to a different layout that decodes to the same AST and the same WIT; every
// construct of decode.test.ts round-trips; inconsistent ASTs are refused by name.
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComponentAst, Definition, SectionHeader } from "./ast";
import { SECTION_IDS } from "./binary";
import { ComponentBuilder } from "./builder";
import { plainAst } from "./compare.fixture";
import { CANON_CASES, COMPONENT_TYPES, IMPLEMENTS, INLINE_TYPES, OUTER_ALIASES, PRELUDE, PRIMITIVES, SECTIONS, TYPE_CASES, VALUE_IMPORT } from "./constructs.fixture";
import { decode } from "./decode";
import { EncodeError, encode } from "./encode";
import { externName } from "./extern-name";

const root = fileURLToPath(new URL("../../", import.meta.url));
const conformance = join(root, "..", "shared", "conformance");
const examples = join(root, "public", "components");
function wasmFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => join(dir, f))
    .sort();
}

/** What wasm-tools makes of a binary: its WIT, or its validation error without the byte offset. */
async function verdict(bytes: Uint8Array): Promise<string> {
  try {
    return await componentWit(bytes);
  } catch (err) {
    return `invalid: ${String(err).replace(/\(at offset 0x[0-9a-f]+\)/g, "")}`;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** The AST with no layout of its own, nested components included: the encoder then picks one. */
function withoutLayout(ast: ComponentAst): ComponentAst {
  const definitions = ast.definitions.map((d): Definition => (d.kind === "component" ? { ...d, component: withoutLayout(d.component) } : d));
  return { ...ast, definitions, sections: [] };
}

/**
 * The AST laid out with custom sections first and one section per definition: a valid binary
 * unlike any a toolchain writes. Offsets only need to say which section holds what.
 */
function onePerSection(ast: ComponentAst): ComponentAst {
  let at = ast.offset;
  const sections: SectionHeader[] = [];
  const section = (id: number) => {
    sections.push({ id, offset: (at += 2), size: 1 });
    return at + 1;
  };
  const customSections = ast.customSections.map((c) => ({ ...c, offset: section(0) }));
  const definitions = ast.definitions.map((d): Definition => {
    const offset = section(SECTION_IDS[d.kind]);
    return d.kind === "component" ? { ...d, offset, component: onePerSection(d.component) } : { ...d, offset };
  });
  return { ...ast, definitions, customSections, sections, size: at + 2 - ast.offset };
}

function replaceDef(ast: ComponentAst, i: number, change: (d: Definition) => unknown): ComponentAst {
  const definitions = ast.definitions.map((d, j) => (j === i ? (change(d) as Definition) : d));
  return { ...ast, definitions };
}

function encodeError(ast: ComponentAst): EncodeError {
  try {
    encode(ast);
  } catch (err) {
    expect(err).toBeInstanceOf(EncodeError);
    return err as EncodeError;
  }
  throw new Error("expected an EncodeError");
}

describe("real components", () => {
  beforeAll(() => {
    // Cached by content hash: a no-op when public/components is current.
    execFileSync(process.execPath, [join(root, "scripts", "build-examples.mjs")], { cwd: root, stdio: "pipe" });
  }, 300_000);

  const files = () => [...wasmFiles(conformance), ...wasmFiles(examples)];

  it("encode(decode(bytes)) gives back the same bytes, for every conformance and example component", () => {
    const differ: string[] = [];
    const differCompact: string[] = [];
    for (const file of files()) {
      const bytes = new Uint8Array(readFileSync(file));
      const ast = decode(bytes);
      const out = encode(ast);
      if (!sameBytes(out, bytes)) differ.push(relative(root, file));
      expect(plainAst(decode(out), true), relative(root, file)).toEqual(plainAst(ast, true));
      // The layout the encoder picks for built ASTs is the one wasm-tools writes.
      if (!sameBytes(encode(withoutLayout(ast)), bytes)) differCompact.push(relative(root, file));
    }
    expect(files().length).toBeGreaterThanOrEqual(90);
    expect(differ).toEqual([]);
    expect(differCompact).toEqual([]);
  }, 120_000);

  it("laid out differently, each decodes to the same AST and wasm-tools reads the same WIT from it", async () => {
    for (const file of files()) {
      const bytes = new Uint8Array(readFileSync(file));
      const ast = decode(bytes);
      const out = encode(onePerSection(ast));
      expect(sameBytes(out, bytes), relative(root, file)).toBe(false);
      const again = decode(out);
      expect(plainAst(again, false), relative(root, file)).toEqual(plainAst(ast, false));
      expect(again.sections.length).toBe(ast.definitions.length + ast.customSections.length);
      expect(await verdict(out), relative(root, file)).toBe(await verdict(bytes));
    }
  }, 240_000);
});

describe("constructs from component WAT (as in decode.test.ts)", () => {
  const canons = CANON_CASES.map(([text, canon]): [string, string, unknown] => [`canon ${canon.op}: ${text}`, `(component ${PRELUDE} ${text})`, canon]);
  const types = [...PRIMITIVES.map((p) => [p, { kind: "primitive", type: p }] as const), ...TYPE_CASES].map(([text, type]): [string, string, unknown] => [
    `type ${text}`,
    `(component (type $r (resource (rep i32))) (type ${text}))`,
    type,
  ]);
  const components: [string, string, unknown][] = Object.entries({ INLINE_TYPES, COMPONENT_TYPES, SECTIONS, OUTER_ALIASES, IMPLEMENTS, VALUE_IMPORT }).map(([name, text]) => [name, text, undefined]);

  it.each([...canons, ...types, ...components])("%s", async (_, text, expected) => {
    const bytes = await parse(text);
    const ast = decode(bytes);
    const out = encode(ast);
    const again = decode(out);
    expect(plainAst(again, false)).toEqual(plainAst(ast, false));
    const last = again.definitions[again.definitions.length - 1];
    if (expected !== undefined) expect(last?.kind === "canon" ? last.canon : last?.kind === "type" ? last.type : undefined).toEqual(expected);
    // The same WIT, or the same validation error for the few that wasm-tools' validator rejects.
    expect(await verdict(out)).toBe(await verdict(bytes));
  });

  it("writes canonical options in wasm-tools' order, so a lift reads back byte for byte", async () => {
    const bytes = await parse(`(component ${PRELUDE} (func (type $lifted) (canon lift (core func $f) (memory $mem) (realloc $realloc) string-encoding=utf16 async (callback $cb))))`);
    expect(sameBytes(encode(decode(bytes)), bytes)).toBe(true);
  });
});

describe("constructs outside jco's WAT", () => {
  it("round-trip: backpressure.set, async resource.drop, forwards, async destructors, start and values, version suffixes", () => {
    const b = new ComponentBuilder();
    const cm = b.coreModule(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const ci = b.coreInstantiate(cm);
    const dtor = b.coreAlias(ci, "dtor", "func");
    const callback = b.coreAlias(ci, "cb", "func");
    const r = b.type({ kind: "resource", rep: "i32", dtor: dtor.index, dtorAsync: true, dtorCallback: callback.index });
    b.type({ kind: "resource", rep: "i32", dtor: dtor.index, dtorAsync: true });
    const s = b.type({ kind: "stream", element: "u8" });
    const f = b.type({ kind: "future" });
    b.canon({ op: "backpressure.set" });
    b.canon({ op: "resource.drop", resource: r.index, async: true });
    b.canon({ op: "stream.forward", type: s.index });
    b.canon({ op: "future.forward", type: f.index });
    const ft = b.type({ kind: "func", async: false, params: [{ label: "v", type: "u32" }], result: "u32" });
    const fn = b.import("f", { sort: "func", type: ft.index });
    const v = b.value("u32", new Uint8Array([0x2a]));
    const [result] = b.start(fn, [v], 1);
    b.export(externName("wasi:cli/run", { versionSuffix: "0.3.0" }), result!);
    b.export(externName("store", { implements: "wasi:keyvalue/store@0.2.0", versionSuffix: "0.2.0" }), r);
    const ast = b.toAst();
    const out = encode(ast);
    expect(plainAst(decode(out), false)).toEqual(plainAst(ast, false));
    expect(sameBytes(encode(decode(out)), out)).toBe(true);
  });

  it("keeps empty sections and custom sections between others in place", () => {
    const leb = (n: number) => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
    const name = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
    const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
    const bytes = new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00],
      ...section(7, [0x01, 0x79]),
      ...section(0, [...name("note"), 1, 2, 3]),
      ...section(7, [0x01, 0x73]),
      ...section(6, [0x00]),
      ...section(7, [0x00]),
      ...section(0, [...name("producers"), 0x00]),
    ]);
    const ast = decode(bytes);
    expect(ast.sections.map((s) => s.id)).toEqual([7, 0, 7, 6, 7, 0]);
    expect(sameBytes(encode(ast), bytes)).toBe(true);
    // Without that layout: one type section, custom sections last.
    const compact = decode(encode(withoutLayout(ast)));
    expect(compact.sections.map((s) => s.id)).toEqual([7, 0, 0]);
    expect(plainAst(compact, false)).toEqual(plainAst(ast, false));
  });

  it("falls back to its own layout when definitions were added after decoding", async () => {
    const ast = decode(await parse(SECTIONS));
    const extra: Definition = { kind: "type", offset: 0, space: "type", index: 2, type: { kind: "primitive", type: "u8" } };
    const edited = { ...ast, definitions: [...ast.definitions, extra], counts: { ...ast.counts, type: 3 } };
    const again = decode(encode(edited));
    expect(plainAst(again, false)).toEqual(plainAst(edited, false));
  });
});

describe("inconsistent ASTs are refused, naming the construct and why", () => {
  // SECTIONS: types 0 (instance type) and 1 (the export's func type); funcs 0 (alias) and 1 (export g).
  const sections = async () => decode(await parse(SECTIONS));

  it("an index past the end of its index space", async () => {
    const ast = await sections();
    const at = ast.definitions.findIndex((d) => d.kind === "export" && d.name.name === "g");
    const err = encodeError(replaceDef(ast, at, (d) => ({ ...d, target: { sort: "func", index: 7 } })));
    expect(err.message).toBe(`exported item is func 7, past the end of the func index space (1 entry here) (in definition ${at} (func 1 = export "g" func 7 as func (type 1)))`);
  });

  it("inside a nested component, with the path to it", async () => {
    const ast = await sections();
    const at = ast.definitions.findIndex((d) => d.kind === "component");
    const err = encodeError(
      replaceDef(ast, at, (d) => {
        const c = (d as Extract<Definition, { kind: "component" }>).component;
        return { ...d, component: replaceDef(c, 1, (i) => ({ ...i, desc: { sort: "func", type: 3 } })) };
      }),
    );
    expect(err.where).toEqual([`definition ${at} (nested component 0)`, `definition 1 (func 0 = import "x" func (type 3))`]);
    expect(err.reason).toBe("func type is type 3, past the end of the type index space (1 entry here)");
  });

  it("a definition that says it lands elsewhere, and counts that do not add up", async () => {
    const ast = await sections();
    expect(encodeError(replaceDef(ast, 0, (d) => ({ ...d, index: 5 }))).reason).toBe("it says that it is type 5, but it is type 0");
    expect(encodeError(replaceDef(ast, 0, (d) => ({ ...d, space: "func" }))).reason).toBe("it says that it is func 0, but it is type 0");
    expect(encodeError({ ...ast, counts: { ...ast.counts, func: 3 } }).reason).toBe("counts.func is 3, but the definitions add 2");
  });

  it("names whose parsed parts disagree with them, and name options without the 0x02 form", async () => {
    const ast = await sections();
    const at = ast.definitions.findIndex((d) => d.kind === "import");
    const bad = encodeError(replaceDef(ast, at, (d) => ({ ...d, name: { ...(d as { name: object }).name, version: "0.2.0" } })));
    expect(bad.reason).toMatch(/^import name "wasi:cli\/stdout@0.3.0" says unversioned "wasi:cli\/stdout", version 0.2.0, .* but its name gives "wasi:cli\/stdout", 0.3.0, true \(build names with externName\(\)\)$/);
    const options = encodeError(replaceDef(ast, at, (d) => ({ ...d, name: { ...externName("x"), implements: "a:b/c" } })));
    expect(options.reason).toBe('import name "x" has name options (implements, versionsuffix, external-id), which only the 0x02 encoding carries');
  });

  it.each<[string, (b: ComponentBuilder) => void, string | RegExp]>([
    ["a resource inside an instance type", (b) => b.type({ kind: "instance", decls: [{ kind: "type", offset: 0, space: "type", index: 0, type: { kind: "resource", rep: "i32", dtorAsync: false } }] }), /^resource types may only be defined in a component/],
    ["an outer alias past the outermost scope", (b) => b.outerAlias(1, "type", 0), "outer alias count 1 reaches past the outermost scope"],
    ["canonical options without async/gc", (b) => b.canon({ op: "error-context.new", options: {} as never }), "canonical options need `async` and `gc` as booleans"],
    ["core module bytes that are not a module", (b) => b.coreModule(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00])), "core module bytes are not a core WebAssembly module (\\0asm version 1)"],
    ["an option order that does not list the options present", (b) => b.canon({ op: "error-context.new", options: { async: false, gc: true, order: ["async"] } }), "canonical option order [async] does not list exactly the options present [gc]"],
    ["an unknown builtin", (b) => b.canon({ op: "task.wait" } as never), 'unknown canon builtin "task.wait"'],
    ["a fixed list length that is not a u32", (b) => b.type({ kind: "list", element: "u8", length: -1 }), "fixed list length -1 is not a u32"],
    ["a core alias with a component sort", (b) => b.add({ kind: "alias", alias: { sort: "func", target: { kind: "core export", instance: 0, name: "f" } } }), "an alias of a core instance's export must have a core sort, not func"],
    ["an async destructor without its func", (b) => b.type({ kind: "resource", rep: "i32", dtorAsync: true }), "an async resource destructor (dtorAsync) needs its dtor core func"],
    ["a memory limit past 32 bits", (b) => b.coreType({ kind: "module", decls: [{ kind: "import", offset: 0, space: "core memory", index: 0, module: "m", name: "mem", desc: { kind: "memory", limits: { min: 1n << 33n, shared: false, is64: false } } }] }), "memory minimum 8589934592 does not fit in 32 bits (is64 is false)"],
    ["a vector that is not an array", (b) => b.type({ kind: "record" } as never), "record fields is not an array"],
    ["a malformed definition", (b) => b.add({ kind: "type", type: null } as never), /^malformed AST: /],
  ])("%s", (_, build, message) => {
    const b = new ComponentBuilder();
    build(b);
    const err = encodeError(b.toAst());
    if (typeof message === "string") expect(err.reason).toBe(message);
    else expect(err.reason).toMatch(message);
    expect(err.where[0]).toMatch(/^definition 0 \(/);
  });
});
