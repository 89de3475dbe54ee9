/**
 * Resolved component-level types, as the Canonical ABI sees them (CanonicalABI.md, "Type definitions").
 * The linker turns the binary's type indices into these trees; lifting and lowering walk them.
 */
export type PrimType =
  | "bool"
  | "s8"
  | "u8"
  | "s16"
  | "u16"
  | "s32"
  | "u32"
  | "s64"
  | "u64"
  | "f32"
  | "f64"
  | "char"
  | "string"
  | "error-context";

export interface Field {
  name: string;
  type: ValType;
}

export interface Case {
  name: string;
  type: ValType | null;
}

export type ValType =
  | PrimType
  | { kind: "list"; elem: ValType; len?: number }
  /** `map<K, V>` (WASI 0.3.1): lifted and lowered as `list<tuple<K, V>>`, an array of `[key, value]` pairs. */
  | { kind: "map"; key: ValType; value: ValType }
  | { kind: "record"; fields: Field[] }
  | { kind: "tuple"; elems: ValType[] }
  | { kind: "variant"; cases: Case[] }
  | { kind: "enum"; names: string[] }
  | { kind: "option"; elem: ValType }
  | { kind: "result"; ok: ValType | null; err: ValType | null }
  | { kind: "flags"; names: string[] }
  | { kind: "own"; rt: ResourceType }
  | { kind: "borrow"; rt: ResourceType }
  | { kind: "stream"; elem: ValType | null }
  | { kind: "future"; elem: ValType | null };

export interface FuncType {
  params: Field[];
  result: ValType | null;
  async: boolean;
}

/**
 * The instance that defined a guest resource type, as resource handling sees it (a
 * `ComponentInstance`; typed here by what is used, so type definitions stay below runtime state).
 */
export interface ResourceImpl {
  readonly mayLeave: boolean;
}

/**
 * A resource type. Guest-defined ones belong to the instance that defined them (`impl`) and may have
 * a destructor; host-defined ones carry the host class whose instances are the resources' reps.
 */
export class ResourceType {
  constructor(
    readonly name: string,
    readonly impl: ResourceImpl | null,
    readonly dtor: ((rep: number) => void) | null = null,
    readonly hostClass: (abstract new (...args: never[]) => unknown) | null = null,
  ) {}
}

/** A guest-defined resource as a value in flight between components. */
export class GuestResource {
  constructor(
    readonly rt: ResourceType,
    readonly rep: number,
  ) {}
}

export { camelCase, pascalCase } from "../../base/names";

/** `kebab-name` of a type for messages. */
export function typeName(t: ValType | null): string {
  if (t === null) return "_";
  if (typeof t === "string") return t;
  switch (t.kind) {
    case "list":
      return t.len !== undefined ? `list<${typeName(t.elem)}, ${t.len}>` : `list<${typeName(t.elem)}>`;
    case "option":
      return `option<${typeName(t.elem)}>`;
    case "result":
      return `result<${typeName(t.ok)}, ${typeName(t.err)}>`;
    case "tuple":
      return `tuple<${t.elems.map(typeName).join(", ")}>`;
    case "map":
      return `map<${typeName(t.key)}, ${typeName(t.value)}>`;
    case "own":
      return t.rt.name;
    case "borrow":
      return `borrow<${t.rt.name}>`;
    case "stream":
    case "future":
      return t.elem ? `${t.kind}<${typeName(t.elem)}>` : t.kind;
    default:
      return t.kind;
  }
}

/** Element types match when they are the same resolved type (structurally, for our purposes). */
export function sameType(a: ValType | null, b: ValType | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a === "string" || typeof b === "string") return false;
  return JSON.stringify(a, skipResources) === JSON.stringify(b, skipResources);
}

function skipResources(key: string, value: unknown): unknown {
  return key === "rt" ? (value as { name: string }).name : value;
}
