/**
 * Copying a component's imports, with every type they refer to, into another component: what a
 * composition needs for the imports it forwards (Explainer.md "Index spaces", "Alias definitions";
 * wac encodes its implicit imports the same way).
 *
 * An import's type lives in its component's root `type` space and may reach further types there:
 * type definitions used by its own definition, and, from inside an instance type, `alias outer 1 n`
 * declarators that name root types, typically `alias export i "error" (type)` of another imported
 * instance (a resource of `wasi:io/error` used by `wasi:io/streams`). {@link copyImports} follows
 * that closure, emitting each root type the import needs before the import, and maps every imported
 * instance it reaches to the import of the same (possibly renamed) name in the target, importing
 * that one first. Items of the target are shared: one alias per imported instance's type export,
 * one copy per source type.
 *
 * Imports of the same target name from several components become ONE import. Instance types are
 * merged: the first contribution's declarators, then each further contribution's exports that are
 * not yet there (with the declarators they need). Where contributions share an export name the
 * first one's is kept, so the caller must have checked that they agree (compose does, structurally);
 * wasm-tools' validator refuses the result otherwise. Other sorts keep the first contribution.
 */
import type { ComponentAst, ComponentDecl, DefType, ExternDesc, ImportDefinition, IndexSpace, InstanceDecl, InstanceType, SortIdx, ValType } from "./ast";

/** What the copier appends to: `ComponentBuilder` (builder.ts), whose `importsFrom` calls {@link copyImports}. */
export interface ImportTarget {
  type(type: DefType): SortIdx;
  alias(instance: SortIdx, name: string, sort: "type"): SortIdx;
  import(name: string, desc: ExternDesc): SortIdx;
}

/** The imports of one component to copy. */
export interface ImportSource {
  /** The component whose imports are copied, e.g. a decoded library component about to be embedded. */
  readonly component: ComponentAst;
  /**
   * Its imports to copy, by their name in `component`, each with the name it gets in the target.
   * Every import that the types of a listed import reach must be listed too.
   */
  readonly imports: ReadonlyMap<string, string>;
}

export class ImportCopyError extends Error {
  override name = "ImportCopyError";
}

/** Copies the imports of `sources` into `b` (see the file header); returns each target import by name. */
export function copyImports(b: ImportTarget, sources: readonly ImportSource[]): Map<string, SortIdx> {
  return new ImportCopier(b, sources).run();
}

/** Applies `f` to each type index a `deftype` refers to in the scope that defines it. */
export function mapTypeRefs(t: DefType, f: (index: number) => number): DefType {
  const v = (x: ValType): ValType => (typeof x === "number" ? f(x) : x);
  const opt = <K extends string>(key: K, x: ValType | undefined) => (x === undefined ? {} : ({ [key]: v(x) } as Record<K, ValType>));
  switch (t.kind) {
    case "primitive":
    case "flags":
    case "enum":
    case "resource":
      return t;
    case "record":
      return { ...t, fields: t.fields.map((x) => ({ label: x.label, type: v(x.type) })) };
    case "variant":
      return { ...t, cases: t.cases.map((c) => ({ label: c.label, ...opt("type", c.type) })) };
    case "list":
      return { ...t, element: v(t.element) };
    case "tuple":
      return { ...t, types: t.types.map(v) };
    case "option":
      return { ...t, type: v(t.type) };
    case "result":
      return { kind: "result", ...opt("ok", t.ok), ...opt("err", t.err) };
    case "own":
    case "borrow":
      return { ...t, resource: f(t.resource) };
    case "stream":
    case "future":
      return { kind: t.kind, ...opt("element", t.element) };
    case "map":
      return { ...t, key: v(t.key), value: v(t.value) };
    case "func":
      return { kind: "func", async: t.async, params: t.params.map((p) => ({ label: p.label, type: v(p.type) })), ...opt("result", t.result) };
    case "instance":
      return { kind: "instance", decls: mapOuterRefs(t.decls, 1, f) as InstanceDecl[] };
    case "component":
      return { kind: "component", decls: mapOuterRefs(t.decls, 1, f) };
  }
}

/** The declarators with every `alias outer` that reaches `depth` scopes out (the defining scope) mapped by `f`. */
function mapOuterRefs(decls: readonly ComponentDecl[], depth: number, f: (index: number) => number): ComponentDecl[] {
  return decls.map((d): ComponentDecl => {
    if (d.kind === "alias" && d.alias.target.kind === "outer" && d.alias.target.count === depth) {
      if (d.alias.sort !== "type") throw new ImportCopyError(`an outer alias of a ${d.alias.sort} in an imported type cannot be copied (only types can)`);
      return { ...d, alias: { sort: "type", target: { ...d.alias.target, index: f(d.alias.target.index) } } };
    }
    if (d.kind === "type" && (d.type.kind === "instance" || d.type.kind === "component")) {
      const decls = mapOuterRefs(d.type.decls, depth + 1, f);
      return { ...d, type: d.type.kind === "instance" ? { kind: "instance", decls: decls as InstanceDecl[] } : { kind: "component", decls } };
    }
    return d;
  });
}

function mapDesc(desc: ExternDesc, f: (i: number) => number, coreType: (i: number) => number): ExternDesc {
  switch (desc.sort) {
    case "func":
    case "instance":
    case "component":
      return { sort: desc.sort, type: f(desc.type) };
    case "type":
      return desc.bound.kind === "eq" ? { sort: "type", bound: { kind: "eq", type: f(desc.bound.type) } } : desc;
    case "value":
      return typeof desc.type === "number" ? { sort: "value", type: f(desc.type) } : desc;
    case "core module":
      return { sort: "core module", type: coreType(desc.type) };
  }
}

/**
 * One instance type holding the exports of all of `types` (see the file header). All are in the
 * target's scope already, so equal `alias outer` declarators are the same item and are shared.
 */
export function mergeInstanceTypes(types: readonly InstanceType[]): InstanceType {
  const [first, ...rest] = types;
  if (!first) throw new ImportCopyError("no instance types to merge");
  const decls: InstanceDecl[] = [...first.decls];
  const counts = new Map<IndexSpace, number>();
  const exports = new Map<string, number>();
  const outerAliases = new Map<string, number>();
  const aliasKey = (d: InstanceDecl) => (d.kind === "alias" && d.alias.target.kind === "outer" ? `${d.alias.sort}/${d.alias.target.count}/${d.alias.target.index}` : null);
  for (const d of decls) {
    if (d.space) counts.set(d.space, Math.max(counts.get(d.space) ?? 0, d.index + 1));
    if (d.kind === "export") exports.set(d.name.name, d.index);
    const k = aliasKey(d);
    if (k) outerAliases.set(k, d.index);
  }
  for (const t of rest) {
    const bySlot = new Map(t.decls.flatMap((d) => (d.space ? [[`${d.space}/${d.index}`, d] as const] : [])));
    const placed = new Map<string, number>();
    const place = (d: InstanceDecl): number => {
      const slot = `${d.space}/${d.index}`;
      const known = placed.get(slot);
      if (known !== undefined) return known;
      const k = aliasKey(d);
      let index = d.kind === "export" ? exports.get(d.name.name) : k ? outerAliases.get(k) : undefined;
      if (index === undefined) {
        const map = (space: IndexSpace) => (i: number) => {
          const dep = bySlot.get(`${space}/${i}`);
          if (!dep) throw new ImportCopyError(`instance type declarator ${describeSlot(d)} refers to ${space} ${i}, which is not declared before it`);
          return place(dep);
        };
        const mapped = remapDecl(d, map("type"), map("core type"));
        const space = d.space!;
        index = counts.get(space) ?? 0;
        counts.set(space, index + 1);
        decls.push({ ...mapped, offset: 0, space, index } as InstanceDecl);
        if (d.kind === "export") exports.set(d.name.name, index);
        if (k) outerAliases.set(k, index);
      }
      placed.set(slot, index);
      return index;
    };
    for (const d of t.decls) if (d.kind === "export" && !exports.has(d.name.name)) place(d);
  }
  return { kind: "instance", decls };
}

function describeSlot(d: InstanceDecl): string {
  return d.kind === "export" ? `export "${d.name.name}"` : `${d.kind} (${d.space} ${d.index})`;
}

function remapDecl(d: InstanceDecl, type: (i: number) => number, coreType: (i: number) => number): InstanceDecl {
  switch (d.kind) {
    case "type":
      return { ...d, type: mapTypeRefs(d.type, type) };
    case "export":
      return { ...d, desc: mapDesc(d.desc, type, coreType) };
    case "alias":
    case "core type":
      return d;
  }
}

// ---------------------------------------------------------------------------------------------

/** Per source component: what its root index spaces hold, for following references. */
interface SourceIndex {
  readonly component: ComponentAst;
  readonly imports: ReadonlyMap<string, string>;
  /** Root `type` index -> the definition that put it there. */
  readonly types: Map<number, ComponentAst["definitions"][number]>;
  /** Root `instance` index -> its import, for instances that are imports. */
  readonly importedInstances: Map<number, ImportDefinition>;
  /** Root `type` index -> its copy in the target. */
  readonly copies: Map<number, SortIdx>;
}

class ImportCopier {
  readonly #sources: SourceIndex[];
  /** Target name -> the imports that contribute to it, in order. */
  readonly #contributions = new Map<string, { source: SourceIndex; def: ImportDefinition }[]>();
  readonly #done = new Map<string, SortIdx>();
  readonly #pending = new Set<string>();
  /** `alias export` of a target instance's type export, by `instance/name`. */
  readonly #aliases = new Map<string, SortIdx>();

  constructor(
    private readonly b: ImportTarget,
    sources: readonly ImportSource[],
  ) {
    this.#sources = sources.map((s) => {
      const types = new Map<number, ComponentAst["definitions"][number]>();
      const importedInstances = new Map<number, ImportDefinition>();
      const byName = new Map<string, ImportDefinition>();
      for (const d of s.component.definitions) {
        if (d.space === "type") types.set(d.index, d);
        if (d.kind === "import") {
          byName.set(d.name.name, d);
          if (d.space === "instance") importedInstances.set(d.index, d);
        }
      }
      const source = { component: s.component, imports: s.imports, types, importedInstances, copies: new Map() };
      for (const [name, as] of s.imports) {
        const def = byName.get(name);
        if (!def) throw new ImportCopyError(`the component has no import "${name}" to copy`);
        let list = this.#contributions.get(as);
        if (!list) this.#contributions.set(as, (list = []));
        list.push({ source, def });
      }
      return source;
    });
  }

  run(): Map<string, SortIdx> {
    for (const name of this.#contributions.keys()) this.#import(name);
    return new Map(this.#done);
  }

  #import(name: string): SortIdx {
    const done = this.#done.get(name);
    if (done) return done;
    if (this.#pending.has(name)) throw new ImportCopyError(`the types of import "${name}" depend on themselves`);
    this.#pending.add(name);
    const contributions = this.#contributions.get(name)!;
    const [first] = contributions;
    const desc = first!.def.desc;
    let idx: SortIdx;
    if (desc.sort === "instance") {
      const types = contributions.map(({ source, def }) => this.#instanceType(source, (def.desc as { type: number }).type));
      const t = this.b.type(mergeInstanceTypes(types));
      idx = this.b.import(name, { sort: "instance", type: t.index });
    } else {
      const source = first!.source;
      const f = (i: number) => this.#copy(source, i).index;
      idx = this.b.import(name, mapDesc(desc, f, () => {
        throw new ImportCopyError(`import "${name}" is a core module; copying core module types is not supported`);
      }));
    }
    this.#pending.delete(name);
    this.#done.set(name, idx);
    return idx;
  }

  /** The instance type at root `index` of `source`, mapped into the target (its dependencies copied), not yet emitted. */
  #instanceType(source: SourceIndex, index: number): InstanceType {
    const def = source.types.get(index);
    if (def?.kind !== "type" || def.type.kind !== "instance") throw new ImportCopyError(`type ${index} of the component is not an instance type`);
    return mapTypeRefs(def.type, (i) => this.#copy(source, i).index) as InstanceType;
  }

  /** Root type `index` of `source`, copied into the target once. */
  #copy(source: SourceIndex, index: number): SortIdx {
    const known = source.copies.get(index);
    if (known) return known;
    const def = source.types.get(index);
    let idx: SortIdx;
    switch (def?.kind) {
      case "type":
        if (def.type.kind === "resource") throw new ImportCopyError(`an import refers to resource type ${index}, which the component defines itself`);
        idx = this.b.type(mapTypeRefs(def.type, (i) => this.#copy(source, i).index));
        break;
      case "alias": {
        const t = def.alias.target;
        const imported = t.kind === "export" ? source.importedInstances.get(t.instance) : undefined;
        if (t.kind !== "export" || !imported) throw new ImportCopyError(`an import refers to type ${index}, an alias of something other than an imported instance's export`);
        const inst = this.#import(this.#targetName(source, imported.name.name));
        const key = `${inst.index}/${t.name}`;
        idx = this.#aliases.get(key) ?? this.b.alias(inst, t.name, "type");
        this.#aliases.set(key, idx);
        break;
      }
      case "import":
        idx = this.#import(this.#targetName(source, def.name.name));
        break;
      default:
        throw new ImportCopyError(`an import refers to type ${index}, which is ${def ? `a ${def.kind}` : "not defined"}; only type definitions, imported types and aliases of imported instances' types can be copied`);
    }
    source.copies.set(index, idx);
    return idx;
  }

  #targetName(source: SourceIndex, name: string): string {
    const as = source.imports.get(name);
    if (as === undefined) throw new ImportCopyError(`an import's types refer to import "${name}", which is not among the imports being copied`);
    return as;
  }
}
