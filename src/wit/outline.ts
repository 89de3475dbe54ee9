/** The outline of a WIT file (packages, worlds, interfaces, types, functions) and its folding ranges. */
import type { InterfaceItem, PackageItem, Span, WitFile, WorldItem } from "./ast";
import { lex } from "./lexer";
import { isTypeDef, pathText } from "./model";

export type SymbolKind = "package" | "interface" | "world" | "type" | "resource" | "function" | "import" | "export" | "include";

export interface OutlineSymbol {
  name: string;
  kind: SymbolKind;
  /** e.g. `record`, `async func`, `interface`. */
  detail: string;
  span: Span;
  /** The name itself. */
  nameSpan: Span;
  children: OutlineSymbol[];
}

function interfaceChildren(items: readonly InterfaceItem[]): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of items) {
    switch (item.kind) {
      case "use":
        break;
      case "func":
        out.push({ name: item.name.name, kind: "function", detail: item.func.async ? "async func" : "func", span: item.span, nameSpan: item.name.span, children: [] });
        break;
      case "resource":
        out.push({
          name: item.name.name,
          kind: "resource",
          detail: "resource",
          span: item.span,
          nameSpan: item.name.span,
          children: (item.funcs ?? []).map((f) => ({
            name: f.name.name,
            kind: "function" as const,
            detail: f.kind === "constructor" ? "constructor" : `${f.kind === "static" ? "static " : ""}${f.func.async ? "async " : ""}func`,
            span: f.span,
            nameSpan: f.name.span,
            children: [],
          })),
        });
        break;
      default:
        out.push({ name: item.name.name, kind: "type", detail: item.kind, span: item.span, nameSpan: item.name.span, children: [] });
    }
  }
  return out;
}

function worldChildren(items: readonly WorldItem[]): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of items) {
    if (item.kind === "import" || item.kind === "export") {
      const e = item.extern;
      const name = item.name ? item.name.name : e.kind === "path" ? pathText(e.path) : "?";
      const detail = e.kind === "func" ? `${e.func.async ? "async " : ""}func` : e.kind === "interface" ? "interface" : e.path.kind === "local" || !item.name ? "interface" : pathText(e.path);
      const nameSpan = item.name?.span ?? (e.kind === "path" ? e.path.span : item.span);
      out.push({ name, kind: item.kind, detail, span: item.span, nameSpan, children: e.kind === "interface" ? interfaceChildren(e.items) : [] });
    } else if (item.kind === "include") {
      out.push({ name: pathText(item.path), kind: "include", detail: "include", span: item.span, nameSpan: item.path.span, children: [] });
    } else if (isTypeDef(item)) {
      out.push(...interfaceChildren([item]));
    }
  }
  return out;
}

function packageChildren(items: readonly PackageItem[]): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of items) {
    if (item.kind === "interface") out.push({ name: item.name.name, kind: "interface", detail: "interface", span: item.span, nameSpan: item.name.span, children: interfaceChildren(item.items) });
    else if (item.kind === "world") out.push({ name: item.name.name, kind: "world", detail: "world", span: item.span, nameSpan: item.name.span, children: worldChildren(item.items) });
  }
  return out;
}

/** Top-level symbols: worlds and interfaces (nested packages hold their own). */
export function outline(file: WitFile): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of file.items) {
    if (item.kind === "package") out.push({ name: item.name.text, kind: "package", detail: "package", span: item.span, nameSpan: item.name.span, children: packageChildren(item.items) });
    else out.push(...packageChildren([item]));
  }
  return out;
}

export interface FoldingRange {
  /** 1-based lines. */
  startLine: number;
  endLine: number;
  kind: "region" | "comment";
}

/** Multi-line `{...}` blocks and comments, and runs of consecutive line comments. */
export function foldingRanges(text: string): FoldingRange[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: FoldingRange[] = [];
  const open: number[] = [];
  let run: { start: number; end: number } | null = null;
  const endRun = () => {
    if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: "comment" });
    run = null;
  };
  for (const t of lex(text).tokens) {
    const s = text.slice(t.start, t.end);
    const isLineComment = (t.kind === "comment" || t.kind === "doc") && s.startsWith("//");
    if (isLineComment) {
      const line = lineOf(t.start);
      if (run && run.end === line - 1) run.end = line;
      else {
        endRun();
        run = { start: line, end: line };
      }
      continue;
    }
    if (t.kind === "ws") continue;
    endRun();
    if (t.kind === "comment" || t.kind === "doc") {
      const a = lineOf(t.start);
      const b = lineOf(t.end - 1);
      if (b > a) out.push({ startLine: a, endLine: b, kind: "comment" });
    } else if (t.kind === "op" && s === "{") open.push(t.start);
    else if (t.kind === "op" && s === "}" && open.length > 0) {
      const a = lineOf(open.pop()!);
      const b = lineOf(t.start);
      // Fold up to the line before the closing brace, so the brace stays visible.
      if (b - 1 > a) out.push({ startLine: a, endLine: b - 1, kind: "region" });
    }
  }
  endRun();
  return out.sort((x, y) => x.startLine - y.startLine);
}
