/**
 * Strict reading of untrusted JSON (a link, a project file): every value is checked where it is
 * read, and the first problem is thrown as a `SchemaError` naming its place
 * (`project.run.typedArgs.count: expected a string`). Nothing is coerced and no field is ignored.
 */

export class SchemaError extends Error {
  override name = "SchemaError";
  constructor(
    /** Where: `project.authoring.projects.js.files[2].path`. */
    readonly at: string,
    readonly problem: string,
  ) {
    super(`${at}: ${problem}`);
  }
}

type Obj = Record<string, unknown>;

const describe = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60));

/** `v` as an object with exactly `required` fields (plus any of `optional`). */
export function fields(v: unknown, at: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SchemaError(at, `expected an object, got ${describe(v)}`);
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) throw new SchemaError(at, `unexpected field \`${k}\``);
  for (const k of required) if (!(k in o)) throw new SchemaError(at, `missing field \`${k}\``);
  return o;
}

/** `v` as an object whose every key passes `key` and every value `value`; the result's keys are sorted. */
export function record<T>(v: unknown, at: string, key: RegExp, value: (v: unknown, at: string) => T): Record<string, T> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SchemaError(at, `expected an object, got ${describe(v)}`);
  const out: Record<string, T> = {};
  for (const k of Object.keys(v).sort()) {
    if (!key.test(k)) throw new SchemaError(at, `\`${k}\` is not a valid key here`);
    out[k] = value((v as Obj)[k], `${at}.${k}`);
  }
  return out;
}

export function string(v: unknown, at: string, opts: { max?: number; pattern?: RegExp; nonEmpty?: boolean } = {}): string {
  if (typeof v !== "string") throw new SchemaError(at, `expected a string, got ${describe(v)}`);
  if (opts.nonEmpty && v === "") throw new SchemaError(at, "expected a non-empty string");
  if (opts.max !== undefined && v.length > opts.max) throw new SchemaError(at, `longer than ${opts.max} characters`);
  if (opts.pattern && !opts.pattern.test(v)) throw new SchemaError(at, `${JSON.stringify(v.slice(0, 80))} is not valid here`);
  return v;
}

export function nullable<T>(v: unknown, at: string, read: (v: unknown, at: string) => T): T | null {
  return v === null ? null : read(v, at);
}

export function oneOf<T extends string>(v: unknown, at: string, options: readonly T[]): T {
  if (typeof v !== "string" || !(options as readonly string[]).includes(v)) throw new SchemaError(at, `expected one of ${options.map((o) => JSON.stringify(o)).join(", ")}, got ${describe(v)}`);
  return v as T;
}

export function boolean(v: unknown, at: string): boolean {
  if (typeof v !== "boolean") throw new SchemaError(at, `expected true or false, got ${describe(v)}`);
  return v;
}

export function number(v: unknown, at: string, min: number, max: number, integer = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw new SchemaError(at, `expected ${integer ? "an integer" : "a number"}, got ${describe(v)}`);
  if (v < min || v > max) throw new SchemaError(at, `${v} is outside ${min}..${max}`);
  return v;
}

export function array<T>(v: unknown, at: string, max: number, item: (v: unknown, at: string) => T): T[] {
  if (!Array.isArray(v)) throw new SchemaError(at, `expected an array, got ${describe(v)}`);
  if (v.length > max) throw new SchemaError(at, `more than ${max} items`);
  return v.map((x, i) => item(x, `${at}[${i}]`));
}
