/**
 * Structural types of a component's imports and exports: the type half of instantiation
 * (Explainer.md "Type Definitions", "Component and instance types", "Instance definitions",
 * "Alias definitions"), with indices resolved into trees that can be compared across components.
 *
 * {@link componentTypes} walks the root's definitions the way validation does, but keeps only types:
 * imports become abstract values of their declared types, nested components are instantiated at the
 * type level with their arguments (so an export built by a wit-component shim has the types of the
 * items passed in), and exports are whatever their targets resolved to (an instance export's type
 * ascription narrows it to the names it lists). Core modules, core instances and canonical builtins
 * other than `lift` carry no component types and are skipped.
 *
 * Resources keep their identity: every abstract resource an import declares (`sub resource`) is a
 * {@link Resource} whose origin is its path inside the imports (`["wasi:io/error@0.2.0", "error"]`),
 * every resource type a component defines is one with a `defined` origin numbered in definition
 * order (a nested component instantiated twice defines two). An instance type that aliases another
 * import's resource (`alias outer`) yields that same object, so `wasi:io/streams`' `error` is the
 * very `Resource` of `wasi:io/error`'s `error`. Types defined once are one object wherever they are
 * used, which lets a printer find a type's exported name by identity.
 */
import type * as Ast from "./ast";

/** Where a resource comes from, from the point of view of one component. */
export type ResourceOrigin =
  /** Declared abstractly by an import: `path[0]` is the root import's name, the rest export names inside it. */
  | { readonly kind: "import"; readonly path: readonly string[] }
  /** A resource type this component defines (numbered in definition order, nested components included). */
  | { readonly kind: "defined"; readonly id: number };

export interface Resource {
  readonly kind: "resource";
  /** The name it was declared under (the type export's name, or the component-name section's). */
  readonly name: string;
  readonly origin: ResourceOrigin;
}

export interface Field {
  readonly name: string;
  readonly type: ValueType;
}

export interface Case {
  readonly name: string;
  readonly type?: ValueType;
}

/** A value type, every index resolved. */
export type ValueType =
  | Ast.PrimValType
  | { readonly kind: "record"; readonly fields: readonly Field[] }
  | { readonly kind: "variant"; readonly cases: readonly Case[] }
  | { readonly kind: "list"; readonly element: ValueType; readonly length?: number }
  | { readonly kind: "tuple"; readonly types: readonly ValueType[] }
  | { readonly kind: "flags"; readonly names: readonly string[] }
  | { readonly kind: "enum"; readonly names: readonly string[] }
  | { readonly kind: "option"; readonly type: ValueType }
  | { readonly kind: "result"; readonly ok?: ValueType; readonly err?: ValueType }
  | { readonly kind: "own"; readonly resource: Resource }
  | { readonly kind: "borrow"; readonly resource: Resource }
  | { readonly kind: "stream"; readonly element?: ValueType }
  | { readonly kind: "future"; readonly element?: ValueType }
  | { readonly kind: "map"; readonly key: ValueType; readonly value: ValueType };

export interface FuncSig {
  readonly kind: "func";
  readonly async: boolean;
  readonly params: readonly Field[];
  readonly result?: ValueType;
}

/** A named item of an instance or component (an import or an export). */
export interface Member {
  readonly name: string;
  readonly type: ExternType;
}

export interface InstanceSig {
  readonly kind: "instance";
  readonly exports: readonly Member[];
}

export interface ComponentSig {
  readonly kind: "component";
  readonly imports: readonly Member[];
  readonly exports: readonly Member[];
}

/** A type import or export: a value type, or a resource. */
export interface TypeSig {
  readonly kind: "type";
  readonly type: ValueType | Resource;
}

/** The structural type of an import or export. */
export type ExternType =
  | FuncSig
  | InstanceSig
  | ComponentSig
  | TypeSig
  | { readonly kind: "core module" }
  | { readonly kind: "value"; readonly type: ValueType };

/** A component's imports and exports, in definition order. */
export interface ComponentTypes {
  readonly imports: readonly Member[];
  readonly exports: readonly Member[];
}

/** The AST refers to something that is not there or not of the kind it must be. */
export class ComponentTypeError extends Error {
  override name = "ComponentTypeError";
}

/** The imports and exports of `ast` as structural types. Throws {@link ComponentTypeError} for an ill-typed AST. */
export function componentTypes(ast: Ast.ComponentAst): ComponentTypes {
  return interpret(ast, null, { resources: 0 }, null, "component");
}

/** The member of `sig` at `path` (export names, outermost first), if there is one. */
export function memberAt(sig: ExternType, path: readonly string[]): ExternType | undefined {
  let at: ExternType | undefined = sig;
  for (const name of path) {
    if (at?.kind !== "instance") return undefined;
    at = at.exports.find((m) => m.name === name)?.type;
  }
  return at;
}

// ---------------------------------------------------------------------------------------------

/** What a `type` index holds: an instance or component type stays unresolved until used. */
type TypeItem =
  | ValueType
  | Resource
  | FuncSig
  | { readonly kind: "instance type"; readonly decls: readonly Ast.InstanceDecl[]; readonly scope: Scope }
  | { readonly kind: "component type"; readonly decls: readonly Ast.ComponentDecl[]; readonly scope: Scope };

/** A component definition closed over the scope it was defined in. */
interface ComponentDef {
  readonly kind: "component def";
  readonly ast: Ast.ComponentAst;
  readonly scope: Scope;
}

/** Counters shared by one resolution. */
interface Ctx {
  resources: number;
}

class Scope {
  readonly #spaces = new Map<Ast.IndexSpace, unknown[]>();
  constructor(
    readonly parent: Scope | null,
    readonly where: string,
  ) {}

  push(space: Ast.IndexSpace, v: unknown): void {
    let a = this.#spaces.get(space);
    if (!a) this.#spaces.set(space, (a = []));
    a.push(v);
  }

  get(space: Ast.IndexSpace, i: number): unknown {
    const a = this.#spaces.get(space);
    if (!a || i >= a.length) throw new ComponentTypeError(`${this.where}: ${space} ${i} is not defined`);
    return a[i];
  }

  type(i: number): TypeItem {
    return this.get("type", i) as TypeItem;
  }

  outer(count: number): Scope {
    if (count === 0) return this;
    if (!this.parent) throw new ComponentTypeError(`${this.where}: an outer alias reaches past the outermost scope`);
    return this.parent.outer(count - 1);
  }
}

const isValueType = (t: unknown): t is ValueType =>
  typeof t === "string" || (typeof t === "object" && t !== null && "kind" in t && VALUE_KINDS.has((t as { kind: string }).kind));
const VALUE_KINDS = new Set(["record", "variant", "list", "tuple", "flags", "enum", "option", "result", "own", "borrow", "stream", "future", "map"]);

function valType(t: Ast.ValType, scope: Scope): ValueType {
  if (typeof t === "string") return t;
  const item = scope.type(t);
  if (!isValueType(item)) throw new ComponentTypeError(`${scope.where}: type ${t} is a ${item.kind} where a value type is expected`);
  return item;
}

function resourceAt(i: number, scope: Scope): Resource {
  const item = scope.type(i);
  if (typeof item !== "object" || item.kind !== "resource") throw new ComponentTypeError(`${scope.where}: type ${i} is not a resource`);
  return item;
}

function funcAt(i: number, scope: Scope): FuncSig {
  const item = scope.type(i);
  if (typeof item !== "object" || item.kind !== "func") throw new ComponentTypeError(`${scope.where}: type ${i} is not a function type`);
  return item;
}

function defType(d: Ast.DefType, scope: Scope, ctx: Ctx, name: string): TypeItem {
  const v = (t: Ast.ValType) => valType(t, scope);
  /** `{ [key]: resolved }`, or nothing for an absent optional type. */
  const opt = <K extends string>(key: K, t: Ast.ValType | undefined) => (t === undefined ? {} : ({ [key]: v(t) } as Record<K, ValueType>));
  switch (d.kind) {
    case "primitive":
      return d.type;
    case "record":
      return { kind: "record", fields: d.fields.map((f) => ({ name: f.label, type: v(f.type) })) };
    case "variant":
      return { kind: "variant", cases: d.cases.map((c) => ({ name: c.label, ...opt("type", c.type) })) };
    case "list":
      return { kind: "list", element: v(d.element), ...(d.length === undefined ? {} : { length: d.length }) };
    case "tuple":
      return { kind: "tuple", types: d.types.map(v) };
    case "flags":
      return { kind: "flags", names: [...d.labels] };
    case "enum":
      return { kind: "enum", names: [...d.labels] };
    case "option":
      return { kind: "option", type: v(d.type) };
    case "result":
      return { kind: "result", ...opt("ok", d.ok), ...opt("err", d.err) };
    case "own":
    case "borrow":
      return { kind: d.kind, resource: resourceAt(d.resource, scope) };
    case "stream":
    case "future":
      return { kind: d.kind, ...opt("element", d.element) };
    case "map":
      return { kind: "map", key: v(d.key), value: v(d.value) };
    case "func":
      return { kind: "func", async: d.async, params: d.params.map((p) => ({ name: p.label, type: v(p.type) })), ...opt("result", d.result) };
    case "resource":
      return { kind: "resource", name, origin: { kind: "defined", id: ctx.resources++ } };
    case "instance":
      return { kind: "instance type", decls: d.decls, scope };
    case "component":
      return { kind: "component type", decls: d.decls, scope };
  }
}

function resolveAlias(alias: Ast.Alias, scope: Scope): unknown {
  const t = alias.target;
  switch (t.kind) {
    case "outer":
      return scope.outer(t.count).get(alias.sort, t.index);
    case "core export":
      return null;
    case "export": {
      const inst = scope.get("instance", t.instance) as InstanceSig;
      const m = inst.exports.find((x) => x.name === t.name);
      if (!m) throw new ComponentTypeError(`${scope.where}: instance ${t.instance} has no export "${t.name}"`);
      return itemOf(m.type);
    }
  }
}

/** The scope item an extern type stands for (a type export's type, or the sig itself). */
function itemOf(t: ExternType): unknown {
  return t.kind === "type" ? t.type : t;
}

/** The extern type of a scope item of `sort`. */
function externOf(sort: Ast.IndexSpace, item: unknown, ctx: Ctx, where: string): ExternType {
  switch (sort) {
    case "func":
    case "instance":
      return item as FuncSig | InstanceSig;
    case "type":
      return { kind: "type", type: item as ValueType | Resource };
    case "value":
      return { kind: "value", type: item as ValueType };
    case "component": {
      const c = item as ComponentDef | ComponentSig;
      return c.kind === "component" ? c : interpret(c.ast, c.scope, ctx, null, `${where} > component`);
    }
    case "core module":
      return { kind: "core module" };
    default:
      throw new ComponentTypeError(`${where}: a ${sort} is not a component-level item`);
  }
}

/** Makes the abstract resource for a `sub resource` declared at `path`. */
type DeclareResource = (path: readonly string[], name: string) => Resource;

const importedResource: DeclareResource = (path, name) => ({ kind: "resource", name, origin: { kind: "import", path } });

/** The item an import or an instance type's export of `desc` stands for. */
function abstractItem(desc: Ast.ExternDesc, scope: Scope, ctx: Ctx, path: readonly string[], declare: DeclareResource): unknown {
  switch (desc.sort) {
    case "func":
      return funcAt(desc.type, scope);
    case "type":
      return desc.bound.kind === "eq" ? scope.type(desc.bound.type) : declare(path, path[path.length - 1]!);
    case "instance": {
      const t = scope.type(desc.type);
      if (typeof t !== "object" || t.kind !== "instance type") throw new ComponentTypeError(`${scope.where}: type ${desc.type} is not an instance type`);
      return instanceOfType(t.decls, t.scope, ctx, path, declare);
    }
    case "component": {
      const t = scope.type(desc.type);
      if (typeof t !== "object" || t.kind !== "component type") throw new ComponentTypeError(`${scope.where}: type ${desc.type} is not a component type`);
      return componentOfType(t.decls, t.scope, ctx, path, declare);
    }
    case "value":
      return valType(desc.type, scope);
    case "core module":
      return { kind: "core module" };
  }
}

/** Walks the declarators of an instance or component type in a scope of their own. */
function walkDecls(
  decls: readonly Ast.ComponentDecl[],
  outer: Scope,
  ctx: Ctx,
  path: readonly string[],
  declare: DeclareResource,
): { imports: Member[]; exports: Member[] } {
  const scope = new Scope(outer, `${outer.where} > type of ${path.join(" > ") || "(anonymous)"}`);
  const imports: Member[] = [];
  const exports: Member[] = [];
  for (const d of decls) {
    switch (d.kind) {
      case "core type":
        scope.push("core type", null);
        break;
      case "type":
        scope.push("type", defType(d.type, scope, ctx, "resource"));
        break;
      case "alias":
        scope.push(d.alias.sort, resolveAlias(d.alias, scope));
        break;
      case "import":
      case "export": {
        const item = abstractItem(d.desc, scope, ctx, [...path, d.name.name], declare);
        scope.push(d.desc.sort, item);
        (d.kind === "import" ? imports : exports).push({ name: d.name.name, type: externOf(d.desc.sort, item, ctx, scope.where) });
        break;
      }
    }
  }
  return { imports, exports };
}

function instanceOfType(decls: readonly Ast.InstanceDecl[], outer: Scope, ctx: Ctx, path: readonly string[], declare: DeclareResource): InstanceSig {
  return { kind: "instance", exports: walkDecls(decls, outer, ctx, path, declare).exports };
}

function componentOfType(decls: readonly Ast.ComponentDecl[], outer: Scope, ctx: Ctx, path: readonly string[], declare: DeclareResource): ComponentSig {
  return { kind: "component", ...walkDecls(decls, outer, ctx, path, declare) };
}

/**
 * Walks a component's definitions. `args` are the items passed to a nested instantiation; `null`
 * for the root, whose imports are abstract values of their declared types.
 */
function interpret(ast: Ast.ComponentAst, outer: Scope | null, ctx: Ctx, args: ReadonlyMap<string, unknown> | null, where: string): ComponentSig {
  const scope = new Scope(outer, where);
  const imports: Member[] = [];
  const exports: Member[] = [];
  const nameOf = (space: Ast.IndexSpace, index: number, fallback: string) => ast.names?.sorts.get(space)?.get(index) ?? fallback;
  for (const def of ast.definitions) {
    switch (def.kind) {
      case "core module":
      case "core instance":
      case "core type":
        scope.push(def.kind, null);
        break;
      case "component":
        scope.push("component", { kind: "component def", ast: def.component, scope } satisfies ComponentDef);
        break;
      case "instance": {
        const e = def.expr;
        if (e.kind === "exports") {
          const members = e.exports.map((x) => ({ name: x.name.name, type: externOf(x.target.sort, scope.get(x.target.sort, x.target.index), ctx, where) }));
          scope.push("instance", { kind: "instance", exports: members } satisfies InstanceSig);
          break;
        }
        const c = scope.get("component", e.component) as ComponentDef | ComponentSig;
        const given = new Map(e.args.map((a) => [a.name, scope.get(a.target.sort, a.target.index)]));
        const sig = c.kind === "component" ? c : interpret(c.ast, c.scope, ctx, given, `${where} > instance ${def.index}`);
        scope.push("instance", { kind: "instance", exports: sig.exports } satisfies InstanceSig);
        break;
      }
      case "alias":
        scope.push(def.alias.sort, resolveAlias(def.alias, scope));
        break;
      case "type":
        scope.push("type", defType(def.type, scope, ctx, nameOf("type", def.index, `resource-${def.index}`)));
        break;
      case "canon":
        if (def.canon.op === "lift") scope.push("func", funcAt(def.canon.type, scope));
        else scope.push("core func", null);
        break;
      case "start":
        for (let i = 0; i < def.results; i++) scope.push("value", null);
        break;
      case "value":
        scope.push("value", valType(def.type, scope));
        break;
      case "import": {
        const name = def.name.name;
        let item: unknown;
        if (args === null) item = abstractItem(def.desc, scope, ctx, [name], importedResource);
        else if (args.has(name)) item = args.get(name);
        else if (def.desc.sort === "type" && def.desc.bound.kind === "eq") item = scope.type(def.desc.bound.type);
        else throw new ComponentTypeError(`${where}: nothing is passed for import "${name}"`);
        scope.push(def.desc.sort, item);
        imports.push({ name, type: externOf(def.desc.sort, item, ctx, where) });
        break;
      }
      case "export": {
        const item = scope.get(def.target.sort, def.target.index);
        scope.push(def.target.sort, item);
        let type = externOf(def.target.sort, item, ctx, where);
        const desc = def.desc;
        if (desc?.sort === "instance" && type.kind === "instance") {
          // An ascription narrows the instance to the names its type lists.
          const t = scope.type(desc.type);
          if (typeof t !== "object" || t.kind !== "instance type") throw new ComponentTypeError(`${where}: export "${def.name.name}" is ascribed type ${desc.type}, not an instance type`);
          const listed = t.decls.flatMap((x) => (x.kind === "export" ? [x.name.name] : []));
          const members = type.exports;
          type = { kind: "instance", exports: listed.map((n) => members.find((m) => m.name === n) ?? missing(where, def.name.name, n)) };
        }
        exports.push({ name: def.name.name, type });
        break;
      }
    }
  }
  return { kind: "component", imports, exports };
}

function missing(where: string, exportName: string, member: string): never {
  throw new ComponentTypeError(`${where}: export "${exportName}" is ascribed a type with "${member}", which the instance does not have`);
}

/** A string that is equal for two {@link Resource}s of one component exactly when they are the same resource. */
export function resourceKey(r: Resource): string {
  return r.origin.kind === "defined" ? `defined ${r.origin.id}` : `import ${r.origin.path.join(" > ")}`;
}
