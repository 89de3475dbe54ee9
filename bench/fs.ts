/** Filesystem benchmarks: the same Vfs work on IndexedDB (what runs use) and on the in-memory backend. */
import { MemoryKv, type KvStore } from "../src/host/filesystem/kv";
import { openIndexedDbKv } from "../src/host/filesystem/kv-indexeddb";
import { ROOT_INO, Vfs } from "../src/host/filesystem/vfs";

const MiB = 1024 * 1024;

async function writeSyncRead1MiB(store: KvStore): Promise<void> {
  const vfs = await Vfs.open(store);
  const data = new Uint8Array(MiB).map((_, i) => i & 0xff);
  const f = await vfs.openAt(ROOT_INO, "one-mib.bin", false, { create: true, truncate: true }, true);
  // Written as a guest's write-via-stream does: 64 KiB per operation, then sync (durable on disk).
  for (let off = 0; off < MiB; off += 64 * 1024) await vfs.write(f.ino, off, data.subarray(off, off + 64 * 1024));
  await vfs.sync();
  const back = await vfs.read(f.ino, 0, MiB);
  if (back.length !== MiB || back[MiB - 1] !== ((MiB - 1) & 0xff)) throw new Error("1 MiB read back wrong");
}

async function createStat1000(store: KvStore): Promise<void> {
  const vfs = await Vfs.open(store);
  await vfs.createDirectoryAt(ROOT_INO, "many").catch(() => undefined);
  for (let i = 0; i < 1000; i++) {
    const f = await vfs.openAt(ROOT_INO, `many/f${i}.txt`, false, { create: true, truncate: true }, true);
    await vfs.write(f.ino, 0, Uint8Array.of(i & 0xff));
  }
  for (let i = 0; i < 1000; i++) if ((await vfs.statAt(ROOT_INO, `many/f${i}.txt`, false)).size !== 1) throw new Error("stat wrong");
}

export async function fsBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, { ours: number; in_memory: number; samples: number }> = {};
  for (const [metric, work] of [
    ["fs_write_sync_read_1mib", writeSyncRead1MiB],
    ["fs_create_stat_1000", createStat1000],
  ] as const) {
    const idb: number[] = [];
    const mem: number[] = [];
    for (let i = 0; i < reps; i++) {
      const name = `bench-${metric}-${i}-${Date.now()}`;
      const store = await openIndexedDbKv(name);
      idb.push(await time(() => work(store)));
      store.close();
      indexedDB.deleteDatabase(name);
      mem.push(await time(() => work(new MemoryKv())));
    }
    out[metric] = { ours: median(idb), in_memory: median(mem), samples: reps };
  }
  return out;
}
