/** Nanosecond time as branded bigints (Perfetto-style), so ms and ns never mix by accident. */
export type Nanos = bigint & { readonly __unit: "ns" };

export function nanos(n: bigint): Nanos {
  return n as Nanos;
}

export function msToNanos(ms: number): Nanos {
  return BigInt(Math.round(ms * 1e6)) as Nanos;
}
