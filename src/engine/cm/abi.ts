/**
 * Canonical ABI value layout, loading/storing and flat lifting/lowering
 * (CanonicalABI.md: Despecialization, Alignment, Element Size, Loading, Storing, Flattening,
 * Flat Lifting, Flat Lowering, Lifting and Lowering Values).
 *
 * Values on the JS side follow jco's conventions, which are our host's contract (DESIGN.md):
 * records are objects with camelCase keys, variants `{tag, val}`, enums strings, flags objects of
 * booleans, options `undefined | T`, tuples arrays, 64-bit integers bigints, `list<u8>` and other
 * numeric lists typed arrays, resources host objects (or `GuestResource` between components).
 */
import { assert } from "../../base/assert";
import type { ComponentInstance } from "./instance";
import { ErrorContext, ResourceHandle, type BorrowScope } from "./handles";
import { readableFutureFrom, readableStreamFrom } from "./host-streams";
import { ReadableFutureEnd, ReadableStreamEnd, type SharedBase } from "./streams";
import { camelCase, GuestResource, sameType, type Case, type Field, type ResourceType, type ValType } from "./types";

export type CoreType = "i32" | "i64" | "f32" | "f64";
export type CoreValue = number | bigint;
export type StringEncoding = "utf8" | "utf16" | "latin1+utf16";

/** `CanonicalOptions`: what a `canon lift`/`canon lower`/builtin was given. */
export interface CanonOptions {
  memory: WebAssembly.Memory | null;
  stringEncoding: StringEncoding;
  realloc: ((oldPtr: number, oldSize: number, align: number, newSize: number) => number) | null;
  postReturn: ((...flat: CoreValue[]) => void) | null;
  async: boolean;
  callback: ((code: number, p1: number, p2: number) => number) | null;
}

/** Views of one memory's current buffer, shared by every context over it (made again when it grows). */
interface MemoryViews {
  buffer: ArrayBuffer;
  dv: DataView;
  u8: Uint8Array;
}
const memoryViews = new WeakMap<WebAssembly.Memory, MemoryViews>();

/** `LiftLowerContext`: options, instance, and where borrows are accounted. */
export class LiftLowerContext {
  #views: MemoryViews | null = null;
  /** The function being called, when lowering a host function's results (names host streams in traces). */
  callee: string | undefined;

  constructor(
    readonly opts: CanonOptions,
    readonly inst: ComponentInstance,
    readonly borrowScope: BorrowScope | null = null,
  ) {}

  // A context lives for one call; views are kept per memory, since making a DataView per call
  // showed in profiles of a 1000-wait fan-out.
  #refresh(): MemoryViews {
    const mem = this.opts.memory;
    if (!mem) this.inst.trap("a value needs linear memory, but no `memory` option was given");
    let v = this.#views ?? memoryViews.get(mem);
    const buffer = mem.buffer;
    if (!v || v.buffer !== buffer) memoryViews.set(mem, (v = { buffer, dv: new DataView(buffer), u8: new Uint8Array(buffer) }));
    return (this.#views = v);
  }
  get dv(): DataView {
    return this.#refresh().dv;
  }
  get u8(): Uint8Array {
    return this.#refresh().u8;
  }

  realloc(oldPtr: number, oldSize: number, align: number, newSize: number): number {
    const r = this.opts.realloc;
    if (!r) this.inst.trap("a value needs allocating in guest memory, but no `realloc` option was given");
    const ptr = r(oldPtr, oldSize, align, newSize) >>> 0;
    if (ptr !== alignTo(ptr, align)) this.inst.trap(`realloc returned ${ptr}, which is not aligned to ${align}`, "unaligned-pointer");
    if (ptr + newSize > this.u8.length) this.inst.trap(`realloc returned ${ptr}, and ${newSize} bytes from there are out of bounds`, "out-of-bounds");
    return ptr;
  }

  checkRange(ptr: number, len: number, align: number, what: string): void {
    if (ptr !== alignTo(ptr, align)) this.inst.trap(`${what} at ${ptr} is not aligned to ${align}`, "unaligned-pointer");
    if (ptr + len > this.u8.length) this.inst.trap(`${what} at ${ptr}..${ptr + len} is out of bounds of memory (${this.u8.length} bytes)`, "out-of-bounds");
  }
}

// ---------------------------------------------------------------- despecialization and layout

type Despecialized =
  | Exclude<ValType, { kind: "tuple" } | { kind: "enum" } | { kind: "option" } | { kind: "result" } | { kind: "map" }>
  | { kind: "record"; fields: Field[] }
  | { kind: "variant"; cases: Case[] };

const despecialized = new WeakMap<object, Despecialized>();

export function despecialize(t: ValType): Despecialized {
  if (typeof t === "string") return t;
  let d = despecialized.get(t);
  if (d) return d;
  switch (t.kind) {
    case "tuple":
      d = { kind: "record", fields: t.elems.map((e, i) => ({ name: String(i), type: e })) };
      break;
    case "enum":
      d = { kind: "variant", cases: t.names.map((n) => ({ name: n, type: null })) };
      break;
    case "option":
      d = { kind: "variant", cases: [{ name: "none", type: null }, { name: "some", type: t.elem }] };
      break;
    case "result":
      d = { kind: "variant", cases: [{ name: "ok", type: t.ok }, { name: "error", type: t.err }] };
      break;
    case "map":
      d = { kind: "list", elem: { kind: "tuple", elems: [t.key, t.value] } };
      break;
    default:
      d = t;
  }
  despecialized.set(t, d);
  return d;
}

export const alignTo = (ptr: number, align: number): number => Math.ceil(ptr / align) * align;

export function discriminantSize(n: number): 1 | 2 | 4 {
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

interface Layout {
  align: number;
  size: number;
  flat: CoreType[];
}
const layouts = new WeakMap<object, Layout>();
const PRIM_LAYOUT: Record<string, Layout> = {
  bool: { align: 1, size: 1, flat: ["i32"] },
  s8: { align: 1, size: 1, flat: ["i32"] },
  u8: { align: 1, size: 1, flat: ["i32"] },
  s16: { align: 2, size: 2, flat: ["i32"] },
  u16: { align: 2, size: 2, flat: ["i32"] },
  s32: { align: 4, size: 4, flat: ["i32"] },
  u32: { align: 4, size: 4, flat: ["i32"] },
  s64: { align: 8, size: 8, flat: ["i64"] },
  u64: { align: 8, size: 8, flat: ["i64"] },
  f32: { align: 4, size: 4, flat: ["f32"] },
  f64: { align: 8, size: 8, flat: ["f64"] },
  char: { align: 4, size: 4, flat: ["i32"] },
  string: { align: 4, size: 8, flat: ["i32", "i32"] },
  "error-context": { align: 4, size: 4, flat: ["i32"] },
};

function joinCore(a: CoreType, b: CoreType): CoreType {
  if (a === b) return a;
  if ((a === "i32" && b === "f32") || (a === "f32" && b === "i32")) return "i32";
  return "i64";
}

export function layout(t: ValType): Layout {
  if (typeof t === "string") return PRIM_LAYOUT[t]!;
  let l = layouts.get(t);
  if (l) return l;
  const d = despecialize(t);
  if (typeof d === "string") return PRIM_LAYOUT[d]!;
  switch (d.kind) {
    case "list": {
      if (d.len !== undefined) {
        const e = layout(d.elem);
        l = { align: e.align, size: e.size * d.len, flat: Array.from({ length: d.len }, () => e.flat).flat() };
      } else l = { align: 4, size: 8, flat: ["i32", "i32"] };
      break;
    }
    case "record": {
      let size = 0;
      let align = 1;
      const flat: CoreType[] = [];
      for (const f of d.fields) {
        const fl = layout(f.type);
        size = alignTo(size, fl.align) + fl.size;
        align = Math.max(align, fl.align);
        flat.push(...fl.flat);
      }
      l = { align, size: alignTo(size, align), flat };
      break;
    }
    case "variant": {
      const ds = discriminantSize(d.cases.length);
      let caseAlign = 1;
      let caseSize = 0;
      const flat: CoreType[] = [];
      for (const c of d.cases) {
        if (!c.type) continue;
        const cl = layout(c.type);
        caseAlign = Math.max(caseAlign, cl.align);
        caseSize = Math.max(caseSize, cl.size);
        cl.flat.forEach((ft, i) => (flat[i] = i < flat.length ? joinCore(flat[i]!, ft) : ft));
      }
      const align = Math.max(ds, caseAlign);
      l = { align, size: alignTo(alignTo(ds, caseAlign) + caseSize, align), flat: ["i32", ...flat] };
      break;
    }
    case "flags": {
      const n = d.names.length;
      const size = n <= 8 ? 1 : n <= 16 ? 2 : 4 * Math.ceil(n / 32);
      l = { align: n <= 8 ? 1 : n <= 16 ? 2 : 4, size, flat: Array.from({ length: Math.ceil(n / 32) || 1 }, () => "i32" as const) };
      break;
    }
    case "own":
    case "borrow":
    case "stream":
    case "future":
      l = { align: 4, size: 4, flat: ["i32"] };
      break;
  }
  layouts.set(t, l);
  return l;
}

export const flattenTypes = (ts: ValType[]): CoreType[] => ts.flatMap((t) => layout(t).flat);

/** How many flat values `ts` takes; memoized per array (a function's parameter or result list). */
const flatCounts = new WeakMap<ValType[], number>();
function flatCount(ts: ValType[]): number {
  let n = flatCounts.get(ts);
  if (n === undefined) flatCounts.set(ts, (n = flattenTypes(ts).length));
  return n;
}

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_ASYNC_PARAMS = 4;
export const MAX_FLAT_RESULTS = 1;

/** The tuple of a function's parameter (or result) types, for spilling to memory. */
const tuples = new WeakMap<ValType[], ValType>();
export function tupleOf(ts: ValType[]): ValType {
  let t = tuples.get(ts);
  if (!t) {
    t = { kind: "tuple", elems: ts };
    tuples.set(ts, t);
  }
  return t;
}

// ---------------------------------------------------------------- strings

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf16Decoder = new TextDecoder("utf-16le", { fatal: true });
const latin1Decoder = new TextDecoder("latin1");
const utf8Encoder = new TextEncoder();
const UTF16_TAG = 2 ** 31;

export function loadStringFromRange(cx: LiftLowerContext, ptr: number, tagged: number): string {
  let align = 1;
  let byteLength = tagged;
  let decoder = utf8Decoder;
  switch (cx.opts.stringEncoding) {
    case "utf8":
      break;
    case "utf16":
      align = 2;
      byteLength = 2 * tagged;
      decoder = utf16Decoder;
      break;
    case "latin1+utf16":
      align = 2;
      if (tagged >= UTF16_TAG) {
        byteLength = 2 * (tagged - UTF16_TAG);
        decoder = utf16Decoder;
      } else decoder = latin1Decoder;
      break;
  }
  cx.checkRange(ptr, byteLength, align, "string");
  try {
    return decoder.decode(cx.u8.subarray(ptr, ptr + byteLength));
  } catch {
    cx.inst.trap(`string at ${ptr} is not valid ${cx.opts.stringEncoding}`, "invalid-string");
  }
}

/** Writes a string into freshly allocated guest memory; returns [ptr, tagged code units]. */
export function storeStringIntoRange(cx: LiftLowerContext, s: string): [number, number] {
  if (typeof s !== "string") cx.inst.trap(`expected a string from the host, got ${typeof s}`);
  switch (cx.opts.stringEncoding) {
    case "utf8": {
      const bytes = utf8Encoder.encode(s);
      const ptr = cx.realloc(0, 0, 1, bytes.length);
      cx.u8.set(bytes, ptr);
      return [ptr, bytes.length];
    }
    case "utf16": {
      const ptr = cx.realloc(0, 0, 2, 2 * s.length);
      writeUtf16(cx, s, ptr);
      return [ptr, s.length];
    }
    case "latin1+utf16": {
      let latin1 = true;
      for (let i = 0; i < s.length && latin1; i++) latin1 = s.charCodeAt(i) < 256;
      if (latin1) {
        const ptr = cx.realloc(0, 0, 2, s.length);
        const u8 = cx.u8;
        for (let i = 0; i < s.length; i++) u8[ptr + i] = s.charCodeAt(i);
        return [ptr, s.length];
      }
      const ptr = cx.realloc(0, 0, 2, 2 * s.length);
      writeUtf16(cx, s, ptr);
      return [ptr, s.length + UTF16_TAG];
    }
  }
}

function writeUtf16(cx: LiftLowerContext, s: string, ptr: number): void {
  const dv = cx.dv;
  for (let i = 0; i < s.length; i++) dv.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
}

// ---------------------------------------------------------------- loading

function convertI32ToChar(cx: LiftLowerContext, i: number): string {
  i >>>= 0;
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) cx.inst.trap(`${i} is not a Unicode scalar value (char)`, "invalid-char");
  return String.fromCodePoint(i);
}

function charToI32(cx: LiftLowerContext, v: unknown): number {
  const cp = typeof v === "string" ? v.codePointAt(0) : undefined;
  if (cp === undefined || String.fromCodePoint(cp) !== v) cx.inst.trap(`expected one Unicode character, got ${JSON.stringify(v)}`);
  return cp;
}

type TypedArrayCtor =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | BigUint64ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const TYPED: Partial<Record<string, TypedArrayCtor>> = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

export function load(cx: LiftLowerContext, ptr: number, t: ValType): unknown {
  const dv = cx.dv;
  const d = despecialize(t);
  if (typeof d === "string") {
    switch (d) {
      case "bool":
        return dv.getUint8(ptr) !== 0;
      case "u8":
        return dv.getUint8(ptr);
      case "s8":
        return dv.getInt8(ptr);
      case "u16":
        return dv.getUint16(ptr, true);
      case "s16":
        return dv.getInt16(ptr, true);
      case "u32":
        return dv.getUint32(ptr, true);
      case "s32":
        return dv.getInt32(ptr, true);
      case "u64":
        return dv.getBigUint64(ptr, true);
      case "s64":
        return dv.getBigInt64(ptr, true);
      case "f32":
        return dv.getFloat32(ptr, true);
      case "f64":
        return dv.getFloat64(ptr, true);
      case "char":
        return convertI32ToChar(cx, dv.getUint32(ptr, true));
      case "string":
        return loadStringFromRange(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
      case "error-context":
        return liftErrorContext(cx, dv.getUint32(ptr, true));
    }
  }
  switch (d.kind) {
    case "list":
      if (d.len !== undefined) return loadListFromValidRange(cx, ptr, d.len, d.elem);
      return loadListFromRange(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true), d.elem);
    case "record": {
      const out: Record<string, unknown> | unknown[] = (t as { kind: string }).kind === "tuple" ? [] : {};
      for (const f of d.fields) {
        const fl = layout(f.type);
        ptr = alignTo(ptr, fl.align);
        if (Array.isArray(out)) out.push(load(cx, ptr, f.type));
        else out[camelCase(f.name)] = load(cx, ptr, f.type);
        ptr += fl.size;
      }
      return out;
    }
    case "variant": {
      const ds = discriminantSize(d.cases.length);
      const index = ds === 1 ? dv.getUint8(ptr) : ds === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
      if (index >= d.cases.length) cx.inst.trap(`variant case ${index} is out of range (${d.cases.length} cases)`, "invalid-discriminant");
      const c = d.cases[index]!;
      let caseAlign = 1;
      for (const k of d.cases) if (k.type) caseAlign = Math.max(caseAlign, layout(k.type).align);
      const payload = c.type ? load(cx, alignTo(ptr + ds, caseAlign), c.type) : undefined;
      return variantValue(t, index, c.name, payload);
    }
    case "flags": {
      const size = layout(d).size;
      const words: number[] = [];
      if (size === 1) words.push(dv.getUint8(ptr));
      else if (size === 2) words.push(dv.getUint16(ptr, true));
      else for (let i = 0; i < size / 4; i++) words.push(dv.getUint32(ptr + 4 * i, true));
      return unpackFlags(words, d.names);
    }
    case "own":
      return liftOwn(cx, dv.getUint32(ptr, true), d);
    case "borrow":
      return liftBorrow(cx, dv.getUint32(ptr, true), d);
    case "stream":
      return liftStream(cx, dv.getUint32(ptr, true), d);
    case "future":
      return liftFuture(cx, dv.getUint32(ptr, true), d);
  }
}

/** Builds the JS value of a variant case, specialised back to option/result/enum shapes. */
function variantValue(t: ValType, index: number, name: string, payload: unknown): unknown {
  if (typeof t !== "string") {
    switch (t.kind) {
      case "enum":
        return name;
      case "option":
        if (index === 0) return undefined;
        return isOptionLike(t.elem) ? { tag: "some", val: payload } : payload;
      case "result":
        return { tag: index === 0 ? "ok" : "err", val: payload };
    }
  }
  return payload === undefined ? { tag: name } : { tag: name, val: payload };
}

const isOptionLike = (t: ValType): boolean => typeof t !== "string" && t.kind === "option";

function unpackFlags(words: number[], names: string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  names.forEach((n, i) => (out[camelCase(n)] = ((words[i >> 5]! >>> (i & 31)) & 1) === 1));
  return out;
}

function packFlags(cx: LiftLowerContext, v: unknown, names: string[]): number[] {
  if (typeof v !== "object" || v === null) cx.inst.trap(`expected flags as an object of booleans, got ${typeof v}`);
  const words = Array.from({ length: Math.ceil(names.length / 32) || 1 }, () => 0);
  names.forEach((n, i) => {
    if ((v as Record<string, unknown>)[camelCase(n)]) words[i >> 5]! |= 1 << (i & 31);
  });
  return words.map((w) => w >>> 0);
}

export function loadListFromRange(cx: LiftLowerContext, ptr: number, length: number, elem: ValType): unknown {
  const el = layout(elem);
  cx.checkRange(ptr, length * el.size, el.align, "list");
  return loadListFromValidRange(cx, ptr, length, elem);
}

export function loadListFromValidRange(cx: LiftLowerContext, ptr: number, length: number, elem: ValType): unknown {
  const typed = typeof elem === "string" ? TYPED[elem] : undefined;
  if (typed) {
    const bytes = cx.u8.slice(ptr, ptr + length * typed.BYTES_PER_ELEMENT);
    return new typed(bytes.buffer, 0, length);
  }
  const size = layout(elem).size;
  const out: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = load(cx, ptr + i * size, elem);
  return out;
}

function liftOwn(cx: LiftLowerContext, i: number, t: { rt: ResourceType }): unknown {
  const h = cx.inst.handles.get(i);
  if (!(h instanceof ResourceHandle) || h.rt !== t.rt) cx.inst.trap(`handle ${i} is not a ${t.rt.name}`, "wrong-handle-type", i);
  if (h.numLends !== 0) cx.inst.trap(`${t.rt.name} handle ${i} is still lent out and cannot be moved`, "owned-resource-lent", i);
  if (!h.own) cx.inst.trap(`handle ${i} is a borrow, but an owned ${t.rt.name} was expected`);
  cx.inst.handles.remove(i);
  return t.rt.impl ? new GuestResource(t.rt, h.rep as number) : h.rep;
}

function liftBorrow(cx: LiftLowerContext, i: number, t: { rt: ResourceType }): unknown {
  const h = cx.inst.handles.get(i);
  if (!(h instanceof ResourceHandle) || h.rt !== t.rt) cx.inst.trap(`handle ${i} is not a ${t.rt.name}`, "wrong-handle-type", i);
  if (h.own) cx.borrowScope?.addLender(h);
  return t.rt.impl ? new GuestResource(t.rt, h.rep as number) : h.rep;
}

/**
 * `lift_async_value`: the readable end at `i` leaves the instance's table and its shared stream or
 * future is the value (host-streams.ts turns it into a host view where the host receives it).
 */
function liftAsyncValue(cx: LiftLowerContext, i: number, elem: ValType | null, end: typeof ReadableStreamEnd | typeof ReadableFutureEnd, what: "stream" | "future"): SharedBase {
  const e = cx.inst.handles.get(i);
  if (!(e instanceof end)) cx.inst.trap(`handle ${i} is not the readable end of a ${what}`);
  if (!sameType(e.shared.t, elem)) cx.inst.trap(`${what} handle ${i} has a different ${what === "stream" ? "element" : "value"} type`);
  if (e.state === "done") cx.inst.trap(`${what} handle ${i} is finished and cannot be passed on`, "lift-after-done", i);
  if (e.state !== "idle") cx.inst.trap(`${what} handle ${i} is busy copying and cannot be passed on`, "drop-busy-end", i);
  if (e.wset !== null) cx.inst.trap(`${what} handle ${i} is joined to a waitable set and cannot be passed on; take it out first (waitable.join ${i} 0)`, "lift-joined-end", i);
  cx.inst.handles.remove(i);
  e.dropWaitable();
  return e.shared;
}

/** `lift_stream` */
function liftStream(cx: LiftLowerContext, i: number, t: { elem: ValType | null }): unknown {
  return liftAsyncValue(cx, i, t.elem, ReadableStreamEnd, "stream");
}

/** `lift_future` */
function liftFuture(cx: LiftLowerContext, i: number, t: { elem: ValType | null }): unknown {
  return liftAsyncValue(cx, i, t.elem, ReadableFutureEnd, "future");
}

function liftErrorContext(cx: LiftLowerContext, i: number): ErrorContext {
  const e = cx.inst.handles.get(i);
  if (!(e instanceof ErrorContext)) cx.inst.trap(`handle ${i} is not an error-context`);
  return e;
}

// ---------------------------------------------------------------- storing

export function store(cx: LiftLowerContext, v: unknown, t: ValType, ptr: number): void {
  const d = despecialize(t);
  if (typeof d === "string") {
    const dv = cx.dv;
    switch (d) {
      case "bool":
        return dv.setUint8(ptr, v ? 1 : 0);
      case "u8":
      case "s8":
        return dv.setUint8(ptr, num(cx, v) & 0xff);
      case "u16":
      case "s16":
        return dv.setUint16(ptr, num(cx, v) & 0xffff, true);
      case "u32":
      case "s32":
        return dv.setUint32(ptr, num(cx, v) >>> 0, true);
      case "u64":
      case "s64":
        return dv.setBigUint64(ptr, BigInt.asUintN(64, big(cx, v)), true);
      case "f32":
        return dv.setFloat32(ptr, num(cx, v), true);
      case "f64":
        return dv.setFloat64(ptr, num(cx, v), true);
      case "char":
        return dv.setUint32(ptr, charToI32(cx, v), true);
      case "string": {
        const [p, n] = storeStringIntoRange(cx, v as string);
        cx.dv.setUint32(ptr, p, true);
        cx.dv.setUint32(ptr + 4, n >>> 0, true);
        return;
      }
      case "error-context":
        return cx.dv.setUint32(ptr, lowerErrorContext(cx, v), true);
    }
  }
  switch (d.kind) {
    case "list": {
      if (d.len !== undefined) return storeListIntoValidRange(cx, v, ptr, d.elem);
      const [p, n] = storeListIntoRange(cx, v, d.elem);
      cx.dv.setUint32(ptr, p, true);
      cx.dv.setUint32(ptr + 4, n, true);
      return;
    }
    case "record": {
      const isTuple = (t as { kind: string }).kind === "tuple";
      if (typeof v !== "object" || v === null) cx.inst.trap(`expected ${isTuple ? "a tuple (array)" : "a record (object)"}, got ${v === null ? "null" : typeof v}`);
      d.fields.forEach((f, i) => {
        const fl = layout(f.type);
        ptr = alignTo(ptr, fl.align);
        store(cx, isTuple ? (v as unknown[])[i] : (v as Record<string, unknown>)[camelCase(f.name)], f.type, ptr);
        ptr += fl.size;
      });
      return;
    }
    case "variant": {
      const [index, payload] = matchCase(cx, v, t, d.cases);
      const ds = discriminantSize(d.cases.length);
      const dv = cx.dv;
      if (ds === 1) dv.setUint8(ptr, index);
      else if (ds === 2) dv.setUint16(ptr, index, true);
      else dv.setUint32(ptr, index, true);
      const c = d.cases[index]!;
      if (c.type) {
        let caseAlign = 1;
        for (const k of d.cases) if (k.type) caseAlign = Math.max(caseAlign, layout(k.type).align);
        store(cx, payload, c.type, alignTo(ptr + ds, caseAlign));
      }
      return;
    }
    case "flags": {
      const words = packFlags(cx, v, d.names);
      const size = layout(d).size;
      const dv = cx.dv;
      if (size === 1) dv.setUint8(ptr, words[0]!);
      else if (size === 2) dv.setUint16(ptr, words[0]!, true);
      else words.forEach((w, i) => dv.setUint32(ptr + 4 * i, w, true));
      return;
    }
    case "own":
      return cx.dv.setUint32(ptr, lowerOwn(cx, v, d), true);
    case "borrow":
      return cx.dv.setUint32(ptr, lowerBorrow(cx, v, d), true);
    case "stream":
      return cx.dv.setUint32(ptr, lowerStream(cx, v, d), true);
    case "future":
      return cx.dv.setUint32(ptr, lowerFuture(cx, v, d), true);
  }
}

function num(cx: LiftLowerContext, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  cx.inst.trap(`expected a number from the host, got ${v === null ? "null" : typeof v}`);
}

function big(cx: LiftLowerContext, v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  cx.inst.trap(`expected a 64-bit integer (bigint) from the host, got ${typeof v}`);
}

/** Finds the case index and payload of a JS value for a (despecialized) variant type. */
function matchCase(cx: LiftLowerContext, v: unknown, t: ValType, cases: Case[]): [number, unknown] {
  if (typeof t !== "string") {
    switch (t.kind) {
      case "enum": {
        const i = t.names.indexOf(v as string);
        if (i < 0) cx.inst.trap(`${JSON.stringify(v)} is not one of the enum's cases (${t.names.join(", ")})`);
        return [i, undefined];
      }
      case "option":
        if (v === undefined || v === null) return [0, undefined];
        if (isOptionLike(t.elem)) {
          const o = v as { tag?: string; val?: unknown };
          if (o.tag === "none") return [0, undefined];
          return [1, o.val];
        }
        return [1, v];
      case "result": {
        const r = v as { tag?: string; val?: unknown };
        if (r?.tag === "ok") return [0, r.val];
        if (r?.tag === "err") return [1, r.val];
        cx.inst.trap(`expected a result ({tag: "ok" | "err", val}), got ${JSON.stringify(v)}`);
      }
    }
  }
  const tag = (v as { tag?: unknown } | null)?.tag;
  const i = cases.findIndex((c) => c.name === tag);
  if (i < 0) cx.inst.trap(`${JSON.stringify(tag)} is not one of the variant's cases (${cases.map((c) => c.name).join(", ")})`);
  return [i, (v as { val?: unknown }).val];
}

export function storeListIntoRange(cx: LiftLowerContext, v: unknown, elem: ValType): [number, number] {
  const length = listLength(cx, v);
  const el = layout(elem);
  const ptr = cx.realloc(0, 0, el.align, length * el.size);
  storeListIntoValidRange(cx, v, ptr, elem);
  return [ptr, length];
}

function listLength(cx: LiftLowerContext, v: unknown): number {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return (v as ArrayLike<unknown>).length;
  cx.inst.trap(`expected a list (array), got ${v === null ? "null" : typeof v}`);
}

export function storeListIntoValidRange(cx: LiftLowerContext, v: unknown, ptr: number, elem: ValType): void {
  const typed = typeof elem === "string" ? TYPED[elem] : undefined;
  if (typed && v instanceof typed) {
    cx.u8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), ptr);
    return;
  }
  if (elem === "u8" && ArrayBuffer.isView(v) && (v as Uint8Array).BYTES_PER_ELEMENT === 1) {
    cx.u8.set(v as Uint8Array, ptr);
    return;
  }
  const size = layout(elem).size;
  const arr = v as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) store(cx, arr[i], elem, ptr + i * size);
}

function lowerOwn(cx: LiftLowerContext, v: unknown, t: { rt: ResourceType }): number {
  const rep = resourceRep(cx, v, t.rt);
  return cx.inst.handles.add(new ResourceHandle(t.rt, rep, true));
}

function lowerBorrow(cx: LiftLowerContext, v: unknown, t: { rt: ResourceType }): number {
  const rep = resourceRep(cx, v, t.rt);
  if (cx.inst === t.rt.impl) return rep as number;
  const scope = cx.borrowScope;
  assert(scope?.kind === "task", "borrows are lowered only into a task's scope");
  scope.numBorrows++;
  return cx.inst.handles.add(new ResourceHandle(t.rt, rep, false, scope));
}

function resourceRep(cx: LiftLowerContext, v: unknown, rt: ResourceType): unknown {
  if (v instanceof GuestResource) {
    if (v.rt !== rt) cx.inst.trap(`a ${v.rt.name} was given where a ${rt.name} was expected`);
    return v.rep;
  }
  if (rt.impl) cx.inst.trap(`expected a ${rt.name} resource, got ${typeof v}`);
  if (rt.hostClass && !(v instanceof rt.hostClass)) cx.inst.trap(`the host returned ${describe(v)} where a ${rt.name} was expected`);
  if (typeof v !== "object" || v === null) cx.inst.trap(`the host returned ${describe(v)} where a ${rt.name} was expected`);
  return v;
}

const describe = (v: unknown): string => (typeof v === "object" && v !== null ? `a ${v.constructor?.name ?? "object"}` : String(v));

/**
 * `lower_stream`: the readable side (a guest's, or the host's wrapped by host-streams.ts) becomes
 * a readable end in the instance's table.
 */
function lowerStream(cx: LiftLowerContext, v: unknown, t: { elem: ValType | null }): number {
  const shared = readableStreamFrom(v, t.elem, cx.inst.store, cx.callee);
  if (!shared) cx.inst.trap(`expected a stream from the host (ReadableStream or async iterable), got ${typeof v}`);
  return cx.inst.handles.add(new ReadableStreamEnd(shared));
}

/** `lower_future` */
function lowerFuture(cx: LiftLowerContext, v: unknown, t: { elem: ValType | null }): number {
  return cx.inst.handles.add(new ReadableFutureEnd(readableFutureFrom(v, t.elem, cx.inst.store)));
}

function lowerErrorContext(cx: LiftLowerContext, v: unknown): number {
  const e = v instanceof ErrorContext ? v : new ErrorContext(v instanceof Error ? v.message : String(v));
  return cx.inst.handles.add(e);
}

// ---------------------------------------------------------------- flat lifting

/** `CoreValueIter` */
export class CoreValueIter {
  i = 0;
  constructor(readonly values: CoreValue[]) {}
  next(): CoreValue {
    assert(this.i < this.values.length, "ran out of flat values");
    return this.values[this.i++]!;
  }
}

const f32view = new DataView(new ArrayBuffer(8));
const i32ToF32 = (i: number): number => (f32view.setInt32(0, i, true), f32view.getFloat32(0, true));
const f32ToI32 = (f: number): number => (f32view.setFloat32(0, f, true), f32view.getInt32(0, true));
const i64ToF64 = (i: bigint): number => (f32view.setBigInt64(0, i, true), f32view.getFloat64(0, true));
const f64ToI64 = (f: number): bigint => (f32view.setFloat64(0, f, true), f32view.getBigInt64(0, true));

export function liftFlat(cx: LiftLowerContext, vi: { next(want: CoreType): CoreValue }, t: ValType): unknown {
  const d = despecialize(t);
  if (typeof d === "string") {
    switch (d) {
      case "bool":
        return (vi.next("i32") as number) !== 0;
      case "u8":
        return (vi.next("i32") as number) & 0xff;
      case "s8":
        return ((vi.next("i32") as number) << 24) >> 24;
      case "u16":
        return (vi.next("i32") as number) & 0xffff;
      case "s16":
        return ((vi.next("i32") as number) << 16) >> 16;
      case "u32":
        return (vi.next("i32") as number) >>> 0;
      case "s32":
        return (vi.next("i32") as number) | 0;
      case "u64":
        return BigInt.asUintN(64, vi.next("i64") as bigint);
      case "s64":
        return BigInt.asIntN(64, vi.next("i64") as bigint);
      case "f32":
      case "f64":
        return vi.next(d) as number;
      case "char":
        return convertI32ToChar(cx, vi.next("i32") as number);
      case "string": {
        const ptr = (vi.next("i32") as number) >>> 0;
        return loadStringFromRange(cx, ptr, (vi.next("i32") as number) >>> 0);
      }
      case "error-context":
        return liftErrorContext(cx, (vi.next("i32") as number) >>> 0);
    }
  }
  switch (d.kind) {
    case "list": {
      if (d.len !== undefined) {
        const out: unknown[] = [];
        for (let i = 0; i < d.len; i++) out.push(liftFlat(cx, vi, d.elem));
        return out;
      }
      const ptr = (vi.next("i32") as number) >>> 0;
      return loadListFromRange(cx, ptr, (vi.next("i32") as number) >>> 0, d.elem);
    }
    case "record": {
      if ((t as { kind: string }).kind === "tuple") return d.fields.map((f) => liftFlat(cx, vi, f.type));
      const out: Record<string, unknown> = {};
      for (const f of d.fields) out[camelCase(f.name)] = liftFlat(cx, vi, f.type);
      return out;
    }
    case "variant": {
      const flat = layout(d).flat;
      const index = (vi.next("i32") as number) >>> 0;
      if (index >= d.cases.length) cx.inst.trap(`variant case ${index} is out of range (${d.cases.length} cases)`, "invalid-discriminant");
      let k = 1;
      const coerce = {
        next(want: CoreType): CoreValue {
          const have = flat[k++]!;
          const x = vi.next(have);
          if (have === want) return x;
          if (have === "i32" && want === "f32") return i32ToF32(x as number);
          if (have === "i64" && want === "i32") return Number(BigInt.asIntN(32, x as bigint));
          if (have === "i64" && want === "f32") return i32ToF32(Number(BigInt.asIntN(32, x as bigint)));
          if (have === "i64" && want === "f64") return i64ToF64(x as bigint);
          assert(false, `cannot coerce ${have} to ${want}`);
        },
      };
      const c = d.cases[index]!;
      const payload = c.type ? liftFlat(cx, coerce, c.type) : undefined;
      while (k < flat.length) vi.next(flat[k++]!);
      return variantValue(t, index, c.name, payload);
    }
    case "flags": {
      const words: number[] = [];
      for (let i = 0; i < Math.max(1, Math.ceil(d.names.length / 32)); i++) words.push((vi.next("i32") as number) >>> 0);
      return unpackFlags(words, d.names);
    }
    case "own":
      return liftOwn(cx, (vi.next("i32") as number) >>> 0, d);
    case "borrow":
      return liftBorrow(cx, (vi.next("i32") as number) >>> 0, d);
    case "stream":
      return liftStream(cx, (vi.next("i32") as number) >>> 0, d);
    case "future":
      return liftFuture(cx, (vi.next("i32") as number) >>> 0, d);
  }
}

// ---------------------------------------------------------------- flat lowering

export function lowerFlat(cx: LiftLowerContext, v: unknown, t: ValType, out: CoreValue[]): void {
  const d = despecialize(t);
  if (typeof d === "string") {
    switch (d) {
      case "bool":
        out.push(v ? 1 : 0);
        return;
      case "u8":
      case "s8":
      case "u16":
      case "s16":
      case "u32":
      case "s32":
        out.push(num(cx, v) | 0);
        return;
      case "u64":
      case "s64":
        out.push(BigInt.asIntN(64, big(cx, v)));
        return;
      case "f32":
      case "f64":
        out.push(num(cx, v));
        return;
      case "char":
        out.push(charToI32(cx, v));
        return;
      case "string": {
        const [p, n] = storeStringIntoRange(cx, v as string);
        out.push(p | 0, n | 0);
        return;
      }
      case "error-context":
        out.push(lowerErrorContext(cx, v));
        return;
    }
  }
  switch (d.kind) {
    case "list": {
      if (d.len !== undefined) {
        for (let i = 0; i < d.len; i++) lowerFlat(cx, (v as ArrayLike<unknown>)[i], d.elem, out);
        return;
      }
      const [p, n] = storeListIntoRange(cx, v, d.elem);
      out.push(p | 0, n | 0);
      return;
    }
    case "record": {
      const isTuple = (t as { kind: string }).kind === "tuple";
      if (typeof v !== "object" || v === null) cx.inst.trap(`expected ${isTuple ? "a tuple (array)" : "a record (object)"}, got ${v === null ? "null" : typeof v}`);
      d.fields.forEach((f, i) => lowerFlat(cx, isTuple ? (v as unknown[])[i] : (v as Record<string, unknown>)[camelCase(f.name)], f.type, out));
      return;
    }
    case "variant": {
      const flat = layout(d).flat;
      const [index, payload] = matchCase(cx, v, t, d.cases);
      out.push(index);
      const c = d.cases[index]!;
      let k = 1;
      if (c.type) {
        const vals: CoreValue[] = [];
        lowerFlat(cx, payload, c.type, vals);
        const have = layout(c.type).flat;
        vals.forEach((fv, i) => {
          const want = flat[k++]!;
          const h = have[i]!;
          if (h === want) out.push(fv);
          else if (h === "f32" && want === "i32") out.push(f32ToI32(fv as number));
          else if (h === "i32" && want === "i64") out.push(BigInt((fv as number) >>> 0));
          else if (h === "f32" && want === "i64") out.push(BigInt(f32ToI32(fv as number) >>> 0));
          else if (h === "f64" && want === "i64") out.push(f64ToI64(fv as number));
          else assert(false, `cannot coerce ${h} to ${want}`);
        });
      }
      while (k < flat.length) out.push(flat[k++] === "i64" ? 0n : 0);
      return;
    }
    case "flags":
      for (const w of packFlags(cx, v, d.names)) out.push(w | 0);
      return;
    case "own":
      out.push(lowerOwn(cx, v, d));
      return;
    case "borrow":
      out.push(lowerBorrow(cx, v, d));
      return;
    case "stream":
      out.push(lowerStream(cx, v, d));
      return;
    case "future":
      out.push(lowerFuture(cx, v, d));
      return;
  }
}

// ---------------------------------------------------------------- values

/** `lift_flat_values`: spilled to memory when there are more than `maxFlat` flat values. */
export function liftFlatValues(cx: LiftLowerContext, maxFlat: number, vi: CoreValueIter, ts: ValType[]): unknown[] {
  if (flatCount(ts) > maxFlat) {
    const ptr = (vi.next() as number) >>> 0;
    const tuple = tupleOf(ts);
    const l = layout(tuple);
    cx.checkRange(ptr, l.size, l.align, "spilled values");
    return load(cx, ptr, tuple) as unknown[];
  }
  const out = new Array<unknown>(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = liftFlat(cx, vi, ts[i]!);
  return out;
}

/** `lower_flat_values`: with `outPtr` the values go to memory there, else spill through realloc. */
export function lowerFlatValues(cx: LiftLowerContext, maxFlat: number, vs: unknown[], ts: ValType[], outPtr?: number): CoreValue[] {
  cx.inst.mayLeave = false;
  try {
    if (flatCount(ts) > maxFlat) {
      const tuple = tupleOf(ts);
      const l = layout(tuple);
      let ptr: number;
      const flat: CoreValue[] = [];
      if (outPtr === undefined) {
        ptr = cx.realloc(0, 0, l.align, l.size);
        flat.push(ptr | 0);
      } else {
        ptr = outPtr >>> 0;
        cx.checkRange(ptr, l.size, l.align, "result pointer");
      }
      store(cx, vs, tuple, ptr);
      return flat;
    }
    const flat: CoreValue[] = [];
    for (let i = 0; i < ts.length; i++) lowerFlat(cx, vs[i], ts[i]!, flat);
    return flat;
  } finally {
    cx.inst.mayLeave = true;
  }
}
