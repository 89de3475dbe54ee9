/** wasi:clocks as the host serves it: 0.2 waits are io pollables (io's `poll` is what suspends). */
import type { IoP2 } from "../io/p2";
import { interfacesAt, wasiPackage } from "../package";
import type { ClocksCtx } from "./ctx";
import { clocksP2 } from "./p2";
import { clocksP3 } from "./p3";

export const clocksPackage = wasiPackage({
  interfaces: [...interfacesAt("wasi:clocks", "0.2.12", ["monotonic-clock", "wall-clock"]), ...interfacesAt("wasi:clocks", "0.3.0", ["types", "monotonic-clock", "system-clock"])],
  suspending: {},
  serve: (run: { clocks: ClocksCtx; io: IoP2 }) => ({ ...clocksP2(run.clocks, run.io), ...clocksP3(run.clocks) }),
});
