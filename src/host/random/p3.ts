/** wasi:random@0.3.0. */
import type { PackageP3 } from "../types";
import { bytes, u64, type RandomCtx } from "./ctx";

/** 0.3 asks for at most `max-len` bytes: a call may get fewer, so u64::MAX is an answer, not a crash. */
const MAX_BYTES = 1n << 20n;
const upTo = (maxLen: bigint) => (maxLen < MAX_BYTES ? maxLen : MAX_BYTES);

export function randomP3(ctx: RandomCtx) {
  return {
    "wasi:random/random@0.3.0": {
      getRandomBytes: (maxLen) => bytes(ctx.secureFill, upTo(maxLen)),
      getRandomU64: () => u64(ctx.secureFill),
    },
    "wasi:random/insecure@0.3.0": {
      getInsecureRandomBytes: (maxLen) => bytes(ctx.insecureFill, upTo(maxLen)),
      getInsecureRandomU64: () => u64(ctx.insecureFill),
    },
    "wasi:random/insecure-seed@0.3.0": {
      getInsecureSeed: () => [ctx.insecureSeed[0], ctx.insecureSeed[1]],
    },
  } satisfies PackageP3<"wasi:random">;
}
