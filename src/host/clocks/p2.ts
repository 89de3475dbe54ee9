/** wasi:clocks@0.2.x: the same clocks as 0.3, with waits as 0.2 pollables. */
import type { Nanos } from "../../base/time";
import type { IoP2 } from "../io/p2";
import type { PackageP2 } from "../types";
import type { ClocksCtx } from "./ctx";

export function clocksP2(ctx: ClocksCtx, io: IoP2) {
  const until = (deadline: bigint) =>
    new io.Pollable({
      isReady: () => ctx.monotonicNow() >= deadline,
      whenReady: () => ctx.sleepUntil(deadline as Nanos),
    });
  return {
    "wasi:clocks/monotonic-clock@0.2.12": {
      now: () => ctx.monotonicNow(),
      resolution: () => ctx.monotonicResolution(),
      subscribeInstant: (when) => until(when),
      subscribeDuration: (d) => until(ctx.monotonicNow() + d),
    },
    "wasi:clocks/wall-clock@0.2.12": {
      now: () => ctx.wallNow(),
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    },
  } satisfies PackageP2<"wasi:clocks">;
}
