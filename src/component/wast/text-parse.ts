/**
 * Component text format (Explainer.md, the grammar of each definition; the binary form in
 * Binary.md) to {@link TField}s: parsing and the expansion of abbreviations, in the order the
 * text format defines (inline types go just before the definition that uses them, inline exports
 * to the end of the component, inline instance arguments just before the instantiation).
 * Core modules stay core WAT text for a core WAT parser. Names are resolved later
 * (`text-resolve.ts`).
 */
import type { CoreLimits, CoreSort, CoreValType, IndexSpace, PrimValType, StringEncoding } from "../ast";
import { describeNode, Items, type SList, type Source } from "./sexpr";
import {
  CANCELLABLE_ONLY_OPS,
  PLAIN_OPS,
  type TAliasTarget,
  type TCanon,
  type TCanonOpt,
  type TCoreImportDesc,
  type TCoreType,
  type TDecl,
  type TDefType,
  type TDefValType,
  type TExternName,
  type TField,
  type TFuncType,
  type TIndex,
  type TItemRef,
  type TItemSig,
  type TModuleDecl,
  type TValType,
} from "./text-ir";

const PRIMITIVES: readonly PrimValType[] = ["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string", "error-context"];

/** Where an inline type definition goes: before the field or declarator being parsed. */
interface TypeSink {
  type(t: TDefType, at: number): TIndex;
  coreType(t: TCoreType, at: number): TIndex;
}

/** Fresh names for generated definitions; `#` cannot start a name written in the text. */
export class Gensym {
  #next = 0;
  id(): string {
    return `#${this.#next++}`;
  }
}

/** Parses the fields of `(component $id? field*)` from `items` (positioned at the first field). */
export function parseComponentFields(items: Items, gensym = new Gensym()): TField[] {
  return new FieldParser(items.source, gensym).fields(items);
}

const isIndexAtom = (items: Items, k = 0): boolean => {
  const n = items.peek(k);
  return n?.kind === "id" || (n?.kind === "word" && /^[0-9]/.test(n.text));
};

function expectIndex(items: Items, what: string): TIndex {
  const n = items.peek();
  if (n?.kind === "id") {
    items.next();
    return { id: n.text, at: n.start };
  }
  if (n?.kind === "word") {
    const v = items.maybeU32();
    if (v !== null) return { num: v, at: n.start };
  }
  return items.fail("unexpected token", `expected ${what} (an index or a $name), found ${describeNode(n)}`);
}

/** The export names of an inline alias: `"a" "b"` after an index. */
function exportPath(items: Items): string[] {
  const out: string[] = [];
  while (items.peek()?.kind === "string") out.push(items.expectText("an export name"));
  return out;
}

/** `(export "name" attrs*)` / `(import "name" attrs*)` with nothing else: an inline export or import. */
function isInlineName(list: SList | null, head: "export" | "import"): boolean {
  if (!list || list.items[0]?.kind !== "word" || list.items[0].text !== head || list.items[1]?.kind !== "string") return false;
  return list.items.slice(2).every((x) => x.kind === "list" && x.items[0]?.kind === "word" && (x.items[0].text === "implements" || x.items[0].text === "external-id"));
}

/** `"name" (implements "x")? (external-id "y")?`. */
function externName(items: Items): TExternName {
  const at = items.peek()?.start ?? items.at;
  const name = items.expectText("a name");
  let impl: string | undefined;
  let externalId: string | undefined;
  for (;;) {
    const l = items.peekList("implements", "external-id");
    if (!l) break;
    const head = (l.items[0] as { text: string }).text;
    if ((head === "implements" && impl !== undefined) || (head === "external-id" && externalId !== undefined)) items.fail("unexpected token", `\`${head}\` may be given once`, l);
    items.next();
    const sub = items.sub(l, 1);
    const v = sub.expectText(`the ${head} value`);
    sub.end(head);
    if (head === "implements") impl = v;
    else externalId = v;
  }
  return { name, at, ...(impl !== undefined ? { implements: impl } : {}), ...(externalId !== undefined ? { externalId } : {}) };
}

/** Core value types: `i32` ... `v128`, `funcref`, `externref`, `(ref null? heap)`. */
function coreValType(items: Items): CoreValType {
  const w = items.peekWord();
  if (w === "i32" || w === "i64" || w === "f32" || w === "f64" || w === "v128") {
    items.next();
    return w;
  }
  if (w === "funcref" || w === "externref" || w === "anyref" || w === "exnref") {
    items.next();
    return { kind: "ref", nullable: true, heap: w.slice(0, -3) };
  }
  const l = items.maybeList("ref");
  if (l) {
    const sub = items.sub(l, 1);
    const nullable = sub.maybeWord("null") !== null;
    const heap = sub.peekWord() && !/^[0-9]/.test(sub.peekWord()!) ? sub.expectAnyWord("a heap type") : sub.expectU32("a type index");
    sub.end("ref type");
    return { kind: "ref", nullable, heap };
  }
  return items.fail("unexpected token", `expected a core value type, found ${describeNode(items.peek())}`);
}

/** `(param $x? t*)* (result t*)*` of a core function type. */
function coreParamsResults(items: Items): { params: CoreValType[]; results: CoreValType[] } {
  const params: CoreValType[] = [];
  const results: CoreValType[] = [];
  for (;;) {
    const p = items.maybeList("param");
    if (p) {
      const sub = items.sub(p, 1);
      const named = sub.maybeId() !== null;
      while (!sub.done()) params.push(coreValType(sub));
      if (named && params.length === 0) sub.fail("unexpected token", "a named param needs a type");
      continue;
    }
    const r = items.maybeList("result");
    if (r) {
      const sub = items.sub(r, 1);
      while (!sub.done()) results.push(coreValType(sub));
      continue;
    }
    return { params, results };
  }
}

function limits(items: Items): CoreLimits {
  const is64 = items.maybeWord("i64") !== null;
  if (!is64) items.maybeWord("i32");
  const min = BigInt(items.expectU32("a minimum"));
  const maxV = items.maybeU32();
  const shared = items.maybeWord("shared") !== null;
  return { min, ...(maxV !== null ? { max: BigInt(maxV) } : {}), shared, is64 };
}

class FieldParser {
  constructor(
    readonly source: Source,
    readonly gensym: Gensym,
  ) {}

  /** Names each inline type definition and puts it into `prepended`, to go just before its user. */
  #prependingSink(out: { push(field: Extract<TField, { kind: "type" | "core type" }>): unknown }): TypeSink {
    return {
      type: (type, at) => {
        const id = this.gensym.id();
        out.push({ kind: "type", id, type, at });
        return { id, at };
      },
      coreType: (type, at) => {
        const id = this.gensym.id();
        out.push({ kind: "core type", id, type, at });
        return { id, at };
      },
    };
  }

  // ------------------------------------------------------------------ component fields

  fields(items: Items): TField[] {
    const out: TField[] = [];
    const appended: TField[] = [];
    while (!items.done()) {
      const node = items.next()!;
      if (node.kind !== "list") items.fail("unexpected token", `expected a definition, found ${describeNode(node)}`, node);
      const prepended: TField[] = [];
      const sink = this.#prependingSink(prepended);
      // Instances made of inline arguments go after the inline types (both before the field).
      const bundles: TField[] = [];
      const field = this.field(items.sub(node), node, sink, bundles, appended);
      out.push(...prepended, ...bundles, field);
    }
    return [...out, ...appended];
  }

  /** Inline `(export "x")`s after a definition's `$id`: each becomes an export field at the end. */
  inlineExports(items: Items, space: IndexSpace, id: () => string, appended: TField[]): void {
    while (isInlineName(items.peekList(), "export")) {
      const l = items.next() as SList;
      const name = externName(items.sub(l, 1));
      appended.push({ kind: "export", id: null, name, item: { space, idx: { id: id(), at: l.start }, exports: [] }, at: l.start });
    }
  }

  field(items: Items, node: SList, sink: TypeSink, bundles: TField[], appended: TField[]): TField {
    const at = node.start;
    const head = items.expectAnyWord("a definition");
    let id: string | null = null;
    const named = () => (id ??= this.gensym.id());
    switch (head) {
      case "core": {
        const what = items.expectWord("module", "instance", "type", "func");
        id = items.maybeId();
        if (what === "module") {
          this.inlineExports(items, "core module", named, appended);
          if (isInlineName(items.peekList(), "import")) {
            const name = externName(items.sub(items.next() as SList, 1));
            return { kind: "import", name, sig: { id, at, sort: "core module", type: this.coreModuleTypeUse(items, sink, at) }, at };
          }
          return { kind: "core module", id, text: this.coreModuleText(items, node, id), at };
        }
        if (what === "instance") return { kind: "core instance", id, expr: this.coreInstanceExpr(items, bundles), at };
        if (what === "type") {
          const type = this.coreDefType(items);
          items.end("core type");
          return { kind: "core type", id, type, at };
        }
        // core func: `(canon ...)` or `(alias core export ...)`.
        const inner = items.expectList("`(canon ...)` or `(alias ...)`", "canon", "alias");
        items.end("core func");
        const sub = items.sub(inner, 1);
        if ((inner.items[0] as { text: string }).text === "alias") return { kind: "alias", id, sort: "core func", target: this.aliasTarget(sub, true), at };
        return { kind: "canon", id, canon: this.canonBuiltin(sub, sub.expectAnyWord("a canonical built-in"), sink), at };
      }
      case "component": {
        id = items.maybeId();
        this.inlineExports(items, "component", named, appended);
        if (isInlineName(items.peekList(), "import")) {
          const name = externName(items.sub(items.next() as SList, 1));
          return { kind: "import", name, sig: { id, at, sort: "component", type: this.componentTypeUse(items, sink, "component", at) }, at };
        }
        return { kind: "component", id, fields: this.fields(items), at };
      }
      case "instance": {
        id = items.maybeId();
        this.inlineExports(items, "instance", named, appended);
        if (isInlineName(items.peekList(), "import")) {
          const name = externName(items.sub(items.next() as SList, 1));
          return { kind: "import", name, sig: { id, at, sort: "instance", type: this.componentTypeUse(items, sink, "instance", at) }, at };
        }
        const alias = items.maybeList("alias");
        if (alias) {
          items.end("instance");
          return { kind: "alias", id, sort: "instance", target: this.aliasTarget(items.sub(alias, 1), false), at };
        }
        const inst = items.maybeList("instantiate");
        if (inst) {
          items.end("instance");
          return { kind: "instance", id, expr: this.instantiate(items.sub(inst, 1), bundles), at };
        }
        return { kind: "instance", id, expr: { kind: "exports", exports: this.bundleExports(items) }, at };
      }
      case "alias": {
        const target = this.aliasTarget(items, null);
        const s = this.sortWithId(items.expectList("the aliased item's sort"));
        items.end("alias");
        return { kind: "alias", id: s.id, sort: s.space, target: checkAliasSort(items, target, s.space), at };
      }
      case "type": {
        id = items.maybeId();
        this.inlineExports(items, "type", named, appended);
        const alias = items.maybeList("alias");
        if (alias) {
          items.end("type");
          return { kind: "alias", id, sort: "type", target: this.aliasTarget(items.sub(alias, 1), false), at };
        }
        const type = this.defType(items, sink);
        items.end("type");
        return { kind: "type", id, type, at };
      }
      case "canon": {
        const op = items.expectAnyWord("a canonical built-in");
        const last = items.items.at(-1);
        if (last?.kind !== "list") items.fail("unexpected token", "expected the defined `(core func $name?)` or `(func $name? ...)` last", last);
        const args = new Items(items.source, items.items.slice(0, -1), node.start, items.index);
        const def = items.sub(last, 0);
        if (op === "lift") {
          def.expectWord("func");
          id = def.maybeId();
          const type = this.funcTypeUse(def, sink, at);
          def.end("func");
          return { kind: "canon", id, canon: this.lift(args, type), at };
        }
        def.expectWord("core");
        def.expectWord("func");
        id = def.maybeId();
        def.end("core func");
        return { kind: "canon", id, canon: this.canonBuiltin(args, op, sink), at };
      }
      case "func": {
        id = items.maybeId();
        this.inlineExports(items, "func", named, appended);
        if (isInlineName(items.peekList(), "import")) {
          const name = externName(items.sub(items.next() as SList, 1));
          return { kind: "import", name, sig: { id, at, sort: "func", type: this.funcTypeUse(items, sink, at) }, at };
        }
        const alias = items.maybeList("alias");
        if (alias) {
          items.end("func");
          return { kind: "alias", id, sort: "func", target: this.aliasTarget(items.sub(alias, 1), false), at };
        }
        const type = this.funcTypeUse(items, sink, at);
        const canon = items.expectList("`(canon lift ...)`", "canon");
        items.end("func");
        const sub = items.sub(canon, 1);
        sub.expectWord("lift");
        return { kind: "canon", id, canon: this.lift(sub, type), at };
      }
      case "import": {
        const name = externName(items);
        const sig = this.itemSig(items.expectList("what is imported"), items, sink);
        items.end("import");
        return { kind: "import", name, sig, at };
      }
      case "export": {
        id = items.maybeId();
        const name = externName(items);
        const item = this.itemRef(items.expectList("the exported item"), items);
        const ascribed = items.maybeList();
        const sig = ascribed ? this.itemSig(ascribed, items, sink) : undefined;
        items.end("export");
        return { kind: "export", id, name, item, ...(sig ? { sig } : {}), at };
      }
      case "start":
      case "value":
        return items.fail("unsupported", `component \`${head}\` definitions (values, 🪙) are not read by this parser`, node);
      default:
        return items.fail("unexpected token", `unknown component definition \`(${head} ...)\``, node);
    }
  }

  /** The core WAT of `(core module $id? field*)`: `(module $id? field*)`, sliced from the script's text. */
  coreModuleText(items: Items, node: SList, id: string | null): string {
    const first = items.peek();
    if (first?.kind === "word") items.fail("unsupported", `\`(core module ${first.text} ...)\` is not read by this parser`, first);
    const body = first ? this.source.text.slice(first.start, node.end - 1) : "";
    // A generated name (for an inline export) is not core WAT; the module needs none.
    return `(module${id?.startsWith("$") ? ` ${id}` : ""} ${body})`;
  }

  // ------------------------------------------------------------------ references

  /** `(sort idx "export"*)` where sort is a component sort or `core module` (`module` alone too). */
  itemRef(list: SList, outer: Items): TItemRef {
    const items = outer.sub(list);
    const space = this.sortOf(items, false);
    const idx = expectIndex(items, `a ${space}`);
    const exports = exportPath(items);
    items.end("item reference");
    return { space, idx, exports };
  }

  /** Reads `func`, `core func`, `module`, `core module`, `instance`, ... as an index space. */
  sortOf(items: Items, core: boolean): IndexSpace {
    const w = items.expectAnyWord("a sort");
    if (w === "core") {
      const s = items.expectWord("func", "table", "memory", "global", "tag", "type", "module", "instance");
      return `core ${s as CoreSort}`;
    }
    if (w === "module") return "core module";
    if (core) {
      if (["func", "table", "memory", "global", "tag", "type", "instance"].includes(w)) return `core ${w as CoreSort}`;
    } else if (["func", "value", "type", "component", "instance"].includes(w)) return w as IndexSpace;
    return items.fail("unexpected token", `\`${w}\` is not a sort here`, items.peek(-1));
  }

  /** `(sort $id?)` as in `(alias ... (func $f))`. */
  sortWithId(list: SList): { space: IndexSpace; id: string | null } {
    const items = new Items(this.source, list.items, list.start);
    const space = this.sortOf(items, false);
    const id = items.maybeId();
    items.end("sort");
    return { space, id };
  }

  /**
   * A core item given as a bare index (`$mem`, `0`) or as `(core memory $m "mem")`; used by
   * canonical options and built-in immediates.
   */
  coreRef(items: Items, sort: CoreSort, what: string): TItemRef {
    const space = `core ${sort}` as IndexSpace;
    if (isIndexAtom(items)) return { space, idx: expectIndex(items, what), exports: [] };
    const l = items.expectList(what, "core");
    const sub = items.sub(l, 1);
    sub.expectWord(sort);
    const idx = expectIndex(sub, what);
    const exports = exportPath(sub);
    if (exports.length > 1) sub.fail("unexpected token", "a core instance export has one name");
    sub.end(what);
    return { space, idx, exports };
  }

  /** A type index written bare or as `(type $i "T")`. */
  typeRef(items: Items): TItemRef {
    if (isIndexAtom(items)) return { space: "type", idx: expectIndex(items, "a type"), exports: [] };
    const l = items.expectList("a type", "type");
    const sub = items.sub(l, 1);
    const idx = expectIndex(sub, "a type");
    const exports = exportPath(sub);
    sub.end("type reference");
    return { space: "type", idx, exports };
  }

  aliasTarget(items: Items, coreOnly: boolean | null): TAliasTarget {
    const w = items.expectWord("export", "core", "outer");
    if (w === "outer") {
      if (coreOnly) items.fail("unexpected token", "expected `core export`");
      return { kind: "outer", outer: expectIndex(items, "an enclosing component"), index: expectIndex(items, "an item") };
    }
    if (w === "core") {
      items.expectWord("export");
      if (coreOnly === false) items.fail("unexpected token", "expected `export` or `outer`");
      return { kind: "core export", instance: expectIndex(items, "a core instance"), name: items.expectText("an export name") };
    }
    if (coreOnly) items.fail("unexpected token", "expected `core export`");
    return { kind: "export", instance: expectIndex(items, "an instance"), name: items.expectText("an export name") };
  }

  // ------------------------------------------------------------------ instances

  coreInstanceExpr(items: Items, bundles: TField[]): Extract<TField, { kind: "core instance" }>["expr"] {
    const inst = items.maybeList("instantiate");
    if (!inst) {
      const exports = this.coreBundleExports(items);
      items.end("core instance");
      return { kind: "exports", exports };
    }
    items.end("core instance");
    const sub = items.sub(inst, 1);
    const module = isIndexAtom(sub) ? { space: "core module" as const, idx: expectIndex(sub, "a core module"), exports: [] } : this.itemRef(sub.expectList("a core module"), sub);
    if (module.space !== "core module") sub.fail("unexpected token", "core instantiate needs a core module");
    const args: { name: string; instance: TItemRef }[] = [];
    while (!sub.done()) {
      const w = sub.expectList("`(with \"name\" (instance ...))`", "with");
      const a = sub.sub(w, 1);
      const name = a.expectText("an argument name");
      const target = a.expectList("`(instance ...)`", "instance");
      a.end("with");
      const t = a.sub(target, 1);
      if (isIndexAtom(t)) {
        args.push({ name, instance: { space: "core instance", idx: expectIndex(t, "a core instance"), exports: [] } });
        t.end("instance");
      } else {
        const id = this.gensym.id();
        bundles.push({ kind: "core instance", id, expr: { kind: "exports", exports: this.coreBundleExports(t) }, at: target.start });
        args.push({ name, instance: { space: "core instance", idx: { id, at: target.start }, exports: [] } });
      }
    }
    return { kind: "instantiate", module, args };
  }

  /** `(export "name" (func $f))*` of a core instance made of items. */
  coreBundleExports(items: Items): { name: string; item: TItemRef }[] {
    const out: { name: string; item: TItemRef }[] = [];
    while (!items.done()) {
      const e = items.expectList("`(export \"name\" (sort ...))`", "export");
      const sub = items.sub(e, 1);
      const name = sub.expectText("an export name");
      const r = sub.expectList("the exported core item");
      sub.end("export");
      const ri = sub.sub(r);
      const space = this.sortOf(ri, true);
      const idx = expectIndex(ri, `a ${space}`);
      const exports = exportPath(ri);
      ri.end("core item");
      out.push({ name, item: { space, idx, exports } });
    }
    return out;
  }

  instantiate(items: Items, bundles: TField[]): Extract<TField, { kind: "instance" }>["expr"] {
    const component = isIndexAtom(items) ? { space: "component" as const, idx: expectIndex(items, "a component"), exports: [] } : this.itemRef(items.expectList("a component"), items);
    if (component.space !== "component") items.fail("unexpected token", "instantiate needs a component");
    const args: { name: string; item: TItemRef }[] = [];
    while (!items.done()) {
      const w = items.expectList("`(with \"name\" (sort ...))`", "with");
      const a = items.sub(w, 1);
      const name = a.expectText("an argument name");
      const target = a.expectList("the argument");
      a.end("with");
      const isBundle = target.items[0]?.kind === "word" && target.items[0].text === "instance" && target.items.slice(1).every((x) => x.kind === "list");
      if (isBundle) {
        const id = this.gensym.id();
        bundles.push({ kind: "instance", id, expr: { kind: "exports", exports: this.bundleExports(a.sub(target, 1)) }, at: target.start });
        args.push({ name, item: { space: "instance", idx: { id, at: target.start }, exports: [] } });
      } else {
        args.push({ name, item: this.itemRef(target, a) });
      }
    }
    return { kind: "instantiate", component, args };
  }

  /** `(export "name" attrs* (sort ...))*` of an instance made of items. */
  bundleExports(items: Items): { name: TExternName; item: TItemRef }[] {
    const out: { name: TExternName; item: TItemRef }[] = [];
    while (!items.done()) {
      const e = items.expectList("`(export \"name\" (sort ...))`", "export");
      const sub = items.sub(e, 1);
      const name = externName(sub);
      const item = this.itemRef(sub.expectList("the exported item"), sub);
      sub.end("export");
      out.push({ name, item });
    }
    return out;
  }

  // ------------------------------------------------------------------ types

  /** A value type: a primitive, a reference, or an inline definition (defined before the user). */
  valType(items: Items, sink: TypeSink): TValType {
    const w = items.peekWord();
    if (w !== null && (PRIMITIVES as readonly string[]).includes(w)) {
      items.next();
      return w as PrimValType;
    }
    if (isIndexAtom(items)) return expectIndex(items, "a type");
    const l = items.expectList("a value type");
    const def = this.defValType(items.sub(l), sink);
    if (def.kind === "primitive") return def.type;
    return sink.type(def, l.start);
  }

  defValType(items: Items, sink: TypeSink): TDefValType {
    const head = items.expectAnyWord("a type constructor");
    const vt = () => this.valType(items, sink);
    let t: TDefValType;
    switch (head) {
      case "record": {
        const fields: { label: string; type: TValType }[] = [];
        while (!items.done()) {
          const f = items.sub(items.expectList("`(field \"name\" type)`", "field"), 1);
          const label = f.expectText("a field name");
          fields.push({ label, type: this.valType(f, sink) });
          f.end("field");
        }
        t = { kind: "record", fields };
        break;
      }
      case "variant": {
        const cases: { label: string; type?: TValType }[] = [];
        while (!items.done()) {
          const c = items.sub(items.expectList("`(case \"name\" type?)`", "case"), 1);
          c.maybeId();
          const label = c.expectText("a case name");
          const type = c.done() || c.peekList("refines") ? undefined : this.valType(c, sink);
          if (c.peekList("refines")) c.fail("unsupported", "variant case `refines` was removed from the component model");
          c.end("case");
          cases.push({ label, ...(type !== undefined ? { type } : {}) });
        }
        t = { kind: "variant", cases };
        break;
      }
      case "list": {
        const element = vt();
        const length = items.maybeU32();
        t = { kind: "list", element, ...(length !== null ? { length } : {}) };
        break;
      }
      case "tuple": {
        const types: TValType[] = [];
        while (!items.done()) types.push(vt());
        t = { kind: "tuple", types };
        break;
      }
      case "flags":
      case "enum": {
        const labels: string[] = [];
        while (!items.done()) labels.push(items.expectText("a label"));
        t = { kind: head, labels };
        break;
      }
      case "option":
        t = { kind: "option", type: vt() };
        break;
      case "result": {
        let ok: TValType | undefined;
        let err: TValType | undefined;
        if (!items.done() && !items.peekList("error")) ok = vt();
        const e = items.maybeList("error");
        if (e) {
          const sub = items.sub(e, 1);
          err = this.valType(sub, sink);
          sub.end("error");
        }
        t = { kind: "result", ...(ok !== undefined ? { ok } : {}), ...(err !== undefined ? { err } : {}) };
        break;
      }
      case "own":
      case "borrow":
        t = { kind: head, resource: expectIndex(items, "a resource type") };
        break;
      case "stream":
      case "future":
        t = items.done() ? { kind: head } : { kind: head, element: vt() };
        break;
      case "map": {
        const key = vt();
        t = { kind: "map", key, value: vt() };
        break;
      }
      default:
        if ((PRIMITIVES as readonly string[]).includes(head)) t = { kind: "primitive", type: head as PrimValType };
        else items.fail("unexpected token", `unknown type constructor \`${head}\``, items.peek(-1));
    }
    items.end(head);
    return t;
  }

  /** `deftype`: a primitive word, or `(record ...)`, `(func ...)`, `(instance ...)`, `(resource ...)`, ... */
  defType(items: Items, sink: TypeSink): TDefType {
    const w = items.peekWord();
    if (w !== null) {
      if (!(PRIMITIVES as readonly string[]).includes(w)) items.fail("unexpected token", `\`${w}\` is not a type`);
      items.next();
      return { kind: "primitive", type: w as PrimValType };
    }
    const l = items.expectList("a type definition");
    const sub = items.sub(l);
    switch (sub.peekWord()) {
      case "func": {
        sub.next();
        const f = this.funcType(sub, sink);
        sub.end("func type");
        return f;
      }
      case "component":
      case "instance": {
        const kind = sub.expectAnyWord("") as "component" | "instance";
        return { kind, decls: this.decls(sub, kind) };
      }
      case "resource": {
        // Also inside component and instance types, which validation refuses.
        sub.next();
        const rep = sub.expectList("`(rep i32)`", "rep");
        const r = sub.sub(rep, 1);
        r.expectWord("i32");
        r.end("rep");
        const d = sub.maybeList("dtor");
        let dtor: TItemRef | undefined;
        if (d) {
          const ds = sub.sub(d, 1);
          if (ds.peekWord() === "async") ds.fail("unsupported", "async resource destructors are not read by this parser");
          dtor = isIndexAtom(ds) ? { space: "core func", idx: expectIndex(ds, "a core func"), exports: [] } : this.coreFuncListRef(ds);
          ds.end("dtor");
        }
        sub.end("resource");
        return { kind: "resource", ...(dtor ? { dtor } : {}) };
      }
      default:
        return this.defValType(sub, sink);
    }
  }

  /** `(func $f)` or `(core func $i "f")` as a destructor. */
  coreFuncListRef(items: Items): TItemRef {
    const l = items.expectList("a core func", "func", "core");
    const sub = items.sub(l);
    if (sub.maybeWord("core")) sub.expectWord("func");
    else sub.expectWord("func");
    const idx = expectIndex(sub, "a core func");
    const exports = exportPath(sub);
    sub.end("core func");
    return { space: "core func", idx, exports };
  }

  /** After `func`: `async? (param "name" t)* (result t)?`. */
  funcType(items: Items, sink: TypeSink): TFuncType {
    const isAsync = items.maybeWord("async") !== null;
    const params: { label: string; type: TValType }[] = [];
    let result: TValType | undefined;
    for (;;) {
      const p = items.maybeList("param");
      if (!p) break;
      const sub = items.sub(p, 1);
      const label = sub.expectText("a parameter name");
      params.push({ label, type: this.valType(sub, sink) });
      sub.end("param");
    }
    const r = items.maybeList("result");
    if (r) {
      const sub = items.sub(r, 1);
      if (sub.peek()?.kind === "string") sub.fail("unsupported", "named function results were removed from the component model");
      result = this.valType(sub, sink);
      sub.end("result");
    }
    return { kind: "func", async: isAsync, params, ...(result !== undefined ? { result } : {}) };
  }

  /** A func type use: `(type $t)` or an inline `async? (param ...)* (result ...)?`, defined before the user. */
  funcTypeUse(items: Items, sink: TypeSink, at: number): TIndex {
    const ref = this.typeUseRef(items);
    if (ref) return ref;
    return sink.type(this.funcType(items, sink), at);
  }

  /** `(type idx)` when that is what comes next. */
  typeUseRef(items: Items): TIndex | null {
    const l = items.peekList("type");
    if (!l || l.items.length !== 2) return null;
    items.next();
    const sub = items.sub(l, 1);
    return expectIndex(sub, "a type");
  }

  componentTypeUse(items: Items, sink: TypeSink, kind: "component" | "instance", at: number): TIndex {
    const ref = this.typeUseRef(items);
    if (ref) {
      items.end(kind);
      return ref;
    }
    return sink.type({ kind, decls: this.decls(items, kind) }, at);
  }

  coreModuleTypeUse(items: Items, sink: TypeSink, at: number): TIndex {
    const ref = this.typeUseRef(items);
    if (ref) {
      items.end("core module");
      return ref;
    }
    return sink.coreType({ kind: "module", decls: this.moduleDecls(items) }, at);
  }

  /** `externdesc`: `(func $id? typeuse)`, `(instance ...)`, `(component ...)`, `(core module ...)`, `(type $id? bound)`, `(value $id? t)`. */
  itemSig(list: SList, outer: Items, sink: TypeSink): TItemSig {
    const items = outer.sub(list);
    const at = list.start;
    const w = items.expectWord("func", "instance", "component", "core", "type", "value", "module");
    if (w === "core" || w === "module") {
      if (w === "core") items.expectWord("module");
      const id = items.maybeId();
      return { id, at, sort: "core module", type: this.coreModuleTypeUse(items, sink, at) };
    }
    const id = items.maybeId();
    switch (w) {
      case "func": {
        const type = this.funcTypeUse(items, sink, at);
        items.end("func");
        return { id, at, sort: "func", type };
      }
      case "instance":
      case "component":
        return { id, at, sort: w, type: this.componentTypeUse(items, sink, w, at) };
      case "type": {
        const b = items.expectList("`(eq $t)` or `(sub resource)`", "eq", "sub");
        items.end("type");
        const sub = items.sub(b);
        if (sub.expectWord("eq", "sub") === "sub") {
          sub.expectWord("resource");
          sub.end("sub resource");
          return { id, at, sort: "type", bound: { kind: "sub resource" } };
        }
        const type = expectIndex(sub, "a type");
        sub.end("eq");
        return { id, at, sort: "type", bound: { kind: "eq", type } };
      }
      default: {
        const type = this.valType(items, sink);
        items.end("value");
        return { id, at, sort: "value", type };
      }
    }
  }

  /** Declarators of a component or instance type; their inline types are defined among them. */
  decls(items: Items, kind: "component" | "instance"): TDecl[] {
    const out: TDecl[] = [];
    while (!items.done()) {
      const node = items.expectList("a declarator");
      const prepended: TDecl[] = [];
      const sink = this.#prependingSink(prepended);
      const d = items.sub(node);
      const at = node.start;
      const head = d.expectAnyWord("a declarator");
      let decl: TDecl;
      switch (head) {
        case "core": {
          d.expectWord("type");
          const id = d.maybeId();
          const type = this.coreDefType(d);
          d.end("core type");
          decl = { kind: "core type", id, type, at };
          break;
        }
        case "type": {
          const id = d.maybeId();
          const alias = d.maybeList("alias");
          if (alias) {
            d.end("type");
            decl = { kind: "alias", id, sort: "type", target: this.aliasTarget(d.sub(alias, 1), false), at };
            break;
          }
          const type = this.defType(d, sink);
          d.end("type");
          decl = { kind: "type", id, type, at };
          break;
        }
        case "alias": {
          const target = this.aliasTarget(d, null);
          const s = this.sortWithId(d.expectList("the aliased item's sort"));
          d.end("alias");
          decl = { kind: "alias", id: s.id, sort: s.space, target: checkAliasSort(d, target, s.space), at };
          break;
        }
        case "import":
        case "export": {
          if (head === "import" && kind === "instance") d.fail("unexpected token", "instance types have no imports", node);
          const name = externName(d);
          const sig = this.itemSig(d.expectList("a declared item"), d, sink);
          d.end(head);
          decl = { kind: head, name, sig, at };
          break;
        }
        default:
          decl = d.fail("unexpected token", `unknown declarator \`(${head} ...)\``, node);
      }
      out.push(...prepended, decl);
    }
    return out;
  }

  /** After `core type $id?`: `(func ...)` or `(module ...)`. */
  coreDefType(items: Items): TCoreType {
    const l = items.expectList("`(func ...)` or `(module ...)`");
    const sub = items.sub(l);
    const w = sub.expectAnyWord("`func` or `module`");
    if (w === "func") {
      const { params, results } = coreParamsResults(sub);
      sub.end("core func type");
      return { kind: "func", params, results };
    }
    if (w === "module") return { kind: "module", decls: this.moduleDecls(sub) };
    return sub.fail("unsupported", `core type \`(${w} ...)\` is not read by this parser`, l);
  }

  /** Declarators of a core module type; inline function types become `type` declarators, shared by signature. */
  moduleDecls(items: Items): TModuleDecl[] {
    const out: TModuleDecl[] = [];
    const bySignature = new Map<string, TIndex>();
    const funcTypeUse = (sub: Items, at: number, prepended: TModuleDecl[]): TIndex => {
      const ref = this.typeUseRef(sub);
      const inline = coreParamsResults(sub);
      if (ref) return ref;
      const key = JSON.stringify(inline);
      const known = bySignature.get(key);
      if (known) return known;
      // As wasm-tools does: an inline signature reuses a declared type, never another inline one.
      const id = this.gensym.id();
      prepended.push({ kind: "type", id, ...inline, at });
      return { id, at };
    };
    const desc = (sub: Items, at: number, prepended: TModuleDecl[]): TCoreImportDesc => {
      const l = sub.expectList("an import or export description");
      const d = sub.sub(l);
      const kind = d.expectWord("func", "table", "memory", "global", "tag") as TCoreImportDesc["kind"];
      d.maybeId();
      let r: TCoreImportDesc;
      if (kind === "func") r = { kind, type: funcTypeUse(d, at, prepended) };
      else if (kind === "tag") r = { kind, type: funcTypeUse(d, at, prepended) };
      else if (kind === "memory") r = { kind, limits: limits(d) };
      else if (kind === "table") {
        const lim = limits(d);
        r = { kind, limits: lim, element: coreValType(d) };
      } else {
        const m = d.maybeList("mut");
        if (m) {
          const ms = d.sub(m, 1);
          r = { kind, type: coreValType(ms), mutable: true };
          ms.end("mut");
        } else r = { kind, type: coreValType(d), mutable: false };
      }
      d.end(kind);
      return r;
    };
    while (!items.done()) {
      const node = items.expectList("a module type declarator");
      const d = items.sub(node);
      const at = node.start;
      const prepended: TModuleDecl[] = [];
      const head = d.expectWord("type", "import", "export", "alias");
      let decl: TModuleDecl;
      if (head === "type") {
        // Named or not, a defined signature is what later inline uses of it refer to.
        const id = d.maybeId() ?? this.gensym.id();
        const f = d.sub(d.expectList("`(func ...)`", "func"), 1);
        const sig = coreParamsResults(f);
        f.end("func");
        d.end("type");
        decl = { kind: "type", id, ...sig, at };
        if (!bySignature.has(JSON.stringify(sig))) bySignature.set(JSON.stringify(sig), { id, at });
      } else if (head === "import") {
        const module = d.expectText("a module name");
        const name = d.expectText("an import name");
        decl = { kind: "import", module, name, desc: desc(d, at, prepended), at };
        d.end("import");
      } else if (head === "export") {
        const name = d.expectText("an export name");
        decl = { kind: "export", name, desc: desc(d, at, prepended), at };
        d.end("export");
      } else {
        d.expectWord("outer");
        const outer = expectIndex(d, "an enclosing component");
        const index = expectIndex(d, "a core type");
        const s = d.sub(d.expectList("`(type $id?)`", "type"), 1);
        const id = s.maybeId();
        s.end("type");
        d.end("alias");
        decl = { kind: "alias", id, outer, index, at };
      }
      out.push(...prepended, decl);
    }
    return out;
  }

  // ------------------------------------------------------------------ canon

  opts(items: Items): TCanonOpt[] {
    const out: TCanonOpt[] = [];
    for (;;) {
      const w = items.peekWord();
      if (w !== null) {
        if (w === "async") out.push({ kind: "async" });
        else if (w === "gc") out.push({ kind: "gc" });
        else if (w.startsWith("string-encoding=")) {
          const e = w.slice("string-encoding=".length);
          if (e !== "utf8" && e !== "utf16" && e !== "latin1+utf16") items.fail("unexpected token", `unknown string encoding \`${e}\``);
          out.push({ kind: "string-encoding", encoding: e as StringEncoding });
        } else return out;
        items.next();
        continue;
      }
      const l = items.peekList("memory", "realloc", "post-return", "callback", "core-type");
      if (!l) return out;
      items.next();
      const sub = items.sub(l);
      const kind = sub.expectAnyWord("") as "memory" | "realloc" | "post-return" | "callback" | "core-type";
      const ref = this.coreRef(sub, kind === "memory" ? "memory" : kind === "core-type" ? "type" : "func", `the ${kind} option`);
      sub.end(kind);
      out.push({ kind, ref } as TCanonOpt);
    }
  }

  lift(items: Items, type: TIndex): TCanon {
    const f = items.expectList("`(core func ...)`", "core");
    const sub = items.sub(f, 1);
    sub.expectWord("func");
    const coreFunc: TItemRef = { space: "core func", idx: expectIndex(sub, "a core func"), exports: exportPath(sub) };
    sub.end("core func");
    const opts = this.opts(items);
    items.end("canon lift");
    return { op: "lift", coreFunc, opts, type };
  }

  /** Every built-in but `lift`, after its name. */
  canonBuiltin(items: Items, op: string, sink: TypeSink): TCanon {
    const cancellable = () => items.maybeWord("cancellable") !== null;
    const isAsync = () => items.maybeWord("async") !== null;
    let c: TCanon;
    switch (op) {
      case "lower": {
        const func = this.itemRef(items.expectList("`(func ...)`", "func"), items);
        c = { op, func, opts: this.opts(items) };
        break;
      }
      case "resource.new":
      case "resource.rep":
        c = { op, resource: this.typeRef(items) };
        break;
      case "resource.drop":
        c = { op, resource: this.typeRef(items), async: isAsync() };
        break;
      case "task.return": {
        const r = items.maybeList("result");
        let result: TValType | undefined;
        if (r) {
          const sub = items.sub(r, 1);
          result = this.valType(sub, sink);
          sub.end("result");
        }
        c = { op, ...(result !== undefined ? { result } : {}), opts: this.opts(items) };
        break;
      }
      case "context.get":
      case "context.set": {
        const type = coreValType(items);
        c = { op, type, slot: items.expectU32("a context slot") };
        break;
      }
      case "subtask.cancel":
        c = { op, async: isAsync() };
        break;
      case "stream.new":
      case "future.new":
      case "stream.drop-readable":
      case "stream.drop-writable":
      case "future.drop-readable":
      case "future.drop-writable":
        c = { op, type: this.typeRef(items) };
        break;
      case "stream.read":
      case "stream.write":
      case "future.read":
      case "future.write": {
        const type = this.typeRef(items);
        c = { op, type, opts: this.opts(items) };
        break;
      }
      case "stream.cancel-read":
      case "stream.cancel-write":
      case "future.cancel-read":
      case "future.cancel-write": {
        const type = this.typeRef(items);
        c = { op, type, async: isAsync() };
        break;
      }
      case "error-context.new":
      case "error-context.debug-message":
        c = { op, opts: this.opts(items) };
        break;
      case "waitable-set.wait":
      case "waitable-set.poll": {
        const cancel = cancellable();
        const m = items.expectList("`(memory ...)`", "memory");
        const sub = items.sub(m, 1);
        const memory = this.coreRef(sub, "memory", "a memory");
        sub.end("memory");
        c = { op, cancellable: cancel, memory };
        break;
      }
      case "thread.new-indirect": {
        const type = this.coreRef(items, "type", "a core function type");
        c = { op, type, table: this.coreRef(items, "table", "a table") };
        break;
      }
      default:
        if ((CANCELLABLE_ONLY_OPS as readonly string[]).includes(op)) c = { op: op as (typeof CANCELLABLE_ONLY_OPS)[number], cancellable: cancellable() };
        else if ((PLAIN_OPS as readonly string[]).includes(op)) c = { op: op as (typeof PLAIN_OPS)[number] };
        else return items.fail(op.startsWith("thread.spawn") ? "unsupported" : "unexpected token", `unknown canonical built-in \`${op}\``, items.peek(-1));
    }
    items.end(`canon ${op}`);
    return c;
  }
}

/** `(alias core export ...)` defines core items, the others component items (and outer aliases only aliasable sorts). */
function checkAliasSort(items: Items, target: TAliasTarget, space: IndexSpace): TAliasTarget {
  const core = space.startsWith("core ") && space !== "core module";
  if (target.kind === "core export" && !core) items.fail("unexpected token", `\`alias core export\` defines a core item, not a ${space}`);
  if (target.kind === "export" && core) items.fail("unexpected token", `\`alias export\` defines a component item, not a ${space}`);
  return target;
}
