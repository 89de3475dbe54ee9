/** wasi:clocks@0.3.0: monotonic waits are plain Promises, so no JSPI is ever needed. */
import type { Nanos } from "../../base/time";
import type { PackageP3 } from "../types";
import type { ClocksCtx } from "./ctx";

export function clocksP3(ctx: ClocksCtx) {
  return {
    "wasi:clocks/types@0.3.0": {},
    "wasi:clocks/monotonic-clock@0.3.0": {
      now: () => ctx.monotonicNow(),
      getResolution: () => ctx.monotonicResolution(),
      // A wait that is already over answers at once (no Promise): the guest's first look at the
      // call finds it returned, as in Wasmtime, rather than started.
      waitUntil: (when) => (when <= ctx.monotonicNow() ? undefined : ctx.sleepUntil(when as Nanos)),
      waitFor: (howLong) => (howLong <= 0n ? undefined : ctx.sleepUntil((ctx.monotonicNow() + howLong) as Nanos)),
    },
    "wasi:clocks/system-clock@0.3.0": {
      now: () => ctx.wallNow(),
      getResolution: () => 1_000_000n,
    },
  } satisfies PackageP3<"wasi:clocks">;
}
