import { describe, expect, it } from "vitest";
import { INITIAL_STATE, isKebabCase, lex, type LexState, type Token } from "./lexer";
import { CONSTRUCTS, DEPS } from "./testdata/corpus";

const kinds = (text: string) =>
  lex(text)
    .tokens.filter((t) => t.kind !== "ws")
    .map((t) => [t.kind, text.slice(t.start, t.end)]);

/** Tokens cover the text exactly, in order, without gaps or overlaps. */
function expectTiling(text: string, tokens: Token[]) {
  let at = 0;
  for (const t of tokens) {
    expect(t.start).toBe(at);
    expect(t.end).toBeGreaterThan(t.start);
    at = t.end;
  }
  expect(at).toBe(text.length);
}

/** Lexes line by line, carrying the state, as Monaco does. */
function lexByLine(text: string): Array<{ kind: string; text: string }> {
  let state: LexState = INITIAL_STATE;
  const out: Array<{ kind: string; text: string }> = [];
  for (const line of text.split("\n")) {
    const r = lex(line, state);
    for (const t of r.tokens) if (t.kind !== "ws") out.push({ kind: t.kind, text: line.slice(t.start, t.end) });
    state = r.state;
  }
  return out;
}

describe("lex", () => {
  it("keywords, built-in types, identifiers and operators", () => {
    expect(kinds("export f: async func(x: u32) -> stream<u8>;")).toEqual([
      ["keyword", "export"], ["id", "f"], ["op", ":"], ["keyword", "async"], ["keyword", "func"], ["op", "("], ["id", "x"], ["op", ":"],
      ["type", "u32"], ["op", ")"], ["op", "->"], ["type", "stream"], ["op", "<"], ["type", "u8"], ["op", ">"], ["op", ";"],
    ]);
  });

  it("every built-in type, handles and error-context", () => {
    for (const t of ["bool", "char", "string", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "list", "option", "result", "tuple", "map", "future", "stream", "borrow", "own", "error-context"]) {
      expect(kinds(t)).toEqual([["type", t]]);
    }
  });

  it("every keyword", () => {
    for (const k of ["as", "async", "constructor", "enum", "export", "flags", "from", "func", "import", "include", "interface", "package", "record", "resource", "static", "type", "use", "variant", "with", "world"]) {
      expect(kinds(k)).toEqual([["keyword", k]]);
    }
  });

  it("package names and versions, including a version followed by `.{`", () => {
    expect(kinds("package wasi:cli@0.3.0-rc-2025-09-16;")).toEqual([
      ["keyword", "package"], ["id", "wasi"], ["op", ":"], ["id", "cli"], ["op", "@"], ["version", "0.3.0-rc-2025-09-16"], ["op", ";"],
    ]);
    expect(kinds("use wasi:cli/types@0.3.0.{error-code};")).toEqual([
      ["keyword", "use"], ["id", "wasi"], ["op", ":"], ["id", "cli"], ["op", "/"], ["id", "types"], ["op", "@"], ["version", "0.3.0"],
      ["op", "."], ["op", "{"], ["id", "error-code"], ["op", "}"], ["op", ";"],
    ]);
    expect(kinds("@1.2.3-rc.1+build.7")).toEqual([["op", "@"], ["version", "1.2.3-rc.1+build.7"]]);
    expect(kinds("list<u8, 4>")).toEqual([["type", "list"], ["op", "<"], ["type", "u8"], ["op", ","], ["integer", "4"], ["op", ">"]]);
  });

  it("feature gates and external ids", () => {
    expect(kinds("@since(version = 0.2.1)")).toEqual([["gate", "@since"], ["op", "("], ["id", "version"], ["op", "="], ["version", "0.2.1"], ["op", ")"]]);
    expect(kinds("@unstable(feature = fancier-foo)")).toEqual([["gate", "@unstable"], ["op", "("], ["id", "feature"], ["op", "="], ["id", "fancier-foo"], ["op", ")"]]);
    expect(kinds("@deprecated(version = 0.2.2)")[0]).toEqual(["gate", "@deprecated"]);
    expect(kinds('@external-id("a \\"b\\" c")')).toEqual([["gate", "@external-id"], ["op", "("], ["string", '"a \\"b\\" c"'], ["op", ")"]]);
  });

  it("escaped identifiers, acronyms and `_`", () => {
    expect(kinds("%type %interface HTTP-request-URI")).toEqual([["id", "%type"], ["id", "%interface"], ["id", "HTTP-request-URI"]]);
    expect(kinds("result<_, e>")).toEqual([["type", "result"], ["op", "<"], ["op", "_"], ["op", ","], ["id", "e"], ["op", ">"]]);
  });

  it("comments: line, doc line, block, doc block, nested blocks", () => {
    expect(kinds("// plain\n/// doc\n//// not doc\n/* a /* nested */ still */ x /** doc */ /**/ y")).toEqual([
      ["comment", "// plain"], ["doc", "/// doc"], ["comment", "//// not doc"], ["comment", "/* a /* nested */ still */"], ["id", "x"],
      ["doc", "/** doc */"], ["comment", "/**/"], ["id", "y"],
    ]);
  });

  it("carries an open block comment across lines (Monaco's line-by-line tokenizing)", () => {
    const first = lex("x /** doc /* inner");
    expect(first.state).toEqual({ comment: 2, doc: true });
    const second = lex("still */ doc */ y", first.state);
    expect(second.tokens.map((t) => t.kind)).toEqual(["doc", "ws", "id"]);
    expect(second.state).toEqual(INITIAL_STATE);
  });

  it("marks characters WIT does not allow, and unterminated strings", () => {
    expect(kinds("a # b")).toEqual([["id", "a"], ["error", "#"], ["id", "b"]]);
    expect(kinds('"open')).toEqual([["error", '"open']]);
    expect(kinds("😀")).toEqual([["error", "😀"]]);
  });

  const corpus: Array<[string, string]> = [["testdata/constructs.wit", CONSTRUCTS], ...DEPS];
  it.each(corpus)("%s: tiles the text, no error tokens, same tokens line by line", (_name, text) => {
    const { tokens, state } = lex(text);
    expectTiling(text, tokens);
    expect(tokens.filter((t) => t.kind === "error").map((t) => text.slice(t.start, t.end))).toEqual([]);
    expect(state).toEqual(INITIAL_STATE);
    // Whole-file and line-by-line lexing agree, except that multi-line comments split at newlines.
    const whole = tokens
      .filter((t) => t.kind !== "ws")
      .flatMap((t) => text.slice(t.start, t.end).split("\n").map((piece) => ({ kind: t.kind, text: piece })))
      .filter((t) => t.text !== "");
    expect(lexByLine(text).filter((t) => t.text !== "")).toEqual(whole);
  });

  it("the corpus has every token kind", () => {
    const seen = new Set(lex(CONSTRUCTS).tokens.map((t) => t.kind));
    for (const k of ["ws", "comment", "doc", "keyword", "type", "id", "integer", "version", "string", "gate", "op"]) expect(seen).toContain(k);
  });
});

describe("isKebabCase", () => {
  it("accepts words and acronyms, refuses the rest", () => {
    for (const ok of ["a", "foo-bar", "HTTP", "HTTP-request-URI", "x1-y2"]) expect(isKebabCase(ok)).toBe(true);
    for (const bad of ["fooBar", "foo--bar", "-foo", "foo-", "1abc", "foo-1", "Foo"]) expect(isKebabCase(bad)).toBe(false);
  });
});
