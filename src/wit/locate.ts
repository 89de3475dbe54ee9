/**
 * Where a wasm-tools WIT error is. jco's `componentEmbed` reports wit-parser errors as bare
 * messages ("name `strin` does not exist", "expected ';', found '}'"), without file, line or
 * column; this finds the spot from the message and the project's own syntax trees.
 */
import type { FuncType, Gate, InterfaceItem, Span, WorldItem } from "./ast";
import type { SourceDiagnostic } from "../protocol/authoring-api";
import type { Bundle } from "./bundle";
import { interfaceScope, topItems, type Occurrence, type WitModel } from "./model";
import { lineCol } from "./position";

interface Hit {
  path: string;
  span: Span;
}

/** All functions of a file with where they live, for parameter checks. */
function funcsOf(items: ReadonlyArray<InterfaceItem | WorldItem>): FuncType[] {
  const out: FuncType[] = [];
  for (const item of items) {
    if (item.kind === "func") out.push(item.func);
    if (item.kind === "resource") for (const f of item.funcs ?? []) out.push(f.func);
    if ((item.kind === "import" || item.kind === "export") && item.extern.kind === "func") out.push(item.extern.func);
    if ((item.kind === "import" || item.kind === "export") && item.extern.kind === "interface") out.push(...funcsOf(item.extern.items));
  }
  return out;
}

function gatesOf(items: ReadonlyArray<InterfaceItem | WorldItem>): Gate[] {
  const out: Gate[] = [];
  for (const item of items) {
    out.push(...item.gates);
    if (item.kind === "resource") for (const f of item.funcs ?? []) out.push(...f.gates);
    if ((item.kind === "import" || item.kind === "export") && item.extern.kind === "interface") out.push(...gatesOf(item.extern.items));
  }
  return out;
}

/** The first backticked or quoted name in a message. */
function quotedName(message: string): string | null {
  return /[`']([^`']+)[`']/.exec(message)?.[1] ?? null;
}

class Locator {
  constructor(
    readonly model: WitModel,
    readonly projectPaths: string[],
  ) {}

  occurrences(): Array<{ o: Occurrence; file: string }> {
    return this.projectPaths.flatMap((file) => this.model.occurrences(file).map((o) => ({ o, file })));
  }

  /** A type reference or `use` name that does not resolve (or, failing that, any use of the name). */
  missingName(name: string): Hit | null {
    const all = this.occurrences();
    for (const { o, file } of all) {
      if (o.kind === "type-ref" && o.ident.name === name && !this.model.lookupType(o.scope, name)) return { path: file, span: o.ident.span };
      if (o.kind === "use-name" && o.ident.name === name) {
        const target = this.model.resolveInterface(o.path, o.scope?.pkg ?? this.model.packageOfFile(file), o.file);
        if (target && !this.model.lookupType(interfaceScope(target.decl, target.pkg, target.file), name)) return { path: file, span: o.ident.span };
      }
    }
    for (const { o, file } of all) if ((o.kind === "type-ref" || o.kind === "use-name") && o.ident.name === name) return { path: file, span: o.ident.span };
    return null;
  }

  /** A path naming `name` (a local interface or world) that does not resolve. */
  missingLocalPath(name: string): Hit | null {
    for (const { o, file } of this.occurrences()) {
      if (o.kind !== "path" || o.path.kind !== "local" || o.path.name.name !== name) continue;
      const pkg = o.scope?.pkg ?? this.model.packageOfFile(file);
      const ok = o.role === "world" ? this.model.resolveWorld(o.path, pkg) : this.model.resolveInterface(o.path, pkg, o.file);
      if (!ok) return { path: file, span: o.path.span };
    }
    return null;
  }

  /** A qualified path into package `pkg` (and interface or world `item`, when given). */
  qualifiedPath(pkg: string, item: string | null): Hit | null {
    for (const { o, file } of this.occurrences()) {
      if (o.kind !== "path" || o.path.kind !== "qualified") continue;
      const p = o.path;
      const pkgMatches = p.pkg.text === pkg || (p.pkg.version === null && p.pkg.base === pkg.split("@")[0]);
      if (!pkgMatches) continue;
      if (item === null) return { path: file, span: p.pkg.span };
      if (p.iface.name === item) return { path: file, span: p.iface.span };
    }
    return null;
  }

  /** The second definition of `name` within one scope (or the last definition anywhere). */
  duplicateDef(name: string): Hit | null {
    const seen = new Map<string, number>();
    let last: Hit | null = null;
    for (const { o, file } of this.occurrences()) {
      if (o.kind !== "def" && o.kind !== "use-name") continue;
      if (o.ident.name !== name) continue;
      // A renamed `use` name defines its alias (a `def` occurrence), not the original name.
      if (o.kind === "use-name" && o.scope?.items.some((i) => i.kind === "use" && i.names.some((n) => n.name === o.ident && n.as))) continue;
      const key = `${file}:${o.scope ? o.scope.span.start : "top"}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      last = { path: file, span: o.ident.span };
      if (count === 2) return last;
    }
    return last;
  }

  eachScopeItems(fn: (path: string, items: ReadonlyArray<InterfaceItem | WorldItem>) => Hit | null): Hit | null {
    for (const path of this.projectPaths) {
      const file = this.model.files.get(path);
      if (!file) continue;
      for (const item of topItems(file.ast)) {
        if (item.kind === "top-use") continue;
        const hit = fn(path, item.items);
        if (hit) return hit;
      }
    }
    return null;
  }

  duplicateParam(name: string): Hit | null {
    return this.eachScopeItems((path, items) => {
      for (const f of funcsOf(items)) {
        const same = f.params.filter((p) => p.name.name === name);
        // `self` is implicit in methods, so one explicit `self` is already a duplicate.
        if (same.length >= 2 || (name === "self" && same.length === 1)) return { path, span: same[same.length - 1]!.name.span };
      }
      return null;
    });
  }

  /** A world's second import (or export) of the same interface, or of the same plain name. */
  duplicateImportExport(kind: "import" | "export", plainName: string | null): Hit | null {
    return this.eachScopeItems((path, items) => {
      const seen = new Set<string>();
      for (const item of items) {
        if (item.kind !== kind) continue;
        const key = plainName !== null ? (item.name?.name ?? null) : item.extern.kind === "path" && !item.name ? JSON.stringify([item.extern.path.kind === "qualified" ? item.extern.path.pkg.text : "", item.extern.path.kind === "qualified" ? item.extern.path.iface.name : item.extern.path.name.name]) : null;
        if (key === null || (plainName !== null && key !== plainName)) continue;
        if (seen.has(key)) return { path, span: item.name?.span ?? (item.extern.kind === "path" ? item.extern.path.span : item.span) };
        seen.add(key);
      }
      return null;
    });
  }

  duplicateConstructor(): Hit | null {
    return this.eachScopeItems((path, items) => {
      for (const item of items) {
        if (item.kind !== "resource") continue;
        const ctors = (item.funcs ?? []).filter((f) => f.kind === "constructor");
        if (ctors.length >= 2) return { path, span: ctors[1]!.name.span };
      }
      return null;
    });
  }

  gateWithVersion(version: string): Hit | null {
    for (const path of this.projectPaths) {
      const file = this.model.files.get(path);
      if (!file) continue;
      for (const item of topItems(file.ast)) {
        const gates = [...item.gates, ...(item.kind === "top-use" ? [] : gatesOf(item.items))];
        const g = gates.find((x) => x.value === version);
        if (g) return { path, span: g.span };
      }
    }
    return null;
  }

  /** The first whole-word use of `word` in the project's text. */
  word(word: string): Hit | null {
    const re = new RegExp(`(?<![A-Za-z0-9-])%?${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9-])`);
    for (const path of this.projectPaths) {
      const text = this.model.files.get(path)?.text ?? "";
      const m = re.exec(text);
      if (m) return { path, span: { start: m.index, end: m.index + m[0].length } };
    }
    return null;
  }

  firstSyntaxError(): Hit | null {
    for (const path of this.projectPaths) {
      const e = this.model.files.get(path)?.ast.errors[0];
      if (e) return { path, span: e.span };
    }
    return null;
  }

  locate(message: string): Hit | null {
    let m: RegExpExecArray | null;
    if (/^(?:expected |unexpected |unterminated|invalid character|identifiers? )|kebab-case/.test(message)) return this.firstSyntaxError() ?? this.wordFromFound(message);
    if ((m = /^(?:name|type) `([^`]+)` (?:does not exist|is not defined)/.exec(message))) return this.missingName(m[1]!);
    if ((m = /^(?:interface or world|interface|world) `([^`]+)` does not exist/.exec(message))) return this.missingLocalPath(m[1]!);
    if ((m = /^(?:interface|world) '([^']+)' not found in package '([^']+)'/.exec(message))) return this.qualifiedPath(m[2]!, m[1]!);
    if ((m = /^package '([^']+)' not found/.exec(message))) return this.qualifiedPath(m[1]!, null);
    if ((m = /^param `([^`]+)` is defined more than once/.exec(message))) return this.duplicateParam(m[1]!);
    if ((m = /^(?:name|type) `([^`]+)` is defined more than once/.exec(message))) return this.duplicateDef(m[1]!);
    if ((m = /^(import|export) `([^`]+)` conflicts/.exec(message))) return this.duplicateImportExport(m[1] as "import" | "export", m[2]!);
    if ((m = /^interface cannot be (imported|exported) more than once/.exec(message))) return this.duplicateImportExport(m[1] === "imported" ? "import" : "export", null);
    if (/^duplicate constructors/.test(message)) return this.duplicateConstructor();
    if ((m = /^type `([^`]+)` (?:depends on itself|used in a handle)/.exec(message))) return m[0].includes("handle") ? this.missingName(m[1]!) : this.duplicateDef(m[1]!);
    if ((m = /unreleased version ([0-9][^\s]*)/.exec(message))) return this.gateWithVersion(m[1]!);
    const name = quotedName(message);
    return name ? this.word(name) : null;
  }

  wordFromFound(message: string): Hit | null {
    const found = /found (?:keyword )?[`']([^`']+)[`']/.exec(message)?.[1];
    return found ? this.word(found) : null;
  }
}

/**
 * Turns one wasm-tools message into diagnostics at the right file, line and column. Where no
 * place can be found, the error sits on the first line of the first project file and says so.
 */
export function locateWitError(message: string, model: WitModel, projectPaths: string[], b: Bundle): SourceDiagnostic {
  const first = message.split("\n")[0]!.trim();
  // Should a future wasm-tools give `component.wit:L:C`, map it through the bundle's segments.
  const pos = /component\.wit:(\d+):(\d+)/.exec(message);
  let hit: Hit | null = null;
  if (pos) {
    const lines = b.source.split("\n");
    const offset = lines.slice(0, Number(pos[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(pos[2]) - 1;
    const seg = b.segments.find((s) => offset >= s.start && offset <= s.end);
    if (seg) hit = { path: seg.path, span: { start: offset - seg.start, end: offset - seg.start + 1 } };
  }
  hit ??= new Locator(model, projectPaths).locate(first);
  if (!hit || !hit.path) {
    const path = projectPaths[0] ?? "";
    return { path, line: 1, column: 1, endLine: 1, endColumn: 1 + (model.files.get(path)?.text.split("\n")[0]?.length ?? 0), message: `${message} (wasm-tools gave no position)`, severity: "error" };
  }
  const text = model.files.get(hit.path)?.text ?? "";
  const a = lineCol(text, hit.span.start);
  const z = lineCol(text, Math.max(hit.span.end, hit.span.start + 1));
  return { path: hit.path, line: a.line, column: a.column, endLine: z.line, endColumn: z.column, message, severity: "error" };
}
