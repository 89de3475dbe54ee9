// Script values to engine/cm's host values and back, by type; equality of script values.
import { describe, expect, it } from "vitest";
import type { WastValue } from "../../../component/wast/values";
import type { ValType } from "../types";
import { fromHost, sameValue, toHost, ValueMismatch } from "./values";

const u32 = (value: number): WastValue => ({ kind: "u32", value });

const cases: [string, WastValue, ValType, unknown][] = [
  ["bool", { kind: "bool", value: true }, "bool", true],
  ["s64", { kind: "s64", value: -14n }, "s64", -14n],
  ["char", { kind: "char", value: "Z" }, "char", "Z"],
  ["list<u32>", { kind: "list", elems: [u32(1), u32(2)] }, { kind: "list", elem: "u32" }, [1, 2]],
  ["tuple", { kind: "tuple", elems: [{ kind: "string", value: "x" }, u32(42)] }, { kind: "tuple", elems: ["string", "u32"] }, ["x", 42]],
  [
    "record (camelCase keys on the host side)",
    { kind: "record", fields: [["the-handle", { kind: "u8", value: 0 }], ["bytes", u32(4)]] },
    { kind: "record", fields: [{ name: "the-handle", type: "u8" }, { name: "bytes", type: "u32" }] },
    { theHandle: 0, bytes: 4 },
  ],
  ["variant with payload", { kind: "variant", name: "b", payload: { kind: "f32", value: 5 } }, { kind: "variant", cases: [{ name: "a", type: null }, { name: "b", type: "f32" }] }, { tag: "b", val: 5 }],
  ["variant without", { kind: "variant", name: "a", payload: null }, { kind: "variant", cases: [{ name: "a", type: null }] }, { tag: "a" }],
  ["enum", { kind: "enum", name: "green" }, { kind: "enum", names: ["red", "green"] }, "green"],
  ["option some", { kind: "option", value: u32(5) }, { kind: "option", elem: "u32" }, 5],
  ["option none", { kind: "option", value: null }, { kind: "option", elem: "u32" }, undefined],
  ["option<option> some(none)", { kind: "option", value: { kind: "option", value: null } }, { kind: "option", elem: { kind: "option", elem: "u32" } }, { tag: "some", val: undefined }],
  ["result err", { kind: "result", ok: false, value: u32(404) }, { kind: "result", ok: "string", err: "u32" }, { tag: "err", val: 404 }],
  ["result ok, no payload", { kind: "result", ok: true, value: null }, { kind: "result", ok: null, err: null }, { tag: "ok", val: undefined }],
  ["flags", { kind: "flags", names: ["a", "c-d"] }, { kind: "flags", names: ["a", "b", "c-d"] }, { a: true, b: false, cD: true }],
];

describe("script values and host values", () => {
  it.each(cases)("%s", (_, v, t, host) => {
    expect(toHost(v, t)).toEqual(host);
    expect(sameValue(fromHost(host, t), v)).toBe(true);
  });

  it("reads a numeric list lifted as a typed array", () => {
    expect(fromHost(new Uint8Array([1, 2]), { kind: "list", elem: "u8" })).toEqual({ kind: "list", elems: [{ kind: "u8", value: 1 }, { kind: "u8", value: 2 }] });
  });

  it.each<[string, WastValue, ValType]>([
    ["a string as u32", { kind: "string", value: "x" }, "u32"],
    ["an unknown case", { kind: "variant", name: "z", payload: null }, { kind: "variant", cases: [{ name: "a", type: null }] }],
    ["a missing payload", { kind: "variant", name: "a", payload: null }, { kind: "variant", cases: [{ name: "a", type: "u8" }] }],
    ["a record with another field", { kind: "record", fields: [["y", u32(1)]] }, { kind: "record", fields: [{ name: "x", type: "u32" }] }],
    ["an unknown flag", { kind: "flags", names: ["q"] }, { kind: "flags", names: ["a"] }],
  ])("refuses %s", (_, v, t) => {
    expect(() => toHost(v, t)).toThrow(ValueMismatch);
  });
});

describe("sameValue", () => {
  it("takes any NaN for any NaN, tells 0 from -0, and rounds f32 before comparing", () => {
    expect(sameValue({ kind: "f64", value: NaN }, { kind: "f64", value: NaN })).toBe(true);
    expect(sameValue({ kind: "f64", value: 0 }, { kind: "f64", value: -0 })).toBe(false);
    expect(sameValue({ kind: "f32", value: 0.1 }, { kind: "f32", value: Math.fround(0.1) })).toBe(true);
    expect(sameValue({ kind: "f64", value: 0.1 }, { kind: "f64", value: Math.fround(0.1) })).toBe(false);
  });

  it("compares structure: kinds, lengths, field order, flags as sets", () => {
    expect(sameValue(u32(1), { kind: "s32", value: 1 })).toBe(false);
    expect(sameValue({ kind: "list", elems: [u32(1)] }, { kind: "list", elems: [u32(1), u32(1)] })).toBe(false);
    expect(sameValue({ kind: "record", fields: [["a", u32(1)], ["b", u32(2)]] }, { kind: "record", fields: [["b", u32(2)], ["a", u32(1)]] })).toBe(false);
    expect(sameValue({ kind: "flags", names: ["a", "b"] }, { kind: "flags", names: ["b", "a"] })).toBe(true);
    expect(sameValue({ kind: "result", ok: true, value: null }, { kind: "result", ok: false, value: null })).toBe(false);
  });
});
