/** Workspaces: one IndexedDB database each (DESIGN.md), opened once per worker. */
import { FsError } from "./errors";
import { openIndexedDbKv } from "./kv-indexeddb";
import type { FsChangeNotice } from "../../protocol/fs";
import { fsChannelName } from "../../protocol/fs";
import { ROOT_INO, Vfs, type Change } from "./vfs";

export const workspaceDbName = (workspace: string) => `wasi-playground-ws:${workspace}`;

/** Creates the folders above `path` (relative to the root) that do not exist yet. */
export async function ensureParents(vfs: Vfs, path: string): Promise<void> {
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    await vfs.createDirectoryAt(ROOT_INO, parts.slice(0, i).join("/")).catch((e: unknown) => {
      if (!(e instanceof FsError && e.code === "exist")) throw e;
    });
  }
}

/** Writes `files` (paths relative to the root, `/`-separated) into the workspace, creating folders. */
export async function seedWorkspace(vfs: Vfs, files: Array<[string, Uint8Array]>): Promise<void> {
  for (const [path, data] of files) {
    await ensureParents(vfs, path);
    await vfs.writeFileAt(ROOT_INO, path, data);
  }
}

export class Workspaces {
  #open = new Map<string, Promise<Vfs>>();
  constructor(private readonly onChange: (workspace: string, c: Change) => void = () => {}) {}

  get(name: string): Promise<Vfs> {
    let v = this.#open.get(name);
    if (!v) {
      // Opening may migrate the layout: one opener at a time per workspace, across tabs.
      const open = async () => Vfs.open(await openIndexedDbKv(workspaceDbName(name)), { onChange: (c) => this.onChange(name, c) });
      const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
      v = locks ? locks.request(`wasi-playground-fs-open:${name}`, open) : open();
      this.#open.set(name, v);
      v.catch(() => this.#open.delete(name));
    }
    return v;
  }
}

/** Posts every change on the workspace's BroadcastChannel, so UIs in every tab refresh. */
export function broadcastChanges(): (workspace: string, c: Change) => void {
  const channels = new Map<string, BroadcastChannel>();
  return (workspace, c) => {
    if (typeof BroadcastChannel === "undefined") return;
    let ch = channels.get(workspace);
    if (!ch) channels.set(workspace, (ch = new BroadcastChannel(fsChannelName(workspace))));
    ch.postMessage({ workspace, kind: c.kind } satisfies FsChangeNotice);
  };
}
