/**
 * The component binary AST, as produced by {@link decode}: one node per production of the
 * component model's `design/mvp/Binary.md` (names follow it; the async builtins follow
 * `CanonicalABI.md`), nothing resolved.
 *
 * Index spaces stay explicit. Every index in this AST (`type`, `func`, `instance`, ...) is a raw
 * index into the index space named next to it, in the scope it appears in; the decoder never looks
 * one up. What the decoder adds is bookkeeping a linker needs to walk definitions in order: each
 * {@link Definition} (and each declarator inside a component, instance or core module type) says
 * which index space it appends to (`space`) and the index it receives there (`index`). Walking
 * `definitions` in order and pushing each onto `space` rebuilds exactly the index spaces validation
 * builds; {@link ComponentAst.counts} gives their final sizes.
 *
 * Scopes (Explainer.md, "Index spaces"): each component (the root and every nested
 * {@link ComponentDefinition}) has its own index spaces ({@link INDEX_SPACES}). Each component type, instance type
 * and core module type starts with empty ones of its own; `outer` aliases count enclosing scopes
 * outwards from 0 (this scope).
 *
 * Offsets are absolute byte offsets in the array given to `decode`.
 */

/** `core:sort` (Binary.md "Instance Definitions"). `tag` (0x04) is the exception-handling sort wasm-tools accepts. */
export type CoreSort = "func" | "table" | "memory" | "global" | "tag" | "type" | "module" | "instance";

/** The component-level `sort`s other than `core`. */
export type ComponentSort = "func" | "value" | "type" | "component" | "instance";

/**
 * One index space of a scope: `"core func"`, `"core memory"`, ... for core sorts, `"func"`,
 * `"type"`, ... for component sorts. A `sortidx` is a pair of this and an index.
 */
export type IndexSpace = `core ${CoreSort}` | ComponentSort;

/** `sortidx` / `core:sortidx`: an index into the named index space of the current scope. */
export interface SortIdx {
  readonly sort: IndexSpace;
  readonly index: number;
}

/** Where a definition or declarator lands: its index space and its index in it. */
export interface Placed {
  /** Byte offset where the definition starts. */
  readonly offset: number;
  /** The index space this definition appends to, or `null` when it adds to none. */
  readonly space: IndexSpace | null;
  /** Its index in `space` (meaningless when `space` is `null`). */
  readonly index: number;
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * `importname'` / `exportname'`. `name` is the string exactly as encoded; `version` is taken from
 * an interface name's `@x.y.z` suffix (`wasi:cli/run@0.3.0` has name `wasi:cli/run@0.3.0`,
 * `unversioned` `wasi:cli/run`, version `0.3.0`) or from a `versionsuffix` name option.
 */
export interface ExternName {
  readonly name: string;
  /** `name` without its `@version`, the key a host matches with semver. */
  readonly unversioned: string;
  readonly version?: string;
  /** True for an interface name (`ns:pkg/iface`), false for a plain name (`run`, `[method]r.m`). */
  readonly isInterface: boolean;
  /**
   * The discriminator byte: 0x00 (current), 0x01 (legacy "interface" marker, same meaning), 0x02
   * (followed by name options: `implements`, `versionsuffix`, `external-id`).
   */
  readonly encoding: 0 | 1 | 2;
  /** 0x02 name option 0x00 `(implements "ns:pkg/iface")`. */
  readonly implements?: string;
  /** 0x02 name option 0x01 `versionsuffix`, as encoded. */
  readonly versionSuffix?: string;
  /** 0x02 name option 0x02 `(external-id "...")`: any string, for the host to identify the import or export by. */
  readonly externalId?: string;
}

// ---------------------------------------------------------------------------------------------
// Value types (Binary.md "Type Definitions")

/** `primvaltype`; `error-context` (0x64) is a primitive in the binary format. */
export type PrimValType =
  | "bool"
  | "s8"
  | "u8"
  | "s16"
  | "u16"
  | "s32"
  | "u32"
  | "s64"
  | "u64"
  | "f32"
  | "f64"
  | "char"
  | "string"
  | "error-context";

/** `valtype`: a primitive, or an index into the current scope's `type` index space. */
export type ValType = PrimValType | number;

export interface LabelValType {
  readonly label: string;
  readonly type: ValType;
}

export interface VariantCase {
  readonly label: string;
  readonly type?: ValType;
}

/** `defvaltype`. */
export type DefValType =
  | { readonly kind: "primitive"; readonly type: PrimValType }
  | { readonly kind: "record"; readonly fields: readonly LabelValType[] }
  | { readonly kind: "variant"; readonly cases: readonly VariantCase[] }
  /** `list<t>`; with `length`, the fixed-length `list<t, n>` (0x67). */
  | { readonly kind: "list"; readonly element: ValType; readonly length?: number }
  | { readonly kind: "tuple"; readonly types: readonly ValType[] }
  | { readonly kind: "flags"; readonly labels: readonly string[] }
  | { readonly kind: "enum"; readonly labels: readonly string[] }
  | { readonly kind: "option"; readonly type: ValType }
  | { readonly kind: "result"; readonly ok?: ValType; readonly err?: ValType }
  /** `own`/`borrow` name a resource type in the `type` index space. */
  | { readonly kind: "own"; readonly resource: number }
  | { readonly kind: "borrow"; readonly resource: number }
  /** `stream<t>` / `stream` (no element). */
  | { readonly kind: "stream"; readonly element?: ValType }
  | { readonly kind: "future"; readonly element?: ValType }
  /** `map<k, v>` (0x63), as wasm-tools encodes it. */
  | { readonly kind: "map"; readonly key: ValType; readonly value: ValType };

/** `functype` (0x40) and `async` functype (0x43). `result` absent: no result. */
export interface FuncType {
  readonly kind: "func";
  readonly async: boolean;
  readonly params: readonly LabelValType[];
  readonly result?: ValType;
}

/**
 * `resourcetype`: 0x3f with an optional synchronous destructor, or 0x3e with an async destructor
 * and an optional callback. Indices are core funcs of the defining component.
 */
export interface ResourceType {
  readonly kind: "resource";
  readonly rep: "i32";
  readonly dtor?: number;
  readonly dtorAsync: boolean;
  readonly dtorCallback?: number;
}

/** `componenttype`: declarators in order, in a fresh scope. */
export interface ComponentType {
  readonly kind: "component";
  readonly decls: readonly ComponentDecl[];
}

/** `instancetype`: declarators in order, in a fresh scope. */
export interface InstanceType {
  readonly kind: "instance";
  readonly decls: readonly InstanceDecl[];
}

/** `deftype` (plus `resourcetype`, which the type section also holds). */
export type DefType = DefValType | FuncType | ComponentType | InstanceType | ResourceType;

/** `typebound`. `sub resource` introduces a fresh abstract resource type. */
export type TypeBound = { readonly kind: "eq"; readonly type: number } | { readonly kind: "sub resource" };

/**
 * `externdesc`. `sort` is also the index space an import or export of this desc appends to
 * (`"core module"` for the `0x00 0x11` form).
 */
export type ExternDesc =
  | { readonly sort: "core module"; readonly type: number }
  | { readonly sort: "func"; readonly type: number }
  /** `value` (🪙): wasm-tools encodes the value's type directly after 0x02. */
  | { readonly sort: "value"; readonly type: ValType }
  | { readonly sort: "type"; readonly bound: TypeBound }
  | { readonly sort: "component"; readonly type: number }
  | { readonly sort: "instance"; readonly type: number };

/** Declarators of component and instance types; `Placed` is relative to the type's own scope. */
export type InstanceDecl =
  | (Placed & { readonly kind: "core type"; readonly type: CoreDefType })
  | (Placed & { readonly kind: "type"; readonly type: DefType })
  | (Placed & { readonly kind: "alias"; readonly alias: Alias })
  | (Placed & { readonly kind: "export"; readonly name: ExternName; readonly desc: ExternDesc });

export type ComponentDecl =
  | InstanceDecl
  | (Placed & { readonly kind: "import"; readonly name: ExternName; readonly desc: ExternDesc });

// ---------------------------------------------------------------------------------------------
// Core types (only what components declare: functypes and module types)

/** Core value types; typed references as `{ ref }`. */
export type CoreValType =
  | "i32"
  | "i64"
  | "f32"
  | "f64"
  | "v128"
  | { readonly kind: "ref"; readonly nullable: boolean; readonly heap: CoreHeapType };

/** An abstract heap type by name (`func`, `extern`, `any`, ...) or a core type index. */
export type CoreHeapType = string | number;

export interface CoreLimits {
  readonly min: bigint;
  readonly max?: bigint;
  readonly shared: boolean;
  /** memory64 / table64 (index type i64). */
  readonly is64: boolean;
}

export type CoreImportDesc =
  | { readonly kind: "func"; readonly type: number }
  | { readonly kind: "table"; readonly element: CoreValType; readonly limits: CoreLimits }
  | { readonly kind: "memory"; readonly limits: CoreLimits }
  | { readonly kind: "global"; readonly type: CoreValType; readonly mutable: boolean }
  | { readonly kind: "tag"; readonly type: number };

/** Declarators of a core module type, in the module type's own scope. */
export type ModuleDecl =
  | (Placed & { readonly kind: "import"; readonly module: string; readonly name: string; readonly desc: CoreImportDesc })
  | (Placed & { readonly kind: "type"; readonly type: CoreDefType })
  /** Only `outer` aliases (of core types) exist in module types. */
  | (Placed & { readonly kind: "alias"; readonly sort: CoreSort; readonly target: { readonly kind: "outer"; readonly count: number; readonly index: number } })
  | (Placed & { readonly kind: "export"; readonly name: string; readonly desc: CoreImportDesc });

/**
 * `core:deftype`: a core function type (optionally `shared`, optionally declared as a GC `sub`
 * type: `0x00 0x50` non-final, `0x4f` final, with its supertypes) or a core module type (0x50).
 */
export type CoreDefType =
  | {
      readonly kind: "func";
      readonly shared: boolean;
      readonly params: readonly CoreValType[];
      readonly results: readonly CoreValType[];
      readonly sub?: { readonly final: boolean; readonly supertypes: readonly number[] };
    }
  | { readonly kind: "module"; readonly decls: readonly ModuleDecl[] };

// ---------------------------------------------------------------------------------------------
// Instances and aliases

export type CoreInstanceExpr =
  /** `(instantiate m (with name (instance i))*)`: `module` in `core module`, each `instance` in `core instance`. */
  | { readonly kind: "instantiate"; readonly module: number; readonly args: readonly { readonly name: string; readonly instance: number }[] }
  /** An instance made of inline exports (`core:inlineexport`), each a core sortidx. */
  | { readonly kind: "exports"; readonly exports: readonly { readonly name: string; readonly target: SortIdx }[] };

export type InstanceExpr =
  /** `(instantiate c (with name sortidx)*)`: `component` in `component`. */
  | { readonly kind: "instantiate"; readonly component: number; readonly args: readonly { readonly name: string; readonly target: SortIdx }[] }
  | { readonly kind: "exports"; readonly exports: readonly { readonly name: ExternName; readonly target: SortIdx }[] };

/** `aliastarget`. */
export type AliasTarget =
  /** Export `name` of component instance `instance`. */
  | { readonly kind: "export"; readonly instance: number; readonly name: string }
  /** Export `name` of core instance `instance`. */
  | { readonly kind: "core export"; readonly instance: number; readonly name: string }
  /** Index `index` of the `sort` space of the scope `count` levels out (0 = this scope). */
  | { readonly kind: "outer"; readonly count: number; readonly index: number };

/** `alias`: `sort` is both the aliased item's sort and the index space the alias appends to. */
export interface Alias {
  readonly sort: IndexSpace;
  readonly target: AliasTarget;
}

// ---------------------------------------------------------------------------------------------
// Canonical definitions (Binary.md "Canonical Definitions", CanonicalABI.md)

export type StringEncoding = "utf8" | "utf16" | "latin1+utf16";

/** `opts`: the `canonopt` vector folded into fields (the decoder rejects duplicates). */
export interface CanonOptions {
  readonly stringEncoding?: StringEncoding;
  /** Core memory index. */
  readonly memory?: number;
  /** Core func index of `realloc`. */
  readonly realloc?: number;
  /** Core func index of `post-return`. */
  readonly postReturn?: number;
  /** 🔀 `async`. */
  readonly async: boolean;
  /** 🔀 Core func index of the async `callback`. */
  readonly callback?: number;
  /** GC ABI `(core-type i)` (0x08): core type index. */
  readonly coreType?: number;
  /** GC ABI `gc` (0x09). */
  readonly gc: boolean;
  /**
   * The options in the order they were encoded, only when that differs from
   * {@link CANON_OPTION_ORDER} (hand-written WAT keeps its own order), so such a component encodes
   * back to the same bytes. Absent: the canonical order.
   */
  readonly order?: readonly CanonOptionName[];
}

export type CanonOptionName = "string-encoding" | "memory" | "realloc" | "post-return" | "async" | "callback" | "core-type" | "gc";

/** The order wasm-tools writes canonical options in (and the encoder, unless `order` says otherwise). */
export const CANON_OPTION_ORDER: readonly CanonOptionName[] = ["memory", "realloc", "string-encoding", "post-return", "async", "callback", "core-type", "gc"];

/**
 * One `canon`, discriminated by `op` (the builtin's name as written in WAT). `lift` appends to
 * `func`; every other builtin appends to `core func`. `type`/`resource` fields are indices into
 * the `type` space, `memory` into `core memory`, `table` into `core table`, `func` into `func`,
 * `coreFunc` into `core func`.
 */
export type Canon =
  | { readonly op: "lift"; readonly coreFunc: number; readonly options: CanonOptions; readonly type: number }
  | { readonly op: "lower"; readonly func: number; readonly options: CanonOptions }
  | { readonly op: "resource.new"; readonly resource: number }
  /** `async` is the 0x07 `resource.drop rt async` form. */
  | { readonly op: "resource.drop"; readonly resource: number; readonly async: boolean }
  | { readonly op: "resource.rep"; readonly resource: number }
  /** Removed from the spec in favour of `backpressure.inc`/`dec`, still found in binaries (0x08). */
  | { readonly op: "backpressure.set" }
  | { readonly op: "backpressure.inc" }
  | { readonly op: "backpressure.dec" }
  /** `result` absent: the task returns nothing. */
  | { readonly op: "task.return"; readonly result?: ValType; readonly options: CanonOptions }
  | { readonly op: "task.cancel" }
  /** `slot` is the context slot; `type` is the core value type (only `i32` today). */
  | { readonly op: "context.get" | "context.set"; readonly type: CoreValType; readonly slot: number }
  /**
   * `yield` in older texts. `cancellable` (here and on the waits and thread switches below): the
   * built-in may deliver a pending cancellation of the current task (CanonicalABI.md).
   */
  | { readonly op: "thread.yield"; readonly cancellable: boolean }
  | { readonly op: "subtask.cancel"; readonly async: boolean }
  | { readonly op: "subtask.drop" }
  | { readonly op: "stream.new" | "future.new"; readonly type: number }
  | { readonly op: "stream.read" | "stream.write" | "future.read" | "future.write"; readonly type: number; readonly options: CanonOptions }
  | {
      readonly op: "stream.cancel-read" | "stream.cancel-write" | "future.cancel-read" | "future.cancel-write";
      readonly type: number;
      readonly async: boolean;
    }
  | {
      readonly op: "stream.drop-readable" | "stream.drop-writable" | "future.drop-readable" | "future.drop-writable";
      readonly type: number;
    }
  /** ➡️ Newer than jco 1.35's wasm-tools (0x2e, 0x2f). */
  | { readonly op: "stream.forward" | "future.forward"; readonly type: number }
  | { readonly op: "error-context.new" | "error-context.debug-message"; readonly options: CanonOptions }
  | { readonly op: "error-context.drop" }
  | { readonly op: "waitable-set.new" | "waitable-set.drop" | "waitable.join" }
  | { readonly op: "waitable-set.wait" | "waitable-set.poll"; readonly cancellable: boolean; readonly memory: number }
  /** 🧵 Cooperative threads. */
  | { readonly op: "thread.index" | "thread.resume-later" }
  | { readonly op: "thread.new-indirect"; readonly type: number; readonly table: number }
  | {
      readonly op:
        | "thread.suspend"
        | "thread.suspend-then-resume"
        | "thread.yield-then-resume"
        | "thread.suspend-then-promote"
        | "thread.yield-then-promote";
      readonly cancellable: boolean;
    }
  /** 🧵② Shared-everything threads: `type` is a core type index. */
  | { readonly op: "thread.spawn-ref"; readonly type: number }
  | { readonly op: "thread.spawn-indirect"; readonly type: number; readonly table: number }
  | { readonly op: "thread.available-parallelism" };

export type CanonOp = Canon["op"];

// ---------------------------------------------------------------------------------------------
// Definitions (flattened sections, in binary order)

/** Section 1: a core module, kept as raw bytes (preamble included) for `WebAssembly.compile`. */
export interface CoreModuleDefinition extends Placed {
  readonly kind: "core module";
  /** A view into the decoded array (no copy), ready for `WebAssembly.compile`. */
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Section 2. */
export interface CoreInstanceDefinition extends Placed {
  readonly kind: "core instance";
  readonly expr: CoreInstanceExpr;
}

/** Section 3. */
export interface CoreTypeDefinition extends Placed {
  readonly kind: "core type";
  readonly type: CoreDefType;
}

/** Section 4: a nested component with its own index spaces. */
export interface ComponentDefinition extends Placed {
  readonly kind: "component";
  readonly component: ComponentAst;
}

/** Section 5. */
export interface InstanceDefinition extends Placed {
  readonly kind: "instance";
  readonly expr: InstanceExpr;
}

/** Section 6. */
export interface AliasDefinition extends Placed {
  readonly kind: "alias";
  readonly alias: Alias;
}

/** Section 7. */
export interface TypeDefinition extends Placed {
  readonly kind: "type";
  readonly type: DefType;
}

/** Section 8. */
export interface CanonDefinition extends Placed {
  readonly kind: "canon";
  readonly canon: Canon;
}

/**
 * Section 9 (🪙): calls `func` with values `args`; appends `results` values to `value`
 * (`space` is `"value"` and `index` the first result's index when `results > 0`).
 */
export interface StartDefinition extends Placed {
  readonly kind: "start";
  readonly func: number;
  readonly args: readonly number[];
  readonly results: number;
}

/** Section 10: appends to the index space of `desc.sort`. */
export interface ImportDefinition extends Placed {
  readonly kind: "import";
  readonly name: ExternName;
  readonly desc: ExternDesc;
}

/** Section 11: appends a new index aliasing `target` to `target.sort`'s space; `desc` is the optional ascription. */
export interface ExportDefinition extends Placed {
  readonly kind: "export";
  readonly name: ExternName;
  readonly target: SortIdx;
  readonly desc?: ExternDesc;
}

/** Section 12 (🪙): a value of `type`, kept as its raw encoding. */
export interface ValueDefinition extends Placed {
  readonly kind: "value";
  readonly type: ValType;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export type Definition =
  | CoreModuleDefinition
  | CoreInstanceDefinition
  | CoreTypeDefinition
  | ComponentDefinition
  | InstanceDefinition
  | AliasDefinition
  | TypeDefinition
  | CanonDefinition
  | StartDefinition
  | ImportDefinition
  | ExportDefinition
  | ValueDefinition;

// ---------------------------------------------------------------------------------------------
// Custom sections

/** Section 0, any name; `bytes` is the payload after the name (a view, no copy). */
export interface CustomSection {
  readonly name: string;
  readonly offset: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** The `component-name` custom section. Invalid name sections never fail decoding. */
export interface ComponentNames {
  readonly component?: string;
  /** Names per index space, by index. */
  readonly sorts: ReadonlyMap<IndexSpace, ReadonlyMap<number, string>>;
}

/** The `producers` custom section: field (`language`, `processed-by`, `sdk`) to name/version pairs. */
export type Producers = ReadonlyMap<string, readonly { readonly name: string; readonly version: string }[]>;

/** Where each section sits, for messages and tools. */
export interface SectionHeader {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly offset: number;
  /** Payload size in bytes. */
  readonly size: number;
}

/** A decoded component (the root or a nested one). */
export interface ComponentAst {
  /** The preamble's version field (0x0d for current components). */
  readonly version: number;
  /** Offset of the preamble. */
  readonly offset: number;
  /** Total size in bytes, preamble included. */
  readonly size: number;
  /** Every definition of every non-custom section, in binary order. */
  readonly definitions: readonly Definition[];
  /** Final size of each index space of this component's scope (spaces never added to are 0). */
  readonly counts: Readonly<Record<IndexSpace, number>>;
  readonly sections: readonly SectionHeader[];
  readonly customSections: readonly CustomSection[];
  /** From `component-name`, when present and readable. */
  readonly names?: ComponentNames;
  /** From `producers`, when present and readable. */
  readonly producers?: Producers;
  /** Why a `component-name` or `producers` section was ignored, if one was. */
  readonly customSectionWarnings: readonly string[];
}

export const INDEX_SPACES: readonly IndexSpace[] = [
  "core func",
  "core table",
  "core memory",
  "core global",
  "core tag",
  "core type",
  "core module",
  "core instance",
  "func",
  "value",
  "type",
  "component",
  "instance",
];

/** A {@link Definition} without its placement: what a builder appends. */
export type DefinitionInput = Definition extends infer D ? (D extends Definition ? Omit<D, keyof Placed> : never) : never;

/**
 * The index space a definition appends to (`null` for a start with no results): `lift` to
 * `func`, every other canon to `core func`, an alias to its sort, an import to its desc's sort,
 * an export to its target's sort.
 */
export function definitionSpace(d: DefinitionInput): IndexSpace | null {
  switch (d.kind) {
    case "core module":
    case "core instance":
    case "core type":
    case "component":
    case "instance":
    case "type":
    case "value":
      return d.kind;
    case "alias":
      return d.alias.sort;
    case "canon":
      return d.canon.op === "lift" ? "func" : "core func";
    case "start":
      return d.results > 0 ? "value" : null;
    case "import":
      return d.desc.sort;
    case "export":
      return d.target.sort;
  }
}
