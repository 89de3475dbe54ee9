/**
 * Component values as `.wast` scripts write them (`(u32.const 42)`, `(str.const "hi")`,
 * `(record.const (field "a" u8.const 1))`, ...; Wasmtime's `wast` crate defines the forms): the
 * arguments of `invoke` and the expected results of `assert_return`. A value is written with or
 * without its own parentheses, depending on where it sits (`(variant.const "x" (u8.const 0))`,
 * `(field "handle" u8.const 0)`).
 */
import { describeNode, Items, type SNode } from "./sexpr";

export type WastValue =
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "u8" | "s8" | "u16" | "s16" | "u32" | "s32"; readonly value: number }
  | { readonly kind: "u64" | "s64"; readonly value: bigint }
  /** NaN is any NaN. */
  | { readonly kind: "f32" | "f64"; readonly value: number }
  | { readonly kind: "char" | "string"; readonly value: string }
  | { readonly kind: "list" | "tuple"; readonly elems: readonly WastValue[] }
  | { readonly kind: "record"; readonly fields: readonly (readonly [string, WastValue])[] }
  | { readonly kind: "variant"; readonly name: string; readonly payload: WastValue | null }
  | { readonly kind: "enum"; readonly name: string }
  | { readonly kind: "option"; readonly value: WastValue | null }
  | { readonly kind: "result"; readonly ok: boolean; readonly value: WastValue | null }
  | { readonly kind: "flags"; readonly names: readonly string[] };

const INT_RANGES = {
  u8: [0n, 0xffn],
  s8: [-0x80n, 0x7fn],
  u16: [0n, 0xffffn],
  s16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffff_ffffn],
  s32: [-0x8000_0000n, 0x7fff_ffffn],
  u64: [0n, 0xffff_ffff_ffff_ffffn],
  s64: [-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn],
} as const;

/** An integer of the text format: optional sign, decimal or `0x` hex, `_` between digits. */
function parseInt(text: string): bigint | null {
  const m = /^([+-]?)(0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|[0-9](?:_?[0-9])*)$/.exec(text);
  if (!m) return null;
  const v = BigInt(m[2]!.replaceAll("_", ""));
  return m[1] === "-" ? -v : v;
}

/** A float of the text format: decimal, hex (`0x1.8p3`), `inf`, `nan`, `nan:0x...`. */
function parseFloat(text: string): number | null {
  const m = /^([+-]?)(.*)$/.exec(text)!;
  const sign = m[1] === "-" ? -1 : 1;
  const body = m[2]!.replaceAll("_", "");
  if (body === "inf") return sign * Infinity;
  if (body === "nan" || /^nan:0x[0-9a-fA-F]+$/.test(body)) return NaN;
  if (/^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$/.test(body)) return sign * Number(body);
  const h = /^0x([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/.exec(body);
  if (!h || (h[1] === "" && !h[2])) return null;
  const frac = h[2] ?? "";
  const mantissa = Number.parseInt((h[1] || "0") + frac, 16);
  return sign * mantissa * 2 ** (Number(h[3] ?? 0) - 4 * frac.length);
}

/** A value operand of another value: parenthesized or not. */
function operandOf(items: Items): WastValue {
  const l = items.maybeList();
  if (!l) return parseValue(items);
  const sub = items.sub(l);
  const v = parseValue(sub);
  sub.end("value");
  return v;
}

/** One value from `items` (its keyword and operands, no parentheses of its own). */
export function parseValue(items: Items): WastValue {
  const kw = items.expectAnyWord("a value (`u32.const`, `str.const`, ...)");
  const kwNode = items.peek(-1);
  const operand = () => operandOf(items);
  const many = (): WastValue[] => {
    const out: WastValue[] = [];
    while (!items.done()) out.push(operand());
    return out;
  };
  const kind = kw.slice(0, kw.indexOf("."));
  switch (kw) {
    case "bool.const": {
      const w = items.expectWord("true", "false");
      return { kind: "bool", value: w === "true" };
    }
    case "u8.const":
    case "s8.const":
    case "u16.const":
    case "s16.const":
    case "u32.const":
    case "s32.const":
    case "u64.const":
    case "s64.const": {
      const k = kind as keyof typeof INT_RANGES;
      const text = items.expectAnyWord(`a ${k}`);
      const v = parseInt(text);
      const [lo, hi] = INT_RANGES[k];
      if (v === null || v < lo || v > hi) items.fail("unexpected token", `\`${text}\` is not a ${k}`, items.peek(-1));
      return k === "u64" || k === "s64" ? { kind: k, value: v } : { kind: k, value: Number(v) };
    }
    case "f32.const":
    case "f64.const": {
      const text = items.expectAnyWord(`a ${kind}`);
      const v = parseFloat(text);
      if (v === null) items.fail("unexpected token", `\`${text}\` is not a ${kind}`, items.peek(-1));
      return { kind: kind as "f32" | "f64", value: kind === "f32" ? Math.fround(v) : v };
    }
    case "char.const": {
      const s = items.expectText("a char");
      if ([...s].length !== 1) items.fail("unexpected token", `a char.const holds one character, not ${JSON.stringify(s)}`, items.peek(-1));
      return { kind: "char", value: s };
    }
    case "str.const":
      return { kind: "string", value: items.expectText("a string") };
    case "list.const":
    case "tuple.const":
      return { kind: kind as "list" | "tuple", elems: many() };
    case "record.const": {
      const fields: [string, WastValue][] = [];
      while (!items.done()) {
        const f = items.sub(items.expectList("`(field \"name\" value)`", "field"), 1);
        const label = f.expectText("a field name");
        const v = operandOf(f);
        f.end("field");
        fields.push([label, v]);
      }
      return { kind: "record", fields };
    }
    case "variant.const": {
      const name = items.expectText("a case name");
      return { kind: "variant", name, payload: items.done() ? null : operand() };
    }
    case "enum.const":
      return { kind: "enum", name: items.expectText("an enum case") };
    case "option.none":
      return { kind: "option", value: null };
    case "option.some":
      return { kind: "option", value: operand() };
    case "result.ok":
    case "result.err":
      return { kind: "result", ok: kw === "result.ok", value: items.done() ? null : operand() };
    case "flags.const": {
      const names: string[] = [];
      while (!items.done()) names.push(items.expectText("a flag name"));
      return { kind: "flags", names };
    }
  }
  return items.fail("unexpected token", `unknown value form ${describeNode(kwNode)}`, kwNode);
}

/** The values left in `items`, each parenthesized (`invoke` arguments, `assert_return` results). */
export function parseValues(items: Items): WastValue[] {
  const out: WastValue[] = [];
  while (!items.done()) {
    const l = items.expectList("a value");
    const sub = items.sub(l);
    out.push(parseValue(sub));
    sub.end("value");
  }
  return out;
}

/** The text form of a value, for messages: `(record.const (field "a" (u8.const 1)))`. */
export function showValue(v: WastValue): string {
  switch (v.kind) {
    case "bool":
      return `(bool.const ${v.value})`;
    case "u8":
    case "s8":
    case "u16":
    case "s16":
    case "u32":
    case "s32":
    case "u64":
    case "s64":
      return `(${v.kind}.const ${String(v.value)})`;
    case "f32":
    case "f64":
      return `(${v.kind}.const ${Number.isNaN(v.value) ? "nan" : v.value === Infinity ? "inf" : v.value === -Infinity ? "-inf" : Object.is(v.value, -0) ? "-0" : String(v.value)})`;
    case "char":
      return `(char.const ${JSON.stringify(v.value)})`;
    case "string":
      return `(str.const ${JSON.stringify(v.value)})`;
    case "list":
    case "tuple":
      return `(${v.kind}.const${v.elems.map((e) => ` ${showValue(e)}`).join("")})`;
    case "record":
      return `(record.const${v.fields.map(([k, x]) => ` (field ${JSON.stringify(k)} ${showValue(x)})`).join("")})`;
    case "variant":
      return `(variant.const ${JSON.stringify(v.name)}${v.payload ? ` ${showValue(v.payload)}` : ""})`;
    case "enum":
      return `(enum.const ${JSON.stringify(v.name)})`;
    case "option":
      return v.value ? `(option.some ${showValue(v.value)})` : "(option.none)";
    case "result":
      return `(result.${v.ok ? "ok" : "err"}${v.value ? ` ${showValue(v.value)}` : ""})`;
    case "flags":
      return `(flags.const${v.names.map((n) => ` ${JSON.stringify(n)}`).join("")})`;
  }
}

/** Whether a node is a parenthesized value (for forms that mix values with other items). */
export function isValueNode(n: SNode | undefined): boolean {
  return n?.kind === "list" && n.items[0]?.kind === "word" && /\.(const|none|some|ok|err)$/.test(n.items[0].text);
}
