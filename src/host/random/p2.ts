/** wasi:random@0.2.x: same state as 0.3; 0.2 names its seed function `insecure-seed`. */
import type { PackageP2 } from "../types";
import { bytes, u64, type RandomCtx } from "./ctx";

export function randomP2(ctx: RandomCtx) {
  return {
    "wasi:random/random@0.2.12": {
      getRandomBytes: (len) => bytes(ctx.secureFill, len),
      getRandomU64: () => u64(ctx.secureFill),
    },
    "wasi:random/insecure@0.2.12": {
      getInsecureRandomBytes: (len) => bytes(ctx.insecureFill, len),
      getInsecureRandomU64: () => u64(ctx.insecureFill),
    },
    "wasi:random/insecure-seed@0.2.12": {
      insecureSeed: () => [ctx.insecureSeed[0], ctx.insecureSeed[1]],
    },
  } satisfies PackageP2<"wasi:random">;
}
