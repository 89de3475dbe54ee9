/**
 * S-expressions over the tokens of {@link tokenize}, each node knowing where it is in the text, and
 * {@link Items}, the cursor every parser in this folder reads a list's elements with.
 */
import { positionOf, tokenize, WastSyntaxError, type SyntaxErrorKind, type Token } from "./lexer";

export type Atom = Exclude<Token, { kind: "(" | ")" }>;

export interface SList {
  readonly kind: "list";
  readonly items: readonly SNode[];
  /** Offsets of the `(` and just past the `)`. */
  readonly start: number;
  readonly end: number;
}

export type SNode = Atom | SList;

/** The script's text and its top-level forms. */
export interface Source {
  readonly text: string;
  readonly forms: readonly SNode[];
}

export function parseSExprs(text: string): Source {
  const tokens = tokenize(text);
  const stack: { start: number; items: SNode[] }[] = [{ start: 0, items: [] }];
  for (const t of tokens) {
    if (t.kind === "(") stack.push({ start: t.start, items: [] });
    else if (t.kind === ")") {
      if (stack.length === 1) throw new WastSyntaxError("unexpected token", "unbalanced `)`", t.start, positionOf(text, t.start));
      const open = stack.pop()!;
      stack.at(-1)!.items.push({ kind: "list", items: open.items, start: open.start, end: t.end });
    } else stack.at(-1)!.items.push(t as Atom);
  }
  if (stack.length > 1) {
    const at = stack.at(-1)!.start;
    throw new WastSyntaxError("unexpected end of input", "unclosed `(`", at, positionOf(text, at));
  }
  return { text, forms: stack[0]!.items };
}

/** A short rendering of a node for messages: `(canon lift ...)`, `$f`, `"name"`. */
export function describeNode(node: SNode | undefined): string {
  if (!node) return "the end of the list";
  if (node.kind === "list") {
    const head = node.items.slice(0, 2).filter((x): x is Atom => x.kind !== "list");
    return `(${head.map(describeNode).join(" ")}${node.items.length > head.length ? " ..." : ""})`;
  }
  if (node.kind === "string") return node.text !== null ? JSON.stringify(node.text) : "a string";
  return node.text;
}

/**
 * Reads the elements of one list (or of the script's top level) in order. Every `expect*` throws a
 * {@link WastSyntaxError} naming what was expected and where; `maybe*` reads only when it fits.
 */
export class Items {
  #i: number;

  constructor(
    readonly source: Source,
    readonly items: readonly SNode[],
    /** Where the list is, for errors at its end. */
    readonly at: number,
    start = 0,
  ) {
    this.#i = start;
  }

  static of(source: Source, list: SList, start = 0): Items {
    return new Items(source, list.items, list.start, start);
  }

  get index(): number {
    return this.#i;
  }

  peek(k = 0): SNode | undefined {
    return this.items[this.#i + k];
  }

  done(): boolean {
    return this.#i >= this.items.length;
  }

  next(): SNode | undefined {
    return this.items[this.#i++];
  }

  /** Everything not read yet, read all at once. */
  rest(): SNode[] {
    const out = this.items.slice(this.#i);
    this.#i = this.items.length;
    return out;
  }

  fail(kind: SyntaxErrorKind, detail: string, node: SNode | undefined = this.peek()): never {
    const at = node?.start ?? this.at;
    throw new WastSyntaxError(kind, detail, at, positionOf(this.source.text, at));
  }

  /** Fails unless every element was read. */
  end(what: string): void {
    if (!this.done()) this.fail("unexpected token", `unexpected ${describeNode(this.peek())} in ${what}`);
  }

  peekWord(k = 0): string | null {
    const n = this.peek(k);
    return n?.kind === "word" ? n.text : null;
  }

  /** The next element is the list `(head ...)`, and `head` is one of `heads` when given. */
  peekList(...heads: string[]): SList | null {
    const n = this.peek();
    if (n?.kind !== "list") return null;
    if (heads.length === 0) return n;
    const h = n.items[0];
    return h?.kind === "word" && heads.includes(h.text) ? n : null;
  }

  /** `(core <sort> ...)` when the sort is one of `sorts`. */
  peekCoreList(...sorts: string[]): SList | null {
    const n = this.peekList("core");
    const s = n?.items[1];
    return n && s?.kind === "word" && (sorts.length === 0 || sorts.includes(s.text)) ? n : null;
  }

  maybeWord(...words: string[]): string | null {
    const w = this.peekWord();
    if (w === null || !words.includes(w)) return null;
    this.#i++;
    return w;
  }

  expectWord(...words: string[]): string {
    const w = this.maybeWord(...words);
    if (w === null) this.fail("unexpected token", `expected ${words.map((x) => `\`${x}\``).join(" or ")}, found ${describeNode(this.peek())}`);
    return w;
  }

  /** Any keyword or number. */
  expectAnyWord(what: string): string {
    const n = this.peek();
    if (n?.kind !== "word") this.fail("unexpected token", `expected ${what}, found ${describeNode(n)}`);
    this.#i++;
    return n.text;
  }

  maybeId(): string | null {
    const n = this.peek();
    if (n?.kind !== "id") return null;
    this.#i++;
    return n.text;
  }

  maybeString(): (Atom & { kind: "string" }) | null {
    const n = this.peek();
    if (n?.kind !== "string") return null;
    this.#i++;
    return n;
  }

  /** A string that must be valid UTF-8 (a name). */
  expectText(what: string): string {
    const s = this.maybeString();
    if (!s) this.fail("unexpected token", `expected ${what} (a string), found ${describeNode(this.peek())}`);
    if (s.text === null) this.fail("unexpected token", `${what} is not valid UTF-8`, s);
    return s.text;
  }

  maybeList(...heads: string[]): SList | null {
    const l = this.peekList(...heads);
    if (l) this.#i++;
    return l;
  }

  expectList(what: string, ...heads: string[]): SList {
    const l = this.maybeList(...heads);
    if (!l) this.fail("unexpected token", `expected ${what}, found ${describeNode(this.peek())}`);
    return l;
  }

  /** A u32 written in decimal or hex, with optional `_` separators. */
  expectU32(what: string): number {
    const n = this.peek();
    const v = n?.kind === "word" ? parseNat(n.text) : null;
    if (v === null || v > 0xffff_ffffn) this.fail("unexpected token", `expected ${what} (a u32), found ${describeNode(n)}`);
    this.#i++;
    return Number(v);
  }

  maybeU32(): number | null {
    const n = this.peek();
    const v = n?.kind === "word" ? parseNat(n.text) : null;
    if (v === null || v > 0xffff_ffffn) return null;
    this.#i++;
    return Number(v);
  }

  /** Reads the list `node` with a fresh cursor, after its first `skip` elements. */
  sub(node: SList, skip = 0): Items {
    return new Items(this.source, node.items, node.start, skip);
  }
}

/** `nat` of the text format: decimal or `0x` hex digits with single `_` separators. */
export function parseNat(text: string): bigint | null {
  if (/^[0-9](_?[0-9])*$/.test(text)) return BigInt(text.replaceAll("_", ""));
  if (/^0x[0-9a-fA-F](_?[0-9a-fA-F])*$/.test(text)) return BigInt(text.replaceAll("_", ""));
  return null;
}
