/**
 * What the fuzz tests share: a seeded PRNG, so every input is reproducible from its seed and
 * index, and the size of a run. `npm test` runs each target briefly; `npm run fuzz` sets
 * FUZZ_ITERS (inputs per target) for long runs, and FUZZ_SEED picks another sequence.
 */

/** Mulberry32: small, seeded, good enough to spread cuts, flips and choices. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/** Inputs per target: FUZZ_ITERS when set (a long run), else `fast` (the unit-test run). */
export function fuzzIterations(fast: number): number {
  const n = Number(env.FUZZ_ITERS);
  return Number.isInteger(n) && n > 0 ? n : fast;
}

/** The seed of a target's sequence: `base`, moved by FUZZ_SEED when a run asks for another one. */
export function fuzzSeed(base: number): number {
  return base + (Number(env.FUZZ_SEED) || 0);
}

/** An integer in [0, n). */
export const below = (rand: () => number, n: number): number => Math.floor(rand() * n);
