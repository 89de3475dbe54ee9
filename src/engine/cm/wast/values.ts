/**
 * Script values (`src/component/wast/values.ts`) and the host's values of engine/cm (jco's
 * conventions, see `../abi.ts`), both ways, by the function's component types: arguments go in
 * as host values, results come back as script values and are compared with the expected ones.
 */
import { camelCase } from "../../../base/names";
import { showValue, type WastValue } from "../../../component/wast/values";
import { typeName, type ValType } from "../types";

/** A value that does not fit the type it is given for (a script or runner mistake, not a trap). */
export class ValueMismatch extends Error {
  override name = "ValueMismatch";
}

function mismatch(v: WastValue, t: ValType): never {
  throw new ValueMismatch(`${showValue(v)} is not a ${typeName(t)}`);
}

/** The host value engine/cm lowers for `v` of type `t`. */
export function toHost(v: WastValue, t: ValType): unknown {
  if (typeof t === "string") {
    if (v.kind !== t) mismatch(v, t);
    return (v as { value: unknown }).value;
  }
  switch (t.kind) {
    case "list":
      if (v.kind !== "list") mismatch(v, t);
      return v.elems.map((e) => toHost(e, t.elem));
    case "tuple":
      if (v.kind !== "tuple" || v.elems.length !== t.elems.length) mismatch(v, t);
      return v.elems.map((e, i) => toHost(e, t.elems[i]!));
    case "record": {
      if (v.kind !== "record" || v.fields.length !== t.fields.length) mismatch(v, t);
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const given = v.fields.find(([k]) => k === f.name);
        if (!given) mismatch(v, t);
        out[camelCase(f.name)] = toHost(given[1], f.type);
      }
      return out;
    }
    case "variant": {
      if (v.kind !== "variant") mismatch(v, t);
      const c = t.cases.find((x) => x.name === v.name);
      if (!c || (c.type === null) !== (v.payload === null)) mismatch(v, t);
      return c.type === null ? { tag: c.name } : { tag: c.name, val: toHost(v.payload!, c.type) };
    }
    case "enum":
      if (v.kind !== "enum" || !t.names.includes(v.name)) mismatch(v, t);
      return v.name;
    case "option": {
      if (v.kind !== "option") mismatch(v, t);
      if (v.value === null) return undefined;
      const inner = toHost(v.value, t.elem);
      return typeof t.elem !== "string" && t.elem.kind === "option" ? { tag: "some", val: inner } : inner;
    }
    case "result": {
      if (v.kind !== "result") mismatch(v, t);
      const payload = v.ok ? t.ok : t.err;
      if ((payload === null) !== (v.value === null)) mismatch(v, t);
      return { tag: v.ok ? "ok" : "err", val: payload === null ? undefined : toHost(v.value!, payload) };
    }
    case "flags": {
      if (v.kind !== "flags" || v.names.some((n) => !t.names.includes(n))) mismatch(v, t);
      return Object.fromEntries(t.names.map((n) => [camelCase(n), v.names.includes(n)]));
    }
    default:
      throw new ValueMismatch(`scripts cannot pass a ${typeName(t)}`);
  }
}

/** The script value of the host value `x` that engine/cm lifted from a result of type `t`. */
export function fromHost(x: unknown, t: ValType): WastValue {
  if (typeof t === "string") {
    switch (t) {
      case "bool":
        return { kind: "bool", value: Boolean(x) };
      case "u64":
      case "s64":
        return { kind: t, value: BigInt(x as bigint) };
      case "f32":
      case "f64":
        return { kind: t, value: Number(x) };
      case "char":
      case "string":
        return { kind: t, value: String(x) };
      case "error-context":
        throw new ValueMismatch("an error-context result cannot be compared with a script value");
      default:
        return { kind: t, value: Number(x) };
    }
  }
  const obj = x as Record<string, unknown>;
  switch (t.kind) {
    case "list":
      return { kind: "list", elems: Array.from(x as ArrayLike<unknown>, (e) => fromHost(e, t.elem)) };
    case "tuple":
      return { kind: "tuple", elems: t.elems.map((e, i) => fromHost((x as unknown[])[i], e)) };
    case "record":
      return { kind: "record", fields: t.fields.map((f) => [f.name, fromHost(obj[camelCase(f.name)], f.type)] as const) };
    case "variant": {
      const c = t.cases.find((k) => k.name === obj.tag);
      if (!c) throw new ValueMismatch(`the result ${String(obj.tag)} is not a case of ${typeName(t)}`);
      return { kind: "variant", name: c.name, payload: c.type === null ? null : fromHost(obj.val, c.type) };
    }
    case "enum":
      return { kind: "enum", name: String(x) };
    case "option": {
      if (x === undefined || x === null) return { kind: "option", value: null };
      const optionLike = typeof t.elem !== "string" && t.elem.kind === "option";
      if (optionLike && obj.tag === "none") return { kind: "option", value: null };
      return { kind: "option", value: fromHost(optionLike ? obj.val : x, t.elem) };
    }
    case "result": {
      const ok = obj.tag === "ok";
      const payload = ok ? t.ok : t.err;
      return { kind: "result", ok, value: payload === null ? null : fromHost(obj.val, payload) };
    }
    case "flags":
      return { kind: "flags", names: t.names.filter((n) => obj[camelCase(n)] === true) };
    default:
      throw new ValueMismatch(`a ${typeName(t)} result cannot be compared with a script value`);
  }
}

function sameFloat(a: number, b: number, f32: boolean): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return f32 ? Object.is(Math.fround(a), Math.fround(b)) : Object.is(a, b);
}

/** Structural equality; any NaN equals any NaN, and `0` differs from `-0`. */
export function sameValue(a: WastValue, b: WastValue): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "f32":
    case "f64":
      return sameFloat(a.value, (b as typeof a).value, a.kind === "f32");
    case "list":
    case "tuple": {
      const e = (b as typeof a).elems;
      return a.elems.length === e.length && a.elems.every((x, i) => sameValue(x, e[i]!));
    }
    case "record": {
      const f = (b as typeof a).fields;
      return a.fields.length === f.length && a.fields.every(([k, x], i) => f[i]![0] === k && sameValue(x, f[i]![1]));
    }
    case "variant": {
      const o = b as typeof a;
      return a.name === o.name && (a.payload === null ? o.payload === null : o.payload !== null && sameValue(a.payload, o.payload));
    }
    case "option":
    case "result": {
      const o = b as typeof a;
      if (a.kind === "result" && a.ok !== (o as typeof a).ok) return false;
      return a.value === null ? o.value === null : o.value !== null && sameValue(a.value, o.value);
    }
    case "flags": {
      const n = (b as typeof a).names;
      return a.names.length === n.length && a.names.every((x) => n.includes(x));
    }
    case "enum":
      return a.name === (b as typeof a).name;
    default:
      return a.value === (b as typeof a).value;
  }
}
