/**
 * Writing the Core WebAssembly binary conventions the component format reuses (LEB128
 * `u32`/`u64`/`s33`, `vec`, `name`), the mirror of `reader.ts`. Values that cannot be encoded are
 * refused through the owner's `fail`, never written as garbage.
 */

/**
 * A component AST that cannot be encoded: an index past the end of its index space, a definition
 * that says it lands somewhere it does not, a value out of range. `where` locates the construct
 * from the root inwards: `definition 9 (nested component 0)`, `definition 1 (func 0 = import "x" ...)`,
 * `declarator 3 (export)`.
 */
export class EncodeError extends Error {
  override name = "EncodeError";
  constructor(
    readonly reason: string,
    readonly where: readonly string[],
  ) {
    super(where.length ? `${reason} (in ${where.join(" > ")})` : reason);
  }
}

const utf8 = new TextEncoder();

/** Byte arrays at least this long are kept as parts of their own instead of being copied. */
const LARGE = 4096;

/**
 * A growable byte sequence made of parts: small writes fill a buffer, large arrays (core modules,
 * nested components) are kept by reference, so megabytes are copied once, by {@link finish}.
 * Arrays given to {@link bytes} must not change before then.
 */
export class Writer {
  readonly #parts: Uint8Array[] = [];
  #partsLength = 0;
  #buf = new Uint8Array(256);
  #len = 0;

  constructor(private readonly fail: (reason: string) => never) {}

  get length(): number {
    return this.#partsLength + this.#len;
  }

  #flush(): void {
    if (!this.#len) return;
    this.#parts.push(this.#buf.subarray(0, this.#len));
    this.#partsLength += this.#len;
    this.#buf = new Uint8Array(Math.min(this.#buf.length * 2, 65536));
    this.#len = 0;
  }

  u8(b: number): void {
    if (this.#len === this.#buf.length) this.#flush();
    this.#buf[this.#len++] = b;
  }

  bytes(b: Uint8Array): void {
    if (b.length >= LARGE) {
      this.#flush();
      this.#parts.push(b);
      this.#partsLength += b.length;
      return;
    }
    if (this.#len + b.length > this.#buf.length) this.#flush();
    if (b.length > this.#buf.length) this.#buf = new Uint8Array(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** Appends what another writer holds, without copying its large parts. */
  append(other: Writer): void {
    other.#flush();
    for (const part of other.#parts) this.bytes(part);
  }

  /** `core:u32`, minimal unsigned LEB128. */
  u32(n: number, what: string): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) this.fail(`${what} ${n} is not a u32`);
    do {
      const b = n % 0x80;
      n = Math.floor(n / 0x80);
      this.u8(n ? b | 0x80 : b);
    } while (n);
  }

  /** `core:u64`, minimal unsigned LEB128. */
  u64(n: bigint, what: string): void {
    if (n < 0n || n >= 1n << 64n) this.fail(`${what} ${n} is not a u64`);
    do {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      this.u8(n ? b | 0x80 : b);
    } while (n);
  }

  /** Signed 33-bit LEB128, minimal (type indices in value and heap types). */
  s33(n: number, what: string): void {
    if (!Number.isInteger(n) || n < -(2 ** 32) || n >= 2 ** 32) this.fail(`${what} ${n} does not fit in 33 bits`);
    for (;;) {
      const b = ((n % 0x80) + 0x80) % 0x80;
      n = Math.floor(n / 0x80);
      const done = (n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40);
      this.u8(done ? b : b | 0x80);
      if (done) return;
    }
  }

  /** `core:name`: length-prefixed UTF-8. */
  name(s: string, what: string): void {
    if (typeof s !== "string") this.fail(`${what} is not a string`);
    const b = utf8.encode(s);
    this.u32(b.length, `${what} length`);
    this.bytes(b);
  }

  /** `vec(T)`. */
  vec<T>(items: readonly T[], what: string, item: (t: T, i: number) => void): void {
    if (!Array.isArray(items)) this.fail(`${what} is not an array`);
    this.u32(items.length, `${what} count`);
    items.forEach(item);
  }

  /** `T?`: 0x00 absent, 0x01 then `T`. */
  optional<T>(value: T | undefined, item: (t: T) => void): void {
    if (value === undefined) this.u8(0x00);
    else {
      this.u8(0x01);
      item(value);
    }
  }

  /** `size:u32` then the bytes another writer holds. */
  sized(inner: Writer, what: string): void {
    this.u32(inner.length, `${what} size`);
    this.append(inner);
  }

  /** The bytes written, in one array. */
  finish(): Uint8Array<ArrayBuffer> {
    this.#flush();
    const out = new Uint8Array(this.#partsLength);
    let at = 0;
    for (const part of this.#parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
