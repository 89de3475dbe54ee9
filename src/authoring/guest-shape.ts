/**
 * What a world asks of a componentize-qjs JS guest module, and what it offers it:
 * - exports: each world-level function as an exported function (camelCase), each exported
 *   interface as an exported object named after it (`wasi:cli/run@0.3.0` -> `run`) holding its
 *   functions (camelCase) and resource classes (PascalCase; methods on the prototype, static
 *   functions on the class);
 * - imports: each imported interface as an ES module named by its full WIT name, exporting its
 *   functions and resource classes by the same rules.
 * The stub generator (templates.ts) writes this shape; the build server checks a module against it
 * (`checkerModule`), so a missing export is a build error rather than a panic at call time.
 */
import { camelCase, pascalCase } from "../base/names";
import type { SourceDiagnostic } from "../protocol/authoring-api";
import type { FuncType, ImportExportItem, InterfaceItem, ResourceItem, Span, UsePath, WorldDecl, WorldItem } from "../wit/ast";
import { interfaceScope, type PackageModel, type ParsedSource, type Scope, type WitModel } from "../wit/model";
import { lineCol } from "../wit/position";

export type WorldExport = (
  | { kind: "func"; wit: string; js: string; func: FuncType; scope: Scope }
  /** `items`/`scope` are null when the interface is not among the model's files. */
  | { kind: "interface"; wit: string; js: string; items: readonly InterfaceItem[] | null; scope: Scope | null }
) & {
  /** The export item, in `file` (the world's, or one it includes). */
  item: ImportExportItem;
  file: ParsedSource;
  /** Where the root world asks for it: the export itself, or the `include` that brought it. */
  anchor: Span;
};

export interface WorldImport {
  /** The module specifier: `wasi:clocks/monotonic-clock@0.3.0`. */
  specifier: string;
  /** What the module exports: functions in camelCase, resource classes in PascalCase. */
  names: string[];
}

export interface GuestWorld {
  name: string;
  file: ParsedSource;
  exports: WorldExport[];
  imports: WorldImport[];
}

function specifierOf(path: UsePath, pkg: PackageModel): string {
  return path.kind === "qualified" ? `${path.pkg.base}/${path.iface.name}${path.pkg.version ? `@${path.pkg.version}` : ""}` : `${pkg.base}/${path.name.name}${pkg.version ? `@${pkg.version}` : ""}`;
}

/** A world's items with the world they are written in: its own, then those of worlds it `include`s. */
interface WorldEntry {
  item: WorldItem;
  scope: Scope;
  /** The root world's item this one comes from (itself, or an `include`). */
  anchor: Span;
}

function worldEntries(model: WitModel, decl: WorldDecl, pkg: PackageModel, file: ParsedSource, anchor: Span | null, seen: Set<string>): WorldEntry[] {
  const key = `${pkg.name}/${decl.name.name}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const scope: Scope = { kind: "world", name: decl.name.name, items: decl.items, pkg, file, span: decl.body };
  return decl.items.flatMap((item): WorldEntry[] => {
    const at = anchor ?? (item.kind === "include" ? item.path.span : item.kind === "import" || item.kind === "export" ? (item.name?.span ?? (item.extern.kind === "path" ? item.extern.path.span : item.span)) : item.span);
    if (item.kind !== "include") return [{ item, scope, anchor: at }];
    const inc = model.resolveWorld(item.path, pkg);
    return inc ? worldEntries(model, inc.decl, inc.pkg, inc.file, at, seen) : [];
  });
}

/**
 * The exports and imports of `worldName` (the package's first world when null), those of the
 * worlds it `include`s too (`include wasi:http/service@0.3.0` gives `handler`); null when there is no such world.
 */
export function guestWorld(model: WitModel, pkg: PackageModel, worldName: string | null): GuestWorld | null {
  const entry = worldName ? pkg.worlds.get(worldName) : pkg.worlds.values().next().value;
  if (!entry) return null;
  const { decl, file } = entry;
  const imports = new Map<string, string[]>();
  const exports = new Map<string, WorldExport>();
  for (const { item, scope: worldScope, anchor } of worldEntries(model, decl, pkg, file, null, new Set())) {
    const { pkg: at, file: inFile } = worldScope;
    if (item.kind === "import" && item.extern.kind === "path" && !item.name) {
      const target = model.resolveInterface(item.extern.path, at, inFile);
      const names = target ? target.decl.items.flatMap((i) => (i.kind === "func" ? [camelCase(i.name.name)] : i.kind === "resource" ? [pascalCase(i.name.name)] : [])) : [];
      imports.set(specifierOf(item.extern.path, at), names);
    }
    if (item.kind !== "export") continue;
    const e = item.extern;
    const where = { item, file: inFile, anchor };
    if (e.kind === "func" && item.name) {
      exports.set(camelCase(item.name.name), { kind: "func", wit: item.name.name, js: camelCase(item.name.name), func: e.func, scope: worldScope, ...where });
    } else if (e.kind === "interface" && item.name) {
      const scope: Scope = { kind: "interface", name: item.name.name, items: e.items, pkg: at, file: inFile, span: e.body };
      exports.set(camelCase(item.name.name), { kind: "interface", wit: item.name.name, js: camelCase(item.name.name), items: e.items, scope, ...where });
    } else if (e.kind === "path") {
      const target = model.resolveInterface(e.path, at, inFile);
      const js = camelCase(item.name?.name ?? (e.path.kind === "qualified" ? e.path.iface.name : e.path.name.name));
      exports.set(js, {
        kind: "interface",
        wit: specifierOf(e.path, at),
        js,
        items: target?.decl.items ?? null,
        scope: target ? interfaceScope(target.decl, target.pkg, target.file) : null,
        ...where,
      });
    }
  }
  return { name: decl.name.name, file, exports: [...exports.values()], imports: [...imports].map(([specifier, names]) => ({ specifier, names })) };
}

/** One value the module must define: a property path from its namespace, and what it must be. */
export interface Requirement {
  path: string[];
  kind: "function" | "object";
  /** What the world says it is, e.g. `wait: async func(millis: u32) -> duration`. */
  wit: string;
  /** The world export it belongs to. */
  export: WorldExport;
}

/** An item's WIT text from its name to its end, on one line: `wait: async func(millis: u32) -> duration`. */
function witText(file: ParsedSource, name: Span, item: Span): string {
  return file.text.slice(name.start, item.end).replace(/\s+/g, " ").replace(/\s*;\s*$/, "").trim();
}

function resourceRequirements(base: string[], r: ResourceItem, file: ParsedSource, exp: WorldExport): Requirement[] {
  const cls = [...base, pascalCase(r.name.name)];
  const out: Requirement[] = [{ path: cls, kind: "function", wit: `resource ${r.name.name}`, export: exp }];
  for (const f of r.funcs ?? []) {
    if (f.kind === "constructor") continue;
    const where = f.kind === "static" ? cls : [...cls, "prototype"];
    out.push({ path: [...where, camelCase(f.name.name)], kind: "function", wit: `${r.name.name}.${witText(file, f.name.span, f.span)}`, export: exp });
  }
  return out;
}

/** Everything the module must define for `world`, outermost first. */
export function requirements(world: GuestWorld): Requirement[] {
  const out: Requirement[] = [];
  for (const exp of world.exports) {
    if (exp.kind === "func") {
      out.push({ path: [exp.js], kind: "function", wit: witText(exp.file, exp.item.name?.span ?? exp.item.span, exp.item.span), export: exp });
      continue;
    }
    out.push({ path: [exp.js], kind: "object", wit: `interface ${exp.wit}`, export: exp });
    const file = exp.scope?.file;
    if (!file) continue;
    for (const i of exp.items ?? []) {
      if (i.kind === "func") out.push({ path: [exp.js, camelCase(i.name.name)], kind: "function", wit: witText(file, i.name.span, i.span), export: exp });
      if (i.kind === "resource") out.push(...resourceRequirements([exp.js], i, file, exp));
    }
  }
  return out;
}

/** The start of the error a checker module throws; the missing paths follow as JSON. */
export const MISSING_EXPORTS = "the guest module lacks these exports: ";

/**
 * An entry module for componentize-qjs that re-exports `entry` after checking, at build time
 * (componentize-qjs evaluates the module to snapshot it), that it defines all of `world`.
 */
export function checkerModule(entry: string, world: GuestWorld): string {
  const required = requirements(world).map((r) => ({ path: r.path, kind: r.kind }));
  return `// Written by the playground's build server: checks that ${entry} defines every export of world \`${world.name}\`.
import * as guest from "./${entry}";
const required = ${JSON.stringify(required)};
const missing = required.filter(({ path, kind }) => {
  const value = path.reduce((v, key) => (v === null || v === undefined ? undefined : v[key]), guest);
  return kind === "function" ? typeof value !== "function" : value === null || (typeof value !== "object" && typeof value !== "function");
});
if (missing.length > 0) throw new Error(${JSON.stringify(MISSING_EXPORTS)} + JSON.stringify(missing.map((m) => m.path)));
export * from "./${entry}";
`;
}

/** The build error for the paths a checker module reported missing (outer ones only: a missing object hides its members). */
export function missingExports(missing: string[][], world: GuestWorld, entry: string): { message: string; diagnostics: SourceDiagnostic[] } {
  const all = requirements(world);
  const key = (p: string[]) => p.join(".");
  const set = new Set(missing.map(key));
  const reported = all.filter((r) => set.has(key(r.path)) && !r.path.slice(0, -1).some((_, i) => set.has(key(r.path.slice(0, i + 1)))));
  const sentences = reported.map((r) => (r.path.length === 1 ? `${entry} does not export \`${r.path[0]}\` (the world exports \`${r.wit}\`)` : `\`${r.path.filter((p) => p !== "prototype").join(".")}\` is missing from ${entry}'s \`${r.path[0]}\` (\`${r.wit}\`)`));
  const diagnostics: SourceDiagnostic[] = reported.map((r, i) => {
    // The root world's line that asks for it: the export's name (or path), or the `include`.
    const start = lineCol(world.file.text, r.export.anchor.start);
    const end = lineCol(world.file.text, r.export.anchor.end);
    return { path: world.file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, message: sentences[i]!, severity: "error" };
  });
  const message = `world \`${world.name}\`: ${sentences.join("; ")}.`;
  return { message, diagnostics };
}
