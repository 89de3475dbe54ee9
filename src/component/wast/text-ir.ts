/**
 * A component in the text format after parsing and expansion, before name resolution: what
 * `text-parse.ts` produces and `text-resolve.ts` turns into an AST. Abbreviations are already
 * expanded the way the text format defines them (Explainer.md, "Index spaces" and the
 * abbreviations of each definition): inline type definitions became `type` fields placed just
 * before their user, inline `(export "x")` annotations became `export` fields at the end of the
 * component, inline instantiation arguments became instances. What is left are references by
 * `$name` or number, and `(sort $i "a" "b")` references through instance exports, which resolution
 * turns into `alias` definitions.
 */
import type { CanonOptionName, CoreLimits, CoreSort, CoreValType, IndexSpace, PrimValType, StringEncoding } from "../ast";

/** `$name` (with its `$`; generated names start with `#`) or a number, with where it was written. */
export type TIndex = { readonly id: string; readonly at: number } | { readonly num: number; readonly at: number };

/** An item of `space`: `idx` itself, or (with `exports`) the export path `idx "a" "b"` of an instance. */
export interface TItemRef {
  readonly space: IndexSpace;
  readonly idx: TIndex;
  readonly exports: readonly string[];
}

/** A value type after expansion: a primitive or a reference into the `type` space. */
export type TValType = PrimValType | TIndex;

export interface TExternName {
  readonly name: string;
  readonly implements?: string;
  readonly externalId?: string;
  readonly at: number;
}

export type TDefValType =
  | { readonly kind: "primitive"; readonly type: PrimValType }
  | { readonly kind: "record"; readonly fields: readonly { readonly label: string; readonly type: TValType }[] }
  | { readonly kind: "variant"; readonly cases: readonly { readonly label: string; readonly type?: TValType }[] }
  | { readonly kind: "list"; readonly element: TValType; readonly length?: number }
  | { readonly kind: "tuple"; readonly types: readonly TValType[] }
  | { readonly kind: "flags"; readonly labels: readonly string[] }
  | { readonly kind: "enum"; readonly labels: readonly string[] }
  | { readonly kind: "option"; readonly type: TValType }
  | { readonly kind: "result"; readonly ok?: TValType; readonly err?: TValType }
  | { readonly kind: "own" | "borrow"; readonly resource: TIndex }
  | { readonly kind: "stream" | "future"; readonly element?: TValType }
  | { readonly kind: "map"; readonly key: TValType; readonly value: TValType };

export interface TFuncType {
  readonly kind: "func";
  readonly async: boolean;
  readonly params: readonly { readonly label: string; readonly type: TValType }[];
  readonly result?: TValType;
}

export type TDefType =
  | TDefValType
  | TFuncType
  | { readonly kind: "component"; readonly decls: readonly TDecl[] }
  | { readonly kind: "instance"; readonly decls: readonly TDecl[] }
  | { readonly kind: "resource"; readonly dtor?: TItemRef };

/** What an import or export declares (an `externdesc`), its inline type already a reference. */
export type TItemSig = { readonly id: string | null; readonly at: number } & (
  | { readonly sort: "func" | "instance" | "component"; readonly type: TIndex }
  | { readonly sort: "core module"; readonly type: TIndex }
  | { readonly sort: "type"; readonly bound: { readonly kind: "eq"; readonly type: TIndex } | { readonly kind: "sub resource" } }
  | { readonly sort: "value"; readonly type: TValType }
);

export type TAliasTarget =
  | { readonly kind: "export"; readonly instance: TIndex; readonly name: string }
  | { readonly kind: "core export"; readonly instance: TIndex; readonly name: string }
  | { readonly kind: "outer"; readonly outer: TIndex; readonly index: TIndex };

/** Declarators of component and instance types. */
export type TDecl = { readonly at: number } & (
  | { readonly kind: "core type"; readonly id: string | null; readonly type: TCoreType }
  | { readonly kind: "type"; readonly id: string | null; readonly type: TDefType }
  | { readonly kind: "alias"; readonly id: string | null; readonly sort: IndexSpace; readonly target: TAliasTarget }
  | { readonly kind: "import" | "export"; readonly name: TExternName; readonly sig: TItemSig }
);

export type TCoreImportDesc =
  | { readonly kind: "func"; readonly type: TIndex }
  | { readonly kind: "tag"; readonly type: TIndex }
  | { readonly kind: "table"; readonly element: CoreValType; readonly limits: CoreLimits }
  | { readonly kind: "memory"; readonly limits: CoreLimits }
  | { readonly kind: "global"; readonly type: CoreValType; readonly mutable: boolean };

export type TModuleDecl = { readonly at: number } & (
  | { readonly kind: "type"; readonly id: string | null; readonly params: readonly CoreValType[]; readonly results: readonly CoreValType[] }
  | { readonly kind: "import"; readonly module: string; readonly name: string; readonly desc: TCoreImportDesc }
  | { readonly kind: "export"; readonly name: string; readonly desc: TCoreImportDesc }
  | { readonly kind: "alias"; readonly id: string | null; readonly outer: TIndex; readonly index: TIndex }
);

export type TCoreType =
  | { readonly kind: "func"; readonly params: readonly CoreValType[]; readonly results: readonly CoreValType[] }
  | { readonly kind: "module"; readonly decls: readonly TModuleDecl[] };

/** A canonical option as written (their order is kept: the binary keeps it too). */
export type TCanonOpt =
  | { readonly kind: "string-encoding"; readonly encoding: StringEncoding }
  | { readonly kind: "async" }
  | { readonly kind: "memory" | "realloc" | "post-return" | "callback"; readonly ref: TItemRef }
  | { readonly kind: "core-type"; readonly ref: TItemRef }
  | { readonly kind: "gc" };

export const OPTION_NAMES: Readonly<Record<TCanonOpt["kind"], CanonOptionName>> = {
  "string-encoding": "string-encoding",
  async: "async",
  memory: "memory",
  realloc: "realloc",
  "post-return": "post-return",
  callback: "callback",
  "core-type": "core-type",
  gc: "gc",
};

/** The canon builtins whose only immediate is `cancellable?`. */
export const CANCELLABLE_ONLY_OPS = [
  "thread.yield",
  "thread.suspend",
  "thread.suspend-then-resume",
  "thread.yield-then-resume",
  "thread.suspend-then-promote",
  "thread.yield-then-promote",
] as const;

/** Builtins with no immediates at all. */
export const PLAIN_OPS = [
  "backpressure.set",
  "backpressure.inc",
  "backpressure.dec",
  "task.cancel",
  "subtask.drop",
  "error-context.drop",
  "waitable-set.new",
  "waitable-set.drop",
  "waitable.join",
  "thread.index",
  "thread.resume-later",
  "thread.available-parallelism",
] as const;

export type TCanon =
  | { readonly op: "lift"; readonly coreFunc: TItemRef; readonly opts: readonly TCanonOpt[]; readonly type: TIndex }
  | { readonly op: "lower"; readonly func: TItemRef; readonly opts: readonly TCanonOpt[] }
  | { readonly op: "resource.new" | "resource.rep"; readonly resource: TItemRef }
  | { readonly op: "resource.drop"; readonly resource: TItemRef; readonly async: boolean }
  | { readonly op: "task.return"; readonly result?: TValType; readonly opts: readonly TCanonOpt[] }
  | { readonly op: "context.get" | "context.set"; readonly type: CoreValType; readonly slot: number }
  | { readonly op: (typeof CANCELLABLE_ONLY_OPS)[number]; readonly cancellable: boolean }
  | { readonly op: "subtask.cancel"; readonly async: boolean }
  | { readonly op: "stream.new" | "future.new" | "stream.drop-readable" | "stream.drop-writable" | "future.drop-readable" | "future.drop-writable"; readonly type: TItemRef }
  | { readonly op: "stream.read" | "stream.write" | "future.read" | "future.write"; readonly type: TItemRef; readonly opts: readonly TCanonOpt[] }
  | { readonly op: "stream.cancel-read" | "stream.cancel-write" | "future.cancel-read" | "future.cancel-write"; readonly type: TItemRef; readonly async: boolean }
  | { readonly op: "error-context.new" | "error-context.debug-message"; readonly opts: readonly TCanonOpt[] }
  | { readonly op: "waitable-set.wait" | "waitable-set.poll"; readonly cancellable: boolean; readonly memory: TItemRef }
  | { readonly op: "thread.new-indirect"; readonly type: TItemRef; readonly table: TItemRef }
  | { readonly op: (typeof PLAIN_OPS)[number] };

/** A definition of a component, in the order its index spaces grow. */
export type TField = { readonly at: number } & (
  /** `text` is the module as core WAT (`(module ...)`), for a core WAT parser. */
  | { readonly kind: "core module"; readonly id: string | null; readonly text: string }
  | {
      readonly kind: "core instance";
      readonly id: string | null;
      readonly expr:
        | { readonly kind: "instantiate"; readonly module: TItemRef; readonly args: readonly { readonly name: string; readonly instance: TItemRef }[] }
        | { readonly kind: "exports"; readonly exports: readonly { readonly name: string; readonly item: TItemRef }[] };
    }
  | { readonly kind: "core type"; readonly id: string | null; readonly type: TCoreType }
  | { readonly kind: "component"; readonly id: string | null; readonly fields: readonly TField[] }
  | {
      readonly kind: "instance";
      readonly id: string | null;
      readonly expr:
        | { readonly kind: "instantiate"; readonly component: TItemRef; readonly args: readonly { readonly name: string; readonly item: TItemRef }[] }
        | { readonly kind: "exports"; readonly exports: readonly { readonly name: TExternName; readonly item: TItemRef }[] };
    }
  | { readonly kind: "alias"; readonly id: string | null; readonly sort: IndexSpace; readonly target: TAliasTarget }
  | { readonly kind: "type"; readonly id: string | null; readonly type: TDefType }
  | { readonly kind: "canon"; readonly id: string | null; readonly canon: TCanon }
  | { readonly kind: "import"; readonly name: TExternName; readonly sig: TItemSig }
  | { readonly kind: "export"; readonly id: string | null; readonly name: TExternName; readonly item: TItemRef; readonly sig?: TItemSig }
);

/** The sorts of `core:sort` as written in the text (`(core func ...)`, `(memory ...)`, ...). */
export const CORE_SORTS: readonly CoreSort[] = ["func", "table", "memory", "global", "tag", "type", "module", "instance"];
