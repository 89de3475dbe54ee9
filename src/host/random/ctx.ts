/** Platform leaf of wasi:random: the browser's CSPRNG, or a seeded generator for tests. */
export interface RandomCtx {
  /** Fills `buf` with cryptographically secure bytes. */
  secureFill(buf: Uint8Array): void;
  /** Fills `buf` with fast, not necessarily secure, bytes. */
  insecureFill(buf: Uint8Array): void;
  /** Fixed for the life of the run, as wasi:random/insecure-seed asks. */
  readonly insecureSeed: readonly [bigint, bigint];
}

const CRYPTO_MAX = 65536; // getRandomValues refuses more per call

export function browserRandom(): RandomCtx {
  const secureFill = (buf: Uint8Array) => {
    for (let i = 0; i < buf.length; i += CRYPTO_MAX) crypto.getRandomValues(buf.subarray(i, i + CRYPTO_MAX) as Uint8Array<ArrayBuffer>);
  };
  const seed = new BigUint64Array(2);
  crypto.getRandomValues(seed);
  return { secureFill, insecureFill: secureFill, insecureSeed: [seed[0]!, seed[1]!] };
}

/** xorshift64* from a fixed seed: the same bytes every run, for tests. */
export function seededRandom(seed: bigint): RandomCtx {
  let s = BigInt.asUintN(64, seed || 1n);
  const fill = (buf: Uint8Array) => {
    for (let i = 0; i < buf.length; i++) {
      s ^= s >> 12n;
      s ^= BigInt.asUintN(64, s << 25n);
      s ^= s >> 27n;
      buf[i] = Number(BigInt.asUintN(64, s * 0x2545f4914f6cdd1dn) >> 56n);
    }
  };
  return { secureFill: fill, insecureFill: fill, insecureSeed: [seed, ~seed & 0xffff_ffff_ffff_ffffn] };
}

export function bytes(fill: (b: Uint8Array) => void, len: bigint): Uint8Array {
  const b = new Uint8Array(Number(len));
  fill(b);
  return b;
}

export function u64(fill: (b: Uint8Array) => void): bigint {
  const b = new Uint8Array(8);
  fill(b);
  return new DataView(b.buffer).getBigUint64(0, true);
}
