/** The owner's metadata cache: what reaches the store, and that memory never runs ahead of it. */
import { describe, expect, it } from "vitest";
import { FsError } from "./errors";
import { MemoryKv, type KvKey, type KvStore, type KvTx } from "./kv";
import { CachedKv } from "./kv-cached";
import { METADATA, ROOT_INO, Vfs } from "./vfs";

/** MemoryKv that counts transactions and reads, and can be made to fail its next commit. */
class Counting implements KvStore {
  readonly inner = new MemoryKv();
  txs = 0;
  reads = 0;
  failNext: Error | undefined;
  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>): Promise<T> {
    this.txs++;
    const fail = this.failNext;
    this.failNext = undefined;
    return this.inner.tx(mode, async (tx) => {
      const counted: KvTx = {
        ...tx,
        get: <V>(key: KvKey) => (this.reads++, tx.get<V>(key)),
        entries: <V>(prefix: KvKey) => (this.reads++, tx.entries<V>(prefix)),
      };
      const r = await fn(counted);
      if (fail) throw fail;
      return r;
    });
  }
  close(): void {}
}

const enc = (s: string) => new TextEncoder().encode(s);

async function setup() {
  const store = new Counting();
  const vfs = await Vfs.open(await CachedKv.open(store, METADATA));
  store.txs = 0;
  store.reads = 0;
  return { store, vfs };
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

  it("file data goes to the store; a new file's first write reads nothing", async () => {
    const { store, vfs } = await setup();
    const f = await vfs.openAt(ROOT_INO, "f", false, { create: true }, true);
    store.reads = 0;
    await vfs.write(f.ino, 0, enc("hello"));
    expect(store.reads).toBe(0);
    await vfs.write(f.ino, 1, enc("EL")); // a partial overwrite must read the old chunk
    expect(store.reads).toBe(1);
    expect(new TextDecoder().decode(await vfs.read(f.ino, 0, 10))).toBe("hELlo");
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
