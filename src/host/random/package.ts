/** wasi:random as the host serves it: 0.2 and 0.3 over one RandomCtx. */
import { interfacesAt, wasiPackage } from "../package";
import type { RandomCtx } from "./ctx";
import { randomP2 } from "./p2";
import { randomP3 } from "./p3";

const BOTH = ["random", "insecure", "insecure-seed"] as const;

export const randomPackage = wasiPackage({
  interfaces: [...interfacesAt("wasi:random", "0.2.12", BOTH), ...interfacesAt("wasi:random", "0.3.0", BOTH)],
  suspending: {},
  serve: (run: { random: RandomCtx }) => ({ ...randomP2(run.random), ...randomP3(run.random) }),
});
