/**
 * Bounds-checked reading of the Core WebAssembly binary conventions the component format reuses
 * (LEB128 `u32`/`s33`, `vec`, `name`), with every failure raised as a {@link DecodeError} that
 * says where it happened.
 */

/**
 * A component binary that cannot be decoded: malformed, truncated, not a component, or using a
 * construct this decoder does not support (then `construct` names it). The message names the
 * section, the nested component path and the byte offset.
 */
export class DecodeError extends Error {
  override name = "DecodeError";
  constructor(
    readonly reason: string,
    /** Absolute byte offset in the decoded array. */
    readonly offset: number,
    /** The section being read, e.g. `canon section (8)`, or `preamble`. */
    readonly section: string,
    /** Nested components from the root inwards, e.g. `["component 2", "component 0"]`; empty at the root. */
    readonly path: readonly string[],
    /** The unsupported or removed construct, when that is the reason. */
    readonly construct?: string,
    /** The last definition decoded before the failure in the same component, described. */
    readonly after?: string,
  ) {
    const where = path.length ? `in ${section} of nested ${path.join(" > ")}` : `in ${section}`;
    super(`${reason} (${where}${after ? `, after ${after}` : ""}, at byte offset ${offset} = 0x${offset.toString(16)})`);
  }

  /** The same error, located after the last definition that decoded. */
  withAfter(after: string): DecodeError {
    return new DecodeError(this.reason, this.offset, this.section, this.path, this.construct, after);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A cursor over one array; `end` is the current limit (the enclosing section or item). */
export class Reader {
  pos: number;
  end: number;
  /** What is being read, for error messages; the decoder keeps these current. */
  section = "preamble";
  path: string[] = [];

  constructor(
    readonly bytes: Uint8Array<ArrayBuffer>,
    start = 0,
    end = bytes.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  fail(reason: string, offset = this.pos, construct?: string): never {
    throw new DecodeError(reason, offset, this.section, [...this.path], construct);
  }

  /** A valid construct this decoder does not read (or one removed from the spec), named. */
  unsupported(construct: string, offset: number, why = "is not supported by this decoder"): never {
    this.fail(`${construct} ${why}`, offset, construct);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(what = "byte"): number {
    if (this.pos >= this.end) this.fail(`unexpected end of data while reading ${what}`);
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos]!;
  }

  /** `core:u32`: unsigned LEB128, at most 5 bytes, no bits past 32. */
  u32(what = "u32"): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8(what);
      if (i === 4 && b & 0xf0) this.fail(`${what} does not fit in 32 bits`, start);
      result |= (b & 0x7f) << (7 * i);
      if (!(b & 0x80)) return result >>> 0;
    }
    this.fail(`${what} is longer than 5 bytes`, start);
  }

  /** `core:u64` as a bigint (limits of memory64 tables and memories). */
  u64(what = "u64"): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8(what);
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (!(b & 0x80)) {
        if (i === 9 && b > 1) this.fail(`${what} does not fit in 64 bits`, start);
        return result;
      }
    }
    this.fail(`${what} is longer than 10 bytes`, start);
  }

  /** Signed 33-bit LEB128 (heap types and block types); returned as a JS number. */
  s33(what = "s33"): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8(what);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (b & 0x40) result -= 2 ** shift;
        if (result < -(2 ** 32) || result >= 2 ** 32) this.fail(`${what} does not fit in 33 bits`, start);
        return result;
      }
    }
    this.fail(`${what} is longer than 5 bytes`, start);
  }

  /** `core:name`: a length-prefixed UTF-8 string. */
  name(what = "name"): string {
    const len = this.u32(`${what} length`);
    const start = this.pos;
    if (len > this.remaining) this.fail(`${what} of ${len} bytes runs past the end (${this.remaining} left)`, start);
    this.pos += len;
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      this.fail(`${what} is not valid UTF-8`, start);
    }
  }

  /** `vec(T)`: a u32 count then the items. The count is checked against the bytes left so a corrupt count cannot allocate or loop for long. */
  vec<T>(what: string, item: (i: number) => T): T[] {
    const at = this.pos;
    const n = this.u32(`${what} count`);
    if (n > this.remaining) this.fail(`${what} count ${n} exceeds the ${this.remaining} bytes left`, at);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(i));
    return out;
  }

  /** `0x00` absent / `0x01 T` present (Binary.md `T?`). */
  optional<T>(what: string, item: () => T): T | undefined {
    const at = this.pos;
    const flag = this.u8(`${what} presence flag`);
    if (flag === 0) return undefined;
    if (flag === 1) return item();
    this.fail(`invalid presence flag 0x${hex(flag)} for ${what} (expected 0x00 or 0x01)`, at);
  }

  /** Reads `size` bytes as a nested region: `body` must consume it exactly. */
  region<T>(size: number, what: string, body: () => T): T {
    const start = this.pos;
    if (size > this.remaining) this.fail(`${what} of ${size} bytes runs past the end (${this.remaining} left)`, start);
    const outer = this.end;
    this.end = start + size;
    const result = body();
    if (this.pos !== this.end) this.fail(`${what} has ${this.end - this.pos} unread bytes after its contents`, this.pos);
    this.end = outer;
    return result;
  }
}

export function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
