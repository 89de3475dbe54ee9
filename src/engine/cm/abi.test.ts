/**
 * The Canonical ABI's value rules, one table per spec section (CanonicalABI.md: Despecialization,
 * Alignment, Element Size, Flattening, Loading, Storing, Flat Lifting, Flat Lowering), in the
 * spirit of the spec's run_tests.py: each row is a type (and a value) with what the spec says.
 * Everything runs on a real WebAssembly.Memory with a bump allocator as `realloc`.
 */
import { describe, expect, it } from "vitest";
import { Trap } from "../../base/assert";
import {
  alignTo,
  CoreValueIter,
  despecialize,
  flattenTypes,
  layout,
  LiftLowerContext,
  liftFlat,
  liftFlatValues,
  load,
  loadStringFromRange,
  lowerFlat,
  lowerFlatValues,
  store,
  storeStringIntoRange,
  type CanonOptions,
  type CoreType,
  type CoreValue,
  type StringEncoding,
} from "./abi";
import { ErrorContext, ResourceHandle } from "./handles";
import { ComponentInstance, Store } from "./instance";
import { ReadableStreamEnd, SharedFutureImpl, SharedStreamImpl } from "./streams";
import { ResourceType, type ValType } from "./types";

// ---------------------------------------------------------------- types and a context

const record = (...fields: Array<[string, ValType]>): ValType => ({ kind: "record", fields: fields.map(([name, type]) => ({ name, type })) });
const tuple = (...elems: ValType[]): ValType => ({ kind: "tuple", elems });
const variant = (...cases: Array<[string, ValType | null]>): ValType => ({ kind: "variant", cases: cases.map(([name, type]) => ({ name, type })) });
const enumOf = (n: number): ValType => ({ kind: "enum", names: Array.from({ length: n }, (_, i) => `e${i}`) });
const option = (elem: ValType): ValType => ({ kind: "option", elem });
const result = (ok: ValType | null, err: ValType | null): ValType => ({ kind: "result", ok, err });
const list = (elem: ValType, len?: number): ValType => (len === undefined ? { kind: "list", elem } : { kind: "list", elem, len });
const map = (key: ValType, value: ValType): ValType => ({ kind: "map", key, value });
const flags = (n: number): ValType => ({ kind: "flags", names: Array.from({ length: n }, (_, i) => `f${i}`) });
/** A flags value with the flags at `set` on. */
const flagsValue = (n: number, ...set: number[]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, set.includes(i)]));

class HostThing {}
const hostRt = new ResourceType("thing", null, null, HostThing);

/** Guest memory from byte 4096 on is the allocator's; below it tests place values by hand. */
const HEAP = 4096;

function context(encoding: StringEncoding = "utf8") {
  const st = new Store();
  const inst = new ComponentInstance(st, "abi.wasm");
  const memory = new WebAssembly.Memory({ initial: 1 });
  let next = HEAP;
  const realloc = (_oldPtr: number, _oldSize: number, align: number, size: number): number => {
    const ptr = alignTo(next, align);
    next = ptr + size;
    return ptr;
  };
  const opts: CanonOptions = { memory, stringEncoding: encoding, realloc, postReturn: null, async: false, callback: null };
  const borrows = { kind: "task" as const, numBorrows: 0, lenders: [] as ResourceHandle[], addLender: (h: ResourceHandle) => void borrows.lenders.push(h) };
  const cx = new LiftLowerContext(opts, inst, borrows);
  const bytes = (ptr: number, n: number) => Array.from(new Uint8Array(memory.buffer, ptr, n));
  const put = (ptr: number, b: number[]) => new Uint8Array(memory.buffer).set(b, ptr);
  return { cx, inst, store: st, memory, bytes, put, borrows };
}

/** Flat values as the core type each is, by its JS representation. */
const jsTypeOf = (v: CoreValue): "bigint" | "number" => (typeof v === "bigint" ? "bigint" : "number");
const jsTypeFor = (t: CoreType): "bigint" | "number" => (t === "i64" ? "bigint" : "number");

const f32Bits = (f: number): number => new Int32Array(Float32Array.of(f).buffer)[0]!;
const f64Bits = (f: number): bigint => new BigInt64Array(Float64Array.of(f).buffer)[0]!;

// ---------------------------------------------------------------- despecialization

describe("despecialization", () => {
  const rows: Array<[string, ValType, unknown]> = [
    ["tuple -> record with fields named by index", tuple("u8", "string"), { kind: "record", fields: [{ name: "0", type: "u8" }, { name: "1", type: "string" }] }],
    ["enum -> variant without payloads", { kind: "enum", names: ["a", "b"] }, { kind: "variant", cases: [{ name: "a", type: null }, { name: "b", type: null }] }],
    ["option -> variant none | some", option("u32"), { kind: "variant", cases: [{ name: "none", type: null }, { name: "some", type: "u32" }] }],
    ["result -> variant ok | error", result("u8", null), { kind: "variant", cases: [{ name: "ok", type: "u8" }, { name: "error", type: null }] }],
    ["a record stays itself", record(["a", "u8"]), record(["a", "u8"])],
    ["a primitive stays itself", "char", "char"],
  ];
  it.each(rows)("%s", (_name, t, want) => {
    expect(despecialize(t)).toEqual(want);
  });

  it("is computed once per type", () => {
    const t = option("u8");
    expect(despecialize(t)).toBe(despecialize(t));
  });
});

// ---------------------------------------------------------------- alignment, size, flattening

describe("alignment, element size and flattening", () => {
  const rows: Array<[string, ValType, number, number, CoreType[]]> = [
    ["bool", "bool", 1, 1, ["i32"]],
    ["s8", "s8", 1, 1, ["i32"]],
    ["u8", "u8", 1, 1, ["i32"]],
    ["s16", "s16", 2, 2, ["i32"]],
    ["u16", "u16", 2, 2, ["i32"]],
    ["s32", "s32", 4, 4, ["i32"]],
    ["u32", "u32", 4, 4, ["i32"]],
    ["s64", "s64", 8, 8, ["i64"]],
    ["u64", "u64", 8, 8, ["i64"]],
    ["f32", "f32", 4, 4, ["f32"]],
    ["f64", "f64", 8, 8, ["f64"]],
    ["char", "char", 4, 4, ["i32"]],
    ["string: pointer and length", "string", 4, 8, ["i32", "i32"]],
    ["error-context", "error-context", 4, 4, ["i32"]],
    ["list<u64>: pointer and length", list("u64"), 4, 8, ["i32", "i32"]],
    ["list<u16, 3>: inline, three elements", list("u16", 3), 2, 6, ["i32", "i32", "i32"]],
    ["list<f64, 2>", list("f64", 2), 8, 16, ["f64", "f64"]],
    ["map<string, u64>: a list of pairs", map("string", "u64"), 4, 8, ["i32", "i32"]],
    ["record {u8, u32, u16}: padded to its alignment", record(["a", "u8"], ["b", "u32"], ["c", "u16"]), 4, 12, ["i32", "i32", "i32"]],
    ["record {u8, u64}", record(["a", "u8"], ["b", "u64"]), 8, 16, ["i32", "i64"]],
    ["record {u16, u8}: tail padding", record(["a", "u16"], ["b", "u8"]), 2, 4, ["i32", "i32"]],
    ["tuple<tuple<u16, u8>, u8>", tuple(tuple("u16", "u8"), "u8"), 2, 6, ["i32", "i32", "i32"]],
    ["enum of 2: u8 discriminant", enumOf(2), 1, 1, ["i32"]],
    ["enum of 256: still u8", enumOf(256), 1, 1, ["i32"]],
    ["enum of 257: u16 discriminant", enumOf(257), 2, 2, ["i32"]],
    ["enum of 65536: still u16", enumOf(65536), 2, 2, ["i32"]],
    ["enum of 65537: u32 discriminant", enumOf(65537), 4, 4, ["i32"]],
    ["option<u8>", option("u8"), 1, 2, ["i32", "i32"]],
    ["option<u64>: payload at 8", option("u64"), 8, 16, ["i32", "i64"]],
    ["option<string>", option("string"), 4, 12, ["i32", "i32", "i32"]],
    ["result without payloads", result(null, null), 1, 1, ["i32"]],
    ["result<u32, string>", result("u32", "string"), 4, 12, ["i32", "i32", "i32"]],
    ["variant of 301 cases, one with a u8: u16 discriminant, padded", { kind: "variant", cases: [...Array.from({ length: 300 }, (_, i) => ({ name: `c${i}`, type: null })), { name: "x", type: "u8" }] }, 2, 4, ["i32", "i32"]],
    ["flags of 1", flags(1), 1, 1, ["i32"]],
    ["flags of 8", flags(8), 1, 1, ["i32"]],
    ["flags of 9", flags(9), 2, 2, ["i32"]],
    ["flags of 16", flags(16), 2, 2, ["i32"]],
    ["flags of 17", flags(17), 4, 4, ["i32"]],
    ["flags of 32", flags(32), 4, 4, ["i32"]],
    ["flags of 33: two words", flags(33), 4, 8, ["i32", "i32"]],
    ["own", { kind: "own", rt: hostRt }, 4, 4, ["i32"]],
    ["borrow", { kind: "borrow", rt: hostRt }, 4, 4, ["i32"]],
    ["stream<u8>", { kind: "stream", elem: "u8" }, 4, 4, ["i32"]],
    ["future", { kind: "future", elem: null }, 4, 4, ["i32"]],
  ];
  it.each(rows)("%s", (_name, t, align, size, flat) => {
    expect(layout(t)).toEqual({ align, size, flat });
    expect(flattenTypes([t, "u8"])).toEqual([...flat, "i32"]);
  });
});

describe("flattening a variant joins its cases' flat types", () => {
  const rows: Array<[string, ValType, CoreType[]]> = [
    ["i32 and i32 stay i32", variant(["a", "u8"], ["b", "s32"]), ["i32", "i32"]],
    ["f32 and f32 stay f32", variant(["a", "f32"], ["b", "f32"]), ["i32", "f32"]],
    ["f32 and i32 join to i32", variant(["a", "f32"], ["b", "u32"]), ["i32", "i32"]],
    ["i32 and f32 join to i32", variant(["a", "u32"], ["b", "f32"]), ["i32", "i32"]],
    ["f32 and i64 join to i64", variant(["a", "f32"], ["b", "u64"]), ["i32", "i64"]],
    ["f64 and f32 join to i64", variant(["a", "f64"], ["b", "f32"]), ["i32", "i64"]],
    ["f64 and i32 join to i64", variant(["a", "f64"], ["b", "u32"]), ["i32", "i64"]],
    ["f64 and f64 stay f64", variant(["a", "f64"], ["b", "f64"]), ["i32", "f64"]],
    ["the longest case sets the length", variant(["a", "u8"], ["b", tuple("f32", "f64", "u8")], ["c", null]), ["i32", "i32", "f64", "i32"]],
    ["position by position", variant(["a", tuple("u64", "f32")], ["b", tuple("f32", "f32")]), ["i32", "i64", "f32"]],
  ];
  it.each(rows)("%s", (_name, t, flat) => {
    expect(layout(t).flat).toEqual(flat);
  });
});

// ---------------------------------------------------------------- flat lifting of primitives

describe("flat lifting of primitives takes the low bits of the core value", () => {
  const rows: Array<[ValType, CoreValue, unknown]> = [
    ["bool", 0, false],
    ["bool", 1, true],
    ["bool", 2, true],
    ["bool", -1, true],
    ["u8", 127, 127],
    ["u8", 256, 0],
    ["u8", -1, 255],
    ["u8", -128, 128],
    ["s8", 127, 127],
    ["s8", 128, -128],
    ["s8", 255, -1],
    ["s8", -129, 127],
    ["u16", 65535, 65535],
    ["u16", 65536, 0],
    ["u16", -1, 65535],
    ["s16", 32768, -32768],
    ["s16", -32769, 32767],
    ["u32", -1, 4294967295],
    ["u32", 2 ** 31 - 1, 2 ** 31 - 1],
    ["s32", -1, -1],
    ["s32", -(2 ** 31), -(2 ** 31)],
    ["u64", -1n, 2n ** 64n - 1n],
    ["u64", -(2n ** 63n), 2n ** 63n],
    ["s64", -1n, -1n],
    ["s64", 2n ** 63n - 1n, 2n ** 63n - 1n],
    ["f32", 1.5, 1.5],
    ["f64", -0.25, -0.25],
    ["char", 0, "\0"],
    ["char", 65, "A"],
    ["char", 0xd7ff, "\ud7ff"],
    ["char", 0xe000, "\ue000"],
    ["char", 0x10ffff, "\u{10ffff}"],
  ];
  it.each(rows)("%s from %s is %s", (t, core, want) => {
    const { cx } = context();
    expect(liftFlat(cx, new CoreValueIter([core]), t)).toEqual(want);
  });

  const traps: Array<[ValType, CoreValue, RegExp]> = [
    ["char", 0xd800, /not a Unicode scalar value/],
    ["char", 0xdfff, /not a Unicode scalar value/],
    ["char", 0x110000, /not a Unicode scalar value/],
    ["char", -1, /not a Unicode scalar value/],
  ];
  it.each(traps)("%s from %s traps", (t, core, message) => {
    const { cx } = context();
    expect(() => liftFlat(cx, new CoreValueIter([core]), t)).toThrow(message);
    expect(() => liftFlat(cx, new CoreValueIter([core]), t)).toThrow(Trap);
  });
});

// ---------------------------------------------------------------- variant coercion

describe("lowering a variant coerces its payload to the joined flat types, lifting coerces back", () => {
  const rows: Array<[string, ValType, unknown, CoreValue[]]> = [
    ["f32 in an i32 slot is its bits", variant(["a", "f32"], ["b", "u32"]), { tag: "a", val: 1.5 }, [0, f32Bits(1.5)]],
    ["u32 in the same slot as itself", variant(["a", "f32"], ["b", "u32"]), { tag: "b", val: 7 }, [1, 7]],
    ["f32 in an i64 slot is its bits, zero-extended", variant(["a", "f32"], ["b", "u64"]), { tag: "a", val: -2 }, [0, BigInt(f32Bits(-2) >>> 0)]],
    ["f64 in an i64 slot is its bits", variant(["a", "f64"], ["b", "f32"]), { tag: "a", val: 1.5 }, [0, f64Bits(1.5)]],
    ["f32 next to an f64 case is i64", variant(["a", "f64"], ["b", "f32"]), { tag: "b", val: 1.5 }, [1, BigInt(f32Bits(1.5))]],
    ["i32 in an i64 slot, zero-extended", variant(["a", "u32"], ["b", "u64"]), { tag: "a", val: 0xffffffff }, [0, 0xffffffffn]],
    ["s32 in an i64 slot keeps its 32 bits", variant(["a", "s32"], ["b", "u64"]), { tag: "a", val: -1 }, [0, 0xffffffffn]],
    ["a shorter case is padded with zeros", variant(["a", "u8"], ["b", tuple("u32", "u32")]), { tag: "a", val: 5 }, [0, 5, 0]],
    ["i64 padding is a bigint zero", variant(["a", "u8"], ["b", tuple("u64", "u64")]), { tag: "a", val: 5 }, [0, 5n, 0n]],
    ["a case without payload is all padding", variant(["a", null], ["b", "f64"]), { tag: "a" }, [0, 0]],
    ["option<f32> none", option("f32"), undefined, [0, 0]],
    ["option<f32> some", option("f32"), 3.5, [1, 3.5]],
    ["result<f32, u64> err", result("f32", "u64"), { tag: "err", val: 9n }, [1, 9n]],
    ["result<f32, u64> ok", result("f32", "u64"), { tag: "ok", val: 0.5 }, [0, BigInt(f32Bits(0.5))]],
  ];
  it.each(rows)("%s", (_name, t, v, flat) => {
    const { cx } = context();
    const out: CoreValue[] = [];
    lowerFlat(cx, v, t, out);
    expect(out).toEqual(flat);
    const vi = new CoreValueIter(out);
    expect(liftFlat(cx, vi, t)).toEqual(v);
    expect(vi.i).toBe(out.length);
  });

  const narrowing: Array<[string, ValType, CoreValue[], unknown]> = [
    ["an i32 case from an i64 slot takes the low 32 bits", variant(["a", "u32"], ["b", "u64"]), [0, 0xffffffff00000005n], { tag: "a", val: 5 }],
    ["an f32 case from an i64 slot takes the low 32 bits as float bits", variant(["a", "f32"], ["b", "u64"]), [0, 0xffffffff00000000n | BigInt(f32Bits(1.1))], { tag: "a", val: Math.fround(1.1) }],
    ["a u8 case from an i32 slot takes the low 8 bits", variant(["a", "u8"], ["b", "u32"]), [0, 0x1ff], { tag: "a", val: 255 }],
  ];
  it.each(narrowing)("%s", (_name, t, flat, v) => {
    const { cx } = context();
    expect(liftFlat(cx, new CoreValueIter(flat), t)).toEqual(v);
  });

  it("a case index past the cases traps when lifted", () => {
    const { cx } = context();
    expect(() => liftFlat(cx, new CoreValueIter([2, 0]), variant(["a", "u8"], ["b", null]))).toThrow(/variant case 2 is out of range \(2 cases\)/);
  });
});

// ---------------------------------------------------------------- storing and loading

/** `_` is a byte the value does not own (padding, an unused payload), which is not compared. */
const _ = null;

describe("store writes the spec's bytes, load reads them back", () => {
  const rows: Array<[string, ValType, unknown, Array<number | null>]> = [
    ["bool", "bool", true, [1]],
    ["u8", "u8", 200, [200]],
    ["s8", "s8", -2, [0xfe]],
    ["u16, little-endian", "u16", 0x1234, [0x34, 0x12]],
    ["s16", "s16", -2, [0xfe, 0xff]],
    ["u32", "u32", 0xdeadbeef, [0xef, 0xbe, 0xad, 0xde]],
    ["s32", "s32", -2, [0xfe, 0xff, 0xff, 0xff]],
    ["u64", "u64", 0x0102030405060708n, [8, 7, 6, 5, 4, 3, 2, 1]],
    ["s64", "s64", -2n, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    ["f32", "f32", 1.5, [0, 0, 0xc0, 0x3f]],
    ["f64", "f64", 1.5, [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]],
    ["char", "char", "é", [0xe9, 0, 0, 0]],
    ["char outside the BMP", "char", "😀", [0x00, 0xf6, 0x01, 0]],
    ["record: fields at their alignment", record(["a", "u8"], ["b", "u32"], ["c-d", "u16"]), { a: 1, b: 2, cD: 3 }, [1, _, _, _, 2, 0, 0, 0, 3, 0, _, _]],
    ["tuple", tuple("u8", "u16"), [1, 0x0203], [1, _, 3, 2]],
    ["nested tuple", tuple(tuple("u16", "u8"), "u8"), [[4, 5], 6], [4, 0, 5, _, 6, _]],
    ["list<u16, 3>: inline", list("u16", 3), Uint16Array.of(1, 2, 3), [1, 0, 2, 0, 3, 0]],
    ["enum", enumOf(3), "e2", [2]],
    ["enum with a u16 discriminant", enumOf(300), "e258", [2, 1]],
    ["option<u32> some: payload after the discriminant, aligned", option("u32"), 7, [1, _, _, _, 7, 0, 0, 0]],
    ["option<u32> none", option("u32"), undefined, [0, _, _, _, _, _, _, _]],
    ["option<option<u8>> some none", option(option("u8")), { tag: "some", val: undefined }, [1, 0, _]],
    ["option<option<u8>> some some", option(option("u8")), { tag: "some", val: 4 }, [1, 1, 4]],
    ["result<u8, u32> err", result("u8", "u32"), { tag: "err", val: 9 }, [1, _, _, _, 9, 0, 0, 0]],
    ["result<_, _> ok", result(null, null), { tag: "ok", val: undefined }, [0]],
    ["variant", variant(["a", null], ["b", "u16"]), { tag: "b", val: 0x0102 }, [1, _, 2, 1]],
    ["flags of 3", flags(3), flagsValue(3, 0, 2), [0b101]],
    ["flags of 9: two bytes", flags(9), flagsValue(9, 0, 8), [1, 1]],
    ["flags of 17: four bytes", flags(17), flagsValue(17, 16), [0, 0, 1, 0]],
    ["flags of 33: two words", flags(33), flagsValue(33, 0, 32), [1, 0, 0, 0, 1, 0, 0, 0]],
  ];
  it.each(rows)("%s", (_name, t, v, want) => {
    const { cx, bytes, put } = context();
    const ptr = 64;
    put(ptr, new Array<number>(want.length).fill(0xaa));
    store(cx, v, t, ptr);
    const got = bytes(ptr, want.length);
    expect(got.map((b, i) => (want[i] === _ ? _ : b))).toEqual(want);
    expect(layout(t).size).toBe(want.length);
    expect(load(cx, ptr, t)).toEqual(v);
  });

  it("a list is stored through realloc: pointer and length, then its elements", () => {
    const { cx, bytes } = context();
    store(cx, Uint16Array.of(5, 6), list("u16"), 64);
    expect(bytes(64, 8)).toEqual([0, 16, 0, 0, 2, 0, 0, 0]);
    expect(bytes(HEAP, 4)).toEqual([5, 0, 6, 0]);
  });

  it("a list of strings stores each string's pointer and length", () => {
    const { cx, bytes } = context();
    store(cx, ["hi", "wat"], list("string"), 64);
    expect(bytes(64, 8)).toEqual([0, 16, 0, 0, 2, 0, 0, 0]);
    const [p0, n0, p1, n1] = new Uint32Array(new Uint8Array(bytes(HEAP, 16)).buffer);
    expect([n0, n1]).toEqual([2, 3]);
    expect(String.fromCharCode(...bytes(p0!, 2), ...bytes(p1!, 3))).toBe("hiwat");
  });

  const loadTraps: Array<[string, ValType, number[], RegExp]> = [
    ["a discriminant past the cases", option("u8"), [2, 0], /variant case 2 is out of range/],
    ["an enum index past the names", enumOf(3), [3], /variant case 3 is out of range/],
    ["a char that is a surrogate", "char", [0x00, 0xd8, 0, 0], /not a Unicode scalar value/],
    ["a list pointer not aligned to its elements", list("u32"), [2, 0, 0, 0, 1, 0, 0, 0], /list at 2 is not aligned to 4/],
    ["a list past the end of memory", list("u8"), [0xf0, 0xff, 0, 0, 0x20, 0, 0, 0], /out of bounds/],
    ["a string that is not UTF-8", "string", [0x80, 0, 0, 0, 1, 0, 0, 0], /not valid utf8/],
  ];
  it.each(loadTraps)("loading %s traps", (_name, t, b, message) => {
    const { cx, put } = context();
    put(0x80, [0xc3]);
    put(64, b);
    expect(() => load(cx, 64, t)).toThrow(message);
  });
});

// ---------------------------------------------------------------- strings

describe("strings in each encoding", () => {
  const strings = ["", "a", "hi\0there", "é", "ab\u00ffc", "\u01ffy", "日本語", "a😀b", "\ud7ff\ue000"];
  const encodings: StringEncoding[] = ["utf8", "utf16", "latin1+utf16"];
  const rows = encodings.flatMap((e) => strings.map((s): [StringEncoding, string] => [e, s]));

  /** The code units the spec stores: UTF-8 bytes, UTF-16 units, or Latin-1 bytes when every char fits (else tagged UTF-16). */
  function expected(encoding: StringEncoding, s: string): { bytes: number[]; tagged: number; align: number } {
    const utf16 = Array.from(new Uint8Array(Uint16Array.from(s, (_c, i) => s.charCodeAt(i)).buffer));
    const u16 = Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
    switch (encoding) {
      case "utf8": {
        const bytes = Array.from(new TextEncoder().encode(s));
        return { bytes, tagged: bytes.length, align: 1 };
      }
      case "utf16":
        return { bytes: utf16, tagged: s.length, align: 2 };
      case "latin1+utf16":
        if (u16.every((c) => c < 256)) return { bytes: u16, tagged: s.length, align: 2 };
        return { bytes: utf16, tagged: s.length + 2 ** 31, align: 2 };
    }
  }

  it.each(rows)("%s %j", (encoding, s) => {
    const { cx, bytes } = context(encoding);
    const want = expected(encoding, s);
    const [ptr, tagged] = storeStringIntoRange(cx, s);
    expect(ptr % want.align).toBe(0);
    expect(tagged).toBe(want.tagged);
    expect(bytes(ptr, want.bytes.length)).toEqual(want.bytes);
    expect(loadStringFromRange(cx, ptr, tagged)).toBe(s);
  });

  it.each(encodings)("a string read past the end of memory traps (%s)", (encoding) => {
    const { cx } = context(encoding);
    expect(() => loadStringFromRange(cx, 65530, 10)).toThrow(/string at 65530\.\.\d+ is out of bounds/);
  });

  it.each(["utf16", "latin1+utf16"] as const)("a misaligned UTF-16 string traps (%s)", (encoding) => {
    const { cx } = context(encoding);
    expect(() => loadStringFromRange(cx, 1, 2 ** 31 + 1)).toThrow(/string at 1 is not aligned to 2/);
  });
});

// ---------------------------------------------------------------- lift/lower round trips

describe("a value lowered to flat values and lifted back is itself", () => {
  /** Name, type, value, and the value loaded back from memory where that differs. */
  const rows: Array<[string, ValType, unknown, unknown?]> = [
    ["bool", "bool", true],
    ["s8", "s8", -1],
    ["u64 above 2^63", "u64", 2n ** 64n - 2n],
    ["s64 below zero", "s64", -(2n ** 63n)],
    ["f32", "f32", -1.5],
    ["f64", "f64", Math.PI],
    ["NaN stays NaN", "f64", NaN],
    ["char", "char", "ß"],
    ["string", "string", "grüße, 世界"],
    ["record with kebab-case fields", record(["first-name", "string"], ["age", "u8"]), { firstName: "Ada", age: 36 }],
    ["tuple<u16, u16>", tuple("u16", "u16"), [3, 4]],
    ["list<u8>", list("u8"), Uint8Array.of(1, 2, 3)],
    ["list<s32>", list("s32"), Int32Array.of(-1, 0, 1)],
    ["list<u64>", list("u64"), BigUint64Array.of(1n, 2n ** 64n - 1n)],
    ["list<f32>", list("f32"), Float32Array.of(0.5, -2)],
    ["list<bool>", list("bool"), [true, false, true]],
    ["list<string>", list("string"), ["hello there", ""]],
    ["list<list<string>>", list(list("string")), [["one", "two"], ["three"]]],
    ["list<option<tuple<string, u16>>>", list(option(tuple("string", "u16"))), [["answer", 42], undefined]],
    ["list<u8, 4>: inline in flat values, loaded as bytes", list("u8", 4), [9, 8, 7, 6], Uint8Array.of(9, 8, 7, 6)],
    ["list<record>", list(record(["x", "u8"], ["y", "f64"])), [{ x: 1, y: 0.5 }, { x: 2, y: -0.5 }]],
    ["map<string, u32>: [key, value] pairs", map("string", "u32"), [["a", 1], ["b", 2]]],
    ["map<u32, map<char, bool>>", map("u32", map("char", "bool")), [[7, [["x", true]]], [8, []]]],
    ["enum", enumOf(4), "e3"],
    ["option<string> some", option("string"), "yes"],
    ["option<string> none", option("string"), undefined],
    ["result<string, u32> ok", result("string", "u32"), { tag: "ok", val: "fine" }],
    ["result<_, string> err", result(null, "string"), { tag: "err", val: "broken" }],
    ["variant with a record payload", variant(["n", null], ["p", record(["x", "s16"], ["y", "s16"])]), { tag: "p", val: { x: -3, y: 4 } }],
    ["variant without payload", variant(["n", null], ["p", "u8"]), { tag: "n" }],
    ["flags of 3", flags(3), flagsValue(3, 1)],
    ["flags of 40", flags(40), flagsValue(40, 0, 31, 32, 39)],
  ];
  it.each(rows)("%s", (_name, t, v) => {
    const { cx } = context();
    const flat: CoreValue[] = [];
    lowerFlat(cx, v, t, flat);
    expect(flat.map(jsTypeOf)).toEqual(layout(t).flat.map(jsTypeFor));
    const vi = new CoreValueIter(flat);
    expect(liftFlat(cx, vi, t)).toEqual(v);
    expect(vi.i).toBe(flat.length);
  });

  it.each(rows)("%s, through memory", (_name, t, v, fromMemory = v) => {
    const { cx } = context();
    const ptr = alignTo(64, layout(t).align);
    store(cx, v, t, ptr);
    expect(load(cx, ptr, t)).toEqual(fromMemory);
  });

  const lowerTraps: Array<[string, ValType, unknown, RegExp]> = [
    ["a record from null", record(["a", "u8"]), null, /expected a record \(object\), got null/],
    ["a tuple from a number", tuple("u8"), 3, /expected a tuple \(array\), got number/],
    ["an enum from an unknown name", enumOf(2), "e9", /"e9" is not one of the enum's cases \(e0, e1\)/],
    ["a result without its tag", result("u8", null), { val: 1 }, /expected a result/],
    ["a variant with an unknown tag", variant(["a", null]), { tag: "b" }, /"b" is not one of the variant's cases \(a\)/],
    ["a number from a string", "u32", "7", /expected a number from the host, got string/],
    ["a u64 from a fraction", "u64", 1.5, /expected a 64-bit integer/],
    ["a char from two characters", "char", "ab", /expected one Unicode character/],
    ["a list from an object", list("u8"), {}, /expected a list \(array\), got object/],
    ["flags from a number", flags(2), 3, /expected flags as an object of booleans/],
    ["a stream from a number", { kind: "stream", elem: "u8" }, 5, /expected a stream from the host/],
    ["an own from a number", { kind: "own", rt: hostRt }, 5, /the host returned 5 where a thing was expected/],
    ["an own of another class", { kind: "own", rt: hostRt }, new Date(0), /the host returned a Date where a thing was expected/],
  ];
  it.each(lowerTraps)("lowering %s traps", (_name, t, v, message) => {
    const { cx } = context();
    expect(() => lowerFlat(cx, v, t, [])).toThrow(message);
  });
});

// ---------------------------------------------------------------- handles: resources, streams, futures, error contexts

describe("values that are handles in the instance's table", () => {
  it("an own resource is a new owned handle, and lifting takes it out again", () => {
    const { cx, inst } = context();
    const thing = new HostThing();
    const t: ValType = { kind: "own", rt: hostRt };
    const out: CoreValue[] = [];
    lowerFlat(cx, thing, t, out);
    const h = inst.handles.get(out[0] as number);
    expect(h).toBeInstanceOf(ResourceHandle);
    expect(h).toMatchObject({ rep: thing, own: true });
    expect(liftFlat(cx, new CoreValueIter(out), t)).toBe(thing);
    expect(() => inst.handles.get(out[0] as number)).toThrow(/not in the instance's table/);
  });

  it("a borrow counts against the task's scope; lifting an own handle as a borrow lends it", () => {
    const { cx, inst, borrows } = context();
    const thing = new HostThing();
    const out: CoreValue[] = [];
    lowerFlat(cx, thing, { kind: "borrow", rt: hostRt }, out);
    expect(borrows.numBorrows).toBe(1);
    expect(inst.handles.get(out[0] as number)).toMatchObject({ own: false });
    const own: CoreValue[] = [];
    lowerFlat(cx, thing, { kind: "own", rt: hostRt }, own);
    expect(liftFlat(cx, new CoreValueIter(own), { kind: "borrow", rt: hostRt })).toBe(thing);
    expect(borrows.lenders).toEqual([inst.handles.get(own[0] as number)]);
  });

  it("lifting a borrowed handle as an own traps", () => {
    const { cx } = context();
    const out: CoreValue[] = [];
    lowerFlat(cx, new HostThing(), { kind: "borrow", rt: hostRt }, out);
    expect(() => liftFlat(cx, new CoreValueIter(out), { kind: "own", rt: hostRt })).toThrow(/handle 1 is a borrow, but an owned thing was expected/);
  });

  it("lifting a handle of another resource type traps", () => {
    const { cx } = context();
    const other = new ResourceType("other", null, null, HostThing);
    const out: CoreValue[] = [];
    lowerFlat(cx, new HostThing(), { kind: "own", rt: other }, out);
    expect(() => liftFlat(cx, new CoreValueIter(out), { kind: "own", rt: hostRt })).toThrow(/handle 1 is not a thing/);
  });

  it("a stream is a readable end in the table; lifting it moves its shared stream out", () => {
    const { cx, inst, store: st } = context();
    const t: ValType = { kind: "stream", elem: "u8" };
    const shared = new SharedStreamImpl("u8", st);
    const out: CoreValue[] = [];
    lowerFlat(cx, shared, t, out);
    const end = inst.handles.get(out[0] as number);
    expect(end).toBeInstanceOf(ReadableStreamEnd);
    expect((end as ReadableStreamEnd).shared).toBe(shared);
    expect(liftFlat(cx, new CoreValueIter(out), t)).toBe(shared);
    expect(() => inst.handles.get(out[0] as number)).toThrow(/not in the instance's table/);
  });

  const streamTraps: Array<[string, ValType, (st: Store) => unknown, RegExp]> = [
    ["a stream of another element type", { kind: "stream", elem: "u32" }, (st) => new SharedStreamImpl("u8", st), /stream handle 1 has a different element type/],
    ["a future's end as a stream", { kind: "stream", elem: "u8" }, (st) => new SharedFutureImpl("u8", st), /handle 1 is not the readable end of a stream/],
    ["a future of another value type", { kind: "future", elem: "string" }, (st) => new SharedFutureImpl("u8", st), /future handle 1 has a different value type/],
  ];
  it.each(streamTraps)("lifting %s traps", (_name, t, make, message) => {
    const { cx, inst, store: st } = context();
    const v = make(st);
    const lowered = v instanceof SharedStreamImpl ? { kind: "stream" as const, elem: "u8" as const } : { kind: "future" as const, elem: "u8" as const };
    const out: CoreValue[] = [];
    lowerFlat(cx, v, lowered, out);
    expect(() => liftFlat(cx, new CoreValueIter(out), t)).toThrow(message);
    expect(inst.handles.get(out[0] as number)).toBeDefined();
  });

  it("lifting a readable end that is copying traps", () => {
    const { cx, inst, store: st } = context();
    const end = new ReadableStreamEnd(new SharedStreamImpl("u8", st));
    end.state = "async-copying";
    const i = inst.handles.add(end);
    expect(() => liftFlat(cx, new CoreValueIter([i]), { kind: "stream", elem: "u8" })).toThrow(/stream handle 1 is busy copying and cannot be passed on/);
  });

  it("an error-context is a handle to it; an Error from the host becomes one with its message", () => {
    const { cx } = context();
    const ec = new ErrorContext("boom");
    const out: CoreValue[] = [];
    lowerFlat(cx, ec, "error-context", out);
    lowerFlat(cx, new Error("bang"), "error-context", out);
    const vi = new CoreValueIter(out);
    expect(liftFlat(cx, vi, "error-context")).toBe(ec);
    expect(liftFlat(cx, vi, "error-context")).toMatchObject({ debugMessage: "bang" });
  });
});

// ---------------------------------------------------------------- flat values: spilling

describe("flat values past the limit spill to memory", () => {
  const seventeen: ValType[] = Array.from({ length: 17 }, () => "u8");
  const values = Array.from({ length: 17 }, (_, i) => i * 3);

  it("16 flat values are passed as they are", () => {
    const { cx } = context();
    const flat = lowerFlatValues(cx, 16, values.slice(0, 16), seventeen.slice(0, 16));
    expect(flat).toEqual(values.slice(0, 16));
  });

  it("16 flat values are lifted as they are", () => {
    const { cx } = context();
    expect(liftFlatValues(cx, 16, new CoreValueIter(values.slice(0, 16)), seventeen.slice(0, 16))).toEqual(values.slice(0, 16));
  });

  it("17 go through realloc as one pointer to a tuple, and come back", () => {
    const { cx, bytes } = context();
    const flat = lowerFlatValues(cx, 16, values, seventeen);
    expect(flat).toEqual([HEAP]);
    expect(bytes(HEAP, 17)).toEqual(values);
    expect(liftFlatValues(cx, 16, new CoreValueIter(flat), seventeen)).toEqual(values);
  });

  it("results past MAX_FLAT_RESULTS go to the caller's pointer when it gives one", () => {
    const { cx, bytes } = context();
    const ts: ValType[] = ["string"];
    expect(lowerFlatValues(cx, 1, ["ok"], ts, 128)).toEqual([]);
    expect(bytes(128, 8)).toEqual([0, 16, 0, 0, 2, 0, 0, 0]);
    expect(liftFlatValues(cx, 1, new CoreValueIter([128]), ts)).toEqual(["ok"]);
  });

  it("a spilled pointer out of bounds traps", () => {
    const { cx } = context();
    expect(() => liftFlatValues(cx, 16, new CoreValueIter([65530]), seventeen)).toThrow(/spilled values at 65530\.\.65547 is out of bounds/);
  });

  it("lowering leaves the instance free to leave again, also when it traps", () => {
    const { cx, inst } = context();
    expect(() => lowerFlatValues(cx, 16, [null], [record(["a", "u8"])])).toThrow(Trap);
    expect(inst.mayLeave).toBe(true);
  });
});

describe("realloc's answers are checked", () => {
  it.each([
    ["misaligned", 4097, /realloc returned 4097, which is not aligned to 2/],
    ["out of bounds", 65534, /realloc returned 65534, and 4 bytes from there are out of bounds/],
  ] as const)("%s", (_name, ptr, message) => {
    const { cx } = context("utf16");
    const bad = new LiftLowerContext({ ...cx.opts, realloc: () => ptr }, cx.inst);
    expect(() => storeStringIntoRange(bad, "ab")).toThrow(message);
  });

  it("no memory option traps when a value needs memory", () => {
    const { cx } = context();
    const none = new LiftLowerContext({ ...cx.opts, memory: null }, cx.inst);
    expect(() => load(none, 0, "u8")).toThrow(/no `memory` option was given/);
  });
});
