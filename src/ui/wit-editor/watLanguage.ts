/**
 * WebAssembly text (core and component WAT) for Monaco: a Monarch tokenizer (s-expressions,
 * `$names`, strings, numbers, `;;` and nested `(; ;)` comments) and brackets.
 */
import type * as Monaco from "monaco-editor/editor/editor.api";

export const WAT_LANGUAGE = "wat";

export const watMonarch: Monaco.languages.IMonarchLanguage = {
  defaultToken: "",
  tokenPostfix: ".wat",
  keywords: [
    "module", "component", "core", "func", "param", "result", "local", "global", "table", "memory", "type", "import", "export",
    "start", "elem", "data", "offset", "item", "declare", "mut", "instance", "instantiate", "with", "alias", "outer", "canon",
    "lift", "lower", "resource", "rep", "dtor", "record", "variant", "list", "tuple", "flags", "enum", "option", "own", "borrow",
    "stream", "future", "async", "callback", "post-return", "realloc", "string-encoding", "refines", "value", "case", "field",
    "then", "else", "end", "block", "loop", "if", "try", "catch", "catch_all", "tag", "rec", "sub", "final", "struct", "array",
  ],
  typeKeywords: ["i32", "i64", "f32", "f64", "v128", "funcref", "externref", "anyref", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "bool", "char", "string", "error-context"],
  tokenizer: {
    root: [
      [/\(;/, "comment", "@comment"],
      [/;;.*$/, "comment"],
      [/"/, "string", "@string"],
      [/\$[A-Za-z0-9!#$%&'*+\-./:<=>?@\\^_`|~]+/, "variable"],
      [/[+-]?(?:0x[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d+)?|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|inf|nan(?::0x[0-9a-fA-F]+)?)(?![\w.])/, "number"],
      [/[a-z][a-z0-9_]*\.[a-z0-9_.]+(?:\/[a-z0-9_]+)?/, "keyword.instruction"],
      [/[a-z][a-zA-Z0-9_\-.]*/, { cases: { "@keywords": "keyword", "@typeKeywords": "type", "@default": "identifier" } }],
      [/[()]/, "@brackets"],
      [/\s+/, "white"],
    ],
    comment: [
      [/\(;/, "comment", "@push"],
      [/;\)/, "comment", "@pop"],
      [/[^(;]+/, "comment"],
      [/[(;]/, "comment"],
    ],
    string: [
      [/[^\\"]+/, "string"],
      [/\\./, "string.escape"],
      [/"/, "string", "@pop"],
    ],
  },
};

export function registerWat(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === WAT_LANGUAGE)) return;
  monaco.languages.register({ id: WAT_LANGUAGE, extensions: [".wat", ".wast"], aliases: ["WebAssembly text", "wat"] });
  monaco.languages.setMonarchTokensProvider(WAT_LANGUAGE, watMonarch);
  monaco.languages.setLanguageConfiguration(WAT_LANGUAGE, {
    comments: { lineComment: ";;", blockComment: ["(;", ";)"] },
    brackets: [["(", ")"]],
    autoClosingPairs: [
      { open: "(", close: ")" },
      { open: '"', close: '"', notIn: ["string", "comment"] },
    ],
  });
}
