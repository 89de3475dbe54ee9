/** Nanosecond time as branded bigints (Perfetto-style), so ms and ns never mix by accident. */
export type Nanos = bigint & { readonly __unit: "ns" };

export const NS_PER_MS = 1_000_000n;

export function nanos(n: bigint): Nanos {
  return n as Nanos;
}

export function msToNanos(ms: number): Nanos {
  return BigInt(Math.round(ms * 1e6)) as Nanos;
}

export function nanosToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

/** A monotonic clock source; real ones read `performance.now()`, tests use a manual one. */
export interface MonotonicSource {
  nowNs(): Nanos;
}

export const performanceClock: MonotonicSource = {
  nowNs: () => msToNanos(performance.now()),
};
