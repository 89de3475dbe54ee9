/** wasi:clocks@0.3.0: monotonic waits are plain Promises, so no JSPI is ever needed. */
import type * as Monotonic from "../generated/host-p3/interfaces/wasi-clocks-monotonic-clock.js";
import type * as System from "../generated/host-p3/interfaces/wasi-clocks-system-clock.js";
import type { Nanos } from "../../base/time";
import type { ClocksCtx } from "./ctx";

export function clocksP3(ctx: ClocksCtx) {
  return {
    "wasi:clocks/types@0.3.0": {},
    "wasi:clocks/monotonic-clock@0.3.0": {
      now: () => ctx.monotonicNow(),
      getResolution: () => ctx.monotonicResolution(),
      waitUntil: (when) => ctx.sleepUntil(when as Nanos),
      waitFor: (howLong) => (howLong <= 0n ? (undefined as unknown as Promise<void>) : ctx.sleepUntil((ctx.monotonicNow() + howLong) as Nanos)),
    } satisfies typeof Monotonic,
    "wasi:clocks/system-clock@0.3.0": {
      now: () => ctx.wallNow(),
      getResolution: () => 1_000_000n,
    } satisfies typeof System,
  };
}
