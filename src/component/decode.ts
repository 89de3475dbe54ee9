/**
 * Decoder for the component binary format (component-model `design/mvp/Binary.md`, version 0x0d,
 * with the async 🔀, error-context 📝 and thread 🧵 builtins of `CanonicalABI.md`), producing the
 * AST of `./ast.ts`. Indices are kept as encoded; each definition records the index space it
 * appends to. Core modules are not parsed: their bytes are handed on as a view.
 *
 * Encodings not written down in Binary.md follow what wasm-tools (as shipped in jco) writes and
 * reads: `map` (0x63), `value` extern descs, the `gc`/`core-type` canon options, name option 0x02.
 */
import { CANON_OPTION_ORDER, type CanonOptionName } from "./ast";
import type {
  Alias,
  Canon,
  CanonOptions,
  ComponentAst,
  ComponentDecl,
  ComponentNames,
  CoreDefType,
  CoreHeapType,
  CoreImportDesc,
  CoreInstanceExpr,
  CoreLimits,
  CoreSort,
  CoreValType,
  CustomSection,
  DefType,
  DefValType,
  Definition,
  ExternDesc,
  ExternName,
  IndexSpace,
  InstanceDecl,
  InstanceExpr,
  LabelValType,
  ModuleDecl,
  Producers,
  SectionHeader,
  SortIdx,
  ValType,
} from "./ast";
import { INDEX_SPACES } from "./ast";
import {
  CANON_OPCODES,
  COMPONENT_LAYER,
  COMPONENT_VERSION,
  CORE_NUM_TYPES,
  CORE_SORTS,
  HEAP_TYPES,
  MAGIC,
  PRIM_VAL_TYPES,
  CANCELLABLE_OPS,
  RESOURCE_DROP_ASYNC,
  SECTION_NAMES,
  SORTS,
  STRING_ENCODINGS,
  invert,
} from "./binary";
import { describeDefinition } from "./describe";
import { externName, nestedNameError } from "./extern-name";
import { DecodeError, Reader, hex } from "./reader";

export { DecodeError } from "./reader";
export { COMPONENT_VERSION } from "./binary";

/**
 * Decodes a component binary. Throws {@link DecodeError} for anything that is not a well-formed
 * component this decoder reads (including core modules and non-wasm input), never another error.
 */
export function decode(bytes: Uint8Array): ComponentAst {
  // Views into the input become core module bytes for WebAssembly.compile, which wants an
  // ArrayBuffer; copy only in the unusual case of shared memory.
  const r = new Reader(bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));
  try {
    return readComponent(r, true);
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    // Anything else is a decoder bug, but the caller still gets a decode failure with a location.
    throw new DecodeError(`internal decoder error: ${err instanceof Error ? err.message : String(err)}`, r.pos, r.section, [...r.path]);
  }
}

/** Index counters of one scope. */
class Scope {
  private readonly counts = new Map<IndexSpace, number>();
  add(space: IndexSpace): number {
    const n = this.counts.get(space) ?? 0;
    this.counts.set(space, n + 1);
    return n;
  }
  addMany(space: IndexSpace, count: number): number {
    const n = this.counts.get(space) ?? 0;
    this.counts.set(space, n + count);
    return n;
  }
  snapshot(): Record<IndexSpace, number> {
    const out = {} as Record<IndexSpace, number>;
    for (const s of INDEX_SPACES) out[s] = this.counts.get(s) ?? 0;
    return out;
  }
}

function readPreamble(r: Reader, root: boolean): number {
  const start = r.pos;
  if (r.remaining < 8 || MAGIC.some((m, i) => r.bytes[start + i] !== m)) {
    if (root) r.fail("not a WebAssembly binary: it does not start with the \\0asm magic bytes", start);
    r.fail("nested component does not start with the \\0asm magic bytes", start);
  }
  const version = r.bytes[start + 4]! | (r.bytes[start + 5]! << 8);
  const layer = r.bytes[start + 6]! | (r.bytes[start + 7]! << 8);
  if (layer === 0) {
    r.fail(
      root
        ? "this is a core WebAssembly module, not a component (wrap it with `wasm-tools component new`)"
        : "nested component is a core module (layer 0)",
      start + 6,
    );
  }
  if (layer !== COMPONENT_LAYER) r.fail(`unknown WebAssembly layer ${layer} (components have layer 1)`, start + 6);
  if (version !== COMPONENT_VERSION) {
    r.unsupported(
      `component binary version 0x${hex(version)}`,
      start + 4,
      `is not supported (this decoder reads version 0x${hex(COMPONENT_VERSION)}; rebuild the component with a current toolchain)`,
    );
  }
  r.pos = start + 8;
  return version;
}

function readComponent(r: Reader, root: boolean): ComponentAst {
  const offset = r.pos;
  const outerSection = r.section;
  r.section = "preamble";
  const version = readPreamble(r, root);
  const scope = new Scope();
  const definitions: Definition[] = [];
  const sections: SectionHeader[] = [];
  const customSections: CustomSection[] = [];
  const warnings: string[] = [];
  let names: ComponentNames | undefined;
  let producers: Producers | undefined;

  const depth = r.path.length;
  const place = (start: number, space: IndexSpace | null) => ({ offset: start, space, index: space ? scope.add(space) : -1 });
  /** A section holding `vec(item)`: each item read at its start offset, appended in order. */
  const each = (what: string, item: (start: number) => Definition) => r.vec(what, () => definitions.push(item(r.pos)));

  try {
    readSections();
  } catch (err) {
    // Say which definition decoded last, unless a nested component already did.
    const lastDef = definitions[definitions.length - 1];
    if (err instanceof DecodeError && err.after === undefined && err.path.length === depth && lastDef) throw err.withAfter(describeDefinition(lastDef));
    throw err;
  }
  r.section = outerSection;
  return {
    version,
    offset,
    size: r.pos - offset,
    definitions,
    counts: scope.snapshot(),
    sections,
    customSections,
    ...(names ? { names } : {}),
    ...(producers ? { producers } : {}),
    customSectionWarnings: warnings,
  };

  function readSections(): void {
    while (!r.atEnd()) {
      const sectionStart = r.pos;
      r.section = "section header";
      const id = r.u8("section id");
      const size = r.u32("section size");
      const sectionName = SECTION_NAMES[id];
      if (sectionName === undefined) r.fail(`unknown section id ${id}`, sectionStart);
      r.section = sectionName;
      sections.push({ id, offset: sectionStart, size });
      r.region(size, sectionName, () => {
        switch (id) {
          case 0: {
            const nameAt = r.pos;
            const name = r.name("custom section name");
            const custom = { name, offset: nameAt, bytes: r.bytes.subarray(r.pos, r.end) };
            r.pos = r.end;
            customSections.push(custom);
            if (name === "component-name") {
              const res = readNames(custom.bytes);
              if (typeof res === "string") warnings.push(`ignored component-name section at offset ${nameAt}: ${res}`);
              else names = res;
            } else if (name === "producers") {
              const res = readProducers(custom.bytes);
              if (typeof res === "string") warnings.push(`ignored producers section at offset ${nameAt}: ${res}`);
              else producers = res;
            }
            break;
          }
          case 1: {
            const start = r.pos;
            const bytes = r.bytes.subarray(start, r.end);
            if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m) || bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
              r.fail("core module section does not hold a core WebAssembly module (expected \\0asm version 1)", start);
            }
            r.pos = r.end;
            definitions.push({ kind: "core module", ...place(start, "core module"), bytes });
            break;
          }
          case 2:
            each("core instances", (start) => {
              const expr = readCoreInstanceExpr(r);
              return { kind: "core instance", ...place(start, "core instance"), expr };
            });
            break;
          case 3:
            each("core types", (start) => {
              const type = readCoreType(r);
              return { kind: "core type", ...place(start, "core type"), type };
            });
            break;
          case 4: {
            const start = r.pos;
            const index = scope.add("component");
            r.path.push(`component ${index} (at offset ${start})`);
            const component = readComponent(r, false);
            r.path.pop();
            r.section = sectionName;
            definitions.push({ kind: "component", offset: start, space: "component", index, component });
            break;
          }
          case 5:
            each("instances", (start) => {
              const expr = readInstanceExpr(r);
              return { kind: "instance", ...place(start, "instance"), expr };
            });
            break;
          case 6:
            each("aliases", (start) => {
              const alias = readAlias(r);
              return { kind: "alias", ...place(start, alias.sort), alias };
            });
            break;
          case 7:
            each("types", (start) => {
              const type = readDefType(r, true);
              return { kind: "type", ...place(start, "type"), type };
            });
            break;
          case 8:
            each("canons", (start) => {
              const canon = readCanon(r);
              return { kind: "canon", ...place(start, canon.op === "lift" ? "func" : "core func"), canon };
            });
            break;
          case 9: {
            const start = r.pos;
            const func = r.u32("start function index");
            const args = r.vec("start arguments", () => r.u32("value index"));
            const results = r.u32("start result count");
            const index = results > 0 ? scope.addMany("value", results) : -1;
            definitions.push({ kind: "start", offset: start, space: results > 0 ? "value" : null, index, func, args, results });
            break;
          }
          case 10:
            each("imports", (start) => {
              const name = readExternName(r, "import name");
              const desc = readExternDesc(r);
              return { kind: "import", ...place(start, desc.sort), name, desc };
            });
            break;
          case 11:
            each("exports", (start) => {
              const name = readExternName(r, "export name");
              const target = readSortIdx(r);
              const desc = r.optional("export type ascription", () => readExternDesc(r));
              return { kind: "export", ...place(start, target.sort), name, target, ...(desc ? { desc } : {}) };
            });
            break;
          case 12:
            each("values", (start) => {
              const type = readValType(r);
              const len = r.u32("value length");
              const bytes = r.region(len, "value", () => {
                const b = r.bytes.subarray(r.pos, r.end);
                r.pos = r.end;
                return b;
              });
              return { kind: "value", ...place(start, "value"), type, bytes };
            });
            break;
        }
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sorts, names, extern descs

const CORE_SORT_BY_BYTE = invert(CORE_SORTS);
const SORT_BY_BYTE = invert(SORTS);

function readCoreSort(r: Reader): CoreSort {
  const at = r.pos;
  const b = r.u8("core sort");
  const sort = CORE_SORT_BY_BYTE[b];
  if (sort === undefined) r.fail(`unknown core sort 0x${hex(b)}`, at);
  return sort;
}

/** `sort`: the index space a sortidx, alias or export refers to. */
function readSort(r: Reader): IndexSpace {
  const at = r.pos;
  const b = r.u8("sort");
  if (b === 0x00) return `core ${readCoreSort(r)}`;
  const sort = SORT_BY_BYTE[b];
  if (sort === undefined) r.fail(`unknown sort 0x${hex(b)}`, at);
  return sort;
}

function readSortIdx(r: Reader): SortIdx {
  const sort = readSort(r);
  return { sort, index: r.u32("index") };
}

function readCoreSortIdx(r: Reader): SortIdx {
  const sort = readCoreSort(r);
  return { sort: `core ${sort}`, index: r.u32("index") };
}

/** `importname'` / `exportname'`. */
function readExternName(r: Reader, what: string): ExternName {
  const at = r.pos;
  const encoding = r.u8(`${what} discriminator`);
  if (encoding > 2) r.fail(`unknown ${what} discriminator 0x${hex(encoding)} (expected 0x00, 0x01 or 0x02)`, at);
  const name = r.name(what);
  const nested = nestedNameError(name);
  if (nested) r.fail(`${what} ${nested}`, at);
  if (encoding !== 2) return externName(name, { encoding: encoding as 0 | 1 });
  let implementsName: string | undefined;
  let versionSuffix: string | undefined;
  let externalId: string | undefined;
  r.vec(`${what} options`, () => {
    const optAt = r.pos;
    const opt = r.u8(`${what} option`);
    if (opt === 0x00) implementsName = r.name("implements name");
    else if (opt === 0x01) versionSuffix = r.name("version suffix");
    else if (opt === 0x02) externalId = r.name("external id");
    else r.fail(`unknown ${what} option 0x${hex(opt)}`, optAt);
  });
  return externName(name, {
    encoding: 2,
    ...(implementsName !== undefined ? { implements: implementsName } : {}),
    ...(versionSuffix !== undefined ? { versionSuffix } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
  });
}

function readExternDesc(r: Reader): ExternDesc {
  const at = r.pos;
  const b = r.u8("extern desc");
  switch (b) {
    case 0x00: {
      const sub = r.u8("core module extern desc");
      if (sub !== 0x11) r.fail(`core extern desc 0x${hex(sub)} is not a core module (0x11)`, r.pos - 1);
      return { sort: "core module", type: r.u32("core type index") };
    }
    case 0x01:
      return { sort: "func", type: r.u32("type index") };
    case 0x02:
      return { sort: "value", type: readValType(r) };
    case 0x03: {
      const boundAt = r.pos;
      const bound = r.u8("type bound");
      if (bound === 0x00) return { sort: "type", bound: { kind: "eq", type: r.u32("type index") } };
      if (bound === 0x01) return { sort: "type", bound: { kind: "sub resource" } };
      r.fail(`unknown type bound 0x${hex(bound)}`, boundAt);
      break;
    }
    case 0x04:
      return { sort: "component", type: r.u32("type index") };
    case 0x05:
      return { sort: "instance", type: r.u32("type index") };
  }
  r.fail(`unknown extern desc 0x${hex(b)}`, at);
}

// ---------------------------------------------------------------------------------------------
// Instances and aliases

function readCoreInstanceExpr(r: Reader): CoreInstanceExpr {
  const at = r.pos;
  const b = r.u8("core instance kind");
  if (b === 0x00) {
    const module = r.u32("core module index");
    const args = r.vec("core instantiate arguments", () => {
      const name = r.name("argument name");
      const sortAt = r.pos;
      const sort = r.u8("argument sort");
      if (sort !== 0x12) r.fail(`core instantiate argument sort 0x${hex(sort)} is not instance (0x12)`, sortAt);
      return { name, instance: r.u32("core instance index") };
    });
    return { kind: "instantiate", module, args };
  }
  if (b === 0x01) {
    const exports = r.vec("core inline exports", () => ({ name: r.name("export name"), target: readCoreSortIdx(r) }));
    return { kind: "exports", exports };
  }
  r.fail(`unknown core instance kind 0x${hex(b)}`, at);
}

function readInstanceExpr(r: Reader): InstanceExpr {
  const at = r.pos;
  const b = r.u8("instance kind");
  if (b === 0x00) {
    const component = r.u32("component index");
    const args = r.vec("instantiate arguments", () => ({ name: r.name("argument name"), target: readSortIdx(r) }));
    return { kind: "instantiate", component, args };
  }
  if (b === 0x01) {
    const exports = r.vec("inline exports", () => ({ name: readExternName(r, "export name"), target: readSortIdx(r) }));
    return { kind: "exports", exports };
  }
  r.fail(`unknown instance kind 0x${hex(b)}`, at);
}

function readAlias(r: Reader): Alias {
  const sort = readSort(r);
  const at = r.pos;
  const t = r.u8("alias target");
  switch (t) {
    case 0x00:
      return { sort, target: { kind: "export", instance: r.u32("instance index"), name: r.name("export name") } };
    case 0x01:
      return { sort, target: { kind: "core export", instance: r.u32("core instance index"), name: r.name("export name") } };
    case 0x02:
      return { sort, target: { kind: "outer", count: r.u32("outer count"), index: r.u32("outer index") } };
  }
  r.fail(`unknown alias target 0x${hex(t)}`, at);
}

// ---------------------------------------------------------------------------------------------
// Component types

const PRIMS = invert(PRIM_VAL_TYPES);

/** `valtype`: a non-negative s33 is a type index, a negative one (one byte) a primitive. */
function readValType(r: Reader): ValType {
  const at = r.pos;
  const v = r.s33("value type");
  if (v >= 0) return v;
  const prim = PRIMS[v + 0x80];
  if (prim === undefined || v < -0x40) r.fail(`0x${hex((v + 0x80) & 0xff)} is not a primitive value type`, at);
  return prim;
}

function readLabelValTypes(r: Reader, what: string): LabelValType[] {
  return r.vec(what, () => ({ label: r.name("label"), type: readValType(r) }));
}

function readLabels(r: Reader, what: string): string[] {
  return r.vec(what, () => r.name("label"));
}

/** `resultlist`: `0x00 t` one result, `0x01 0x00` none; named results were removed. */
function readResultList(r: Reader): ValType | undefined {
  const at = r.pos;
  const b = r.u8("result list");
  if (b === 0x00) return readValType(r);
  if (b === 0x01) {
    const n = r.u32("named result count");
    if (n !== 0) r.unsupported("named function results", at, "were removed from the component model (a function has at most one unnamed result)");
    return undefined;
  }
  r.fail(`unknown result list form 0x${hex(b)}`, at);
}

/** `defvaltype` for an opcode already read (`op`). */
function readDefValType(r: Reader, op: number, at: number): DefValType | undefined {
  const prim = PRIMS[op];
  if (prim !== undefined) return { kind: "primitive", type: prim };
  switch (op) {
    case 0x72:
      return { kind: "record", fields: readLabelValTypes(r, "record fields") };
    case 0x71:
      return {
        kind: "variant",
        cases: r.vec("variant cases", () => {
          const label = r.name("case label");
          const type = r.optional("case type", () => readValType(r));
          const refinesAt = r.pos;
          const refines = r.u8("case refines flag");
          if (refines === 0x01) r.unsupported("variant case `refines`", refinesAt, "was removed from the component model");
          if (refines !== 0x00) r.fail(`invalid variant case trailer 0x${hex(refines)}`, refinesAt);
          return type === undefined ? { label } : { label, type };
        }),
      };
    case 0x70:
      return { kind: "list", element: readValType(r) };
    case 0x67: {
      const element = readValType(r);
      return { kind: "list", element, length: r.u32("fixed list length") };
    }
    case 0x6f:
      return { kind: "tuple", types: r.vec("tuple types", () => readValType(r)) };
    case 0x6e:
      return { kind: "flags", labels: readLabels(r, "flags") };
    case 0x6d:
      return { kind: "enum", labels: readLabels(r, "enum cases") };
    case 0x6c:
      r.unsupported("`union` type", at, "was removed from the component model");
      break;
    case 0x6b:
      return { kind: "option", type: readValType(r) };
    case 0x6a: {
      const ok = r.optional("result ok type", () => readValType(r));
      const err = r.optional("result error type", () => readValType(r));
      return { kind: "result", ...(ok !== undefined ? { ok } : {}), ...(err !== undefined ? { err } : {}) };
    }
    case 0x69:
      return { kind: "own", resource: r.u32("resource type index") };
    case 0x68:
      return { kind: "borrow", resource: r.u32("resource type index") };
    case 0x66: {
      const element = r.optional("stream element type", () => readValType(r));
      return element === undefined ? { kind: "stream" } : { kind: "stream", element };
    }
    case 0x65: {
      const element = r.optional("future element type", () => readValType(r));
      return element === undefined ? { kind: "future" } : { kind: "future", element };
    }
    case 0x63: {
      const key = readValType(r);
      return { kind: "map", key, value: readValType(r) };
    }
  }
  return undefined;
}

/**
 * `deftype` (and `resourcetype`). Resource types may only appear as definitions of a component,
 * not inside component or instance types (`allowResource`).
 */
function readDefType(r: Reader, allowResource: boolean): DefType {
  const at = r.pos;
  const op = r.u8("type opcode");
  const dvt = readDefValType(r, op, at);
  if (dvt) return dvt;
  switch (op) {
    case 0x40:
    case 0x43: {
      const params = readLabelValTypes(r, "function parameters");
      const result = readResultList(r);
      return { kind: "func", async: op === 0x43, params, ...(result !== undefined ? { result } : {}) };
    }
    case 0x41:
      return { kind: "component", decls: readComponentDecls(r) };
    case 0x42:
      return { kind: "instance", decls: readInstanceDecls(r, new Scope()) };
    case 0x3f:
    case 0x3e: {
      if (!allowResource) r.fail("resource type definitions are not allowed inside component or instance types", at);
      const repAt = r.pos;
      const rep = r.u8("resource representation");
      if (rep !== 0x7f) r.fail(`resource representation 0x${hex(rep)} is not i32 (0x7f)`, repAt);
      if (op === 0x3f) {
        const dtor = r.optional("resource destructor", () => r.u32("destructor core func index"));
        return { kind: "resource", rep: "i32", dtorAsync: false, ...(dtor !== undefined ? { dtor } : {}) };
      }
      const dtor = r.u32("async destructor core func index");
      const dtorCallback = r.optional("async destructor callback", () => r.u32("callback core func index"));
      return { kind: "resource", rep: "i32", dtor, dtorAsync: true, ...(dtorCallback !== undefined ? { dtorCallback } : {}) };
    }
  }
  r.fail(`unknown type opcode 0x${hex(op)}`, at);
}

function readInstanceDecl(r: Reader, scope: Scope, b: number, at: number): InstanceDecl | undefined {
  const place = (space: IndexSpace | null) => ({ offset: at, space, index: space ? scope.add(space) : -1 });
  switch (b) {
    case 0x00: {
      const type = readCoreType(r);
      return { kind: "core type", ...place("core type"), type };
    }
    case 0x01: {
      const type = readDefType(r, false);
      return { kind: "type", ...place("type"), type };
    }
    case 0x02: {
      const alias = readAlias(r);
      return { kind: "alias", ...place(alias.sort), alias };
    }
    case 0x04: {
      const name = readExternName(r, "export name");
      const desc = readExternDesc(r);
      return { kind: "export", ...place(desc.sort), name, desc };
    }
  }
  return undefined;
}

function readInstanceDecls(r: Reader, scope: Scope): InstanceDecl[] {
  return r.vec("instance type declarators", () => {
    const at = r.pos;
    const b = r.u8("instance declarator");
    const decl = readInstanceDecl(r, scope, b, at);
    if (!decl) r.fail(`unknown instance type declarator 0x${hex(b)}`, at);
    return decl;
  });
}

function readComponentDecls(r: Reader): ComponentDecl[] {
  const scope = new Scope();
  return r.vec("component type declarators", () => {
    const at = r.pos;
    const b = r.u8("component declarator");
    if (b === 0x03) {
      const name = readExternName(r, "import name");
      const desc = readExternDesc(r);
      return { kind: "import", offset: at, space: desc.sort, index: scope.add(desc.sort), name, desc };
    }
    const decl = readInstanceDecl(r, scope, b, at);
    if (!decl) r.fail(`unknown component type declarator 0x${hex(b)}`, at);
    return decl;
  });
}

// ---------------------------------------------------------------------------------------------
// Core types

const CORE_NUM = invert(CORE_NUM_TYPES);
const HEAP_BY_BYTE = invert(HEAP_TYPES);

function readHeapType(r: Reader): CoreHeapType {
  const at = r.pos;
  const v = r.s33("heap type");
  if (v >= 0) return v;
  const name = HEAP_BY_BYTE[v + 0x80];
  if (name === undefined || v < -0x40) r.fail(`unknown heap type 0x${hex((v + 0x80) & 0xff)}`, at);
  return name;
}

function readCoreValType(r: Reader): CoreValType {
  const at = r.pos;
  const b = r.u8("core value type");
  const num = CORE_NUM[b];
  if (num) return num;
  if (b === 0x63 || b === 0x64) return { kind: "ref", nullable: b === 0x63, heap: readHeapType(r) };
  const heap = HEAP_BY_BYTE[b];
  // Shorthands: `funcref` is `(ref null func)` and so on.
  if (heap) return { kind: "ref", nullable: true, heap };
  r.fail(`unknown core value type 0x${hex(b)}`, at);
}

function readCoreFuncType(r: Reader, shared: boolean, sub?: { final: boolean; supertypes: number[] }): CoreDefType {
  const params = r.vec("core function parameters", () => readCoreValType(r));
  const results = r.vec("core function results", () => readCoreValType(r));
  return sub ? { kind: "func", shared, params, results, sub } : { kind: "func", shared, params, results };
}

/** `core:subtype` (GC proposal) after its opcode: supertypes, then a function type (struct and array types are not supported). */
function readCoreSubType(r: Reader, final: boolean, at: number): CoreDefType {
  const supertypes = r.vec("core subtype supertypes", () => r.u32("core supertype index"));
  const b = r.u8("core composite type");
  if (b !== 0x60) r.unsupported(`core subtype of composite type 0x${hex(b)} (GC struct or array)`, at);
  return readCoreFuncType(r, false, { final, supertypes });
}

/** `core:type` as components declare it: a function type, `shared` function type or module type. */
function readCoreType(r: Reader): CoreDefType {
  const at = r.pos;
  const b = r.u8("core type opcode");
  switch (b) {
    case 0x60:
      return readCoreFuncType(r, false);
    case 0x65: {
      const inner = r.u8("shared core type");
      if (inner !== 0x60) r.unsupported(`shared core composite type 0x${hex(inner)}`, at);
      return readCoreFuncType(r, true);
    }
    case 0x50:
      return { kind: "module", decls: readModuleDecls(r) };
    case 0x4e:
      r.unsupported("core recursive type group (`rec`, GC proposal)", at);
      break;
    case 0x00: {
      // A non-final `sub` takes a 0x00 prefix here: a bare 0x50 is a module type.
      const sub = r.u8("core subtype opcode");
      if (sub !== 0x50) r.fail(`core type 0x00 0x${hex(sub)} is not a non-final subtype (0x00 0x50)`, at);
      return readCoreSubType(r, false, at);
    }
    case 0x4f:
      return readCoreSubType(r, true, at);
    case 0x5f:
      r.unsupported("core struct type (GC proposal)", at);
      break;
    case 0x5e:
      r.unsupported("core array type (GC proposal)", at);
      break;
  }
  r.fail(`unknown core type opcode 0x${hex(b)}`, at);
}

function readLimits(r: Reader, what: string): CoreLimits {
  const at = r.pos;
  const flags = r.u8(`${what} limits flags`);
  if (flags > 0x07) r.fail(`unknown ${what} limits flags 0x${hex(flags)}`, at);
  const is64 = (flags & 0x04) !== 0;
  const read = () => (is64 ? r.u64(`${what} limit`) : BigInt(r.u32(`${what} limit`)));
  const min = read();
  const max = flags & 0x01 ? read() : undefined;
  return { min, ...(max !== undefined ? { max } : {}), shared: (flags & 0x02) !== 0, is64 };
}

function readCoreImportDesc(r: Reader): CoreImportDesc {
  const at = r.pos;
  const b = r.u8("core import kind");
  switch (b) {
    case 0x00:
      return { kind: "func", type: r.u32("core type index") };
    case 0x01: {
      const element = readCoreValType(r);
      return { kind: "table", element, limits: readLimits(r, "table") };
    }
    case 0x02:
      return { kind: "memory", limits: readLimits(r, "memory") };
    case 0x03: {
      const type = readCoreValType(r);
      const mutAt = r.pos;
      const m = r.u8("global mutability");
      if (m > 1) r.fail(`invalid global mutability 0x${hex(m)}`, mutAt);
      return { kind: "global", type, mutable: m === 1 };
    }
    case 0x04: {
      const attrAt = r.pos;
      const attr = r.u8("tag attribute");
      if (attr !== 0) r.fail(`invalid tag attribute 0x${hex(attr)}`, attrAt);
      return { kind: "tag", type: r.u32("core type index") };
    }
  }
  r.fail(`unknown core import kind 0x${hex(b)}`, at);
}

function readModuleDecls(r: Reader): ModuleDecl[] {
  const scope = new Scope();
  return r.vec("module type declarators", () => {
    const at = r.pos;
    const b = r.u8("module declarator");
    switch (b) {
      case 0x00: {
        const module = r.name("import module name");
        const name = r.name("import name");
        const desc = readCoreImportDesc(r);
        const space: IndexSpace = `core ${desc.kind}`;
        return { kind: "import", offset: at, space, index: scope.add(space), module, name, desc };
      }
      case 0x01: {
        const type = readCoreType(r);
        if (type.kind === "module") r.fail("core module types cannot be nested inside a core module type", at);
        return { kind: "type", offset: at, space: "core type", index: scope.add("core type"), type };
      }
      case 0x02: {
        const sort = readCoreSort(r);
        const targetAt = r.pos;
        const t = r.u8("core alias target");
        if (t !== 0x01) r.fail(`core alias target 0x${hex(t)} is not outer (0x01)`, targetAt);
        const count = r.u32("outer count");
        const index = r.u32("outer index");
        const space: IndexSpace = `core ${sort}`;
        return { kind: "alias", offset: at, space, index: scope.add(space), sort, target: { kind: "outer", count, index } };
      }
      case 0x03: {
        const name = r.name("export name");
        return { kind: "export", offset: at, space: null, index: -1, name, desc: readCoreImportDesc(r) };
      }
    }
    r.fail(`unknown module type declarator 0x${hex(b)}`, at);
  });
}

// ---------------------------------------------------------------------------------------------
// Canonical definitions

function readCanonOptions(r: Reader): CanonOptions {
  const o: {
    -readonly [K in keyof CanonOptions]: CanonOptions[K];
  } = { async: false, gc: false };
  const seen: CanonOptionName[] = [];
  const once = (key: CanonOptionName, at: number) => {
    if (seen.includes(key)) r.fail(`duplicate canonical option \`${key}\``, at);
    seen.push(key);
  };
  r.vec("canonical options", () => {
    const at = r.pos;
    const b = r.u8("canonical option");
    switch (b) {
      case 0x00:
      case 0x01:
      case 0x02:
        once("string-encoding", at);
        o.stringEncoding = STRING_ENCODINGS[b];
        return;
      case 0x03:
        once("memory", at);
        o.memory = r.u32("core memory index");
        return;
      case 0x04:
        once("realloc", at);
        o.realloc = r.u32("core func index");
        return;
      case 0x05:
        once("post-return", at);
        o.postReturn = r.u32("core func index");
        return;
      case 0x06:
        once("async", at);
        o.async = true;
        return;
      case 0x07:
        once("callback", at);
        o.callback = r.u32("core func index");
        return;
      case 0x08:
        once("core-type", at);
        o.coreType = r.u32("core type index");
        return;
      case 0x09:
        once("gc", at);
        o.gc = true;
        return;
    }
    r.fail(`unknown canonical option 0x${hex(b)}`, at);
  });
  const canonical = CANON_OPTION_ORDER.filter((k) => seen.includes(k));
  if (seen.some((k, i) => k !== canonical[i])) o.order = seen;
  return o;
}

/** The `async?` immediate: 0x00 or 0x01. */
function readAsyncFlag(r: Reader, op: string): boolean {
  const at = r.pos;
  const b = r.u8(`${op} async flag`);
  if (b > 1) r.fail(`invalid async flag 0x${hex(b)} for ${op}`, at);
  return b === 1;
}

/** The `cancel?` immediate: 0x00, or 0x01 for `cancellable`. */
function readCancellableFlag(r: Reader, op: string): boolean {
  const at = r.pos;
  const b = r.u8(`${op} cancellable flag`);
  if (b > 1) r.fail(`invalid cancellable flag 0x${hex(b)} for ${op}`, at);
  return b === 1;
}

const CANON_BY_OPCODE = invert(CANON_OPCODES);

function readCanon(r: Reader): Canon {
  const at = r.pos;
  const byte = r.u8("canon opcode");
  const typeIdx = () => r.u32("type index");
  if (byte === RESOURCE_DROP_ASYNC) return { op: "resource.drop", resource: typeIdx(), async: true };
  const op = CANON_BY_OPCODE[byte];
  if (op === undefined) r.fail(`unknown canon opcode 0x${hex(byte)}`, at);
  const cancellable = CANCELLABLE_OPS.has(op) ? readCancellableFlag(r, op) : false;
  switch (op) {
    case "lift": {
      const sortAt = r.pos;
      if (r.u8("lift sort") !== 0x00) r.fail("canon lift must lift a core func (sort 0x00)", sortAt);
      const coreFunc = r.u32("core func index");
      const options = readCanonOptions(r);
      return { op, coreFunc, options, type: typeIdx() };
    }
    case "lower": {
      const sortAt = r.pos;
      if (r.u8("lower sort") !== 0x00) r.fail("canon lower must lower a func (sort 0x00)", sortAt);
      const func = r.u32("func index");
      return { op, func, options: readCanonOptions(r) };
    }
    case "resource.new":
    case "resource.rep":
      return { op, resource: typeIdx() };
    case "resource.drop":
      return { op, resource: typeIdx(), async: false };
    case "subtask.cancel":
      return { op, async: readAsyncFlag(r, op) };
    case "task.return": {
      const result = readResultList(r);
      const options = readCanonOptions(r);
      return { op, ...(result !== undefined ? { result } : {}), options };
    }
    case "context.get":
    case "context.set": {
      const type = readCoreValType(r);
      return { op, type, slot: r.u32("context slot") };
    }
    case "stream.new":
    case "future.new":
    case "stream.drop-readable":
    case "stream.drop-writable":
    case "future.drop-readable":
    case "future.drop-writable":
    case "stream.forward":
    case "future.forward":
      return { op, type: typeIdx() };
    case "stream.read":
    case "stream.write":
    case "future.read":
    case "future.write": {
      const type = typeIdx();
      return { op, type, options: readCanonOptions(r) };
    }
    case "stream.cancel-read":
    case "stream.cancel-write":
    case "future.cancel-read":
    case "future.cancel-write": {
      const type = typeIdx();
      return { op, type, async: readAsyncFlag(r, op) };
    }
    case "error-context.new":
    case "error-context.debug-message":
      return { op, options: readCanonOptions(r) };
    case "waitable-set.wait":
    case "waitable-set.poll":
      return { op, cancellable, memory: r.u32("core memory index") };
    case "thread.yield":
    case "thread.suspend":
    case "thread.suspend-then-resume":
    case "thread.yield-then-resume":
    case "thread.suspend-then-promote":
    case "thread.yield-then-promote":
      return { op, cancellable };
    case "thread.new-indirect":
    case "thread.spawn-indirect": {
      const type = r.u32("core type index");
      return { op, type, table: r.u32("core table index") };
    }
    case "thread.spawn-ref":
      return { op, type: r.u32("core type index") };
    default:
      // The builtins without immediates (beyond the reserved byte read above).
      return { op };
  }
}

// ---------------------------------------------------------------------------------------------
// Custom sections: best effort, never fatal (Binary.md "Name Section")

function readNames(bytes: Uint8Array<ArrayBuffer>): ComponentNames | string {
  const r = new Reader(bytes);
  r.section = "component-name section";
  try {
    let component: string | undefined;
    const sorts = new Map<IndexSpace, Map<number, string>>();
    while (!r.atEnd()) {
      const id = r.u8("name subsection id");
      const size = r.u32("name subsection size");
      r.region(size, "name subsection", () => {
        if (id === 0) component = r.name("component name");
        else if (id === 1) {
          const sort = readSort(r);
          const map = new Map<number, string>();
          r.vec("name map", () => map.set(r.u32("index"), r.name("name")));
          sorts.set(sort, map);
        } else r.pos = r.end;
      });
    }
    return { ...(component !== undefined ? { component } : {}), sorts };
  } catch (err) {
    if (err instanceof DecodeError) return err.message;
    throw err;
  }
}

function readProducers(bytes: Uint8Array<ArrayBuffer>): Producers | string {
  const r = new Reader(bytes);
  r.section = "producers section";
  try {
    const fields = new Map<string, { name: string; version: string }[]>();
    r.vec("producers fields", () => {
      const field = r.name("field name");
      fields.set(
        field,
        r.vec("producers values", () => ({ name: r.name("producer name"), version: r.name("producer version") })),
      );
    });
    if (!r.atEnd()) r.fail("trailing bytes");
    return fields;
  } catch (err) {
    if (err instanceof DecodeError) return err.message;
    throw err;
  }
}
