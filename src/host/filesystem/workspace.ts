/** Workspaces in the browser: one IndexedDB database each (DESIGN.md), opened by the fs-owner only. */
import { FsError } from "./errors";
import type { KvStore } from "./kv";
import { CachedKv } from "./kv-cached";
import { openIndexedDbKv } from "./kv-indexeddb";
import type { FsChangeNotice } from "../../protocol/fs";
import { fsChannelName } from "../../protocol/fs";
import { FsOwner } from "./owner";
import { METADATA, ROOT_INO, Vfs, type Change, type VfsApi } from "./vfs";

export const workspaceDbName = (workspace: string) => `wasi-playground-ws:${workspace}`;
export const workspaceLockName = (workspace: string) => `wasi-playground-fs-owner:${workspace}`;

/** Creates the folders above `path` (relative to the root) that do not exist yet. */
export async function ensureParents(vfs: VfsApi, path: string): Promise<void> {
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    await vfs.createDirectoryAt(ROOT_INO, parts.slice(0, i).join("/")).catch((e: unknown) => {
      if (!(e instanceof FsError && e.code === "exist")) throw e;
    });
  }
}

/** Writes `files` (paths relative to the root, `/`-separated) into the workspace, creating folders. */
export async function seedWorkspace(vfs: VfsApi, files: Array<[string, Uint8Array]>): Promise<void> {
  for (const [path, data] of files) {
    await ensureParents(vfs, path);
    await vfs.writeFileAt(ROOT_INO, path, data);
  }
}

/**
 * Takes the workspace's Web Lock for as long as this worker lives; false if someone else holds
 * it. Whoever holds it is the workspace's only user, so it may cache its metadata.
 */
function claim(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    void navigator.locks.request(workspaceLockName(name), { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock ? new Promise<never>(() => {}) : undefined;
    });
  });
}

/** A store that calls `onFull` whenever a transaction fails for want of space (and still fails). */
function reportingFull(store: KvStore, onFull: () => void): KvStore {
  return {
    tx: (mode, fn, opts) =>
      store.tx(mode, fn, opts).catch((err: unknown) => {
        if (err instanceof FsError && err.code === "insufficient-space") onFull();
        throw err;
      }),
    close: () => store.close(),
  };
}

/**
 * The fs-owner's way to open a workspace: claim it (`claimed`, once per owner), then open its
 * database with metadata in memory. `onFull` hears of every write refused for want of space. A
 * damaged or newer database is left exactly as it was.
 */
export async function openBrowserWorkspace(name: string, claimed: Promise<boolean>, onChange: (c: Change) => void, onFull: () => void): Promise<Vfs> {
  if (!(await claimed)) {
    throw new Error(
      `workspace '${name}' is in use by another copy of the playground (another tab running a different version, or a browser without SharedWorker): close the other tabs and reload`,
    );
  }
  const store = await openIndexedDbKv(workspaceDbName(name));
  try {
    return await Vfs.open(await CachedKv.open(reportingFull(store, onFull), METADATA), { onChange });
  } catch (err) {
    store.close();
    throw err;
  }
}

type Notify = (workspace: string, kind: FsChangeNotice["kind"]) => void;

/**
 * Gathers the changes of a burst into one notice per kind, handed to `send` `windowMs` after the
 * burst's first change; a full store (`quota`) goes at once.
 */
export function noticeBursts(windowMs: number, send: Notify): Notify {
  const pending = new Map<string, Set<FsChangeNotice["kind"]>>();
  return (workspace, kind) => {
    if (kind === "quota") return send(workspace, kind);
    let kinds = pending.get(workspace);
    if (!kinds) {
      const burst = (kinds = new Set());
      pending.set(workspace, burst);
      setTimeout(() => {
        pending.delete(workspace);
        for (const k of burst) send(workspace, k);
      }, windowMs);
    }
    kinds.add(kind);
  };
}

/**
 * Posts notices on the workspace's BroadcastChannel, so UIs in every tab refresh (or warn), in
 * bursts (`noticeBursts`): each post is a trip through the browser, and posting one per operation
 * made each IndexedDB commit about 0.17 ms (a fifth) slower here, while a UI waits for a quiet
 * 100 ms before it refreshes anyway (FsClient.subscribe).
 */
export function broadcaster(windowMs = 50): Notify {
  const channels = new Map<string, BroadcastChannel>();
  return noticeBursts(windowMs, (workspace, kind) => {
    if (typeof BroadcastChannel === "undefined") return;
    let ch = channels.get(workspace);
    if (!ch) channels.set(workspace, (ch = new BroadcastChannel(fsChannelName(workspace))));
    ch.postMessage({ workspace, kind } satisfies FsChangeNotice);
  });
}

/** The fs-owner of this worker: every workspace from IndexedDB, changes and full storage posted to every tab. */
export function browserOwner(): FsOwner {
  const post = broadcaster();
  // A workspace that failed to open (damaged) is tried again on the next call, under the same lock.
  const claims = new Map<string, Promise<boolean>>();
  return new FsOwner((name, changed) =>
    openBrowserWorkspace(
      name,
      claims.get(name) ?? claims.set(name, claim(name)).get(name)!,
      (c) => {
        changed(c);
        if (c.kind !== "orphan") post(name, c.kind);
      },
      () => post(name, "quota"),
    ),
  );
}
