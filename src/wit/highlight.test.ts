import { describe, expect, it } from "vitest";
import { tokenClasses } from "./highlight";
import { lex } from "./lexer";

const classes = (text: string) => {
  const { tokens } = lex(text);
  const cls = tokenClasses(text, tokens);
  return tokens.flatMap((t, i) => (t.kind === "ws" ? [] : [`${text.slice(t.start, t.end)}:${cls[i]}`]));
};

describe("tokenClasses", () => {
  it("definitions, built-ins, paths, gates, comments", () => {
    expect(classes("record point { x: u32 }")).toEqual([
      "record:keyword", "point:type.identifier", "{:delimiter.bracket", "x:identifier", "::delimiter", "u32:type", "}:delimiter.bracket",
    ]);
    expect(classes("import wasi:cli/stdout@0.3.0;")).toEqual([
      "import:keyword", "wasi:namespace", "::delimiter", "cli:namespace", "/:delimiter", "stdout:identifier", "@:delimiter", "0.3.0:number", ";:delimiter",
    ]);
    expect(classes("@since(version = 1.0.0) /// doc")).toEqual([
      "@since:annotation", "(:delimiter.bracket", "version:identifier", "=:operator", "1.0.0:number", "):delimiter.bracket", "/// doc:comment.doc",
    ]);
    expect(classes("f: async func() -> stream<u8>; // c #")).toEqual([
      "f:identifier", "::delimiter", "async:keyword", "func:keyword", "(:delimiter.bracket", "):delimiter.bracket", "->:operator", "stream:type",
      "<:delimiter.bracket", "u8:type", ">:delimiter.bracket", ";:delimiter", "// c #:comment",
    ]);
    expect(classes("x # y")).toEqual(["x:identifier", "#:invalid", "y:identifier"]);
  });
});
