/**
 * The syntax tree of one WIT file, with source spans (offsets into the file's text) on every
 * node, named after the productions of component-model `design/mvp/WIT.md`.
 */

export interface Span {
  start: number;
  end: number;
}

/** An identifier; `name` drops the `%` escape. */
export interface Ident {
  name: string;
  span: Span;
}

export interface Gate {
  kind: "since" | "unstable" | "deprecated" | "external-id";
  /** The version, feature name or external id. */
  value: string;
  span: Span;
}

/** What an item carries before it: doc comments (text without the comment markers) and gates. */
export interface Attrs {
  docs: string;
  gates: Gate[];
}

export interface PackageName {
  /** `wasi:cli@0.3.0` (namespaces, name and version, as written). */
  text: string;
  /** `wasi:cli`, without the version. */
  base: string;
  version: string | null;
  span: Span;
}

/** `types` (an interface of this package) or `wasi:cli/types@0.3.0`. */
export type UsePath =
  | { kind: "local"; name: Ident; span: Span }
  | { kind: "qualified"; pkg: PackageName; iface: Ident; span: Span };

export type BuiltinName =
  | "bool" | "char" | "string" | "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64" | "f32" | "f64" | "error-context";

export type TypeRef =
  | { kind: "builtin"; name: BuiltinName; span: Span }
  | { kind: "named"; name: Ident; span: Span }
  | { kind: "list"; elem: TypeRef; length: number | null; span: Span }
  | { kind: "option"; elem: TypeRef; span: Span }
  | { kind: "result"; ok: TypeRef | null; err: TypeRef | null; span: Span }
  | { kind: "tuple"; elems: TypeRef[]; span: Span }
  | { kind: "map"; key: TypeRef; value: TypeRef; span: Span }
  | { kind: "future" | "stream"; elem: TypeRef | null; span: Span }
  | { kind: "borrow" | "own"; resource: Ident; span: Span };

export interface Param {
  name: Ident;
  type: TypeRef;
}

export interface FuncType {
  async: boolean;
  params: Param[];
  result: TypeRef | null;
  span: Span;
}

export interface Field extends Attrs {
  name: Ident;
  type: TypeRef;
  span: Span;
}

export interface Case extends Attrs {
  name: Ident;
  type: TypeRef | null;
  span: Span;
}

export interface UseName {
  name: Ident;
  as: Ident | null;
}

interface ItemBase extends Attrs {
  /** The whole item, attributes included. */
  span: Span;
}

export interface UseItem extends ItemBase {
  kind: "use";
  path: UsePath;
  names: UseName[];
}

export interface TypeAlias extends ItemBase {
  kind: "type";
  name: Ident;
  type: TypeRef;
}

export interface RecordItem extends ItemBase {
  kind: "record";
  name: Ident;
  fields: Field[];
  body: Span;
}

export interface VariantItem extends ItemBase {
  kind: "variant";
  name: Ident;
  cases: Case[];
  body: Span;
}

export interface EnumItem extends ItemBase {
  kind: "enum";
  name: Ident;
  cases: Case[];
  body: Span;
}

export interface FlagsItem extends ItemBase {
  kind: "flags";
  name: Ident;
  flags: Case[];
  body: Span;
}

export interface ResourceFunc extends ItemBase {
  kind: "constructor" | "method" | "static";
  /** The method's name; for a constructor, the `constructor` keyword. */
  name: Ident;
  func: FuncType;
}

export interface ResourceItem extends ItemBase {
  kind: "resource";
  name: Ident;
  /** Null for `resource r;`. */
  funcs: ResourceFunc[] | null;
  body: Span | null;
}

export interface FuncItem extends ItemBase {
  kind: "func";
  name: Ident;
  func: FuncType;
}

export type TypeDef = TypeAlias | RecordItem | VariantItem | EnumItem | FlagsItem | ResourceItem;
export type InterfaceItem = UseItem | TypeDef | FuncItem;

export type ExternType =
  | { kind: "func"; func: FuncType }
  | { kind: "interface"; items: InterfaceItem[]; body: Span }
  | { kind: "path"; path: UsePath };

/** `import name: extern;` / `import path;` (and the same for export). */
export interface ImportExportItem extends ItemBase {
  kind: "import" | "export";
  /** The plain name, or null for `import wasi:cli/stdout@0.3.0;`. */
  name: Ident | null;
  extern: ExternType;
}

export interface IncludeItem extends ItemBase {
  kind: "include";
  path: UsePath;
  with: Array<{ from: Ident; to: Ident }>;
}

export type WorldItem = ImportExportItem | IncludeItem | UseItem | TypeDef;

export interface InterfaceDecl extends ItemBase {
  kind: "interface";
  name: Ident;
  items: InterfaceItem[];
  body: Span;
}

export interface WorldDecl extends ItemBase {
  kind: "world";
  name: Ident;
  items: WorldItem[];
  body: Span;
}

/** A file-level `use path (as name)?;`. */
export interface TopUse extends ItemBase {
  kind: "top-use";
  path: UsePath;
  as: Ident | null;
}

export type PackageItem = InterfaceDecl | WorldDecl | TopUse;

export interface NestedPackage extends ItemBase {
  kind: "package";
  name: PackageName;
  items: PackageItem[];
  body: Span;
}

export interface ParseError {
  message: string;
  span: Span;
}

export interface WitFile {
  text: string;
  /** The `package ...;` header, if the file has one. */
  package: PackageName | null;
  items: Array<PackageItem | NestedPackage>;
  /** Syntax errors, in order; the parser recovers at `;` and `}` so later items still parse. */
  errors: ParseError[];
}
