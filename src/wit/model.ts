/**
 * What a set of WIT files means together: which packages they define, and what every name in them
 * refers to (WIT.md "Name resolution" and "WIT Packages and `use`"). Used by the editor for hover,
 * completion and outline, and to find where a wasm-tools error is when it gives no position.
 *
 * Files are grouped into packages the way wit-parser reads a directory: the files of one group
 * (the project's `wit/` folder, or one `deps/NAME` folder) make one package, named by whichever
 * of them has a `package` header; `package x { ... }` blocks add packages of their own.
 */
import type {
  ExternType, Ident, InterfaceDecl, InterfaceItem, PackageItem, Span, TopUse, TypeDef, TypeRef, UsePath, WitFile, WorldDecl, WorldItem,
} from "./ast";
import { parseWit } from "./parser";

export interface SourceFile {
  /** A name unique among the files, e.g. `wit/world.wit` or `vendor/wasi-cli-0.3.0/package.wit`. */
  path: string;
  text: string;
  /** Files with the same group form one package. */
  group: string;
}

export interface ParsedSource extends SourceFile {
  ast: WitFile;
}

/** A block whose names are looked up together: an interface (maybe inline in a world) or a world. */
export interface Scope {
  kind: "interface" | "world";
  name: string;
  items: ReadonlyArray<InterfaceItem | WorldItem>;
  pkg: PackageModel;
  file: ParsedSource;
  span: Span;
}

export interface PackageModel {
  /** `wasi:cli@0.3.0`; `(unnamed)` when no file of the group has a header. */
  name: string;
  base: string;
  version: string | null;
  interfaces: Map<string, { decl: InterfaceDecl; file: ParsedSource }>;
  worlds: Map<string, { decl: WorldDecl; file: ParsedSource }>;
  files: ParsedSource[];
}

/** Where a name is defined: a type definition (or resource), in a scope. */
export interface TypeDefinition {
  def: TypeDef;
  scope: Scope;
}

export type Occurrence =
  /** A named type in a type position (`x: point`). */
  | { kind: "type-ref"; ident: Ident; scope: Scope }
  /** A name in `use path.{name as alias}` (the original name). */
  | { kind: "use-name"; ident: Ident; path: UsePath; scope: Scope | null; file: ParsedSource }
  /** A name in an interface path (`import foo;`, `use wasi:cli/types@0.3.0.{...}`). */
  | { kind: "path"; path: UsePath; role: "interface" | "world"; file: ParsedSource; scope: Scope | null }
  /** A definition's own name. */
  | { kind: "def"; ident: Ident; item: InterfaceItem | WorldItem | PackageItem; scope: Scope | null; file: ParsedSource };

function spanOfOccurrence(o: Occurrence): Span {
  if (o.kind === "path") return o.path.span;
  return o.ident.span;
}

const contains = (s: Span, offset: number) => offset >= s.start && offset <= s.end;

export class WitModel {
  readonly files = new Map<string, ParsedSource>();
  readonly packages = new Map<string, PackageModel>();
  /** The package of each group. */
  readonly groupPackage = new Map<string, PackageModel>();
  readonly #occurrences = new Map<string, Occurrence[]>();

  /** `parse` lets callers reuse trees they already have (dependencies do not change per keystroke). */
  constructor(sources: readonly SourceFile[], parse: (text: string) => WitFile = parseWit) {
    const groups = new Map<string, ParsedSource[]>();
    for (const s of sources) {
      const file: ParsedSource = { ...s, ast: parse(s.text) };
      this.files.set(s.path, file);
      groups.set(s.group, [...(groups.get(s.group) ?? []), file]);
    }
    for (const [group, files] of groups) {
      const header = files.map((f) => f.ast.package).find((p) => p !== null) ?? null;
      const pkg = this.#package(header?.text ?? "(unnamed)", header?.base ?? "(unnamed)", header?.version ?? null);
      this.groupPackage.set(group, pkg);
      for (const f of files) {
        pkg.files.push(f);
        for (const item of f.ast.items) {
          if (item.kind === "package") {
            const nested = this.#package(item.name.text, item.name.base, item.name.version);
            nested.files.push(f);
            for (const inner of item.items) this.#add(nested, inner, f);
          } else this.#add(pkg, item, f);
        }
      }
    }
    for (const f of this.files.values()) this.#occurrences.set(f.path, this.#collect(f));
  }

  #package(name: string, base: string, version: string | null): PackageModel {
    let pkg = this.packages.get(name);
    if (!pkg) {
      pkg = { name, base, version, interfaces: new Map(), worlds: new Map(), files: [] };
      this.packages.set(name, pkg);
    }
    return pkg;
  }

  #add(pkg: PackageModel, item: PackageItem, file: ParsedSource): void {
    if (item.kind === "interface" && !pkg.interfaces.has(item.name.name)) pkg.interfaces.set(item.name.name, { decl: item, file });
    if (item.kind === "world" && !pkg.worlds.has(item.name.name)) pkg.worlds.set(item.name.name, { decl: item, file });
  }

  /** The package a file's top-level items belong to. */
  packageOfFile(path: string): PackageModel | undefined {
    const f = this.files.get(path);
    return f ? this.groupPackage.get(f.group) : undefined;
  }

  /** The package holding `offset` in `path` (a nested package block, or the file's own). */
  packageAt(path: string, offset: number): PackageModel | undefined {
    const f = this.files.get(path);
    if (!f) return undefined;
    for (const item of f.ast.items) if (item.kind === "package" && contains(item.body, offset)) return this.packages.get(item.name.text);
    return this.groupPackage.get(f.group);
  }

  /** Finds a package by the name written in a path: exact, or the only one with that base when unversioned. */
  findPackage(base: string, version: string | null): PackageModel | undefined {
    if (version !== null) return this.packages.get(`${base}@${version}`);
    const exact = this.packages.get(base);
    if (exact) return exact;
    const candidates = [...this.packages.values()].filter((p) => p.base === base);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** The interface a `use`/`import`/`export` path names, seen from `file` in package `pkg`. */
  resolveInterface(path: UsePath, pkg: PackageModel | undefined, file: ParsedSource): { decl: InterfaceDecl; file: ParsedSource; pkg: PackageModel } | undefined {
    if (path.kind === "qualified") {
      const target = this.findPackage(path.pkg.base, path.pkg.version);
      const hit = target?.interfaces.get(path.iface.name);
      return hit && target ? { ...hit, pkg: target } : undefined;
    }
    // A top-level `use x:y/z as name;` in this file gives the interface a local name.
    for (const item of topItems(file.ast)) {
      if (item.kind !== "top-use") continue;
      const local = item.as?.name ?? (item.path.kind === "qualified" ? item.path.iface.name : item.path.name.name);
      if (local === path.name.name && item.path.kind === "qualified") return this.resolveInterface(item.path, pkg, file);
    }
    const hit = pkg?.interfaces.get(path.name.name);
    return hit && pkg ? { ...hit, pkg } : undefined;
  }

  resolveWorld(path: UsePath, pkg: PackageModel | undefined): { decl: WorldDecl; file: ParsedSource; pkg: PackageModel } | undefined {
    const target = path.kind === "qualified" ? this.findPackage(path.pkg.base, path.pkg.version) : pkg;
    const name = path.kind === "qualified" ? path.iface.name : path.name.name;
    const hit = target?.worlds.get(name);
    return hit && target ? { ...hit, pkg: target } : undefined;
  }

  /** Looks `name` up in a scope: its own type definitions, then its `use`d names (followed to their definition). */
  lookupType(scope: Scope, name: string, seen = new Set<string>()): TypeDefinition | undefined {
    const key = `${scope.pkg.name}/${scope.name}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    for (const item of scope.items) if (isTypeDef(item) && item.name.name === name) return { def: item, scope };
    for (const item of scope.items) {
      if (item.kind !== "use") continue;
      for (const n of item.names) {
        if ((n.as ?? n.name).name !== name) continue;
        const target = this.resolveInterface(item.path, scope.pkg, scope.file);
        if (!target) return undefined;
        return this.lookupType(interfaceScope(target.decl, target.pkg, target.file), n.name.name, seen);
      }
    }
    return undefined;
  }

  /** Every name in a file that refers to something, in source order. */
  occurrences(path: string): readonly Occurrence[] {
    return this.#occurrences.get(path) ?? [];
  }

  /** The innermost occurrence at `offset` (an offset at the end of a name counts). */
  occurrenceAt(path: string, offset: number): Occurrence | undefined {
    let best: Occurrence | undefined;
    for (const o of this.occurrences(path)) {
      const s = spanOfOccurrence(o);
      if (contains(s, offset) && (!best || s.end - s.start <= spanOfOccurrence(best).end - spanOfOccurrence(best).start)) best = o;
    }
    return best;
  }

  /** The interface or world enclosing `offset`, innermost first (an inline interface inside a world wins). */
  scopeAt(path: string, offset: number): Scope | undefined {
    const file = this.files.get(path);
    const pkg = this.packageAt(path, offset);
    if (!file || !pkg) return undefined;
    for (const item of topItems(file.ast)) {
      if (item.kind === "interface" && contains(item.body, offset)) return interfaceScope(item, pkg, file);
      if (item.kind === "world" && contains(item.body, offset)) {
        for (const wi of item.items) {
          if ((wi.kind === "import" || wi.kind === "export") && wi.extern.kind === "interface" && contains(wi.extern.body, offset)) {
            return { kind: "interface", name: wi.name?.name ?? "", items: wi.extern.items, pkg, file, span: wi.extern.body };
          }
        }
        return worldScope(item, pkg, file);
      }
    }
    return undefined;
  }

  #collect(file: ParsedSource): Occurrence[] {
    const out: Occurrence[] = [];
    const typeRefs = (t: TypeRef | null, scope: Scope) => {
      if (!t) return;
      switch (t.kind) {
        case "named":
          out.push({ kind: "type-ref", ident: t.name, scope });
          break;
        case "borrow":
        case "own":
          out.push({ kind: "type-ref", ident: t.resource, scope });
          break;
        case "list":
        case "option":
          typeRefs(t.elem, scope);
          break;
        case "future":
        case "stream":
          typeRefs(t.elem, scope);
          break;
        case "result":
          typeRefs(t.ok, scope);
          typeRefs(t.err, scope);
          break;
        case "tuple":
          for (const e of t.elems) typeRefs(e, scope);
          break;
        case "map":
          typeRefs(t.key, scope);
          typeRefs(t.value, scope);
          break;
        case "builtin":
          break;
      }
    };
    const items = (list: ReadonlyArray<InterfaceItem | WorldItem>, scope: Scope) => {
      for (const item of list) {
        switch (item.kind) {
          case "use":
            out.push({ kind: "path", path: item.path, role: "interface", file, scope });
            for (const n of item.names) {
              out.push({ kind: "use-name", ident: n.name, path: item.path, scope, file });
              if (n.as) out.push({ kind: "def", ident: n.as, item, scope, file });
            }
            break;
          case "type":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            typeRefs(item.type, scope);
            break;
          case "record":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            for (const f of item.fields) typeRefs(f.type, scope);
            break;
          case "variant":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            for (const c of item.cases) typeRefs(c.type, scope);
            break;
          case "enum":
          case "flags":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            break;
          case "resource":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            for (const f of item.funcs ?? []) {
              for (const p of f.func.params) typeRefs(p.type, scope);
              typeRefs(f.func.result, scope);
            }
            break;
          case "func":
            out.push({ kind: "def", ident: item.name, item, scope, file });
            for (const p of item.func.params) typeRefs(p.type, scope);
            typeRefs(item.func.result, scope);
            break;
          case "import":
          case "export":
            if (item.name) out.push({ kind: "def", ident: item.name, item, scope, file });
            externRefs(item.extern, item.name, scope);
            break;
          case "include":
            out.push({ kind: "path", path: item.path, role: "world", file, scope });
            break;
        }
      }
    };
    const externRefs = (e: ExternType, name: Ident | null, world: Scope) => {
      if (e.kind === "path") out.push({ kind: "path", path: e.path, role: "interface", file, scope: world });
      else if (e.kind === "func") {
        for (const p of e.func.params) typeRefs(p.type, world);
        typeRefs(e.func.result, world);
      } else items(e.items, { kind: "interface", name: name?.name ?? "", items: e.items, pkg: world.pkg, file, span: e.body });
    };
    const top = (list: readonly PackageItem[], pkg: PackageModel | undefined) => {
      for (const item of list) {
        if (item.kind === "top-use") {
          out.push({ kind: "path", path: item.path, role: "interface", file, scope: null });
          if (item.as) out.push({ kind: "def", ident: item.as, item, scope: null, file });
          continue;
        }
        out.push({ kind: "def", ident: item.name, item, scope: null, file });
        if (!pkg) continue;
        if (item.kind === "interface") items(item.items, interfaceScope(item, pkg, file));
        else items(item.items, worldScope(item, pkg, file));
      }
    };
    const own = this.groupPackage.get(file.group);
    for (const item of file.ast.items) {
      if (item.kind === "package") top(item.items, this.packages.get(item.name.text));
      else top([item], own);
    }
    return out.sort((a, b) => spanOfOccurrence(a).start - spanOfOccurrence(b).start);
  }
}

export function isTypeDef(item: InterfaceItem | WorldItem): item is TypeDef {
  return item.kind === "type" || item.kind === "record" || item.kind === "variant" || item.kind === "enum" || item.kind === "flags" || item.kind === "resource";
}

export function interfaceScope(decl: InterfaceDecl, pkg: PackageModel, file: ParsedSource): Scope {
  return { kind: "interface", name: decl.name.name, items: decl.items, pkg, file, span: decl.body };
}

export function worldScope(decl: WorldDecl, pkg: PackageModel, file: ParsedSource): Scope {
  return { kind: "world", name: decl.name.name, items: decl.items, pkg, file, span: decl.body };
}

/** The file's top-level interfaces, worlds and uses, nested packages' included. */
export function topItems(ast: WitFile): Array<InterfaceDecl | WorldDecl | TopUse> {
  return ast.items.flatMap((i) => (i.kind === "package" ? i.items : [i]));
}

/** `ns:pkg/iface@ver` for a path, as written (local paths give the bare name). */
export function pathText(path: UsePath): string {
  return path.kind === "local" ? path.name.name : `${path.pkg.base}/${path.iface.name}${path.pkg.version ? `@${path.pkg.version}` : ""}`;
}
