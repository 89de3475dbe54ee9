import { describe, expect, it } from "vitest";
import { FsError } from "./errors";
import { MemoryKv, type KvStore } from "./kv";
import { CachedKv } from "./kv-cached";
import { CHUNK_SIZE, METADATA, ROOT_INO, Vfs, VfsVersionError } from "./vfs";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
};

// Every behaviour holds on the plain store and with the owner's metadata cache in front of it.
const backends: Array<[string, (inner: MemoryKv) => Promise<KvStore>]> = [
  ["MemoryKv", async (inner) => inner],
  ["CachedKv over MemoryKv", (inner) => CachedKv.open(inner, METADATA)],
];

describe.each(backends)("Vfs on %s", (_name, wrap) => {
  async function fresh() {
    const kv = new MemoryKv();
    return { kv, vfs: await Vfs.open(await wrap(kv)) };
  }

  describe("Vfs files", () => {
    it("creates, writes across chunk boundaries, reads back and truncates", async () => {
      const { vfs } = await fresh();
      const f = await vfs.openAt(ROOT_INO, "a.bin", false, { create: true }, true);
      const big = new Uint8Array(CHUNK_SIZE * 2 + 10).map((_, i) => i % 251);
      await vfs.write(f.ino, 5, big);
      expect((await vfs.stat(f.ino)).size).toBe(big.length + 5);
      expect(await vfs.read(f.ino, 5, big.length)).toEqual(big);
      expect(await vfs.read(f.ino, 0, 5)).toEqual(new Uint8Array(5));
      await vfs.setSize(f.ino, CHUNK_SIZE + 1);
      expect((await vfs.read(f.ino, 0, 1e9)).length).toBe(CHUNK_SIZE + 1);
      await vfs.setSize(f.ino, CHUNK_SIZE + 100);
      const tail = await vfs.read(f.ino, CHUNK_SIZE + 1, 99);
      expect(tail.every((b) => b === 0)).toBe(true);
    });

    it("appends and opens with truncate / exclusive", async () => {
      const { vfs } = await fresh();
      const f = await vfs.openAt(ROOT_INO, "log", false, { create: true }, true);
      await vfs.write(f.ino, "append", enc("ab"));
      await vfs.write(f.ino, "append", enc("cd"));
      expect(dec(await vfs.read(f.ino, 0, 10))).toBe("abcd");
      expect(await code(vfs.openAt(ROOT_INO, "log", false, { create: true, exclusive: true }, true))).toBe("exist");
      const t = await vfs.openAt(ROOT_INO, "log", false, { truncate: true }, true);
      expect(t.size).toBe(0);
      expect(await code(vfs.openAt(ROOT_INO, "missing", false, {}, false))).toBe("no-entry");
      expect(await code(vfs.openAt(ROOT_INO, "log", false, { directory: true }, false))).toBe("not-directory");
    });
  });

  describe("Vfs directories and paths", () => {
    it("mkdir, readdir in name order, rmdir only when empty", async () => {
      const { vfs } = await fresh();
      await vfs.createDirectoryAt(ROOT_INO, "d");
      await vfs.openAt(ROOT_INO, "d/z", false, { create: true }, true);
      await vfs.openAt(ROOT_INO, "d/a", false, { create: true }, true);
      const d = await vfs.statAt(ROOT_INO, "d", false);
      expect((await vfs.readDirectory(d.ino)).map((e) => e.name)).toEqual(["a", "z"]);
      expect(await code(vfs.createDirectoryAt(ROOT_INO, "d"))).toBe("exist");
      expect(await code(vfs.removeDirectoryAt(ROOT_INO, "d"))).toBe("not-empty");
      expect(await code(vfs.removeDirectoryAt(ROOT_INO, "d/a"))).toBe("not-directory");
      expect(await code(vfs.unlinkFileAt(ROOT_INO, "d"))).toBe("is-directory");
      await vfs.unlinkFileAt(ROOT_INO, "d/a");
      await vfs.unlinkFileAt(ROOT_INO, "d/z");
      await vfs.removeDirectoryAt(ROOT_INO, "d");
      expect(await vfs.readDirectory(ROOT_INO)).toEqual([]);
    });

    it("never climbs out of the starting directory", async () => {
      const { vfs } = await fresh();
      await vfs.createDirectoryAt(ROOT_INO, "sub");
      const sub = await vfs.statAt(ROOT_INO, "sub", false);
      expect(await code(vfs.statAt(ROOT_INO, "..", false))).toBe("not-permitted");
      expect(await code(vfs.statAt(sub.ino, "../sub", false))).toBe("not-permitted");
      expect(await code(vfs.statAt(ROOT_INO, "/etc", false))).toBe("not-permitted");
      expect((await vfs.statAt(ROOT_INO, "sub/..", false)).ino).toBe(ROOT_INO);
    });

    it("follows symlinks, refuses absolute targets and stops loops", async () => {
      const { vfs } = await fresh();
      const f = await vfs.openAt(ROOT_INO, "real", false, { create: true }, true);
      await vfs.symlinkAt(ROOT_INO, "real", "link");
      expect((await vfs.statAt(ROOT_INO, "link", true)).ino).toBe(f.ino);
      expect((await vfs.statAt(ROOT_INO, "link", false)).type).toBe("symbolic-link");
      expect(await vfs.readlinkAt(ROOT_INO, "link")).toBe("real");
      await vfs.symlinkAt(ROOT_INO, "loop2", "loop1");
      await vfs.symlinkAt(ROOT_INO, "loop1", "loop2");
      expect(await code(vfs.statAt(ROOT_INO, "loop1", true))).toBe("loop");
      expect(await code(vfs.symlinkAt(ROOT_INO, "/abs", "bad"))).toBe("not-permitted");
      await vfs.symlinkAt(ROOT_INO, "../x", "escape");
      expect(await code(vfs.statAt(ROOT_INO, "escape", true))).toBe("not-permitted");
    });

    it("renames files and directories, replacing where POSIX allows", async () => {
      const { vfs } = await fresh();
      const a = await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
      await vfs.write(a.ino, 0, enc("A"));
      await vfs.openAt(ROOT_INO, "b", false, { create: true }, true);
      await vfs.renameAt(ROOT_INO, "a", ROOT_INO, "b");
      expect(dec(await vfs.read((await vfs.statAt(ROOT_INO, "b", false)).ino, 0, 9))).toBe("A");
      expect(await code(vfs.statAt(ROOT_INO, "a", false))).toBe("no-entry");
      await vfs.createDirectoryAt(ROOT_INO, "d");
      await vfs.createDirectoryAt(ROOT_INO, "d/e");
      expect(await code(vfs.renameAt(ROOT_INO, "d", ROOT_INO, "d/e/f"))).toBe("invalid");
      expect(await code(vfs.renameAt(ROOT_INO, "b", ROOT_INO, "d"))).toBe("is-directory");
      await vfs.renameAt(ROOT_INO, "d/e", ROOT_INO, "e2");
      expect((await vfs.statAt(ROOT_INO, "e2", false)).type).toBe("directory");
    });

    it("hard links share an inode and count links", async () => {
      const { vfs } = await fresh();
      const a = await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
      await vfs.linkAt(ROOT_INO, "a", false, ROOT_INO, "b");
      expect((await vfs.stat(a.ino)).nlink).toBe(2);
      await vfs.unlinkFileAt(ROOT_INO, "a");
      expect((await vfs.statAt(ROOT_INO, "b", false)).nlink).toBe(1);
    });
  });

  describe("Vfs storage", () => {
    it("a failed operation changes nothing", async () => {
      const { kv, vfs } = await fresh();
      const before = kv.size;
      expect(await code(vfs.openAt(ROOT_INO, "missing/x", false, { create: true }, true))).toBe("no-entry");
      expect(kv.size).toBe(before);
    });

    it("refuses a workspace written by a newer layout without touching it", async () => {
      const kv = new MemoryKv();
      await kv.tx("readwrite", async (tx) => tx.put(["meta", "sb"], { version: 99, nextIno: 2 }));
      await expect(Vfs.open(await wrap(kv))).rejects.toThrow(VfsVersionError);
      await expect(Vfs.open(await wrap(kv))).rejects.toThrow(/newer playground/);
    });

    it("refuses a damaged superblock, or files without one, and changes nothing", async () => {
      const kv = new MemoryKv();
      await kv.tx("readwrite", async (tx) => tx.put(["meta", "sb"], "garbage"));
      await expect(Vfs.open(await wrap(kv))).rejects.toThrow(/damaged \(its superblock is unreadable\)/);
      const orphaned = new MemoryKv();
      await orphaned.tx("readwrite", async (tx) => tx.put(["ino", 7], { ino: 7, type: "regular-file", size: 0 }));
      await expect(Vfs.open(await wrap(orphaned))).rejects.toThrow(/holds files but no superblock/);
      expect(orphaned.size).toBe(1);
    });

    it("migrates a layout v1 workspace to v2 in place: same files, and an identity", async () => {
      const kv = new MemoryKv();
      const v1 = await Vfs.open(kv);
      await v1.writeFileAt(ROOT_INO, "kept.txt", enc("from v1"));
      // Back to what layout v1 stored: no identity.
      await kv.tx("readwrite", async (tx) => tx.put(["meta", "sb"], { version: 1, nextIno: (await tx.get<{ nextIno: number }>(["meta", "sb"]))!.nextIno }));
      const v2 = await Vfs.open(await wrap(kv));
      expect(v2.migratedFrom).toBe(1);
      const sb = await kv.tx("readonly", (tx) => tx.get<{ version: number; id: number }>(["meta", "sb"]));
      expect(sb!.version).toBe(2);
      expect(await v2.id()).toBe(sb!.id);
      const node = await v2.statAt(ROOT_INO, "kept.txt", false);
      expect(dec(await v2.read(node.ino, 0, 100))).toBe("from v1");
      const again = await Vfs.open(await wrap(kv));
      expect(again.migratedFrom).toBeUndefined();
      expect(await again.id()).toBe(sb!.id);
    });

    it("reports changes to a listener", async () => {
      const changes: string[] = [];
      const vfs = await Vfs.open(new MemoryKv(), { onChange: (c) => changes.push(c.kind) });
      const f = await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
      await vfs.write(f.ino, 0, enc("x"));
      expect(changes).toEqual(["create", "write"]);
    });
  });

  describe("Vfs orphans (reclaimed by the owner)", () => {
    it("reports a file's last name going as `orphan`; reclaim frees it", async () => {
      const changes: Array<[string, number]> = [];
      const kv = new MemoryKv();
      const vfs = await Vfs.open(await wrap(kv), { onChange: (c) => changes.push([c.kind, c.ino]) });
      const f = await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
      await vfs.write(f.ino, 0, enc("data"));
      await vfs.linkAt(ROOT_INO, "a", false, ROOT_INO, "b");
      await vfs.unlinkFileAt(ROOT_INO, "a");
      expect(changes.filter(([k]) => k === "orphan")).toEqual([]);
      const g = await vfs.openAt(ROOT_INO, "c", false, { create: true }, true);
      await vfs.renameAt(ROOT_INO, "c", ROOT_INO, "b"); // replaces b, the last name of f
      expect(changes.filter(([k]) => k === "orphan")).toEqual([["orphan", f.ino]]);
      expect(dec(await vfs.read(f.ino, 0, 10))).toBe("data");
      expect(await vfs.reclaim(f.ino)).toBe(true);
      expect(await code(vfs.stat(f.ino))).toBe("bad-descriptor");
      expect(await vfs.reclaim(g.ino)).toBe(false);
      expect(await kv.tx("readonly", (tx) => tx.entries(["chunk", f.ino]))).toEqual([]);
    });
  });

  describe("Vfs orphans", () => {
    it("an unlinked file stays usable through its inode until the workspace is reopened", async () => {
      const kv = new MemoryKv();
      const vfs = await Vfs.open(kv);
      const f = await vfs.openAt(ROOT_INO, "tmp", false, { create: true }, true);
      await vfs.write(f.ino, 0, enc("still here"));
      await vfs.unlinkFileAt(ROOT_INO, "tmp");
      expect(await code(vfs.statAt(ROOT_INO, "tmp", false))).toBe("no-entry");
      expect(dec(await vfs.read(f.ino, 0, 100))).toBe("still here");
      const reopened = await Vfs.open(await wrap(kv));
      expect(await code(reopened.stat(f.ino))).toBe("bad-descriptor");
      const left = await kv.tx("readonly", (tx) => tx.entries(["chunk", f.ino]));
      expect(left).toEqual([]);
    });
  });

  describe("Vfs reset", () => {
    it("empties the workspace in one step and keeps reporting changes", async () => {
      const changes: string[] = [];
      const vfs = await Vfs.open(new MemoryKv(), { onChange: (c) => changes.push(c.kind) });
      await vfs.openAt(ROOT_INO, "a", false, { create: true }, true);
      await vfs.reset();
      expect(await vfs.readDirectory(ROOT_INO)).toEqual([]);
      await vfs.openAt(ROOT_INO, "b", false, { create: true }, true);
      expect(changes).toEqual(["create", "remove", "create"]);
    });
  });
});
