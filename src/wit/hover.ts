/** Hover text for a position in a WIT file: a named type shows its definition, wherever it lives. */
import type { InterfaceDecl, Span, WorldDecl } from "./ast";
import { lex } from "./lexer";
import { interfaceScope, pathText, type Occurrence, type ParsedSource, type PackageModel, type WitModel } from "./model";

export interface Hover {
  span: Span;
  /** Markdown. */
  contents: string;
}

const MAX_LINES = 40;

/** What each built-in type (and a few keywords) means, in one line. */
export const BUILTIN_DOCS: Readonly<Record<string, string>> = {
  bool: "`true` or `false`.",
  char: "One Unicode scalar value.",
  string: "A Unicode string (UTF-8 or UTF-16 in memory, chosen by each side).",
  u8: "Unsigned 8-bit integer.",
  u16: "Unsigned 16-bit integer.",
  u32: "Unsigned 32-bit integer.",
  u64: "Unsigned 64-bit integer.",
  s8: "Signed 8-bit integer.",
  s16: "Signed 16-bit integer.",
  s32: "Signed 32-bit integer.",
  s64: "Signed 64-bit integer.",
  f32: "32-bit IEEE 754 float.",
  f64: "64-bit IEEE 754 float.",
  list: "`list<T>`: a sequence of values; `list<T, N>` has exactly N.",
  option: "`option<T>`: a value or none.",
  result: "`result<T, E>`: success with T or failure with E; `_` or nothing where there is no payload.",
  tuple: "`tuple<A, B, ...>`: a fixed sequence of differently-typed values.",
  map: "`map<K, V>`: keys to values.",
  future: "`future<T>`: one value that arrives later (component-model async). The reader waits for it; dropping a side cancels.",
  stream: "`stream<T>`: values delivered over time, with backpressure. Each end is owned by one component at a time.",
  "error-context": "An opaque error with a debug message, passed alongside stream and future errors.",
  borrow: "`borrow<R>`: a handle to resource R lent for the duration of one call.",
  own: "`own<R>`: an owned handle to resource R (the same as writing `R`).",
  async: "`async func`: the callee may block, so callers use the async ABI (in JS: a Promise).",
  static: "A function of the resource type itself, without a `self` handle.",
  constructor: "Creates the resource; returns an owned handle (or `result<R, E>` when fallible).",
};

/** Lines of `text`, with the indentation they share removed. */
function dedent(text: string): string {
  const lines = text.split("\n");
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const indent = rest.length > 0 ? Math.min(...rest.map((l) => /^\s*/.exec(l)![0].length)) : 0;
  const out = [lines[0]!, ...lines.slice(1).map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length)))];
  if (out.length > MAX_LINES) return [...out.slice(0, MAX_LINES), "  …"].join("\n");
  return out.join("\n");
}

function docLines(docs: string): string {
  return docs ? `${docs.split("\n").map((l) => `/// ${l}`.trimEnd()).join("\n")}\n` : "";
}

/** A definition's source, with its docs, as a WIT code block, and where it lives. */
function definitionBlock(file: ParsedSource, item: { span: Span; docs: string }, where: string): string {
  return `\`\`\`wit\n${docLines(item.docs)}${dedent(file.text.slice(item.span.start, item.span.end))}\n\`\`\`\n${where}`;
}

function interfaceSummary(decl: InterfaceDecl | WorldDecl, file: ParsedSource, pkg: PackageModel): string {
  return definitionBlock(file, decl, `${decl.kind} in \`${pkg.name}\` (${file.path})`);
}

function hoverOccurrence(model: WitModel, path: string, o: Occurrence): string | null {
  switch (o.kind) {
    case "type-ref": {
      const found = model.lookupType(o.scope, o.ident.name);
      if (!found) return `\`${o.ident.name}\` is not defined in ${o.scope.kind} \`${o.scope.name}\`, nor \`use\`d into it.`;
      return definitionBlock(found.scope.file, found.def, `defined in \`${found.scope.pkg.name}\` ${found.scope.kind} \`${found.scope.name}\``);
    }
    case "use-name": {
      const target = model.resolveInterface(o.path, o.scope?.pkg ?? model.packageOfFile(path), o.file);
      if (!target) return `Interface \`${pathText(o.path)}\` is not known here.`;
      const found = model.lookupType(interfaceScope(target.decl, target.pkg, target.file), o.ident.name);
      if (!found) return `\`${o.ident.name}\` is not a type of \`${target.pkg.name}\` interface \`${target.decl.name.name}\`.`;
      return definitionBlock(found.scope.file, found.def, `defined in \`${found.scope.pkg.name}\` ${found.scope.kind} \`${found.scope.name}\``);
    }
    case "path": {
      const pkg = o.scope?.pkg ?? model.packageOfFile(path);
      if (o.role === "world") {
        const w = model.resolveWorld(o.path, pkg);
        return w ? interfaceSummary(w.decl, w.file, w.pkg) : `World \`${pathText(o.path)}\` is not known here.`;
      }
      const i = model.resolveInterface(o.path, pkg, o.file);
      if (i) return interfaceSummary(i.decl, i.file, i.pkg);
      const qp = o.path;
      if (qp.kind === "qualified" && !model.findPackage(qp.pkg.base, qp.pkg.version)) {
        const known = [...model.packages.values()].filter((p) => p.base === qp.pkg.base).map((p) => `\`${p.name}\``);
        return `Package \`${qp.pkg.text}\` is not available.${known.length > 0 ? ` Available: ${known.join(", ")}.` : ""}`;
      }
      return `Interface \`${pathText(o.path)}\` is not known here.`;
    }
    case "def": {
      const item = o.item;
      const where = o.scope ? `in \`${o.scope.pkg.name}\` ${o.scope.kind} \`${o.scope.name}\`` : `in \`${model.packageAt(path, o.ident.span.start)?.name ?? "?"}\``;
      return definitionBlock(o.file, item, where);
    }
  }
}

/** The hover at `offset` of file `path`, or null when there is nothing to say. */
export function hoverAt(model: WitModel, path: string, offset: number): Hover | null {
  const o = model.occurrenceAt(path, offset);
  if (o) {
    const contents = hoverOccurrence(model, path, o);
    if (contents) return { span: o.kind === "path" ? o.path.span : o.ident.span, contents };
  }
  const file = model.files.get(path);
  if (!file) return null;
  const tok = lex(file.text).tokens.find((t) => t.start <= offset && offset < t.end && (t.kind === "type" || t.kind === "keyword"));
  const word = tok ? file.text.slice(tok.start, tok.end) : "";
  const doc = BUILTIN_DOCS[word];
  return tok && doc ? { span: { start: tok.start, end: tok.end }, contents: `**${word}** — ${doc}` } : null;
}
