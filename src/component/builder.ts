/**
 * Building component ASTs in code (composition, the `.wast` runner): each method appends one
 * definition and returns where it landed as an {@link Idx}, so a caller never counts indices.
 */
import type {
  AliasTarget,
  Canon,
  ComponentAst,
  ComponentDecl,
  ComponentNames,
  ComponentSort,
  ComponentType,
  CoreDefType,
  CoreSort,
  CustomSection,
  DefType,
  Definition,
  DefinitionInput,
  ExternDesc,
  ExternName,
  IndexSpace,
  InstanceDecl,
  InstanceType,
  Placed,
  SortIdx,
  ValType,
} from "./ast";
import { INDEX_SPACES, definitionSpace } from "./ast";
import { COMPONENT_VERSION } from "./binary";
import { copyImports, type ImportSource } from "./closure";
import { decode } from "./decode";
import { encode, encodeComponentNames, encodeProducers } from "./encode";
import { externName } from "./extern-name";

/** An index in a known index space: a {@link SortIdx} whose `sort` the type system knows. */
export interface Idx<S extends IndexSpace = IndexSpace> extends SortIdx {
  readonly sort: S;
  readonly index: number;
}

/** Counters of one scope's index spaces. */
class Spaces {
  private readonly counts = new Map<IndexSpace, number>();
  add(space: IndexSpace | null, n = 1): Placed {
    if (space === null) return { offset: 0, space, index: -1 };
    const index = this.counts.get(space) ?? 0;
    this.counts.set(space, index + n);
    return { offset: 0, space, index };
  }
  snapshot(): Record<IndexSpace, number> {
    return Object.fromEntries(INDEX_SPACES.map((s) => [s, this.counts.get(s) ?? 0])) as Record<IndexSpace, number>;
  }
}

const asName = (n: string | ExternName): ExternName => (typeof n === "string" ? externName(n) : n);

/** The result of {@link ComponentBuilder.finish}: the binary and its decoded AST (offsets, sections and all). */
export interface BuiltComponent {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly ast: ComponentAst;
}

/**
 * Builds a component definition by definition. Every method appends to the component's index
 * spaces in order, exactly as the binary will, and returns the new item's {@link Idx}; pass that
 * on (`b.export("f", f)`) or take its `.index` where the AST wants a number.
 *
 * Nothing is checked until {@link finish} (or `encode` of {@link toAst}), which refuses an index
 * past the end of its space with an `EncodeError` naming the definition. Type
 * checking (that a lifted core func has the right signature, that arguments match imports) is
 * wasm-tools' validator's job.
 *
 * @example A component that imports a function and exports it again under another name:
 * ```ts
 * const b = new ComponentBuilder();
 * const ft = b.type({ kind: "func", async: false, params: [{ label: "x", type: "u32" }], result: "u32" });
 * const f = b.import("double", { sort: "func", type: ft.index });
 * b.export("twice", f);
 * const { bytes, ast } = b.finish();
 * ```
 *
 * @example Composing: embed two components, instantiate the second with the first's export
 * as its `get` import, export the result:
 * ```ts
 * const b = new ComponentBuilder();
 * const provider = b.component(providerBytes);
 * const consumer = b.component(consumerBytes);
 * const p = b.instantiate(provider, {});
 * const get = b.alias(p, "get", "func");
 * const c = b.instantiate(consumer, { get });
 * b.export("run", b.alias(c, "run", "func"));
 * ```
 */
export class ComponentBuilder {
  readonly #definitions: Definition[] = [];
  readonly #spaces = new Spaces();
  readonly #names = new Map<IndexSpace, Map<number, string>>();
  readonly #producers = new Map<string, { name: string; version: string }[]>();
  readonly #custom: CustomSection[] = [];
  #componentName: string | undefined;

  /**
   * Appends any definition and returns where it landed (for a start, its first result value;
   * `null` for a start without results). The typed methods below are shorthands for this.
   */
  add(def: DefinitionInput): Idx | null {
    const space = definitionSpace(def);
    const placed = this.#spaces.add(space, def.kind === "start" ? def.results : 1);
    this.#definitions.push({ ...def, ...placed } as Definition);
    return space === null ? null : { sort: space, index: placed.index };
  }

  #put<S extends IndexSpace>(def: DefinitionInput): Idx<S> {
    return this.add(def) as Idx<S>;
  }

  /** A core module, as its binary (`\0asm` version 1). */
  coreModule(bytes: Uint8Array<ArrayBuffer>): Idx<"core module"> {
    return this.#put<"core module">({ kind: "core module", bytes });
  }

  /** `(core instance (instantiate m (with "name" (instance i))*))`. */
  coreInstantiate(module: Idx<"core module">, args: Readonly<Record<string, Idx<"core instance">>> = {}): Idx<"core instance"> {
    const list = Object.entries(args).map(([name, i]) => ({ name, instance: i.index }));
    return this.#put<"core instance">({ kind: "core instance", expr: { kind: "instantiate", module: module.index, args: list } });
  }

  /** A core instance made of existing core items: `(core instance (export "name" (func f))*)`. */
  coreInstance(exports: Readonly<Record<string, Idx>>): Idx<"core instance"> {
    const list = Object.entries(exports).map(([name, target]) => ({ name, target: { sort: target.sort, index: target.index } }));
    return this.#put<"core instance">({ kind: "core instance", expr: { kind: "exports", exports: list } });
  }

  coreType(type: CoreDefType): Idx<"core type"> {
    return this.#put<"core type">({ kind: "core type", type });
  }

  /** Embeds a component (its binary, or an AST such as a decoded library component or another builder's {@link toAst}). */
  component(component: ComponentAst | Uint8Array): Idx<"component"> {
    const ast = component instanceof Uint8Array ? decode(component) : component;
    return this.#put<"component">({ kind: "component", component: ast });
  }

  /** `(instance (instantiate c (with "name" item)*))`: each argument satisfies the import of that name. */
  instantiate(component: Idx<"component">, args: Readonly<Record<string, Idx>> = {}): Idx<"instance"> {
    const list = Object.entries(args).map(([name, target]) => ({ name, target: { sort: target.sort, index: target.index } }));
    return this.#put<"instance">({ kind: "instance", expr: { kind: "instantiate", component: component.index, args: list } });
  }

  /** An instance made of existing items: `(instance (export "name" item)*)`. */
  instance(exports: Readonly<Record<string, Idx>>): Idx<"instance"> {
    const list = Object.entries(exports).map(([name, target]) => ({ name: externName(name), target: { sort: target.sort, index: target.index } }));
    return this.#put<"instance">({ kind: "instance", expr: { kind: "exports", exports: list } });
  }

  /** `(alias export i "name" (sort))`: an export of a component instance. */
  alias<S extends ComponentSort | "core module">(instance: Idx<"instance">, name: string, sort: S): Idx<S> {
    return this.#alias(sort, { kind: "export", instance: instance.index, name });
  }

  /** `(alias core export i "name" (core sort))`: an export of a core instance. */
  coreAlias<S extends CoreSort>(instance: Idx<"core instance">, name: string, sort: S): Idx<`core ${S}`> {
    return this.#alias(`core ${sort}` as const, { kind: "core export", instance: instance.index, name });
  }

  /** `(alias outer count index (sort))`: item `index` of the scope `count` levels out. */
  outerAlias<S extends IndexSpace>(count: number, sort: S, index: number): Idx<S> {
    return this.#alias(sort, { kind: "outer", count, index });
  }

  #alias<S extends IndexSpace>(sort: S, target: AliasTarget): Idx<S> {
    return this.#put<S>({ kind: "alias", alias: { sort, target } });
  }

  type(type: DefType): Idx<"type"> {
    return this.#put<"type">({ kind: "type", type });
  }

  /** An instance type, built declarator by declarator in its own scope. */
  instanceType(build: (t: InstanceTypeBuilder) => void): Idx<"type"> {
    const t = new InstanceTypeBuilder();
    build(t);
    return this.type(t.finish());
  }

  /** A component type, built declarator by declarator in its own scope. */
  componentType(build: (t: ComponentTypeBuilder) => void): Idx<"type"> {
    const t = new ComponentTypeBuilder();
    build(t);
    return this.type(t.finish());
  }

  /** 🪙 `(start f (value a)* (result (value))*)`: returns the result values. */
  start(func: Idx<"func">, args: readonly Idx<"value">[], results: number): Idx<"value">[] {
    const first = this.add({ kind: "start", func: func.index, args: args.map((a) => a.index), results });
    return first ? Array.from({ length: results }, (_, i) => ({ sort: "value", index: first.index + i })) : [];
  }

  /** 🪙 A value of `type`, given as its encoding. */
  value(type: ValType, bytes: Uint8Array<ArrayBuffer>): Idx<"value"> {
    return this.#put<"value">({ kind: "value", type, bytes });
  }

  /** `canon lift` defines a component func; every other builtin a core func. */
  canon(canon: Extract<Canon, { op: "lift" }>): Idx<"func">;
  canon(canon: Exclude<Canon, { op: "lift" }>): Idx<"core func">;
  canon(canon: Canon): Idx<"func" | "core func"> {
    return this.#put<"func" | "core func">({ kind: "canon", canon });
  }

  /** An import; the name is parsed with {@link externName} when given as a string. */
  import<D extends ExternDesc>(name: string | ExternName, desc: D): Idx<D["sort"]> {
    return this.#put<D["sort"]>({ kind: "import", name: asName(name), desc });
  }

  /**
   * Imports what other components import, each with the closure of types it refers to (type
   * definitions, outer aliases inside instance types, aliases of other imported instances' type
   * exports such as resources), so that those components, embedded here, can be instantiated with
   * the new imports. Imports of one name from several sources become one import (instance types
   * merged). Returns each new import by its name here. See `closure.ts`.
   *
   * @example Forward everything a library component imports, under the same names:
   * ```ts
   * const lib = decode(bytes);
   * const names = lib.definitions.flatMap((d) => (d.kind === "import" ? [[d.name.name, d.name.name] as const] : []));
   * const imports = b.importsFrom([{ component: lib, imports: new Map(names) }]);
   * const inst = b.instantiate(b.component(lib), Object.fromEntries(imports));
   * ```
   */
  importsFrom(sources: readonly ImportSource[]): Map<string, Idx> {
    return copyImports(this, sources);
  }

  /** Exports `target` (optionally ascribing a type); the export is a new index in the same space. */
  export<S extends IndexSpace>(name: string | ExternName, target: Idx<S>, desc?: ExternDesc): Idx<S> {
    const t = { sort: target.sort, index: target.index };
    return this.#put<S>({ kind: "export", name: asName(name), target: t, ...(desc ? { desc } : {}) });
  }

  /** Names an item in the `component-name` section (engine/cm uses these in traces). */
  name(item: SortIdx, name: string): this {
    let map = this.#names.get(item.sort);
    if (!map) this.#names.set(item.sort, (map = new Map()));
    map.set(item.index, name);
    return this;
  }

  /** Names the component itself in the `component-name` section. */
  componentName(name: string): this {
    this.#componentName = name;
    return this;
  }

  /** Adds a `producers` entry, e.g. `("processed-by", "wasi-playground", "1.0")`. */
  producer(field: string, name: string, version: string): this {
    let list = this.#producers.get(field);
    if (!list) this.#producers.set(field, (list = []));
    list.push({ name, version });
    return this;
  }

  /** A custom section of any other name, written after the definitions. */
  custom(name: string, bytes: Uint8Array<ArrayBuffer>): this {
    this.#custom.push({ name, offset: 0, bytes });
    return this;
  }

  /**
   * The AST as built, not yet encoded: offsets are 0 and `sections` is empty (the encoder lays
   * out one section per run of definitions). Embed it in another builder or hand it to `encode`.
   */
  toAst(): ComponentAst {
    const custom: CustomSection[] = [];
    let names: ComponentNames | undefined;
    if (this.#componentName !== undefined || this.#names.size) {
      const sorts = new Map([...this.#names].map(([space, map]) => [space, new Map(map)]));
      names = { ...(this.#componentName !== undefined ? { component: this.#componentName } : {}), sorts };
      custom.push({ name: "component-name", offset: 0, bytes: encodeComponentNames(names) });
    }
    const producers = new Map([...this.#producers].map(([field, list]) => [field, [...list]]));
    if (producers.size) custom.push({ name: "producers", offset: 0, bytes: encodeProducers(producers) });
    return {
      version: COMPONENT_VERSION,
      offset: 0,
      size: 0,
      definitions: [...this.#definitions],
      counts: this.#spaces.snapshot(),
      sections: [],
      customSections: [...custom, ...this.#custom],
      ...(names ? { names } : {}),
      ...(producers.size ? { producers } : {}),
      customSectionWarnings: [],
    };
  }

  /**
   * Encodes the component (throwing `EncodeError` for an inconsistent one) and decodes it
   * again, so that `ast` has real offsets and core module views into `bytes`.
   */
  finish(): BuiltComponent {
    const bytes = encode(this.toAst());
    return { bytes, ast: decode(bytes) };
  }
}

/** Declarators of a component or instance type, each appended to the type's own index spaces. */
abstract class DeclBuilder {
  protected readonly decls: ComponentDecl[] = [];
  readonly #spaces = new Spaces();

  protected push<S extends IndexSpace>(decl: DeclInput, space: S): Idx<S> {
    const placed = this.#spaces.add(space);
    this.decls.push({ ...decl, ...placed } as ComponentDecl);
    return { sort: space, index: placed.index };
  }

  coreType(type: CoreDefType): Idx<"core type"> {
    return this.push({ kind: "core type", type }, "core type");
  }

  /** A type; resources are declared by exports or imports with a `sub resource` bound. */
  type(type: Exclude<DefType, { kind: "resource" }>): Idx<"type"> {
    return this.push({ kind: "type", type }, "type");
  }

  /** `(alias outer count index (sort))`: `count` 1 is the scope that defines this type. */
  outerAlias<S extends IndexSpace>(count: number, sort: S, index: number): Idx<S> {
    return this.push({ kind: "alias", alias: { sort, target: { kind: "outer", count, index } } }, sort);
  }

  /** An export; a type export with the bound `{ kind: "sub resource" }` declares a fresh resource. */
  export<D extends ExternDesc>(name: string | ExternName, desc: D): Idx<D["sort"]> {
    return this.push({ kind: "export", name: asName(name), desc }, desc.sort);
  }

  /** A func type and an export of it: the common case. */
  func(name: string, params: readonly { label: string; type: ValType }[], result?: ValType, async = false): Idx<"func"> {
    const ft = this.type({ kind: "func", async, params, ...(result !== undefined ? { result } : {}) });
    return this.export(name, { sort: "func", type: ft.index });
  }
}

/** Builds an `instancetype` (see {@link ComponentBuilder.instanceType}). */
export class InstanceTypeBuilder extends DeclBuilder {
  finish(): InstanceType {
    return { kind: "instance", decls: this.decls as InstanceDecl[] };
  }
}

/** Builds a `componenttype`: the declarators of an instance type plus imports. */
export class ComponentTypeBuilder extends DeclBuilder {
  import<D extends ExternDesc>(name: string | ExternName, desc: D): Idx<D["sort"]> {
    return this.push({ kind: "import", name: asName(name), desc }, desc.sort);
  }

  finish(): ComponentType {
    return { kind: "component", decls: this.decls };
  }
}

type DeclInput = ComponentDecl extends infer D ? (D extends ComponentDecl ? Omit<D, keyof Placed> : never) : never;
