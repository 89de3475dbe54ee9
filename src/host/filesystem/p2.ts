/**
 * wasi:filesystem@0.2.x as seen by a run granted no directories. Every libc-based guest imports it;
 * with no preopens there is no descriptor to call, so the resource has no reachable methods yet.
 */
import type * as Preopens from "../generated/host-p2/interfaces/wasi-filesystem-preopens.js";

export function filesystemP2() {
  class Descriptor {}
  class DirectoryEntryStream {}
  return {
    "wasi:filesystem/preopens@0.2.12": {
      getDirectories: () => [],
    } satisfies typeof Preopens,
    "wasi:filesystem/types@0.2.12": {
      Descriptor,
      DirectoryEntryStream,
      // Errors from this host's streams never carry a filesystem error code.
      filesystemErrorCode: () => undefined,
    },
  };
}
