/**
 * Returned values as text, by their WIT type: WAVE-style value syntax (`some(3)`, `ok("x")`,
 * `{name: "a", size: 4}`, `circle(1.5)`, `{read, write}`, `(1, "a")`, `'c'`), and clock values
 * with units (`wasi:clocks` durations and marks are nanoseconds; system-clock instants and 0.2
 * datetimes are seconds + nanoseconds since the Unix epoch), the raw value kept beside them.
 *
 * Values arrive in the engines' JS conventions (jco's): u64/s64 as bigint, `option` as the value
 * or undefined (nested options and results as `{tag, val}`), records as camelCase objects, enums
 * as strings, flags as objects of booleans, `list<u8>` as a Uint8Array.
 *
 * Types are read from the component's printed WIT (`ComponentInfo.wit`), which names only its own
 * world: a type `use`d from another package is not defined there, so the WASI clock types are
 * known by name (`CLOCK_TYPES`) and any other unknown type is printed from the value's shape.
 */
import { camelCase } from "../base/names";
import type { FuncInfo } from "../protocol/runtime";
import type { TypeDef, TypeRef } from "./ast";
import { interfaceScope, isTypeDef, pathText, WitModel, worldScope, type Scope } from "./model";
import { parseWit } from "./parser";

/** The WASI clock types, by `package/interface.type` without versions. */
const CLOCK_TYPES: Record<string, "duration" | "mark" | "datetime"> = {
  "wasi:clocks/types.duration": "duration",
  "wasi:clocks/monotonic-clock.duration": "duration",
  "wasi:clocks/monotonic-clock.mark": "mark",
  "wasi:clocks/monotonic-clock.instant": "mark",
  "wasi:clocks/system-clock.instant": "datetime",
  "wasi:clocks/wall-clock.datetime": "datetime",
};

/** How many list elements (and bytes) are printed before the rest is counted instead. */
const LIST_LIMIT = 50;
const BYTES_LIMIT = 64;

/** A type with the scope its names are looked up in; `unknown` prints the value by its shape. */
type Typed = { type: TypeRef; scope: Scope | null } | { known: "duration" | "mark" | "datetime" } | { unknown: true };

const UNKNOWN: Typed = { unknown: true };

/** Parses a type written as WIT text (`list<tuple<u32, string>>`) on its own. */
export function parseType(text: string): TypeRef | null {
  const file = parseWit(`package x:y;\ninterface t {\n  type r = ${text};\n}\n`);
  const item = file.errors.length === 0 && file.items[0]?.kind === "interface" ? file.items[0].items[0] : undefined;
  return item?.kind === "type" ? item.type : null;
}

/** `1.23 s`, `24.1 ms`, `812 µs`, `95 ns`, `2 min 5.0 s`: three significant digits. */
export function formatNanoseconds(ns: bigint): string {
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  const sig = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  if (abs < 1_000n) return `${sign}${abs} ns`;
  if (abs < 1_000_000n) return `${sign}${sig(Number(abs) / 1e3)} µs`;
  if (abs < 1_000_000_000n) return `${sign}${sig(Number(abs) / 1e6)} ms`;
  if (abs < 60_000_000_000n) return `${sign}${sig(Number(abs) / 1e9)} s`;
  const minutes = abs / 60_000_000_000n;
  const seconds = Number(abs % 60_000_000_000n) / 1e9;
  if (minutes < 60n) return `${sign}${minutes} min ${seconds.toFixed(1)} s`;
  return `${sign}${minutes / 60n} h ${minutes % 60n} min`;
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return null;
}

/** A string in WAVE syntax: quoted, with escapes for quotes, backslashes and control characters. */
function quote(s: string, q: '"' | "'"): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + q;
}

function float(v: unknown): string {
  if (typeof v !== "number") return shape(v);
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return String(v);
}

function listOf<T>(items: readonly T[], one: (v: T) => string): string {
  const shown = items.slice(0, LIST_LIMIT).map(one);
  if (items.length > LIST_LIMIT) shown.push(`… ${items.length - LIST_LIMIT} more`);
  return `[${shown.join(", ")}]`;
}

/** `[104, 105] (utf-8 "hi")`: the bytes, and the text they spell when they are printable UTF-8. */
function bytes(b: Uint8Array): string {
  const shown = Array.from(b.subarray(0, BYTES_LIMIT)).join(", ");
  const more = b.length > BYTES_LIMIT ? `, … ${b.length - BYTES_LIMIT} more` : "";
  let text: string | null = null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    text = null;
  }
  const printable = text !== null && text.length > 0 && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
  const spelled = printable ? ` (utf-8 ${quote(text!.length > BYTES_LIMIT ? `${text!.slice(0, BYTES_LIMIT)}…` : text!, '"')})` : "";
  return `[${shown}${more}]${spelled}`;
}

/** A value printed from its JS shape alone (its type is not known). */
function shape(v: unknown): string {
  if (v === undefined) return "(no value)";
  if (v === null) return "none";
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "number") return float(v);
  if (typeof v === "string") return quote(v, '"');
  if (v instanceof Uint8Array) return bytes(v);
  if (ArrayBuffer.isView(v)) return listOf(Array.from(v as unknown as ArrayLike<number>), shape);
  if (Array.isArray(v)) return listOf(v, shape);
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.tag === "string" && Object.keys(o).every((k) => k === "tag" || k === "val")) return "val" in o && o.val !== undefined ? `${o.tag}(${shape(o.val)})` : o.tag;
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto !== Object.prototype && proto !== null) return `<${proto.constructor?.name ?? "object"}>`;
    return `{${Object.entries(o)
      .map(([k, x]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${shape(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

function clock(kind: "duration" | "mark" | "datetime", v: unknown): string {
  if (kind === "datetime") {
    const o = v as { seconds?: unknown; nanoseconds?: unknown } | null;
    const s = toBigInt(o?.seconds);
    const ns = toBigInt(o?.nanoseconds);
    if (s === null || ns === null) return shape(v);
    const raw = `{seconds: ${s}, nanoseconds: ${ns}}`;
    const ms = Number(s) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return raw;
    const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${String(ns).padStart(9, "0")}Z`);
    return `${iso} ${raw}`;
  }
  const ns = toBigInt(v);
  if (ns === null) return shape(v);
  return kind === "duration" ? `${formatNanoseconds(ns)} (${ns} ns)` : `${formatNanoseconds(ns)} on the monotonic clock (${ns} ns)`;
}

/** Reads types from one component's printed WIT and prints values of them. */
export class ValueFormatter {
  readonly #model: WitModel;
  readonly #world: Scope | null;

  constructor(wit: string) {
    this.#model = new WitModel([{ path: "component.wit", text: wit, group: "component" }]);
    const pkg = this.#model.groupPackage.get("component");
    const world = pkg?.worlds.values().next().value;
    this.#world = pkg && world ? worldScope(world.decl, pkg, world.file) : null;
  }

  /** The scope a function's types are named in: its interface when the WIT defines it, else the world. */
  #scopeOf(fn: FuncInfo): Scope | null {
    if (fn.iface === null || !this.#world) return this.#world;
    for (const item of this.#world.items) {
      if (item.kind !== "export") continue;
      const e = item.extern;
      if (e.kind === "interface" && item.name?.name === fn.iface) return { ...this.#world, kind: "interface", name: fn.iface, items: e.items, span: e.body };
      if (e.kind === "path" && pathText(e.path) === fn.iface) {
        const target = this.#model.resolveInterface(e.path, this.#world.pkg, this.#world.file);
        return target ? interfaceScope(target.decl, target.pkg, target.file) : null;
      }
    }
    return null;
  }

  /** What `name` means in `scope`: a definition, a known clock type, or unknown. */
  #lookup(scope: Scope, name: string, depth = 0): { def: TypeDef; scope: Scope } | Typed {
    if (depth > 16) return UNKNOWN;
    // Inside wasi:clocks (when a WIT defines it) its clock types keep their units.
    const own = scope.kind === "interface" ? CLOCK_TYPES[`${scope.pkg.base}/${scope.name}.${name}`] : undefined;
    if (own) return { known: own };
    for (const item of scope.items) if (isTypeDef(item) && item.name.name === name) return { def: item, scope };
    for (const item of scope.items) {
      if (item.kind !== "use") continue;
      const n = item.names.find((x) => (x.as ?? x.name).name === name);
      if (!n) continue;
      const target = this.#model.resolveInterface(item.path, scope.pkg, scope.file);
      if (target) return this.#lookup(interfaceScope(target.decl, target.pkg, target.file), n.name.name, depth + 1);
      const known = item.path.kind === "qualified" ? CLOCK_TYPES[`${item.path.pkg.base}/${item.path.iface.name}.${n.name.name}`] : undefined;
      return known ? { known } : UNKNOWN;
    }
    return UNKNOWN;
  }

  /** A function's return value (for a `result`, its `ok` payload: engines hand over `err` apart). */
  result(value: unknown, fn: FuncInfo): string {
    const t = this.#resultType(fn);
    if ("type" in t && t.type.kind === "result") return t.type.ok ? this.#value(value, { type: t.type.ok, scope: t.scope }) : "ok";
    return this.#value(value, t);
  }

  /** A function's `err` payload, as `err(...)`. */
  error(payload: unknown, fn: FuncInfo): string {
    const t = this.#resultType(fn);
    if ("type" in t && t.type.kind === "result") return t.type.err ? `err(${this.#value(payload, { type: t.type.err, scope: t.scope })})` : "err";
    return `err(${shape(payload)})`;
  }

  #resultType(fn: FuncInfo): Typed {
    const type = fn.result ? parseType(fn.result) : null;
    return type ? { type, scope: this.#scopeOf(fn) } : UNKNOWN;
  }

  #value(v: unknown, t: Typed, depth = 0): string {
    if ("unknown" in t || depth > 64) return shape(v);
    if ("known" in t) return clock(t.known, v);
    const { type, scope } = t;
    const sub = (x: unknown, ty: TypeRef) => this.#value(x, { type: ty, scope }, depth + 1);
    switch (type.kind) {
      case "builtin":
        if (type.name === "char" && typeof v === "string") return quote(v, "'");
        if (type.name === "f32" || type.name === "f64") return float(v);
        return shape(v);
      case "list":
        if (v instanceof Uint8Array) return bytes(v);
        if (ArrayBuffer.isView(v)) return listOf(Array.from(v as unknown as ArrayLike<number>), (x) => sub(x, type.elem));
        return Array.isArray(v) ? listOf(v, (x) => sub(x, type.elem)) : shape(v);
      case "option":
        // The outermost option is its value or nothing; options inside it come tagged.
        if (v === undefined || v === null) return "none";
        return `some(${type.elem.kind === "option" ? this.#tagged(v, type.elem, scope, depth + 1) : sub(v, type.elem)})`;
      case "result": {
        const r = v as { tag?: unknown; val?: unknown } | null;
        if (r?.tag === "ok") return type.ok ? `ok(${sub(r.val, type.ok)})` : "ok";
        if (r?.tag === "err") return type.err ? `err(${sub(r.val, type.err)})` : "err";
        return shape(v);
      }
      case "tuple":
        return Array.isArray(v) ? `(${type.elems.map((e, i) => sub(v[i], e)).join(", ")})` : shape(v);
      case "map":
        return v instanceof Map ? listOf([...v.entries()], ([k, x]) => `(${sub(k, type.key)}, ${sub(x, type.value)})`) : shape(v);
      case "stream":
      case "future":
        return `<${type.kind}${type.elem ? "" : " (no payload)"}>`;
      case "own":
      case "borrow":
        return `<resource ${type.resource.name}>`;
      case "named":
        return this.#named(v, type.name.name, scope, depth);
    }
  }

  /** An option nested in an option: `{tag: "some", val}` or `{tag: "none"}`. */
  #tagged(v: unknown, type: Extract<TypeRef, { kind: "option" }>, scope: Scope | null, depth: number): string {
    const o = v as { tag?: unknown; val?: unknown } | null;
    if (o?.tag === "none") return "none";
    if (o?.tag !== "some") return shape(v);
    return `some(${type.elem.kind === "option" ? this.#tagged(o.val, type.elem, scope, depth + 1) : this.#value(o.val, { type: type.elem, scope }, depth + 1)})`;
  }

  #named(v: unknown, name: string, scope: Scope | null, depth: number): string {
    if (!scope) return shape(v);
    const found = this.#lookup(scope, name);
    if (!("def" in found)) return this.#value(v, found, depth + 1);
    const { def, scope: at } = found;
    const sub = (x: unknown, ty: TypeRef) => this.#value(x, { type: ty, scope: at }, depth + 1);
    const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
    switch (def.kind) {
      case "type":
        return sub(v, def.type);
      case "record":
        return typeof v === "object" && v !== null ? `{${def.fields.map((f) => `${f.name.name}: ${sub(o[camelCase(f.name.name)], f.type)}`).join(", ")}}` : shape(v);
      case "variant": {
        const c = def.cases.find((x) => x.name.name === o.tag);
        if (!c) return shape(v);
        return c.type ? `${c.name.name}(${sub(o.val, c.type)})` : c.name.name;
      }
      case "enum":
        return typeof v === "string" ? v : shape(v);
      case "flags":
        return typeof v === "object" && v !== null ? `{${def.flags.filter((f) => o[camelCase(f.name.name)] === true).map((f) => f.name.name).join(", ")}}` : shape(v);
      case "resource":
        return `<resource ${def.name.name}>`;
    }
  }
}
