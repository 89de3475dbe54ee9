// Scripts: every script of the reference tests parses into commands; value syntax; the lexer's errors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WastSyntaxError } from "./lexer";
import { parseScript, type Command } from "./script";
import { Items, parseSExprs } from "./sexpr";
import { SUITE, suiteScripts } from "./suite.fixture";
import { parseValue, showValue, type WastValue } from "./values";

function value(text: string): WastValue {
  const source = parseSExprs(text);
  const list = source.forms[0];
  if (list?.kind !== "list") throw new Error("not a list");
  const items = Items.of(source, list);
  const v = parseValue(items);
  items.end("value");
  return v;
}

function syntaxError(f: () => unknown): WastSyntaxError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(WastSyntaxError);
    return err as WastSyntaxError;
  }
  throw new Error("expected a WastSyntaxError");
}

describe("the reference tests", () => {
  it("parses all 63 scripts into their commands", () => {
    const files = suiteScripts();
    expect(files).toHaveLength(63);
    const kinds = new Map<string, number>();
    for (const f of files) {
      for (const c of parseScript(readFileSync(join(SUITE, f), "utf8")).commands) {
        const key = c.kind === "module" ? `${c.definition ? "definition" : "component"} (${c.module.kind})` : c.kind;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      }
    }
    // The forms the scripts use, as counted when the suite was added (commit 6d281648).
    expect(Object.fromEntries([...kinds].sort())).toEqual({
      assert_invalid: 380,
      assert_malformed: 75,
      assert_return: 389,
      assert_trap: 136,
      "component (binary)": 31,
      "component (text)": 165,
      "definition (binary)": 4,
      "definition (text)": 85,
      instance: 159,
      invoke: 1,
    });
  });

  it("keeps each command's line and its parts", () => {
    const text = ['(component $C (core module $m))', "", '(assert_return (invoke "f" (u32.const 1) (str.const "x")) (bool.const true))', '(assert_trap (invoke $i "g") "unreachable")', '(component instance $j $C)'].join("\n");
    const commands = parseScript(text).commands;
    expect(commands.map((c) => [c.kind, c.line])).toEqual([
      ["module", 1],
      ["assert_return", 3],
      ["assert_trap", 4],
      ["instance", 5],
    ]);
    const ret = commands[1] as Extract<Command, { kind: "assert_return" }>;
    expect(ret.invoke).toEqual({ instance: null, name: "f", args: [{ kind: "u32", value: 1 }, { kind: "string", value: "x" }] });
    expect(ret.results).toEqual([{ kind: "bool", value: true }]);
    expect(commands[2]).toMatchObject({ target: { invoke: { instance: "$i", name: "g", args: [] } }, message: "unreachable" });
    expect(commands[3]).toMatchObject({ id: "$j", definition: "$C" });
  });

  it("joins the strings of a binary component into its bytes, and of a quoted one into its text", () => {
    const [bin, quote] = parseScript('(component binary "\\00asm" "\\0d\\00\\01\\00")\n(assert_malformed (component quote "(import" " \\"a\\" (func)") "x")').commands;
    expect(bin).toMatchObject({ module: { kind: "binary", bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]) } });
    expect(quote).toMatchObject({ kind: "assert_malformed", module: { kind: "quote", text: '(import  "a" (func)' } });
  });
});

describe("values", () => {
  it.each<[string, WastValue]>([
    ["(bool.const false)", { kind: "bool", value: false }],
    ["(u8.const 255)", { kind: "u8", value: 255 }],
    ["(s8.const -8)", { kind: "s8", value: -8 }],
    ["(u32.const 0x40)", { kind: "u32", value: 64 }],
    ["(s32.const -2_147_483_648)", { kind: "s32", value: -2147483648 }],
    ["(u64.const 18446744073709551615)", { kind: "u64", value: 18446744073709551615n }],
    ["(s64.const -14)", { kind: "s64", value: -14n }],
    ["(f32.const 0.1)", { kind: "f32", value: Math.fround(0.1) }],
    ["(f64.const -0x1.8p1)", { kind: "f64", value: -3 }],
    ["(f64.const inf)", { kind: "f64", value: Infinity }],
    ["(char.const \"\\u{1f600}\")", { kind: "char", value: "😀" }],
    ['(str.const "a\\nb")', { kind: "string", value: "a\nb" }],
    ["(list.const)", { kind: "list", elems: [] }],
    ["(list.const (u8.const 1) (u8.const 2))", { kind: "list", elems: [{ kind: "u8", value: 1 }, { kind: "u8", value: 2 }] }],
    ['(tuple.const (str.const "x=") (u32.const 42))', { kind: "tuple", elems: [{ kind: "string", value: "x=" }, { kind: "u32", value: 42 }] }],
    // A field's value is written with or without its own parentheses.
    ['(record.const (field "handle" u8.const 0) (field "bytes" (u32.const 4)))', { kind: "record", fields: [["handle", { kind: "u8", value: 0 }], ["bytes", { kind: "u32", value: 4 }]] }],
    ['(variant.const "poll" (record.const (field "event" enum.const "none")))', { kind: "variant", name: "poll", payload: { kind: "record", fields: [["event", { kind: "enum", name: "none" }]] } }],
    ['(variant.const "b" (f32.const 5))', { kind: "variant", name: "b", payload: { kind: "f32", value: 5 } }],
    ['(variant.const "none")', { kind: "variant", name: "none", payload: null }],
    ["(option.some (u32.const 5))", { kind: "option", value: { kind: "u32", value: 5 } }],
    ["(option.none)", { kind: "option", value: null }],
    ['(result.ok (str.const "yo"))', { kind: "result", ok: true, value: { kind: "string", value: "yo" } }],
    ["(result.err)", { kind: "result", ok: false, value: null }],
    ['(flags.const "a" "c")', { kind: "flags", names: ["a", "c"] }],
  ])("%s", (text, expected) => {
    const v = value(text);
    expect(v).toEqual(expected);
    // The text form it shows reads back as the same value.
    expect(value(showValue(v))).toEqual(v);
  });

  it.each([
    ["(u8.const 256)", "`256` is not a u8"],
    ["(s8.const 128)", "`128` is not a s8"],
    ["(u32.const -1)", "`-1` is not a u32"],
    ['(char.const "ab")', "one character"],
    ["(bool.const 1)", "expected `true` or `false`"],
    ["(i32.const 1)", "unknown value form"],
  ])("refuses %s", (text, message) => {
    expect(syntaxError(() => value(text)).message).toContain(message);
  });
});

describe("lexical errors", () => {
  it("names the position of a bad escape, an unclosed list and a stray `)`", () => {
    expect(syntaxError(() => parseSExprs('(a\n  "\\zz")'))).toMatchObject({ kind: "invalid string escape", position: { line: 2, column: 4 } });
    expect(syntaxError(() => parseSExprs("(a (b)"))).toMatchObject({ kind: "unexpected end of input", position: { line: 1, column: 1 } });
    expect(syntaxError(() => parseSExprs("(a))"))).toMatchObject({ kind: "unexpected token", position: { line: 1, column: 4 } });
    expect(syntaxError(() => parseSExprs("(a (; nested (; ;) "))).toMatchObject({ kind: "unexpected end of input" });
  });

  it("reads comments, escapes and raw bytes", () => {
    const { forms } = parseSExprs('(a ;; line\n (; block (; nested ;) ;) "\\41\\u{e9}\\ff" $x.y 0x1_0)');
    const list = forms[0];
    if (list?.kind !== "list") throw new Error("not a list");
    const items = list.items as readonly { kind: string; text?: string | null; bytes?: Uint8Array }[];
    expect(items.map((i) => i.kind)).toEqual(["word", "string", "id", "word"]);
    expect(items[1]!.bytes).toEqual(new Uint8Array([0x41, 0xc3, 0xa9, 0xff]));
    expect(items[1]!.text).toBeNull();
    expect(items[2]!.text).toBe("$x.y");
  });
});
