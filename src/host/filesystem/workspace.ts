/** Workspaces: one IndexedDB database each (DESIGN.md), opened once per worker. */
import { openIndexedDbKv } from "./kv-indexeddb";
import type { FsChangeNotice } from "../../protocol/fs";
import { fsChannelName } from "../../protocol/fs";
import { ROOT_INO, Vfs, type Change } from "./vfs";

export const workspaceDbName = (workspace: string) => `wasi-playground-ws:${workspace}`;

/** Writes `files` (paths relative to the root, `/`-separated) into the workspace, creating folders. */
export async function seedWorkspace(vfs: Vfs, files: Array<[string, Uint8Array]>): Promise<void> {
  for (const [path, data] of files) {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      await vfs.createDirectoryAt(ROOT_INO, dir).catch((e: { code?: string }) => {
        if (e.code !== "exist") throw e;
      });
    }
    const f = await vfs.openAt(ROOT_INO, parts.join("/"), false, { create: true, truncate: true }, true);
    if (data.length > 0) await vfs.write(f.ino, 0, data);
  }
}

/** Removes everything and starts the workspace over (used by tests that need a clean root). */
export async function resetWorkspace(vfs: Vfs): Promise<Vfs> {
  await vfs.store.tx("readwrite", async (tx) => tx.deletePrefix([]));
  return Vfs.open(vfs.store);
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
