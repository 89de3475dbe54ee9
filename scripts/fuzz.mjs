// `npm run fuzz`: the fuzz tests (component decoder, WIT parser, Wisp packets, conformance
// manifests, share links; files named *fuzz.test.ts) as a long run: FUZZ_ITERS inputs per target (default
// 20000; `npm test` runs a few thousand), FUZZ_SEED to move to other sequences (default 0, the
// unit tests' own). A failure names the input (its index and seed) and where in it things broke.
import { sh } from "./ensure.mjs";

const iters = process.env.FUZZ_ITERS ?? "20000";
const seed = process.env.FUZZ_SEED ?? "0";
console.log(`fuzz: ${iters} inputs per target, seed offset ${seed}`);
sh("npx vitest run --testTimeout=0 fuzz.test", { env: { ...process.env, FUZZ_ITERS: iters, FUZZ_SEED: seed } });
