/**
 * Filesystem benchmarks: the same work through a run's real path (a session on the fs-owner, in
 * another worker, with its metadata in memory, over IndexedDB), through a Vfs straight on
 * IndexedDB (every worker for itself, as before the fs-owner), and on the in-memory backend.
 */
import { transfer, wrap } from "comlink";
import type { FsApi } from "../src/protocol/fs";
import { MemoryKv, type KvKey, type KvStore } from "../src/host/filesystem/kv";
import { openIndexedDbKv } from "../src/host/filesystem/kv-indexeddb";
import { RemoteFs } from "../src/host/filesystem/remote";
import { CHUNK_SIZE, ROOT_INO, Vfs, type VfsApi } from "../src/host/filesystem/vfs";
import { workspaceDbName } from "../src/host/filesystem/workspace";
import { median } from "./measure";

const MiB = 1024 * 1024;

/** `data` (1 MiB) is made before the clock starts: filling it took 20 ms, most of what `in_memory` was. */
async function writeSyncRead1MiB(vfs: VfsApi, data: Uint8Array): Promise<void> {
  const f = await vfs.openAt(ROOT_INO, "one-mib.bin", false, { create: true, truncate: true }, true);
  // Written as a guest's write-via-stream does: 64 KiB per operation, then sync (durable on disk).
  for (let off = 0; off < MiB; off += 64 * 1024) await vfs.write(f.ino, off, data.subarray(off, off + 64 * 1024));
  await vfs.sync();
  const back = await vfs.read(f.ino, 0, MiB);
  if (back.length !== MiB || back[MiB - 1] !== ((MiB - 1) & 0xff)) throw new Error("1 MiB read back wrong");
}

async function createStat1000(vfs: VfsApi): Promise<void> {
  await vfs.createDirectoryAt(ROOT_INO, "many").catch(() => undefined);
  for (let i = 0; i < 1000; i++) {
    const f = await vfs.openAt(ROOT_INO, `many/f${i}.txt`, false, { create: true, truncate: true }, true);
    await vfs.write(f.ino, 0, Uint8Array.of(i & 0xff));
  }
  for (let i = 0; i < 1000; i++) if ((await vfs.statAt(ROOT_INO, `many/f${i}.txt`, false)).size !== 1) throw new Error("stat wrong");
}

/**
 * The same files, created and written as a guest with many operations in flight does (WASI 0.3
 * calls are async): each operation is still acknowledged only after the transaction holding it
 * commits, but the ones that arrive while a commit is in flight share the next one (group commit).
 */
async function createStat1000InFlight(vfs: VfsApi): Promise<void> {
  await vfs.createDirectoryAt(ROOT_INO, "many").catch(() => undefined);
  const indices = Array.from({ length: 1000 }, (_, i) => i);
  await Promise.all(
    indices.map(async (i) => {
      const f = await vfs.openAt(ROOT_INO, `many/f${i}.txt`, false, { create: true, truncate: true }, true);
      await vfs.write(f.ino, 0, Uint8Array.of(i & 0xff));
    }),
  );
  const sizes = await Promise.all(indices.map((i) => vfs.statAt(ROOT_INO, `many/f${i}.txt`, false)));
  if (sizes.some((st) => st.size !== 1)) throw new Error("stat wrong");
}

/**
 * `idb_floor`: the commits a benchmark's operations must make, each with the puts the Vfs makes
 * for it, straight on IndexedDB and nothing else (no Vfs, no fs-owner, no messages): the least
 * that acknowledging every operation after its own commit can cost. Reads and stats add none
 * (the fs-owner answers them from memory).
 */
async function commitFloor(metric: string, kv: KvStore, data: Uint8Array): Promise<void> {
  const commit = (puts: Array<[KvKey, unknown]>, durable = false) =>
    kv.tx(
      "readwrite",
      async (tx) => {
        for (const [key, value] of puts) tx.put(key, value);
      },
      { durable },
    );
  const node = (ino: number, size: number) => ({ ino, type: "regular-file", size, nlink: 1, atime: 1n, mtime: 1n, ctime: 1n });
  const sb = (nextIno: number) => ({ version: 2, nextIno, id: 1 });
  // Open with create: the superblock, the inode, the name, the folder's times.
  const create = (dir: number, ino: number, name: string) =>
    commit([
      [["meta", "sb"], sb(ino + 1)],
      [["ino", ino], node(ino, 0)],
      [["dent", dir, name], ino],
      [["ino", dir], { ...node(dir, 0), type: "directory", nlink: 2 }],
    ]);
  if (metric === "fs_write_sync_read_1mib") {
    await create(ROOT_INO, 2, "one-mib.bin");
    for (let i = 0; i * CHUNK_SIZE < MiB; i++) {
      await commit([
        [["chunk", 2, i], data.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)],
        [["ino", 2], node(2, (i + 1) * CHUNK_SIZE)],
      ]);
    }
    await commit([[["meta", "sb"], sb(3)]], true);
    return;
  }
  for (let i = 0; i < 1000; i++) {
    await create(2, i + 3, `f${i}.txt`);
    await commit([
      [["chunk", i + 3, 0], Uint8Array.of(i & 0xff)],
      [["ino", i + 3], node(i + 3, 1)],
    ]);
  }
}

/** An fs-owner in a worker of its own (as the page's SharedWorker is) and a run's connection to it. */
async function ownerSession(workspace: string): Promise<{ fs: VfsApi; done: () => void }> {
  const worker = new Worker(new URL("../workers/fs-owner.worker.ts", import.meta.url), { type: "module", name: "bench-fs-owner" });
  const ch = new MessageChannel();
  await wrap<FsApi>(worker).attachRun(transfer(ch.port1, [ch.port1]));
  const remote = await RemoteFs.connect(ch.port2);
  const fs = remote.session(workspace);
  await fs.id();
  return {
    fs,
    done: () => {
      remote.close();
      worker.terminate();
    },
  };
}

export async function fsBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
  const out: Record<string, { ours: number; in_memory: number; idb_direct: number; idb_floor?: number; samples: number }> = {};
  const data = new Uint8Array(MiB).map((_, i) => i & 0xff);
  for (const [metric, work] of [
    ["fs_write_sync_read_1mib", (vfs: VfsApi) => writeSyncRead1MiB(vfs, data)],
    ["fs_create_stat_1000", createStat1000],
    ["fs_create_stat_1000_in_flight", createStat1000InFlight],
  ] as const) {
    const owner: number[] = [];
    const direct: number[] = [];
    const mem: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < reps; i++) {
      const name = `bench-${metric}-${i}-${Date.now()}`;
      const session = await ownerSession(name);
      owner.push(await time(() => work(session.fs)));
      session.done();
      indexedDB.deleteDatabase(workspaceDbName(name));
      const store = await openIndexedDbKv(`${name}-direct`);
      const vfs = await Vfs.open(store);
      direct.push(await time(() => work(vfs)));
      store.close();
      indexedDB.deleteDatabase(`${name}-direct`);
      const memVfs = await Vfs.open(new MemoryKv());
      mem.push(await time(() => work(memVfs)));
      if (metric === "fs_create_stat_1000_in_flight") continue;
      const raw = await openIndexedDbKv(`${name}-floor`);
      floor.push(await time(() => commitFloor(metric, raw, data)));
      raw.close();
      indexedDB.deleteDatabase(`${name}-floor`);
    }
    out[metric] = { ours: median(owner), in_memory: median(mem), idb_direct: median(direct), ...(floor.length ? { idb_floor: median(floor) } : {}), samples: reps };
  }
  return out;
}
