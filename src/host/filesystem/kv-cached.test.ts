/** The owner's store: what reaches the inner store, group commit, and memory never running ahead of it. */
import { describe, expect, it } from "vitest";
import { FsError } from "./errors";
import { MemoryKv, type KvKey, type KvStore, type KvTx } from "./kv";
import { CachedKv, CHUNK_CACHE_BYTES } from "./kv-cached";
import { METADATA, ROOT_INO, Vfs } from "./vfs";

/**
 * MemoryKv that counts transactions, reads and commits, can take `delay` ms to commit (as
 * IndexedDB takes a round trip), and can be made to fail its next commit.
 */
class Counting implements KvStore {
  txs = 0;
  reads = 0;
  /** The keys put, in order (as JSON). */
  puts: string[] = [];
  commits = 0;
  delay = 0;
  failNext: Error | undefined;
  constructor(readonly inner = new MemoryKv()) {}
  async tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>): Promise<T> {
    this.txs++;
    const fail = this.failNext;
    this.failNext = undefined;
    const r = await this.inner.tx(mode, async (tx) => {
      const counted: KvTx = {
        ...tx,
        get: <V>(key: KvKey) => (this.reads++, tx.get<V>(key)),
        entries: <V>(prefix: KvKey) => (this.reads++, tx.entries<V>(prefix)),
        put: (key: KvKey, value: unknown) => (this.puts.push(JSON.stringify(key)), tx.put(key, value)),
      };
      const r = await fn(counted);
      if (this.delay) await new Promise((done) => setTimeout(done, this.delay));
      if (fail) throw fail;
      return r;
    });
    this.commits++;
    return r;
  }
  close(): void {}
}

const tick = () => new Promise((r) => setTimeout(r, 0));

const enc = (s: string) => new TextEncoder().encode(s);

async function setup(store = new Counting()) {
  const kv = await CachedKv.open(store, METADATA);
  const vfs = await Vfs.open(kv);
  store.txs = 0;
  store.reads = 0;
  store.commits = 0;
  return { store, vfs, kv };
}

describe("CachedKv", () => {
  it("answers metadata reads from memory: stat and path lookups reach no store", async () => {
    const { store, vfs } = await setup();
    await vfs.createDirectoryAt(ROOT_INO, "d");
    await vfs.openAt(ROOT_INO, "d/f", false, { create: true }, true);
    const writes = store.txs;
    expect(store.reads).toBe(0); // creating needed no reads either: one write-only commit each
    expect(writes).toBe(2);
    expect((await vfs.statAt(ROOT_INO, "d/f", false)).type).toBe("regular-file");
    expect((await vfs.readDirectory((await vfs.statAt(ROOT_INO, "d", false)).ino)).map((e) => e.name)).toEqual(["f"]);
    expect(store.txs).toBe(writes);
  });

  it("file data goes to the store and stays in memory; a chunk memory lacks is read from the store once", async () => {
    const { store, vfs } = await setup();
    const f = await vfs.openAt(ROOT_INO, "f", false, { create: true }, true);
    store.reads = 0;
    await vfs.write(f.ino, 0, enc("hello"));
    await vfs.write(f.ino, 1, enc("EL")); // a partial overwrite needs the old chunk: memory has it
    expect(new TextDecoder().decode(await vfs.read(f.ino, 0, 10))).toBe("hELlo");
    expect(store.reads).toBe(0);
    // A fresh owner over the same store has no chunk in memory yet.
    const cold = await setup(new Counting(store.inner));
    expect(new TextDecoder().decode(await cold.vfs.read(f.ino, 0, 10))).toBe("hELlo");
    expect(cold.store.reads).toBe(1);
    expect(new TextDecoder().decode(await cold.vfs.read(f.ino, 0, 10))).toBe("hELlo");
    expect(cold.store.reads).toBe(1);
  });

  it(`holds at most ${CHUNK_CACHE_BYTES / 1024 / 1024} MiB of file data; what it dropped comes from the store`, async () => {
    const { store, vfs, kv } = await setup();
    const MiB = 1024 * 1024;
    const files = CHUNK_CACHE_BYTES / MiB + 4;
    for (let i = 0; i < files; i++) await vfs.writeFileAt(ROOT_INO, `f${i}`, new Uint8Array(MiB).fill(i));
    expect(kv.cachedChunkBytes).toBeLessThanOrEqual(CHUNK_CACHE_BYTES);
    expect(kv.cachedChunkBytes).toBeGreaterThan(CHUNK_CACHE_BYTES / 2);
    store.reads = 0;
    const first = await vfs.read((await vfs.statAt(ROOT_INO, "f0", false)).ino, 0, MiB);
    expect(first.every((b) => b === 0)).toBe(true);
    expect(store.reads).toBeGreaterThan(0);
    const last = await vfs.read((await vfs.statAt(ROOT_INO, `f${files - 1}`, false)).ino, 0, MiB);
    expect(last.every((b) => b === files - 1)).toBe(true);
  });

  it("memory never serves bytes a truncate, a replace or a reset removed", async () => {
    const { vfs } = await setup();
    const f = await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
    await vfs.write(f.ino, 0, enc("old bytes"));
    await vfs.setSize(f.ino, 3);
    await vfs.setSize(f.ino, 9);
    expect(await vfs.read(f.ino, 0, 9)).toEqual(new Uint8Array([...enc("old"), 0, 0, 0, 0, 0, 0]));
    await vfs.writeFileAt(ROOT_INO, "a", enc("new"));
    expect(new TextDecoder().decode(await vfs.read(f.ino, 0, 9))).toBe("new");
    // After a reset inode numbers start over: the next file gets the same one.
    await vfs.reset();
    const g = await vfs.openAt(ROOT_INO, "b", false, { create: true }, true);
    expect(g.ino).toBe(f.ino);
    await vfs.setSize(g.ino, 3);
    expect(await vfs.read(g.ino, 0, 3)).toEqual(new Uint8Array(3));
  });

  it("a write replaces, and a delete drops, the chunk memory holds: the next read sees the new bytes", async () => {
    const { store, vfs, kv } = await setup();
    const f = await vfs.openAt(ROOT_INO, "c", false, { create: true }, true);
    await vfs.write(f.ino, 0, enc("first"));
    await vfs.write(f.ino, 0, enc("SECOND"));
    store.reads = 0;
    expect(new TextDecoder().decode(await vfs.read(f.ino, 0, 6))).toBe("SECOND");
    // Deleted by key (not by prefix, as a truncate does): memory must not keep it either.
    await kv.tx("readwrite", async (tx) => tx.delete(["chunk", f.ino, 0]));
    expect(await vfs.read(f.ino, 0, 6)).toEqual(new Uint8Array(6));
    expect(store.reads).toBe(1); // the deleted chunk was looked for in the store, not found in memory
  });

  it("shares what it holds instead of copying it, and freezes records so none can drift from the store", async () => {
    const { vfs, kv } = await setup();
    const f = await vfs.openAt(ROOT_INO, "s", false, { create: true }, true);
    await vfs.write(f.ino, 0, enc("bytes"));
    const get = () => kv.tx("readonly", (tx) => tx.get<Uint8Array>(["chunk", f.ino, 0]));
    expect(await get()).toBe(await get());
    const node = (await kv.tx("readonly", (tx) => tx.get<{ size: number }>(["ino", f.ino])))!;
    expect(() => {
      node.size = 0;
    }).toThrow(TypeError);
    expect((await vfs.stat(f.ino)).size).toBe(5);
  });

  it("operations arriving while a commit is in flight commit together in one next transaction, each answered after it", async () => {
    const { store, vfs } = await setup();
    store.delay = 5;
    const seen: number[] = [];
    const answered = (p: Promise<unknown>) => p.then(() => seen.push(store.commits));
    const first = answered(vfs.createDirectoryAt(ROOT_INO, "d"));
    await tick(); // the first commit is in flight
    const rest = Array.from({ length: 5 }, (_, i) => answered(vfs.openAt(ROOT_INO, `f${i}`, false, { create: true }, true)));
    // Until the directory is committed (and answered), nobody sees it: not even this lookup.
    await expect(vfs.statAt(ROOT_INO, "d", false)).rejects.toThrow("no-entry");
    await Promise.all([first, ...rest]);
    expect(store.txs).toBe(2);
    expect(seen).toEqual([1, 2, 2, 2, 2, 2]);
    const fromStore = await Vfs.open(store.inner);
    expect((await fromStore.readDirectory(ROOT_INO)).map((e) => e.name)).toEqual(["d", "f0", "f1", "f2", "f3", "f4"]);
  });

  it("a batch puts each key once: many creates in one folder write the superblock and the folder once", async () => {
    const { store, vfs } = await setup();
    await vfs.createDirectoryAt(ROOT_INO, "d");
    const d = (await vfs.statAt(ROOT_INO, "d", false)).ino;
    store.delay = 5;
    store.commits = 0;
    const first = vfs.openAt(ROOT_INO, "first", false, { create: true }, true);
    await tick(); // committing: the ten below wait for it, then share one batch
    store.puts = [];
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => vfs.openAt(ROOT_INO, `d/f${i}`, false, { create: true }, true)));
    await first;
    expect(store.commits).toBe(2);
    expect(store.puts.filter((k) => k === '["meta","sb"]')).toHaveLength(1);
    expect(store.puts.filter((k) => k === JSON.stringify(["ino", d]))).toHaveLength(1);
    expect(store.puts).toHaveLength(1 + 1 + 10 + 10); // superblock, folder, and each file's inode and name
    // The store holds what memory says: every name, the folder's time, the next inode number.
    const fromStore = await Vfs.open(store.inner);
    expect((await fromStore.readDirectory(d)).map((e) => e.name)).toEqual(created.map((_, i) => `f${i}`));
    expect((await fromStore.statAt(ROOT_INO, "d", false)).mtime).toBe((await vfs.statAt(ROOT_INO, "d", false)).mtime);
    const next = await fromStore.openAt(ROOT_INO, "next", false, { create: true }, true);
    expect(next.ino).toBe(Math.max(...created.map((n) => n.ino)) + 1);
  });

  it("a batch that puts, deletes by prefix and puts again leaves the store and memory as the writes in order would", async () => {
    const { store, kv } = await setup();
    store.delay = 5;
    const put = (i: number, v: string) => kv.tx("readwrite", async (tx) => tx.put(["chunk", 5, i], v));
    const blocker = put(9, "blocker");
    await tick();
    await Promise.all([put(0, "a"), put(2, "x"), kv.tx("readwrite", async (tx) => tx.deletePrefix(["chunk", 5])), put(1, "c"), put(0, "d")]);
    await blocker;
    const want = [
      [["chunk", 5, 0], "d"],
      [["chunk", 5, 1], "c"],
    ];
    expect(await store.inner.tx("readonly", (tx) => tx.entries(["chunk", 5]))).toEqual(want);
    store.reads = 0;
    expect(await kv.tx("readonly", async (tx) => [await tx.get(["chunk", 5, 0]), await tx.get(["chunk", 5, 1])])).toEqual(["d", "c"]);
    expect(store.reads).toBe(0);
  });

  it("a write runs again in its batch when what it read changed since it first ran, and only then", async () => {
    const { store, kv } = await setup();
    store.delay = 5;
    let runs = 0;
    const increment = () =>
      kv.tx("readwrite", async (tx) => {
        runs++;
        const n = ((await tx.get<number>(["meta", "n"])) ?? 0) + 1;
        tx.put(["meta", "n"], n);
        return n;
      });
    expect(await increment()).toBe(1);
    expect(runs).toBe(1); // nothing committed meanwhile: its first run is the one committed
    runs = 0;
    const first = increment();
    await tick(); // committing
    const more = [increment(), increment()];
    expect(await Promise.all([first, ...more])).toEqual([2, 3, 4]);
    expect(runs).toBe(5); // the two behind the commit ran again over its result
  });

  it("an operation that fails in a batch leaves none of its writes; the others in the batch land", async () => {
    const { store, vfs } = await setup();
    const results = await Promise.allSettled([
      vfs.openAt(ROOT_INO, "z", false, { create: true, exclusive: true }, true),
      vfs.openAt(ROOT_INO, "z", false, { create: true, exclusive: true }, true),
      vfs.openAt(ROOT_INO, "w", false, { create: true, exclusive: true }, true),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("exist");
    expect(store.txs).toBe(1);
    // The failed one allocated an inode in its own writes; they were dropped, so numbers run on.
    const [z, , w] = results.map((r) => (r.status === "fulfilled" ? r.value.ino : 0));
    expect(w).toBe(z! + 1);
    expect((await Vfs.open(store.inner).then((v) => v.statAt(ROOT_INO, "w", false))).ino).toBe(w);
  });

  it("a commit that fails fails every operation in its batch", async () => {
    const { store, vfs } = await setup();
    store.failNext = new FsError("insufficient-space");
    const results = await Promise.allSettled([vfs.createDirectoryAt(ROOT_INO, "p"), vfs.openAt(ROOT_INO, "q", false, { create: true }, true)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(store.txs).toBe(1);
    for (const path of ["p", "q"]) await expect(vfs.statAt(ROOT_INO, path, false)).rejects.toThrow("no-entry");
  });

  it("a commit that fails leaves memory as it was", async () => {
    const { store, vfs } = await setup();
    store.failNext = new FsError("insufficient-space");
    await expect(vfs.openAt(ROOT_INO, "lost", false, { create: true }, true)).rejects.toThrow("insufficient-space");
    await expect(vfs.statAt(ROOT_INO, "lost", false)).rejects.toThrow("no-entry");
    await vfs.openAt(ROOT_INO, "kept", false, { create: true }, true);
    // The same inode number is handed out again: the failed allocation never happened.
    const reopened = await Vfs.open(store.inner);
    expect((await reopened.statAt(ROOT_INO, "kept", false)).ino).toBe((await vfs.statAt(ROOT_INO, "kept", false)).ino);
  });

  it("memory and store agree after a mix of operations", async () => {
    const { store, vfs } = await setup();
    await vfs.createDirectoryAt(ROOT_INO, "a");
    await vfs.writeFileAt(ROOT_INO, "a/x", enc("1".repeat(70_000)));
    await vfs.linkAt(ROOT_INO, "a/x", false, ROOT_INO, "y");
    await vfs.renameAt(ROOT_INO, "a", ROOT_INO, "b");
    await vfs.unlinkFileAt(ROOT_INO, "y");
    await vfs.setSize((await vfs.statAt(ROOT_INO, "b/x", false)).ino, 5);
    const fromStore = await Vfs.open(store.inner);
    for (const path of ["b", "b/x"]) expect(await fromStore.statAt(ROOT_INO, path, false)).toEqual(await vfs.statAt(ROOT_INO, path, false));
    await expect(fromStore.statAt(ROOT_INO, "y", false)).rejects.toThrow("no-entry");
  });
});
