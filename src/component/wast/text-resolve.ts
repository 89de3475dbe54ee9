/**
 * Name resolution (Explainer.md "Index spaces"; the text format's identifiers): turns the
 * {@link TField}s of `text-parse.ts` into a {@link ComponentAst} through {@link ComponentBuilder}.
 * Definitions are taken in order, so a name refers only to what precedes it. A name not defined
 * in the current scope but in an enclosing one becomes an `outer` alias inserted just before its
 * user, one per use (only for the sorts an outer alias may reach: core modules, core types,
 * types, components); `(sort $i "a" "b")` becomes `alias export` definitions, likewise inserted before.
 * `$names` of component-level items go to the `component-name` section.
 */
import type * as Ast from "../ast";
import { CANON_OPTION_ORDER } from "../ast";
import { ComponentBuilder } from "../builder";
import { externName } from "../extern-name";
import { positionOf, WastSyntaxError, type SyntaxErrorKind } from "./lexer";
import {
  OPTION_NAMES,
  type TAliasTarget,
  type TCanon,
  type TCanonOpt,
  type TCoreImportDesc,
  type TCoreType,
  type TDecl,
  type TDefType,
  type TExternName,
  type TField,
  type TIndex,
  type TItemRef,
  type TItemSig,
  type TModuleDecl,
  type TValType,
} from "./text-ir";

/** Core module binaries by their text, compiled before resolution. */
export type CoreModules = ReadonlyMap<string, Uint8Array<ArrayBuffer>>;

const OUTER_ALIASABLE: ReadonlySet<Ast.IndexSpace> = new Set(["core module", "core type", "type", "component"]);

abstract class Scope {
  readonly #names = new Map<Ast.IndexSpace, Map<string, number>>();

  constructor(
    readonly id: string | null,
    readonly parent: Scope | null,
    readonly text: string,
  ) {}

  fail(kind: SyntaxErrorKind, detail: string, at: number): never {
    throw new WastSyntaxError(kind, detail, at, positionOf(this.text, at));
  }

  lookup(space: Ast.IndexSpace, id: string): number | undefined {
    return this.#names.get(space)?.get(id);
  }

  register(space: Ast.IndexSpace | null, id: string | null, index: number, at: number): void {
    if (id === null || space === null) return;
    let m = this.#names.get(space);
    if (!m) this.#names.set(space, (m = new Map()));
    if (m.has(id)) this.fail("duplicate name", `duplicate ${space} identifier ${id}`, at);
    m.set(id, index);
  }

  /** Appends an alias to this scope; returns its index. */
  abstract alias(alias: Ast.Alias): number;

  /** `idx` in `space`: a number as is, a name looked up here, then outwards (with an outer alias). */
  index(idx: TIndex, space: Ast.IndexSpace): number {
    if ("num" in idx) return idx.num;
    const here = this.lookup(space, idx.id);
    if (here !== undefined) return here;
    let depth = 0;
    for (let s = this.parent; s; s = s.parent) {
      depth++;
      const found = s.lookup(space, idx.id);
      if (found === undefined) continue;
      if (!OUTER_ALIASABLE.has(space)) this.fail("outer item not aliasable", `outer item \`${idx.id.slice(1)}\` is not a module, type, or component`, idx.at);
      // A fresh alias for every use, as wasm-tools writes it (the name stays the outer item's).
      return this.alias({ sort: space, target: { kind: "outer", count: depth, index: found } });
    }
    return this.fail("unknown name", `unknown ${space}: failed to find name \`${idx.id}\``, idx.at);
  }

  /** An item reference; through instance exports it becomes aliases of those exports. */
  item(ref: TItemRef): number {
    if (ref.exports.length === 0) return this.index(ref.idx, ref.space);
    const core = ref.space.startsWith("core ") && ref.space !== "core module";
    let inst = this.index(ref.idx, core ? "core instance" : "instance");
    ref.exports.forEach((name, i) => {
      const last = i === ref.exports.length - 1;
      const sort: Ast.IndexSpace = last ? ref.space : "instance";
      inst = this.alias({ sort, target: core ? { kind: "core export", instance: inst, name } : { kind: "export", instance: inst, name } });
    });
    return inst;
  }

  /** The scope `outer` names (a count or the `$id` of an enclosing component or type), and its distance. */
  outerScope(outer: TIndex): { scope: Scope; count: number } {
    const chain: Scope[] = [];
    for (let s: Scope | null = this.parent; s; s = s.parent) chain.push(s);
    const count = [this as Scope, ...chain].findIndex((s, i) => ("num" in outer ? i === outer.num : s.id === outer.id));
    if (count >= 0) return { scope: count === 0 ? this : chain[count - 1]!, count };
    return "num" in outer
      ? this.fail("unknown name", `outer count of \`${outer.num}\` is too large`, outer.at)
      : this.fail("unknown name", `outer component \`${outer.id}\` not found`, outer.at);
  }

  aliasTarget(t: TAliasTarget, sort: Ast.IndexSpace): Ast.AliasTarget {
    switch (t.kind) {
      case "export":
        return { kind: "export", instance: this.index(t.instance, "instance"), name: t.name };
      case "core export":
        return { kind: "core export", instance: this.index(t.instance, "core instance"), name: t.name };
      case "outer": {
        // Numbers stay as written (out of range or not): validation is the judge of those.
        if ("num" in t.outer && "num" in t.index) return { kind: "outer", count: t.outer.num, index: t.index.num };
        const { scope, count } = this.outerScope(t.outer);
        const index = "num" in t.index ? t.index.num : (scope.lookup(sort, t.index.id) ?? this.fail("unknown name", `unknown ${sort}: failed to find name \`${t.index.id}\``, t.index.at));
        return { kind: "outer", count, index };
      }
    }
  }

  valType(t: TValType): Ast.ValType {
    return typeof t === "string" ? t : this.index(t, "type");
  }

  defType(t: TDefType): Ast.DefType {
    const vt = (x: TValType) => this.valType(x);
    switch (t.kind) {
      case "primitive":
      case "flags":
      case "enum":
        return t;
      case "record":
        return { kind: "record", fields: t.fields.map((f) => ({ label: f.label, type: vt(f.type) })) };
      case "variant":
        return { kind: "variant", cases: t.cases.map((c) => ({ label: c.label, ...(c.type !== undefined ? { type: vt(c.type) } : {}) })) };
      case "list":
        return { kind: "list", element: vt(t.element), ...(t.length !== undefined ? { length: t.length } : {}) };
      case "tuple":
        return { kind: "tuple", types: t.types.map(vt) };
      case "option":
        return { kind: "option", type: vt(t.type) };
      case "result":
        return { kind: "result", ...(t.ok !== undefined ? { ok: vt(t.ok) } : {}), ...(t.err !== undefined ? { err: vt(t.err) } : {}) };
      case "own":
      case "borrow":
        return { kind: t.kind, resource: this.index(t.resource, "type") };
      case "stream":
      case "future":
        return { kind: t.kind, ...(t.element !== undefined ? { element: vt(t.element) } : {}) };
      case "map":
        return { kind: "map", key: vt(t.key), value: vt(t.value) };
      case "func":
        return { kind: "func", async: t.async, params: t.params.map((p) => ({ label: p.label, type: vt(p.type) })), ...(t.result !== undefined ? { result: vt(t.result) } : {}) };
      case "component":
      case "instance": {
        const scope = new DeclScope(null, this, this.text);
        for (const d of t.decls) scope.decl(d);
        return t.kind === "component" ? { kind: "component", decls: scope.decls } : { kind: "instance", decls: scope.decls as Ast.InstanceDecl[] };
      }
      case "resource":
        return { kind: "resource", rep: "i32", ...(t.dtor ? { dtor: this.item(t.dtor) } : {}), dtorAsync: false };
    }
  }

  coreType(t: TCoreType, id: string | null): Ast.CoreDefType {
    if (t.kind === "func") return { kind: "func", shared: false, params: t.params, results: t.results };
    const scope = new ModuleTypeScope(id, this, this.text);
    for (const d of t.decls) scope.decl(d);
    return { kind: "module", decls: scope.decls };
  }

  externDesc(sig: TItemSig): Ast.ExternDesc {
    switch (sig.sort) {
      case "core module":
        return { sort: "core module", type: this.index(sig.type, "core type") };
      case "func":
      case "instance":
      case "component":
        return { sort: sig.sort, type: this.index(sig.type, "type") };
      case "value":
        return { sort: "value", type: this.valType(sig.type) };
      case "type":
        return { sort: "type", bound: sig.bound.kind === "eq" ? { kind: "eq", type: this.index(sig.bound.type, "type") } : { kind: "sub resource" } };
    }
  }
}

function name(n: TExternName): Ast.ExternName {
  return externName(n.name, { ...(n.implements !== undefined ? { implements: n.implements } : {}), ...(n.externalId !== undefined ? { externalId: n.externalId } : {}) });
}

/** Component and instance types: declarators in a scope of their own. */
class DeclScope extends Scope {
  readonly decls: Ast.ComponentDecl[] = [];
  readonly #counts = new Map<Ast.IndexSpace, number>();

  push(decl: Ast.ComponentDecl extends infer D ? (D extends Ast.ComponentDecl ? Omit<D, keyof Ast.Placed> : never) : never, space: Ast.IndexSpace | null): number {
    const index = space === null ? -1 : (this.#counts.get(space) ?? 0);
    if (space !== null) this.#counts.set(space, index + 1);
    this.decls.push({ ...decl, offset: 0, space, index } as Ast.ComponentDecl);
    return index;
  }

  alias(alias: Ast.Alias): number {
    return this.push({ kind: "alias", alias }, alias.sort);
  }

  decl(d: TDecl): void {
    switch (d.kind) {
      case "core type":
        this.register("core type", d.id, this.push({ kind: "core type", type: this.coreType(d.type, d.id) }, "core type"), d.at);
        return;
      case "type":
        this.register("type", d.id, this.push({ kind: "type", type: this.defType(d.type) }, "type"), d.at);
        return;
      case "alias": {
        const alias: Ast.Alias = { sort: d.sort, target: this.aliasTarget(d.target, d.sort) };
        this.register(d.sort, d.id, this.alias(alias), d.at);
        return;
      }
      case "import":
      case "export": {
        const desc = this.externDesc(d.sig);
        this.register(desc.sort, d.sig.id, this.push({ kind: d.kind, name: name(d.name), desc }, desc.sort), d.at);
        return;
      }
    }
  }
}

/** Core module types: their own core type index space. */
class ModuleTypeScope extends Scope {
  readonly decls: Ast.ModuleDecl[] = [];
  readonly #counts = new Map<Ast.IndexSpace, number>();

  #place(space: Ast.IndexSpace | null): Ast.Placed {
    const index = space === null ? -1 : (this.#counts.get(space) ?? 0);
    if (space !== null) this.#counts.set(space, index + 1);
    return { offset: 0, space, index };
  }

  alias(alias: Ast.Alias): number {
    if (alias.target.kind !== "outer" || alias.sort !== "core type") this.fail("unexpected token", "a core module type may only alias outer core types", 0);
    const placed = this.#place("core type");
    this.decls.push({ kind: "alias", ...placed, sort: "type", target: alias.target });
    return placed.index;
  }

  /** Types in a module type are found here only (a core module type has no implicit outer aliases). */
  typeIndex(t: TIndex): number {
    if ("num" in t) return t.num;
    return this.lookup("core type", t.id) ?? this.fail("unknown name", `unknown core type: failed to find name \`${t.id}\``, t.at);
  }

  desc(d: TCoreImportDesc): Ast.CoreImportDesc {
    switch (d.kind) {
      case "func":
      case "tag":
        return { kind: d.kind, type: this.typeIndex(d.type) };
      default:
        return d;
    }
  }

  decl(d: TModuleDecl): void {
    switch (d.kind) {
      case "type": {
        const placed = this.#place("core type");
        this.decls.push({ kind: "type", ...placed, type: { kind: "func", shared: false, params: d.params, results: d.results } });
        this.register("core type", d.id, placed.index, d.at);
        return;
      }
      case "import": {
        const desc = this.desc(d.desc);
        this.decls.push({ kind: "import", ...this.#place(`core ${desc.kind}`), module: d.module, name: d.name, desc });
        return;
      }
      case "export":
        this.decls.push({ kind: "export", ...this.#place(null), name: d.name, desc: this.desc(d.desc) });
        return;
      case "alias": {
        const { scope, count } = "num" in d.outer && "num" in d.index ? { scope: this, count: d.outer.num } : this.outerScope(d.outer);
        const index = "num" in d.index ? d.index.num : (scope.lookup("core type", d.index.id) ?? this.fail("unknown name", `unknown core type: failed to find name \`${d.index.id}\``, d.index.at));
        const placed = this.#place("core type");
        this.decls.push({ kind: "alias", ...placed, sort: "type", target: { kind: "outer", count, index } });
        this.register("core type", d.id, placed.index, d.at);
        return;
      }
    }
  }
}

/** A component: its definitions go to a {@link ComponentBuilder}. */
class ComponentScope extends Scope {
  readonly builder = new ComponentBuilder();

  constructor(
    id: string | null,
    parent: Scope | null,
    text: string,
    readonly modules: CoreModules,
  ) {
    super(id, parent, text);
    if (id !== null) this.builder.componentName(id.slice(1));
  }

  alias(alias: Ast.Alias): number {
    return this.builder.add({ kind: "alias", alias })!.index;
  }

  /** Appends `def`, registers `id` for it (and names it in the `component-name` section). */
  #define(def: Ast.DefinitionInput, id: string | null, at: number): number {
    const placed = this.builder.add(def);
    if (!placed) return -1;
    this.register(placed.sort, id, placed.index, at);
    if (id !== null && id.startsWith("$")) this.builder.name(placed, id.slice(1));
    return placed.index;
  }

  options(opts: readonly TCanonOpt[], at: number): Ast.CanonOptions {
    const o: { -readonly [K in keyof Ast.CanonOptions]: Ast.CanonOptions[K] } = { async: false, gc: false };
    const seen = new Set<string>();
    for (const opt of opts) {
      if (seen.has(opt.kind)) this.fail("duplicate canonical option", `canonical option \`${OPTION_NAMES[opt.kind]}\` is given more than once`, at);
      seen.add(opt.kind);
      switch (opt.kind) {
        case "string-encoding":
          o.stringEncoding = opt.encoding;
          break;
        case "async":
          o.async = true;
          break;
        case "gc":
          o.gc = true;
          break;
        case "memory":
          o.memory = this.item(opt.ref);
          break;
        case "realloc":
          o.realloc = this.item(opt.ref);
          break;
        case "post-return":
          o.postReturn = this.item(opt.ref);
          break;
        case "callback":
          o.callback = this.item(opt.ref);
          break;
        case "core-type":
          o.coreType = this.item(opt.ref);
          break;
      }
    }
    // The binary keeps the options in the order written; say so when it is not the usual one.
    const written = opts.map((x) => OPTION_NAMES[x.kind]);
    const usual = CANON_OPTION_ORDER.filter((k) => written.includes(k));
    if (written.some((k, i) => k !== usual[i])) o.order = written;
    return o;
  }

  canon(c: TCanon, at: number): Ast.Canon {
    switch (c.op) {
      case "lift": {
        const type = this.index(c.type, "type");
        const coreFunc = this.item(c.coreFunc);
        return { op: "lift", coreFunc, options: this.options(c.opts, at), type };
      }
      case "lower": {
        const func = this.item(c.func);
        return { op: "lower", func, options: this.options(c.opts, at) };
      }
      case "resource.new":
      case "resource.rep":
        return { op: c.op, resource: this.item(c.resource) };
      case "resource.drop":
        return { op: c.op, resource: this.item(c.resource), async: c.async };
      case "task.return": {
        const result = c.result === undefined ? undefined : this.valType(c.result);
        return { op: c.op, ...(result !== undefined ? { result } : {}), options: this.options(c.opts, at) };
      }
      case "stream.read":
      case "stream.write":
      case "future.read":
      case "future.write": {
        const type = this.item(c.type);
        return { op: c.op, type, options: this.options(c.opts, at) };
      }
      case "stream.cancel-read":
      case "stream.cancel-write":
      case "future.cancel-read":
      case "future.cancel-write":
        return { op: c.op, type: this.item(c.type), async: c.async };
      case "stream.new":
      case "future.new":
      case "stream.drop-readable":
      case "stream.drop-writable":
      case "future.drop-readable":
      case "future.drop-writable":
        return { op: c.op, type: this.item(c.type) };
      case "error-context.new":
      case "error-context.debug-message":
        return { op: c.op, options: this.options(c.opts, at) };
      case "waitable-set.wait":
      case "waitable-set.poll":
        return { op: c.op, cancellable: c.cancellable, memory: this.item(c.memory) };
      case "thread.new-indirect": {
        const type = this.item(c.type);
        return { op: c.op, type, table: this.item(c.table) };
      }
      default:
        return c;
    }
  }

  field(f: TField): void {
    switch (f.kind) {
      case "core module": {
        const bytes = this.modules.get(f.text);
        if (!bytes) throw new Error(`the core module at ${positionOf(this.text, f.at).line} was not compiled`);
        this.#define({ kind: "core module", bytes }, f.id, f.at);
        return;
      }
      case "core instance": {
        const e = f.expr;
        if (e.kind === "instantiate") {
          const module = this.item(e.module);
          const args = e.args.map((a) => ({ name: a.name, instance: this.item(a.instance) }));
          this.#define({ kind: "core instance", expr: { kind: "instantiate", module, args } }, f.id, f.at);
        } else {
          const exports = e.exports.map((x) => ({ name: x.name, target: { sort: x.item.space, index: this.item(x.item) } }));
          this.#define({ kind: "core instance", expr: { kind: "exports", exports } }, f.id, f.at);
        }
        return;
      }
      case "core type":
        this.#define({ kind: "core type", type: this.coreType(f.type, f.id) }, f.id, f.at);
        return;
      case "component": {
        const nested = new ComponentScope(f.id, this, this.text, this.modules);
        for (const g of f.fields) nested.field(g);
        this.#define({ kind: "component", component: nested.builder.toAst() }, f.id, f.at);
        return;
      }
      case "instance": {
        const e = f.expr;
        if (e.kind === "instantiate") {
          const component = this.item(e.component);
          const args = e.args.map((a) => ({ name: a.name, target: { sort: a.item.space, index: this.item(a.item) } }));
          this.#define({ kind: "instance", expr: { kind: "instantiate", component, args } }, f.id, f.at);
        } else {
          const exports = e.exports.map((x) => ({ name: name(x.name), target: { sort: x.item.space, index: this.item(x.item) } }));
          this.#define({ kind: "instance", expr: { kind: "exports", exports } }, f.id, f.at);
        }
        return;
      }
      case "alias":
        this.#define({ kind: "alias", alias: { sort: f.sort, target: this.aliasTarget(f.target, f.sort) } }, f.id, f.at);
        return;
      case "type":
        this.#define({ kind: "type", type: this.defType(f.type) }, f.id, f.at);
        return;
      case "canon":
        this.#define({ kind: "canon", canon: this.canon(f.canon, f.at) }, f.id, f.at);
        return;
      case "import":
        this.#define({ kind: "import", name: name(f.name), desc: this.externDesc(f.sig) }, f.sig.id, f.at);
        return;
      case "export": {
        const index = this.item(f.item);
        const desc = f.sig ? this.externDesc(f.sig) : undefined;
        this.#define({ kind: "export", name: name(f.name), target: { sort: f.item.space, index }, ...(desc ? { desc } : {}) }, f.id, f.at);
        return;
      }
    }
  }
}

/**
 * The AST of a component with these fields. `id` is the component's own `$name` (for `outer`
 * references to it); `text` is the script, for error positions.
 */
export function resolveComponent(fields: readonly TField[], id: string | null, text: string, modules: CoreModules): ComponentBuilder {
  const scope = new ComponentScope(id, null, text, modules);
  for (const f of fields) scope.field(f);
  return scope.builder;
}
