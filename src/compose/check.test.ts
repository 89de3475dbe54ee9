// The structural type check of one wire on hand-made types: every value type constructor, functions
// (async-ness, names, arity), instances (the export may have more), and resource pairing.
import { describe, expect, it } from "vitest";
import type { ExternType, FuncSig, Resource, ValueType } from "../component/types";
import { checkExtern } from "./check";

const func = (params: ValueType[], result?: ValueType, async = false): FuncSig => ({
  kind: "func",
  async,
  params: params.map((type, i) => ({ name: `p${i}`, type })),
  ...(result === undefined ? {} : { result }),
});
const iface = (members: Record<string, ExternType>): ExternType => ({ kind: "instance", exports: Object.entries(members).map(([name, type]) => ({ name, type })) });
const res = (name: string, id: number): Resource => ({ kind: "resource", name, origin: { kind: "defined", id } });
const reason = (want: ExternType, have: ExternType) => {
  const r = checkExtern(want, have);
  return r.ok ? "ok" : r.reason;
};

describe("checkExtern", () => {
  it("matches equal value types of every constructor", () => {
    const all: ValueType[] = [
      "u8",
      { kind: "record", fields: [{ name: "a", type: "string" }] },
      { kind: "variant", cases: [{ name: "x" }, { name: "y", type: "u32" }] },
      { kind: "list", element: "u8" },
      { kind: "list", element: "u8", length: 4 },
      { kind: "tuple", types: ["u8", "bool"] },
      { kind: "flags", names: ["r", "w"] },
      { kind: "enum", names: ["a", "b"] },
      { kind: "option", type: "char" },
      { kind: "result", ok: "u8" },
      { kind: "result" },
      { kind: "stream", element: "u8" },
      { kind: "future" },
      { kind: "map", key: "string", value: "u32" },
    ];
    for (const t of all) expect(reason(func([t], t), func([structuredClone(t)], structuredClone(t)))).toBe("ok");
  });

  it("says where two value types differ", () => {
    const rec = (type: ValueType): ValueType => ({ kind: "record", fields: [{ name: "a", type: { kind: "list", element: type } }] });
    expect(reason(func([rec("u8")]), func([rec("s8")]))).toBe("parameter `p0` > field `a` > element: expected u8, found s8");
    expect(reason(func([], { kind: "result", ok: "u8" }), func([], { kind: "result", ok: "u8", err: "string" }))).toBe("result > err: expected none, found string");
    expect(reason(func([{ kind: "list", element: "u8", length: 4 }]), func([{ kind: "list", element: "u8" }]))).toBe("parameter `p0`: expected list<u8, 4>, found list<u8>");
    expect(reason(func([{ kind: "enum", names: ["a", "b"] }]), func([{ kind: "enum", names: ["b", "a"] }]))).toBe("parameter `p0`: expected enum { a, b }, found enum { b, a }");
    expect(reason(func([{ kind: "stream", element: "u8" }]), func([{ kind: "stream" }]))).toBe("parameter `p0` > element: expected u8, found none");
    expect(reason(func([{ kind: "future", element: "u8" }]), func([{ kind: "stream", element: "u8" }]))).toBe("parameter `p0`: expected future<u8>, found stream<u8>");
  });

  it("compares functions exactly: async-ness, arity, names, result", () => {
    expect(reason(func(["u8"], undefined, true), func(["u8"]))).toBe("expected an async function, found a sync one");
    expect(reason(func(["u8"]), func(["u8", "u8"]))).toBe("expected 1 parameters, found 2");
    expect(reason(func([], "u8"), func([]))).toBe("result: expected u8, found none");
  });

  it("lets an exported instance have more members than the import asks for, not fewer", () => {
    const f = func(["u8"]);
    expect(reason(iface({ f }), iface({ f, g: f }))).toBe("ok");
    expect(reason(iface({ f, g: f }), iface({ f }))).toBe("export `g` is missing");
    expect(reason(iface({ f }), iface({ f: iface({}) }))).toBe("`f`: expected a function, found an instance");
  });

  it("pairs resources by position and refuses one import resource standing for two", () => {
    const a = res("a", 0);
    const b = res("b", 1);
    const x = res("x", 7);
    const y = res("y", 8);
    const want = iface({ a: { kind: "type", type: a }, f: func([{ kind: "own", resource: a }, { kind: "borrow", resource: b }]) });
    const r = checkExtern(want, iface({ a: { kind: "type", type: x }, f: func([{ kind: "own", resource: x }, { kind: "borrow", resource: y }]) }));
    expect(r.ok && r.pairs.map((p) => [p.want.name, p.have.name])).toEqual([["a", "x"], ["a", "x"], ["b", "y"]]);
    expect(reason(want, iface({ a: { kind: "type", type: x }, f: func([{ kind: "own", resource: y }, { kind: "borrow", resource: y }]) }))).toBe(
      "resource `a` of the import stands for two different resources of the export (`x` and `y`)",
    );
    expect(reason(iface({ a: { kind: "type", type: a } }), iface({ a: { kind: "type", type: "u8" } }))).toBe("`a`: expected a resource, found a value type");
  });
});
