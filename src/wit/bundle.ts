/**
 * One WIT source for wasm-tools from a project's files: the root package (all `.wit` files of the
 * project's `wit/` folder, one `package` header) followed by each dependency as a nested
 * `package name { ... }` block (WIT.md "Package Names": nested package notation). Dependencies
 * come from the project's `wit/deps/` and, for packages the project does not supply itself, from
 * the vendored WASI packages; only packages the root reaches through `use`, `import`, `export`
 * or `include` are added, so wasm-tools parses no more than it must.
 */
import type { SourceDiagnostic } from "../protocol/authoring-api";
import type { PackageItem, UsePath, WitFile } from "./ast";
import { parseWit } from "./parser";
import type { SourceFile } from "./model";
import { lineCol } from "./position";

export interface Bundle {
  source: string;
  /** The root package's name, or null when no file declares one. */
  rootPackage: string | null;
  /** World names in the root package, in file order. */
  worlds: string[];
  /** Packages added from dependencies, in order. */
  deps: string[];
  /** Problems found while bundling (conflicting package headers). */
  problems: SourceDiagnostic[];
  /** Where each project file's text starts in `source` (its header, if any, is blanked to keep columns). */
  segments: Array<{ path: string; start: number; end: number }>;
  /** A world was added because the root package has none (componentEmbed needs one). */
  syntheticWorld: string | null;
}

export const SYNTHETIC_WORLD = "playground-check-only";

/** Parses once per text: dependency files are the same on every keystroke. */
export class ParseCache {
  readonly #cache = new Map<string, WitFile>();
  get(text: string): WitFile {
    let ast = this.#cache.get(text);
    if (!ast) {
      ast = parseWit(text);
      if (this.#cache.size > 500) this.#cache.clear();
      this.#cache.set(text, ast);
    }
    return ast;
  }
}

/** The text with its `package name;` header replaced by spaces (offsets and lines unchanged). */
function blankHeader(text: string, ast: WitFile): string {
  if (!ast.package) return text;
  const start = text.lastIndexOf("package", ast.package.span.start);
  const semi = text.indexOf(";", ast.package.span.end);
  if (start < 0 || semi < 0) return text;
  return text.slice(0, start) + text.slice(start, semi + 1).replace(/[^\n]/g, " ") + text.slice(semi + 1);
}

/** Packages a file refers to by qualified path: `[base, version | null]`. */
function referencedPackages(ast: WitFile): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  const path = (p: UsePath) => {
    if (p.kind === "qualified") out.push([p.pkg.base, p.pkg.version]);
  };
  const items = (list: readonly PackageItem[]) => {
    for (const item of list) {
      if (item.kind === "top-use") path(item.path);
      else if (item.kind === "interface") for (const i of item.items) if (i.kind === "use") path(i.path);
      if (item.kind === "world") {
        for (const w of item.items) {
          if (w.kind === "use" || w.kind === "include") path(w.path);
          if ((w.kind === "import" || w.kind === "export") && w.extern.kind === "path") path(w.extern.path);
          if ((w.kind === "import" || w.kind === "export") && w.extern.kind === "interface") for (const i of w.extern.items) if (i.kind === "use") path(i.path);
        }
      }
    }
  };
  for (const item of ast.items) items(item.kind === "package" ? item.items : [item]);
  return out;
}

interface DepPackage {
  name: string;
  base: string;
  files: Array<{ text: string; ast: WitFile }>;
}

/** Groups dependency files into packages by `group`, named by their headers. */
function depPackages(files: SourceFile[], cache: ParseCache): DepPackage[] {
  const groups = new Map<string, Array<{ text: string; ast: WitFile }>>();
  for (const f of files) groups.set(f.group, [...(groups.get(f.group) ?? []), { text: f.text, ast: cache.get(f.text) }]);
  const out: DepPackage[] = [];
  for (const members of groups.values()) {
    const header = members.map((m) => m.ast.package).find((p) => p !== null);
    if (header) out.push({ name: header.text, base: header.base, files: members });
  }
  return out;
}

/**
 * `project`: the root package's files (group ignored). `deps`: the project's own dependency files
 * and then the vendored ones, grouped by package; an earlier package of the same name wins.
 */
export function bundle(project: SourceFile[], deps: SourceFile[], cache = new ParseCache()): Bundle {
  const problems: SourceDiagnostic[] = [];
  const segments: Bundle["segments"] = [];
  let rootPackage: string | null = null;
  let rootHeaderPath = "";
  const worlds: string[] = [];
  const parsed = project.map((f) => ({ ...f, ast: cache.get(f.text) }));
  for (const f of parsed) {
    const h = f.ast.package;
    if (!h) continue;
    if (rootPackage === null) {
      rootPackage = h.text;
      rootHeaderPath = f.path;
    } else if (h.text !== rootPackage) {
      const a = lineCol(f.text, h.span.start);
      const b = lineCol(f.text, h.span.end);
      problems.push({
        path: f.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, severity: "error",
        message: `package \`${h.text}\` does not match \`${rootPackage}\` declared in ${rootHeaderPath}; all files of a package declare the same name`,
      });
    }
    for (const item of f.ast.items) if (item.kind === "world") worlds.push(item.name.name);
  }

  let source = rootPackage ? `package ${rootPackage};\n` : "";
  // The files become one source, where file-scoped top-level `use`s share a scope: the same `use`
  // written in two files is kept once (blanked in the later file, keeping lines and columns).
  const seenUses = new Set<string>();
  for (const f of parsed) {
    const start = source.length;
    let text = blankHeader(f.text, f.ast);
    for (const item of f.ast.items) {
      if (item.kind !== "top-use") continue;
      const key = text.slice(item.span.start, item.span.end).replace(/\s+/g, " ");
      if (seenUses.has(key)) text = text.slice(0, item.span.start) + text.slice(item.span.start, item.span.end).replace(/[^\n]/g, " ") + text.slice(item.span.end);
      seenUses.add(key);
    }
    source += text;
    segments.push({ path: f.path, start, end: source.length });
    source += "\n";
  }
  let syntheticWorld: string | null = null;
  if (worlds.length === 0 && rootPackage) {
    syntheticWorld = SYNTHETIC_WORLD;
    source += `world ${SYNTHETIC_WORLD} {}\n`;
  }

  // Add the dependencies the root reaches, then the ones those reach.
  const available = new Map<string, DepPackage>();
  for (const p of depPackages(deps, cache)) if (!available.has(p.name)) available.set(p.name, p);
  const added: string[] = [];
  const wanted: Array<[string, string | null]> = parsed.flatMap((f) => referencedPackages(f.ast));
  const nestedInProject = new Set(parsed.flatMap((f) => f.ast.items.flatMap((i) => (i.kind === "package" ? [i.name.text] : []))));
  while (wanted.length > 0) {
    const [base, version] = wanted.pop()!;
    const matches = [...available.values()].filter((p) => (version ? p.name === `${base}@${version}` : p.base === base));
    for (const dep of matches) {
      if (added.includes(dep.name) || dep.name === rootPackage || nestedInProject.has(dep.name)) continue;
      added.push(dep.name);
      source += `package ${dep.name} {\n`;
      const hoisted: string[] = [];
      for (const file of dep.files) {
        let text = blankHeader(file.text, file.ast);
        // A nested package inside a dependency file moves to the top level (blocks do not nest).
        for (const item of [...file.ast.items].reverse()) {
          if (item.kind !== "package") continue;
          hoisted.push(text.slice(item.span.start, item.span.end));
          text = text.slice(0, item.span.start) + text.slice(item.span.end);
          wanted.push([item.name.base, item.name.version]);
        }
        source += `${text}\n`;
        wanted.push(...referencedPackages(file.ast));
      }
      source += "}\n";
      for (const h of hoisted) source += `${h}\n`;
    }
  }
  return { source, rootPackage, worlds, deps: added, problems, segments, syntheticWorld };
}
