/** wasi:filesystem@0.3.0 as seen by a run granted no directories (see p2.ts). */
export function filesystemP3() {
  class Descriptor {}
  return {
    "wasi:filesystem/preopens@0.3.0": { getDirectories: () => [] },
    "wasi:filesystem/types@0.3.0": { Descriptor },
  };
}
