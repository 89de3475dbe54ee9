/** The fs-owner's sessions: write leases for truncating writers, and orphans kept while held. */
import { describe, expect, it } from "vitest";
import { FsError } from "./errors";
import { MemoryKv, type KvStore, type KvTx } from "./kv";
import { FsOwner } from "./owner";
import { ROOT_INO, Vfs } from "./vfs";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function workspace() {
  const owner = new FsOwner((_name, onChange) => Vfs.open(new MemoryKv(), { onChange }));
  return owner.workspace("test");
}

const TRUNC = { create: true, truncate: true };
const settled = () => new Promise((r) => setTimeout(r, 0));

describe("write leases", () => {
  it("a second truncating writer waits until the first drops its descriptor, then truncates", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    const fa = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    await a.write(fa.ino, 0, enc("from a, longer"));
    let bOpened = false;
    const fb = b.openAt(ROOT_INO, "f", false, TRUNC, true).then((n) => ((bOpened = true), n));
    await settled();
    expect(bOpened).toBe(false);
    await a.write(fa.ino, "append", enc("!"));
    a.release(fa.ino);
    const node = await fb;
    expect(node.size).toBe(0);
    await b.write(node.ino, 0, enc("from b"));
    expect(dec(await b.read(node.ino, 0, 100))).toBe("from b");
  });

  it("readers and non-truncating writers never wait; the holder may open the file again", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    const fa = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    await b.openAt(ROOT_INO, "f", false, {}, false);
    await b.openAt(ROOT_INO, "f", false, { create: true }, true);
    const again = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    expect(again.ino).toBe(fa.ino);
  });

  it("closing a session lets the next writer in; the Files panel's save says busy instead of waiting", async () => {
    const ws = await workspace();
    const [run, ui, next] = [ws.session(), ws.session(), ws.session()];
    await run.openAt(ROOT_INO, "f", false, TRUNC, true);
    await expect(ui.writeFileAt(ROOT_INO, "f", enc("edited"))).rejects.toThrow(/busy: 'f' is being written by a running component/);
    const waiting = next.openAt(ROOT_INO, "f", false, TRUNC, true);
    run.close();
    await waiting;
    await ui.writeFileAt(ROOT_INO, "g", enc("another file is fine"));
  });
});

describe("orphans", () => {
  it("a removed file stays while any session holds it, and goes when the last lets go", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    await a.writeFileAt(ROOT_INO, "f", enc("kept"));
    const fa = await a.openAt(ROOT_INO, "f", false, {}, false);
    await b.unlinkFileAt(ROOT_INO, "f");
    await settled();
    expect(dec(await a.read(fa.ino, 0, 10))).toBe("kept");
    a.release(fa.ino);
    await settled();
    await expect(a.stat(fa.ino)).rejects.toThrow("bad-descriptor");
  });

  it("a file nobody holds is freed as soon as its last name goes", async () => {
    const ws = await workspace();
    const s = ws.session();
    await s.writeFileAt(ROOT_INO, "f", enc("x"));
    const ino = (await s.statAt(ROOT_INO, "f", false)).ino;
    await s.unlinkFileAt(ROOT_INO, "f");
    await settled();
    await expect(s.stat(ino)).rejects.toThrow("bad-descriptor");
  });

  it("closing a session (its run ended, or its worker died) lets go of everything it held", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    await a.writeFileAt(ROOT_INO, "f", enc("x"));
    const f = await a.openAt(ROOT_INO, "f", false, {}, false);
    await a.openAt(ROOT_INO, "f", false, {}, false);
    await b.unlinkFileAt(ROOT_INO, "f");
    a.close();
    await settled();
    await expect(b.stat(f.ino)).rejects.toThrow("bad-descriptor");
    await expect(a.stat(f.ino)).rejects.toThrow("the session was closed");
  });
});

/**
 * A store at its quota, as Chromium's IndexedDB is: once `full`, a transaction that puts anything
 * is refused (QuotaExceededError, insufficient-space here); one made only of deletes commits.
 */
class AtQuota implements KvStore {
  full = false;
  readonly inner = new MemoryKv();
  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>): Promise<T> {
    return this.inner.tx(mode, async (tx) => {
      let puts = 0;
      const result = await fn({ ...tx, put: (k, v) => (puts++, tx.put(k, v)) });
      if (this.full && puts > 0) throw new FsError("insufficient-space");
      return result;
    });
  }
  close(): void {}
}

describe("a full store", () => {
  async function fullWorkspace() {
    const store = new AtQuota();
    const ws = await new FsOwner((_name, onChange) => Vfs.open(store, { onChange })).workspace("test");
    const s = ws.session();
    await s.writeFileAt(ROOT_INO, "big", new Uint8Array(200_000).fill(7));
    await s.writeFileAt(ROOT_INO, "keep", enc("kept"));
    store.full = true;
    return { store, ws, s };
  }

  it("removing a file nobody holds frees its space: name, inode and data go with deletes alone", async () => {
    const { store, s } = await fullWorkspace();
    await expect(s.writeFileAt(ROOT_INO, "more", enc("x"))).rejects.toThrow(/insufficient-space/);
    const big = (await s.statAt(ROOT_INO, "big", false)).ino;
    await s.unlinkFileAt(ROOT_INO, "big");
    const keys = (await store.inner.tx("readonly", (tx) => tx.entries<unknown>([]))).map(([k]) => k);
    expect(keys.filter((k) => k[1] === big)).toEqual([]);
    expect(keys.some((k) => k[0] === "dent" && k[2] === "big")).toBe(false);
    expect((await s.readDirectory(ROOT_INO)).map((e) => e.name)).toEqual(["keep"]);
    expect(dec(await s.read((await s.statAt(ROOT_INO, "keep", false)).ino, 0, 10))).toBe("kept");
    // Room again: the next write goes through, and the directory's times are updated.
    store.full = false;
    await s.writeFileAt(ROOT_INO, "more", enc("x"));
  });

  it("a file held open, or with another name, cannot go at once: the guest still gets insufficient-space", async () => {
    const { store, ws, s } = await fullWorkspace();
    const reader = ws.session();
    const held = await reader.openAt(ROOT_INO, "big", false, {}, false);
    await expect(s.unlinkFileAt(ROOT_INO, "big")).rejects.toThrow(/insufficient-space/);
    reader.release(held.ino);
    store.full = false;
    await s.linkAt(ROOT_INO, "big", false, ROOT_INO, "alias");
    store.full = true;
    await expect(s.unlinkFileAt(ROOT_INO, "big")).rejects.toThrow(/insufficient-space/);
    expect((await s.readDirectory(ROOT_INO)).map((e) => e.name).sort()).toEqual(["alias", "big", "keep"]);
  });
});
