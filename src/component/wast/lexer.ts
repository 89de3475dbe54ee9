/**
 * The WebAssembly text format's lexical layer (core spec "Text Format > Lexical Format"), as the
 * `.wast` scripts of the Component Model use it: parentheses, keywords and numbers, `$ids`,
 * strings with escapes, line and block comments. Strings keep their raw bytes (a `binary` module
 * is a list of strings) and, when those are valid UTF-8, their text.
 */

/** Why text could not be read: the `kind` is what a script's `assert_malformed` message means. */
export type SyntaxErrorKind =
  /** A string escape that is not `\t \n \r \" \' \\ \hh \u{...}`. */
  | "invalid string escape"
  /** Any other token where it does not belong, or one missing. */
  | "unexpected token"
  /** An unterminated string, comment or list. */
  | "unexpected end of input"
  /** A `$name` used where no definition of that name is in scope (or defined twice). */
  | "unknown name"
  | "duplicate name"
  /** An implicit outer alias to a sort that cannot be aliased from outside (only modules, types, components). */
  | "outer item not aliasable"
  /**
   * A canonical option given twice (or two string encodings): the binary AST holds one of each,
   * and validation refuses such options anyway ("specified more than once", "conflicts with").
   */
  | "duplicate canonical option"
  /** A valid form this parser does not read; the message names it. */
  | "unsupported";

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Text that is not a well-formed script: `kind` says why, `offset` where (a UTF-16 index into the text). */
export class WastSyntaxError extends Error {
  override name = "WastSyntaxError";
  constructor(
    readonly kind: SyntaxErrorKind,
    readonly detail: string,
    readonly offset: number,
    readonly position: Position,
  ) {
    super(`${detail} (at ${position.line}:${position.column})`);
  }
}

/** The line and column of `offset` in `text`. */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export type Token =
  | { readonly kind: "(" | ")"; readonly start: number; readonly end: number }
  /** A keyword, number or other reserved token (`u32`, `0x40`, `string-encoding=utf8`, `-1`). */
  | { readonly kind: "word"; readonly text: string; readonly start: number; readonly end: number }
  /** `$name`; `text` keeps the `$`. */
  | { readonly kind: "id"; readonly text: string; readonly start: number; readonly end: number }
  /** `text` is null when `bytes` are not valid UTF-8. */
  | { readonly kind: "string"; readonly bytes: Uint8Array<ArrayBuffer>; readonly text: string | null; readonly start: number; readonly end: number };

/** `idchar` of the core text format: what may follow `$` or make up a keyword. */
function isIdChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    "!#$%&'*+-./:<=>?@\\^_`|~".includes(String.fromCharCode(c))
  );
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** Splits `text` into tokens, or throws a {@link WastSyntaxError}. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const fail = (kind: SyntaxErrorKind, detail: string, at: number): never => {
    throw new WastSyntaxError(kind, detail, at, positionOf(text, at));
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
    } else if (c === 0x3b && text.charCodeAt(i + 1) === 0x3b) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === 0x28 && text.charCodeAt(i + 1) === 0x3b) {
      i = skipBlockComment(text, i, fail);
    } else if (c === 0x28 || c === 0x29) {
      tokens.push({ kind: c === 0x28 ? "(" : ")", start: i, end: i + 1 });
      i++;
    } else if (c === 0x22) {
      const end = readString(text, i, fail);
      tokens.push(end.token);
      i = end.next;
    } else if (isIdChar(c)) {
      let j = i + 1;
      while (j < n && isIdChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      if (c === 0x24) {
        if (word.length === 1) fail("unexpected token", "`$` must be followed by a name", i);
        tokens.push({ kind: "id", text: word, start: i, end: j });
      } else {
        tokens.push({ kind: "word", text: word, start: i, end: j });
      }
      i = j;
    } else {
      fail("unexpected token", `unexpected character ${JSON.stringify(text[i])}`, i);
    }
  }
  return tokens;
}

function skipBlockComment(text: string, start: number, fail: (kind: SyntaxErrorKind, detail: string, at: number) => never): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith("(;", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith(";)", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return fail("unexpected end of input", "unterminated block comment `(;`", start);
}

const SIMPLE_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, r: 0x0d, '"': 0x22, "'": 0x27, "\\": 0x5c };

function readString(text: string, start: number, fail: (kind: SyntaxErrorKind, detail: string, at: number) => never): { token: Token; next: number } {
  const bytes: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= text.length) fail("unexpected end of input", "unterminated string", start);
    const ch = text[i]!;
    if (ch === '"') break;
    if (ch === "\n") fail("unexpected token", "a string may not span lines", i);
    if (ch !== "\\") {
      const cp = text.codePointAt(i)!;
      bytes.push(...utf8Encoder.encode(String.fromCodePoint(cp)));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (/^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (e === "u") {
      const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(text.slice(i + 2));
      const cp = m ? parseInt(m[1]!.replaceAll("_", ""), 16) : NaN;
      if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail("invalid string escape", "invalid unicode escape in string", i);
      bytes.push(...utf8Encoder.encode(String.fromCodePoint(cp)));
      i += 2 + m[0].length;
    } else {
      fail("invalid string escape", `invalid string escape \`\\${e}\``, i);
    }
  }
  const array = new Uint8Array(bytes);
  let decoded: string | null;
  try {
    decoded = utf8.decode(array);
  } catch {
    decoded = null;
  }
  return { token: { kind: "string", bytes: array, text: decoded, start, end: i + 1 }, next: i + 1 };
}
