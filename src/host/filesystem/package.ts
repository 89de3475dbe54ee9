/** wasi:filesystem as the host serves it: 0.2 and 0.3 over the same Handles; 0.2 calls that reach IndexedDB suspend. */
import type { BlockingCtx } from "../io/ctx";
import type { IoP2 } from "../io/p2";
import { interfacesAt, wasiPackage } from "../package";
import type { FsCtx } from "./handle";
import { filesystemP2, filesystemP2Suspending } from "./p2";
import { filesystemP3 } from "./p3";

const BOTH = ["types", "preopens"] as const;

export const filesystemPackage = wasiPackage({
  interfaces: [...interfacesAt("wasi:filesystem", "0.2.12", BOTH), ...interfacesAt("wasi:filesystem", "0.3.0", BOTH)],
  suspending: filesystemP2Suspending,
  serve: (run: { fs: FsCtx; io: IoP2; blocking: BlockingCtx }) => ({ ...filesystemP2(run.fs, run.io, run.blocking), ...filesystemP3(run.fs) }),
});
