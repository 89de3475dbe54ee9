/**
 * HTTP fields (headers and trailers) as wasi:http's `fields` resource keeps them: an ordered list
 * of (name, value) entries, names compared case-insensitively and stored lower-case (as Wasmtime
 * does), values as bytes. Syntax follows RFC 9110 §5.1 (name: token) and §5.5 (value: no CTL other
 * than HTAB); the forbidden names are the hop-by-hop fields a guest may not set (the list Wasmtime
 * and wasi-testsuite use; WASI issue 940).
 */
import { FieldError } from "./errors";

export type FieldEntry = [name: string, value: Uint8Array];

/** Bytes one field section (all names and values) may take; more is `size-exceeded`. */
export const MAX_FIELD_SECTION = 64 * 1024;

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token: the syntax of field names and methods. */
export function isToken(s: string): boolean {
  return TCHAR.test(s);
}

/** A field value: any byte but CTLs (0x00-0x1f, 0x7f), where HTAB is allowed. */
export function isFieldValue(v: Uint8Array): boolean {
  for (const b of v) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  return true;
}

/** Hop-by-hop and connection-level fields the host writes itself; a guest may not set them. */
export const FORBIDDEN = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "transfer-encoding", "upgrade", "http2-settings", "host"]);

export function isForbidden(name: string): boolean {
  return FORBIDDEN.has(name.toLowerCase());
}

/** The first problem with setting `name` to `values`, as a header-error tag; null when fine. */
export function checkField(name: string, values: readonly Uint8Array[]): "invalid-syntax" | "forbidden" | null {
  if (!isToken(name) || !values.every(isFieldValue)) return "invalid-syntax";
  if (isForbidden(name)) return "forbidden";
  return null;
}

const size = (entries: readonly FieldEntry[]) => entries.reduce((n, [k, v]) => n + k.length + v.length, 0);

/** The state of one `fields` resource; `mutable` is false for headers a request or response owns. */
export class FieldList {
  constructor(
    readonly entries: FieldEntry[] = [],
    readonly mutable = true,
  ) {}

  /** Entries as given, checked (`from-list`); throws a FieldError. */
  static from(entries: readonly FieldEntry[]): FieldList {
    for (const [name, value] of entries) {
      const bad = checkField(name, [value]);
      if (bad) throw new FieldError(bad, name);
    }
    if (size(entries) > MAX_FIELD_SECTION) throw new FieldError("size-exceeded", `${size(entries)} bytes`);
    return new FieldList(entries.map(([k, v]) => [k.toLowerCase(), v.slice()]));
  }

  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.entries.filter(([k]) => k === key).map(([, v]) => v.slice());
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.entries.some(([k]) => k === key);
  }

  /** Throws a FieldError when the list may not change this way. */
  #check(name: string, values: readonly Uint8Array[], add: number): void {
    if (!this.mutable) throw new FieldError("immutable", name);
    const bad = checkField(name, values);
    if (bad) throw new FieldError(bad, name);
    if (size(this.entries) + add > MAX_FIELD_SECTION) throw new FieldError("size-exceeded", `a field section over ${MAX_FIELD_SECTION} bytes`);
  }

  set(name: string, values: readonly Uint8Array[]): void {
    this.#check(name, values, values.reduce((n, v) => n + name.length + v.length, 0));
    this.#remove(name);
    for (const v of values) this.entries.push([name.toLowerCase(), v.slice()]);
  }

  append(name: string, value: Uint8Array): void {
    this.#check(name, [value], name.length + value.length);
    this.entries.push([name.toLowerCase(), value.slice()]);
  }

  delete(name: string): Uint8Array[] {
    this.#check(name, [], 0);
    return this.#remove(name);
  }

  #remove(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    const removed: Uint8Array[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]![0] === key) removed.unshift(this.entries.splice(i, 1)[0]![1]);
    }
    return removed;
  }

  copy(mutable = true): FieldList {
    return new FieldList(
      this.entries.map(([k, v]) => [k, v.slice()]),
      mutable,
    );
  }

  /** Values of `name` as text, joined as HTTP joins repeated fields. */
  text(name: string): string | undefined {
    const values = this.get(name);
    return values.length === 0 ? undefined : values.map((v) => latin1(v)).join(", ");
  }
}

/** Bytes as ISO-8859-1 text (how HTTP/1.1 carries field values). */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
