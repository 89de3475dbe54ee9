/**
 * WIT tokens (component-model `design/mvp/WIT.md`, "Lexical structure"), with every character of
 * the input in exactly one token so an editor can colour a line from its tokens alone.
 *
 * `lex` works on any slice of a file given the state at its start (whether it begins inside a
 * block comment, and how deeply nested), so Monaco can tokenize line by line and agree with a
 * whole-file lex.
 */

export type TokenKind =
  | "ws"
  /** `// ...` or a plain block comment. */
  | "comment"
  /** `/// ...` or `/** ... *\/`: documentation for the item that follows. */
  | "doc"
  | "keyword"
  /** A built-in type name (`u32`, `string`, `list`, `stream`, `error-context`...). */
  | "type"
  | "id"
  | "integer"
  /** A semver with at least one dot, e.g. `0.3.0` or `0.3.0-rc-2025-09-16`. */
  | "version"
  | "string"
  /** `@since`, `@unstable`, `@deprecated`, `@external-id` (or any other `@name`, which the parser refuses). */
  | "gate"
  | "op"
  /** A character WIT does not allow here (or an unterminated string). */
  | "error";

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

/** Where a slice starts: `comment` is the block-comment nesting depth (0 = not in one). */
export interface LexState {
  readonly comment: number;
  /** Whether the open block comment is a doc comment (`/**`). */
  readonly doc: boolean;
}

export const INITIAL_STATE: LexState = { comment: 0, doc: false };

export const KEYWORDS: ReadonlySet<string> = new Set([
  "as", "async", "constructor", "enum", "export", "flags", "from", "func", "import", "include", "interface",
  "package", "record", "resource", "static", "type", "use", "variant", "with", "world",
]);

/** Built-in types; `borrow` and `own` are handles. WIT.md lists them among its keywords. */
export const BUILTIN_TYPES: ReadonlySet<string> = new Set([
  "bool", "char", "string", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64",
  "list", "option", "result", "tuple", "map", "future", "stream", "borrow", "own", "error-context",
]);

export const GATES: ReadonlySet<string> = new Set(["@since", "@unstable", "@deprecated", "@external-id"]);

const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlpha = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isAlnum = (c: string) => isAlpha(c) || isDigit(c);
const isIdChar = (c: string) => isAlnum(c) || c === "-";

/** The end of an identifier body starting at `i` (letters, digits, `-`). */
function scanIdent(text: string, i: number): number {
  while (i < text.length && isIdChar(text[i]!)) i++;
  return i;
}

/** `[0-9A-Za-z-]+` dot-separated identifiers; a `.` is taken only when an identifier follows it. */
function scanDotted(text: string, i: number): number {
  for (;;) {
    const start = i;
    while (i < text.length && isIdChar(text[i]!)) i++;
    if (i === start) return start;
    if (text[i] === "." && i + 1 < text.length && isIdChar(text[i + 1]!)) i++;
    else return i;
  }
}

/** A number or semver starting at `i` (a digit): `12`, `0.3.0`, `1.0.0-rc.1+build.5`. */
function scanNumberOrVersion(text: string, i: number): { end: number; kind: "integer" | "version" } {
  let j = i;
  let dots = 0;
  while (j < text.length && isDigit(text[j]!)) j++;
  while (dots < 2 && text[j] === "." && isDigit(text[j + 1] ?? "")) {
    j++;
    dots++;
    while (j < text.length && isDigit(text[j]!)) j++;
  }
  if (dots === 0) return { end: j, kind: "integer" };
  if (text[j] === "-" && isIdChar(text[j + 1] ?? "")) j = scanDotted(text, j + 1);
  if (text[j] === "+" && isIdChar(text[j + 1] ?? "")) j = scanDotted(text, j + 1);
  return { end: j, kind: "version" };
}

/** Continues a block comment at `i` with nesting `depth` (>= 1); returns where it stops and the depth left. */
function scanBlockComment(text: string, i: number, depth: number): { end: number; depth: number } {
  while (i < text.length && depth > 0) {
    if (text.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*/", i)) {
      depth--;
      i += 2;
    } else i++;
  }
  return { end: i, depth };
}

const SINGLE_OPS = "=,:;(){}<>*/.@_";

/** Tokenizes `text`, which starts in `state`; returns the tokens and the state at its end. */
export function lex(text: string, state: LexState = INITIAL_STATE): { tokens: Token[]; state: LexState } {
  const tokens: Token[] = [];
  let i = 0;
  let depth = state.comment;
  let docBlock = state.doc;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, start, end });

  if (depth > 0) {
    const r = scanBlockComment(text, 0, depth);
    push(docBlock ? "doc" : "comment", 0, r.end);
    i = r.end;
    depth = r.depth;
  }
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
      push("ws", start, i);
    } else if (text.startsWith("//", i)) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      // `///` documents; `////` and longer are plain comments.
      push(text.startsWith("///", start) && text[start + 3] !== "/" ? "doc" : "comment", start, i);
    } else if (text.startsWith("/*", i)) {
      // `/**` documents, except the empty comment `/**/` and `/***...`.
      docBlock = text[i + 2] === "*" && text[i + 3] !== "/" && text[i + 3] !== "*";
      const r = scanBlockComment(text, i + 2, 1);
      i = r.end;
      depth = r.depth;
      push(docBlock ? "doc" : "comment", start, i);
    } else if (isAlpha(c) || (c === "%" && isAlpha(text[i + 1] ?? ""))) {
      i = scanIdent(text, c === "%" ? i + 1 : i);
      const word = text.slice(start, i);
      push(c === "%" ? "id" : KEYWORDS.has(word) ? "keyword" : BUILTIN_TYPES.has(word) ? "type" : "id", start, i);
    } else if (isDigit(c)) {
      const r = scanNumberOrVersion(text, i);
      i = r.end;
      push(r.kind, start, i);
    } else if (c === "@" && isAlpha(text[i + 1] ?? "")) {
      i = scanIdent(text, i + 1);
      push("gate", start, i);
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      if (text[i] === '"') {
        i++;
        push("string", start, i);
      } else push("error", start, Math.min(i, text.length));
    } else if (text.startsWith("->", i)) {
      i += 2;
      push("op", start, i);
    } else if (SINGLE_OPS.includes(c) && !(c === "_" && isIdChar(text[i + 1] ?? ""))) {
      i++;
      push("op", start, i);
    } else {
      // One code point, so an editor never splits a surrogate pair.
      i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      push("error", start, i);
    }
  }
  return { tokens, state: depth > 0 ? { comment: depth, doc: docBlock } : INITIAL_STATE };
}

/** Whether a token carries meaning for the parser (not whitespace or a comment). */
export const isSignificant = (t: Token) => t.kind !== "ws" && t.kind !== "comment" && t.kind !== "doc";

/** Kebab-case as WIT requires: words of lowercase (`foo`) or uppercase (`HTTP`) letters and digits, each starting with a letter. */
export function isKebabCase(name: string): boolean {
  return /^([a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(-([a-z][a-z0-9]*|[A-Z][A-Z0-9]*))*$/.test(name);
}
