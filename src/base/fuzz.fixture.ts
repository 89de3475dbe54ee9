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

/** A place in a JSON value: its path (`root.a[2].b`), and its parent and key (null for the root). */
export interface JsonPlace {
  path: string;
  parent: unknown;
  key: string | number | null;
}

/** Every place in JSON value `v`, the root first, paths written from `root` (`$`, `project`, ...). */
export function jsonPlaces(v: unknown, root: string): JsonPlace[] {
  const out: JsonPlace[] = [{ path: root, parent: null, key: null }];
  const walk = (x: unknown, path: string) => {
    if (Array.isArray(x)) {
      x.forEach((y, i) => {
        out.push({ path: `${path}[${i}]`, parent: x, key: i });
        walk(y, `${path}[${i}]`);
      });
    } else if (typeof x === "object" && x !== null) {
      for (const [k, y] of Object.entries(x)) {
        out.push({ path: `${path}.${k}`, parent: x, key: k });
        walk(y, `${path}.${k}`);
      }
    }
  };
  walk(v, root);
  return out;
}

/** A deep copy of JSON value `raw` with 1-3 places replaced by one of `values`, deleted, or (rarely) the whole replaced. */
export function mutateJson(raw: unknown, rand: () => number, values: readonly unknown[]): unknown {
  let root = structuredClone(raw);
  for (let k = below(rand, 3); k >= 0; k--) {
    const all = jsonPlaces(root, "$");
    const { parent, key } = all[below(rand, all.length)]!;
    const value = structuredClone(values[below(rand, values.length)]);
    if (key === null) root = rand() < 0.2 ? value : root;
    else if (rand() < 0.25) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key];
    } else if (Array.isArray(parent)) parent[key as number] = value;
    else (parent as Record<string, unknown>)[key] = value;
  }
  return root;
}

/** Whether error place `at` is a place of `places` or lies under one (a field the input lacks, under its object). */
export const namesPlaceIn = (at: string, places: readonly JsonPlace[]): boolean => places.some((p) => p.path === at || at.startsWith(`${p.path}.`));
