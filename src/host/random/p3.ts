/** wasi:random@0.3.0. */
import type { PackageP3 } from "../types";
import { bytes, u64, type RandomCtx } from "./ctx";

export function randomP3(ctx: RandomCtx) {
  return {
    "wasi:random/random@0.3.0": {
      getRandomBytes: (len) => bytes(ctx.secureFill, len),
      getRandomU64: () => u64(ctx.secureFill),
    },
    "wasi:random/insecure@0.3.0": {
      getInsecureRandomBytes: (len) => bytes(ctx.insecureFill, len),
      getInsecureRandomU64: () => u64(ctx.insecureFill),
    },
    "wasi:random/insecure-seed@0.3.0": {
      getInsecureSeed: () => [ctx.insecureSeed[0], ctx.insecureSeed[1]],
    },
  } satisfies PackageP3<"wasi:random">;
}
