/**
 * A POSIX-like virtual filesystem over a KvStore. Every public operation is one transaction, so a
 * run killed at any moment leaves each file as it was before or after each completed operation.
 * Paths are resolved relative to a directory and can never climb above it (capability rules of
 * wasi:filesystem): `..` past the start and absolute paths or symlink targets are `not-permitted`.
 */
import { FsError, fsError } from "./errors";
import type { KvKey, KvStore, KvTx } from "./kv";

export const CHUNK_SIZE = 64 * 1024;
/**
 * The layout version. v1: the first (superblock `{version, nextIno}`). v2: the superblock also
 * holds a random `id`, so metadata hashes stay the same across runs. `Vfs.open` migrates v1.
 */
export const FS_VERSION = 2;
export const ROOT_INO = 1;
const MAX_SYMLINKS = 40;
const MAX_NAME = 255;

export type NodeType = "directory" | "regular-file" | "symbolic-link";

export interface Inode {
  ino: number;
  type: NodeType;
  size: number;
  nlink: number;
  /** Nanoseconds since the Unix epoch. */
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
  /** Symlink target. */
  target?: string;
  /** A directory's parent (directories have exactly one name); absent for the root. */
  parent?: number;
}

interface Superblock {
  version: number;
  nextIno: number;
  /** A random 32-bit identity of the workspace (v2). */
  id: number;
}

const newId = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

export interface OpenFlags {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}

/** What an operation changed, reported after it committed. `orphan`: a file lost its last name. */
export type Change = { kind: "write" | "create" | "remove" | "rename" | "meta" | "orphan"; ino: number };

/**
 * The filesystem operations a run (through its session) and the Files panel use; each is one
 * atomic transaction. `Vfs` implements them over a KvStore; a run in another worker reaches the
 * fs-owner's Vfs through a session with the same methods.
 */
export interface VfsApi {
  stat(ino: number): Promise<Inode>;
  statAt(dir: number, path: string, follow: boolean): Promise<Inode>;
  openAt(dir: number, path: string, follow: boolean, flags: OpenFlags, writable: boolean): Promise<Inode>;
  writeFileAt(dir: number, path: string, data: Uint8Array): Promise<void>;
  read(ino: number, offset: number, length: number): Promise<Uint8Array>;
  write(ino: number, offset: number | "append", data: Uint8Array): Promise<number>;
  setSize(ino: number, size: number): Promise<void>;
  setTimes(dir: number, path: string | null, follow: boolean, atime: bigint | "now" | null, mtime: bigint | "now" | null): Promise<void>;
  readDirectory(ino: number): Promise<Array<{ name: string; type: NodeType; ino: number }>>;
  createDirectoryAt(dir: number, path: string): Promise<void>;
  removeDirectoryAt(dir: number, path: string): Promise<void>;
  unlinkFileAt(dir: number, path: string): Promise<void>;
  symlinkAt(dir: number, target: string, path: string): Promise<void>;
  readlinkAt(dir: number, path: string): Promise<string>;
  linkAt(oldDir: number, oldPath: string, follow: boolean, newDir: number, newPath: string): Promise<void>;
  renameAt(oldDir: number, oldPath: string, newDir: number, newPath: string): Promise<void>;
  sync(): Promise<void>;
  reset(): Promise<void>;
  /** A number that identifies the workspace (stable across runs): salts metadata hashes. */
  id(): Promise<number>;
}

/** The key namespaces that hold metadata (everything but file chunks): what an owner caches. */
export const METADATA: readonly KvKey[] = [["meta"], ["ino"], ["dent"], ["orphan"]];

const K = {
  sb: ["meta", "sb"] as KvKey,
  ino: (n: number): KvKey => ["ino", n],
  dent: (dir: number, name: string): KvKey => ["dent", dir, name],
  dents: (dir: number): KvKey => ["dent", dir],
  chunk: (ino: number, i: number): KvKey => ["chunk", ino, i],
  chunks: (ino: number): KvKey => ["chunk", ino],
  orphan: (ino: number): KvKey => ["orphan", ino],
  orphans: ["orphan"] as KvKey,
};

interface Resolved {
  /** The directory holding the final component; undefined when the path ends in `.` or `..`. */
  parent: number | undefined;
  name: string;
  node: Inode | undefined;
}

export class VfsVersionError extends Error {
  override name = "VfsVersionError";
}

export class Vfs implements VfsApi {
  #id = 0;
  /** The layout version this workspace was migrated from when it was opened, if it was. */
  migratedFrom: number | undefined;

  private constructor(
    readonly store: KvStore,
    private readonly now: () => bigint,
    private readonly onChange: (c: Change) => void,
  ) {}

  /**
   * Opens a workspace, creating an empty root on first use and migrating older layouts (in the
   * same transaction: all or nothing). Orphans left by earlier sessions are reclaimed: whoever
   * opens a workspace must be its only user (the fs-owner, which holds its Web Lock).
   */
  static async open(store: KvStore, opts: { now?: () => bigint; onChange?: (c: Change) => void } = {}): Promise<Vfs> {
    const vfs = new Vfs(store, opts.now ?? (() => BigInt(Date.now()) * 1_000_000n), opts.onChange ?? (() => {}));
    vfs.migratedFrom = await store.tx("readwrite", (tx) => vfs.#mount(tx));
    return vfs;
  }

  async id(): Promise<number> {
    return this.#id;
  }

  /** Empties the workspace and starts it over with an empty root, in one transaction. */
  async reset(): Promise<void> {
    await this.store.tx("readwrite", async (tx) => {
      tx.deletePrefix([]);
      await this.#mount(tx);
    });
    this.onChange({ kind: "remove", ino: ROOT_INO });
  }

  /**
   * Creates an empty root on first use, checks the layout version, migrates, reclaims orphans.
   * Returns the version migrated from, if any.
   */
  async #mount(tx: KvTx): Promise<number | undefined> {
    const sb = await tx.get<Superblock>(K.sb);
    if (!sb) {
      if ((await tx.entries(["ino"])).length > 0) {
        throw new VfsVersionError("this workspace's database is damaged (it holds files but no superblock); nothing was changed");
      }
      const t = this.now();
      this.#id = newId();
      tx.put(K.sb, { version: FS_VERSION, nextIno: ROOT_INO + 1, id: this.#id } satisfies Superblock);
      tx.put(K.ino(ROOT_INO), { ino: ROOT_INO, type: "directory", size: 0, nlink: 2, atime: t, mtime: t, ctime: t } satisfies Inode);
      return undefined;
    }
    if (typeof sb !== "object" || !Number.isInteger(sb.version) || !Number.isInteger(sb.nextIno) || sb.version < 1) {
      throw new VfsVersionError("this workspace's database is damaged (its superblock is unreadable); nothing was changed");
    }
    if (sb.version > FS_VERSION) {
      throw new VfsVersionError(`this workspace was written by a newer playground (layout v${sb.version}, this one reads v${FS_VERSION}); nothing was changed`);
    }
    let migratedFrom: number | undefined;
    if (sb.version === 1) {
      // v1 -> v2: the workspace gets its identity; files, folders and chunks are unchanged.
      tx.put(K.sb, { ...sb, version: 2, id: newId() } satisfies Superblock);
      migratedFrom = 1;
    }
    this.#id = (await tx.get<Superblock>(K.sb))!.id;
    for (const [key] of await tx.entries(K.orphans)) this.#free(tx, key[1] as number);
    return migratedFrom;
  }

  // ---- path resolution ----

  async #node(tx: KvTx, ino: number): Promise<Inode> {
    const n = await tx.get<Inode>(K.ino(ino));
    if (!n) return fsError("bad-descriptor", `inode ${ino} no longer exists`);
    return n;
  }

  async #resolve(tx: KvTx, base: number, path: string, followFinal: boolean): Promise<Resolved> {
    if (path === "") return fsError("no-entry", "empty path");
    if (path.startsWith("/")) return fsError("not-permitted", `absolute path '${path}'`);
    if (path.includes("\0")) return fsError("illegal-byte-sequence");
    const trailingSlash = path.endsWith("/");
    const queue = path.split("/").filter((p) => p !== "");
    const stack = [base];
    let links = 0;
    let baseNode = await this.#node(tx, base);
    if (baseNode.type !== "directory") return fsError("not-directory");
    while (queue.length > 0) {
      const comp = queue.shift()!;
      const last = queue.length === 0;
      if (comp.length > MAX_NAME) return fsError("name-too-long");
      if (comp === ".") {
        if (last) return { parent: undefined, name: ".", node: await this.#node(tx, stack[stack.length - 1]!) };
        continue;
      }
      if (comp === "..") {
        if (stack.length === 1) return fsError("not-permitted", `'${path}' leaves its directory`);
        stack.pop();
        if (last) return { parent: undefined, name: "..", node: await this.#node(tx, stack[stack.length - 1]!) };
        continue;
      }
      const dir = stack[stack.length - 1]!;
      baseNode = await this.#node(tx, dir);
      if (baseNode.type !== "directory") return fsError("not-directory");
      const child = await tx.get<number>(K.dent(dir, comp));
      if (child === undefined) {
        if (last) return { parent: dir, name: comp, node: undefined };
        return fsError("no-entry", `'${comp}' in '${path}'`);
      }
      const node = await this.#node(tx, child);
      if (node.type === "symbolic-link" && (!last || followFinal || trailingSlash)) {
        if (++links > MAX_SYMLINKS) return fsError("loop", `too many symlinks in '${path}'`);
        const target = node.target ?? "";
        if (target.startsWith("/")) return fsError("not-permitted", `symlink to absolute path '${target}'`);
        queue.unshift(...target.split("/").filter((p) => p !== ""));
        if (target.endsWith("/") && last) queue.push(".");
        continue;
      }
      if (last) {
        if (trailingSlash && node.type !== "directory") return fsError("not-directory", `'${path}' is not a directory`);
        return { parent: dir, name: comp, node };
      }
      if (node.type !== "directory") return fsError("not-directory", `'${comp}' in '${path}'`);
      stack.push(child);
    }
    return { parent: undefined, name: ".", node: await this.#node(tx, stack[stack.length - 1]!) };
  }

  async #alloc(tx: KvTx, type: NodeType, extra: Partial<Inode> = {}): Promise<Inode> {
    const sb = (await tx.get<Superblock>(K.sb))!;
    const t = this.now();
    const node: Inode = { ino: sb.nextIno, type, size: 0, nlink: type === "directory" ? 2 : 1, atime: t, mtime: t, ctime: t, ...extra };
    tx.put(K.sb, { ...sb, nextIno: sb.nextIno + 1 });
    tx.put(K.ino(node.ino), node);
    return node;
  }

  #touchDir(tx: KvTx, dir: Inode): void {
    const t = this.now();
    tx.put(K.ino(dir.ino), { ...dir, mtime: t, ctime: t });
  }

  /**
   * Removes one name of a file. At zero links the file becomes an orphan: descriptors still open
   * on it keep working (POSIX semantics). Returns true then; the caller reports it (`orphan`) so
   * the owner reclaims it once no descriptor holds it (`reclaim`), or `Vfs.open` does next time.
   */
  #dropLink(tx: KvTx, node: Inode): boolean {
    tx.put(K.ino(node.ino), { ...node, nlink: Math.max(0, node.nlink - 1), ctime: this.now() });
    if (node.nlink > 1) return false;
    tx.put(K.orphan(node.ino), true);
    return true;
  }

  /** Deletes an inode, its data and its orphan mark (deletes only: this adds no bytes). */
  #free(tx: KvTx, ino: number): void {
    tx.delete(K.orphan(ino));
    tx.delete(K.ino(ino));
    tx.deletePrefix(K.chunks(ino));
  }

  /** Frees an orphan's inode and data; false if it is not an orphan (any more). */
  async reclaim(ino: number): Promise<boolean> {
    return this.store.tx("readwrite", async (tx) => {
      if (!(await tx.get(K.orphan(ino)))) return false;
      this.#free(tx, ino);
      return true;
    });
  }

  // ---- operations (each one transaction) ----

  /** Makes every completed operation durable (wasi:filesystem sync / sync-data). */
  async sync(): Promise<void> {
    await this.store.tx("readwrite", async (tx) => tx.put(K.sb, await tx.get<Superblock>(K.sb)), { durable: true });
  }

  stat(ino: number): Promise<Inode> {
    return this.store.tx("readonly", (tx) => this.#node(tx, ino));
  }

  async statAt(dir: number, path: string, follow: boolean): Promise<Inode> {
    return this.store.tx("readonly", async (tx) => {
      const r = await this.#resolve(tx, dir, path, follow);
      return r.node ?? fsError("no-entry", `'${path}'`);
    });
  }

  /** Opens (and with `create`, creates) `path` under `dir`; returns the inode. */
  async openAt(dir: number, path: string, follow: boolean, flags: OpenFlags, writable: boolean): Promise<Inode> {
    const result = await this.store.tx("readwrite", async (tx) => {
      const r = await this.#resolve(tx, dir, path, follow);
      if (!r.node) {
        if (!flags.create) return fsError("no-entry", `'${path}'`);
        if (flags.directory) return fsError("invalid", "create and directory together");
        if (path.endsWith("/")) return fsError("is-directory", `'${path}'`);
        const parent = await this.#node(tx, r.parent!);
        const node = await this.#alloc(tx, "regular-file");
        tx.put(K.dent(r.parent!, r.name), node.ino);
        this.#touchDir(tx, parent);
        return { node, created: true };
      }
      if (flags.create && flags.exclusive) return fsError("exist", `'${path}'`);
      const node = r.node;
      if (node.type === "symbolic-link") return fsError("loop", `'${path}' is a symlink and symlink-follow is off`);
      if (flags.directory && node.type !== "directory") return fsError("not-directory", `'${path}'`);
      if (node.type === "directory" && (writable || flags.truncate)) return fsError("is-directory", `'${path}'`);
      if (flags.truncate && node.size > 0) {
        tx.deletePrefix(K.chunks(node.ino));
        const t = this.now();
        const truncated = { ...node, size: 0, mtime: t, ctime: t };
        tx.put(K.ino(node.ino), truncated);
        return { node: truncated, created: false };
      }
      return { node, created: false };
    });
    if (result.created) this.onChange({ kind: "create", ino: result.node.ino });
    return result.node;
  }

  /** Creates or replaces `path` with `data` in one transaction (for editors: all or nothing). */
  async writeFileAt(dir: number, path: string, data: Uint8Array): Promise<void> {
    const ino = await this.store.tx("readwrite", async (tx) => {
      const r = await this.#resolve(tx, dir, path, true);
      let node = r.node;
      if (node && node.type !== "regular-file") return fsError("is-directory", `'${path}'`);
      if (!node) {
        if (r.parent === undefined) return fsError("is-directory", `'${path}'`);
        node = await this.#alloc(tx, "regular-file");
        tx.put(K.dent(r.parent, r.name), node.ino);
        this.#touchDir(tx, await this.#node(tx, r.parent));
      }
      tx.deletePrefix(K.chunks(node.ino));
      for (let i = 0; i * CHUNK_SIZE < data.length; i++) tx.put(K.chunk(node.ino, i), data.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE));
      const t = this.now();
      tx.put(K.ino(node.ino), { ...node, size: data.length, mtime: t, ctime: t });
      return node.ino;
    });
    this.onChange({ kind: "write", ino });
  }

  async read(ino: number, offset: number, length: number): Promise<Uint8Array> {
    return this.store.tx("readonly", async (tx) => {
      const node = await this.#node(tx, ino);
      if (node.type === "directory") return fsError("is-directory");
      const end = Math.min(node.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const out = new Uint8Array(end - offset);
      for (let i = Math.floor(offset / CHUNK_SIZE); i * CHUNK_SIZE < end; i++) {
        const chunk = await tx.get<Uint8Array>(K.chunk(ino, i));
        if (!chunk) continue; // a hole reads as zeros
        const start = i * CHUNK_SIZE;
        const from = Math.max(offset, start) - start;
        const to = Math.min(end, start + chunk.length) - start;
        if (to > from) out.set(chunk.subarray(from, to), start + from - offset);
      }
      return out;
    });
  }

  /** Writes `data` at `offset` (or at the end when offset is "append"); returns the new size. */
  async write(ino: number, offset: number | "append", data: Uint8Array): Promise<number> {
    const size = await this.store.tx("readwrite", async (tx) => {
      const node = await this.#node(tx, ino);
      if (node.type === "directory") return fsError("is-directory");
      const at = offset === "append" ? node.size : offset;
      const end = at + data.length;
      for (let i = Math.floor(at / CHUNK_SIZE); i * CHUNK_SIZE < end; i++) {
        const start = i * CHUNK_SIZE;
        // A chunk never holds bytes past the file's size, so when the write covers every byte the
        // chunk may hold (or the file ends before it), its old contents need not be read.
        const covered = start >= node.size || (at <= start && end >= Math.min(node.size, start + CHUNK_SIZE));
        const old = covered ? new Uint8Array(0) : ((await tx.get<Uint8Array>(K.chunk(ino, i))) ?? new Uint8Array(0));
        const len = Math.max(old.length, Math.min(CHUNK_SIZE, end - start));
        const chunk = new Uint8Array(len);
        chunk.set(old);
        const from = Math.max(at, start);
        const to = Math.min(end, start + CHUNK_SIZE);
        chunk.set(data.subarray(from - at, to - at), from - start);
        tx.put(K.chunk(ino, i), chunk);
      }
      const t = this.now();
      const newSize = Math.max(node.size, end);
      tx.put(K.ino(ino), { ...node, size: newSize, mtime: t, ctime: t });
      return newSize;
    });
    this.onChange({ kind: "write", ino });
    return size;
  }

  async setSize(ino: number, size: number): Promise<void> {
    await this.store.tx("readwrite", async (tx) => {
      const node = await this.#node(tx, ino);
      if (node.type === "directory") return fsError("is-directory");
      if (size < node.size) {
        const keep = Math.ceil(size / CHUNK_SIZE);
        for (const [key] of await tx.entries(K.chunks(ino))) if ((key[2] as number) >= keep) tx.delete(key);
        if (size % CHUNK_SIZE !== 0) {
          const last = await tx.get<Uint8Array>(K.chunk(ino, keep - 1));
          if (last && last.length > size % CHUNK_SIZE) tx.put(K.chunk(ino, keep - 1), last.slice(0, size % CHUNK_SIZE));
        }
      }
      const t = this.now();
      tx.put(K.ino(ino), { ...node, size, mtime: t, ctime: t });
    });
    this.onChange({ kind: "write", ino });
  }

  async setTimes(dir: number, path: string | null, follow: boolean, atime: bigint | "now" | null, mtime: bigint | "now" | null): Promise<void> {
    await this.store.tx("readwrite", async (tx) => {
      const node = path === null ? await this.#node(tx, dir) : ((await this.#resolve(tx, dir, path, follow)).node ?? fsError("no-entry", `'${path}'`));
      const t = this.now();
      const pick = (v: bigint | "now" | null, old: bigint) => (v === null ? old : v === "now" ? t : v);
      tx.put(K.ino(node.ino), { ...node, atime: pick(atime, node.atime), mtime: pick(mtime, node.mtime), ctime: t });
    });
  }

  async readDirectory(ino: number): Promise<Array<{ name: string; type: NodeType; ino: number }>> {
    return this.store.tx("readonly", async (tx) => {
      const node = await this.#node(tx, ino);
      if (node.type !== "directory") return fsError("not-directory");
      const out: Array<{ name: string; type: NodeType; ino: number }> = [];
      for (const [key, child] of await tx.entries<number>(K.dents(ino))) {
        const c = await tx.get<Inode>(K.ino(child));
        if (c) out.push({ name: key[2] as string, type: c.type, ino: child });
      }
      return out;
    });
  }

  async createDirectoryAt(dir: number, path: string): Promise<void> {
    const ino = await this.store.tx("readwrite", async (tx) => {
      const r = await this.#resolve(tx, dir, path, false);
      if (r.node) return fsError("exist", `'${path}'`);
      const parent = await this.#node(tx, r.parent!);
      const node = await this.#alloc(tx, "directory", { parent: r.parent! });
      tx.put(K.dent(r.parent!, r.name), node.ino);
      tx.put(K.ino(parent.ino), { ...parent, nlink: parent.nlink + 1, mtime: this.now(), ctime: this.now() });
      return node.ino;
    });
    this.onChange({ kind: "create", ino });
  }

  async removeDirectoryAt(dir: number, path: string): Promise<void> {
    const ino = await this.store.tx("readwrite", async (tx) => {
      const r = await this.#resolve(tx, dir, path, false);
      if (!r.node) return fsError("no-entry", `'${path}'`);
      if (r.parent === undefined) return fsError("invalid", `cannot remove '${path}'`);
      if (r.node.type !== "directory") return fsError("not-directory", `'${path}'`);
      if ((await tx.entries(K.dents(r.node.ino))).length > 0) return fsError("not-empty", `'${path}'`);
      const parent = await this.#node(tx, r.parent);
      tx.delete(K.dent(r.parent, r.name));
      tx.delete(K.ino(r.node.ino));
      tx.put(K.ino(parent.ino), { ...parent, nlink: parent.nlink - 1, mtime: this.now(), ctime: this.now() });
      return r.node.ino;
    });
    this.onChange({ kind: "remove", ino });
  }

  /**
   * `held` says whether a descriptor is open on an inode (the fs-owner knows; without one, assume
   * so). It matters only when storage is full: see `#unlinkToFreeSpace`.
   */
  async unlinkFileAt(dir: number, path: string, held: (ino: number) => boolean = () => true): Promise<void> {
    let result: { ino: number; orphaned: boolean };
    try {
      result = await this.store.tx("readwrite", async (tx) => {
        const r = await this.#resolve(tx, dir, path, false);
        if (!r.node) return fsError("no-entry", `'${path}'`);
        if (r.node.type === "directory" || r.parent === undefined) return fsError("is-directory", `'${path}'`);
        tx.delete(K.dent(r.parent, r.name));
        this.#touchDir(tx, await this.#node(tx, r.parent));
        return { ino: r.node.ino, orphaned: this.#dropLink(tx, r.node) };
      });
    } catch (err) {
      if (!(err instanceof FsError && err.code === "insufficient-space")) throw err;
      const ino = await this.#unlinkToFreeSpace(dir, path, held);
      if (ino === undefined) throw err;
      result = { ino, orphaned: false };
    }
    this.onChange({ kind: "remove", ino: result.ino });
    if (result.orphaned) this.onChange({ kind: "orphan", ino: result.ino });
  }

  /**
   * A store at its quota refuses every transaction that adds bytes, even the few of an unlink's
   * updated inode and directory times, so a full workspace could not be emptied. A file's last
   * name that no descriptor holds can go with deletes alone (name, inode, data: nothing added);
   * the directory's times follow in a second transaction once there is room. Returns the inode,
   * or undefined when the file keeps other names or is held open (it cannot go at once).
   */
  async #unlinkToFreeSpace(dir: number, path: string, held: (ino: number) => boolean): Promise<number | undefined> {
    const removed = await this.store.tx("readwrite", async (tx) => {
      const r = await this.#resolve(tx, dir, path, false);
      if (!r.node || r.node.type === "directory" || r.parent === undefined) return undefined;
      if (r.node.nlink > 1 || held(r.node.ino)) return undefined;
      tx.delete(K.dent(r.parent, r.name));
      this.#free(tx, r.node.ino);
      return { ino: r.node.ino, parent: r.parent };
    });
    if (!removed) return undefined;
    await this.store.tx("readwrite", async (tx) => this.#touchDir(tx, await this.#node(tx, removed.parent))).catch(() => {
      // Still no room for the times: the removal stands, the directory keeps its old mtime.
    });
    return removed.ino;
  }

  async symlinkAt(dir: number, target: string, path: string): Promise<void> {
    const ino = await this.store.tx("readwrite", async (tx) => {
      if (target.startsWith("/")) return fsError("not-permitted", `absolute symlink target '${target}'`);
      const r = await this.#resolve(tx, dir, path, false);
      if (r.node) return fsError("exist", `'${path}'`);
      if (path.endsWith("/")) return fsError("no-entry", `'${path}'`);
      const node = await this.#alloc(tx, "symbolic-link", { target, size: target.length });
      tx.put(K.dent(r.parent!, r.name), node.ino);
      this.#touchDir(tx, await this.#node(tx, r.parent!));
      return node.ino;
    });
    this.onChange({ kind: "create", ino });
  }

  async readlinkAt(dir: number, path: string): Promise<string> {
    return this.store.tx("readonly", async (tx) => {
      const r = await this.#resolve(tx, dir, path, false);
      if (!r.node) return fsError("no-entry", `'${path}'`);
      if (r.node.type !== "symbolic-link") return fsError("invalid", `'${path}' is not a symlink`);
      return r.node.target ?? "";
    });
  }

  async linkAt(oldDir: number, oldPath: string, follow: boolean, newDir: number, newPath: string): Promise<void> {
    await this.store.tx("readwrite", async (tx) => {
      const from = await this.#resolve(tx, oldDir, oldPath, follow);
      if (!from.node) return fsError("no-entry", `'${oldPath}'`);
      if (from.node.type === "directory") return fsError("not-permitted", "hard links to directories");
      const to = await this.#resolve(tx, newDir, newPath, false);
      if (to.node) return fsError("exist", `'${newPath}'`);
      if (newPath.endsWith("/")) return fsError("no-entry", `'${newPath}'`);
      tx.put(K.dent(to.parent!, to.name), from.node.ino);
      tx.put(K.ino(from.node.ino), { ...from.node, nlink: from.node.nlink + 1, ctime: this.now() });
      this.#touchDir(tx, await this.#node(tx, to.parent!));
    });
    this.onChange({ kind: "create", ino: newDir });
  }

  async renameAt(oldDir: number, oldPath: string, newDir: number, newPath: string): Promise<void> {
    let orphan: number | undefined;
    const ino = await this.store.tx("readwrite", async (tx) => {
      orphan = undefined;
      const from = await this.#resolve(tx, oldDir, oldPath, false);
      if (!from.node) return fsError("no-entry", `'${oldPath}'`);
      if (from.parent === undefined) return fsError("busy", `cannot rename '${oldPath}'`);
      const to = await this.#resolve(tx, newDir, newPath, false);
      if (to.parent === undefined) return fsError("busy", `cannot rename onto '${newPath}'`);
      if (from.node.type !== "directory" && (oldPath.endsWith("/") || newPath.endsWith("/"))) return fsError("not-directory", `'${oldPath}'`);
      if (to.node?.ino === from.node.ino) return from.node.ino;
      if (from.node.type === "directory") {
        // A directory cannot move into its own subtree.
        for (let cur: number | undefined = to.parent; cur !== undefined; cur = (await this.#node(tx, cur)).parent) {
          if (cur === from.node.ino) return fsError("invalid", "cannot move a directory into itself");
        }
      }
      if (to.node) {
        if (to.node.type === "directory") {
          if (from.node.type !== "directory") return fsError("is-directory", `'${newPath}'`);
          if ((await tx.entries(K.dents(to.node.ino))).length > 0) return fsError("not-empty", `'${newPath}'`);
        } else if (from.node.type === "directory") return fsError("not-directory", `'${newPath}'`);
        if (this.#dropLink(tx, to.node)) orphan = to.node.ino;
      }
      tx.delete(K.dent(from.parent, from.name));
      tx.put(K.dent(to.parent, to.name), from.node.ino);
      tx.put(K.ino(from.node.ino), { ...from.node, ctime: this.now(), ...(from.node.type === "directory" ? { parent: to.parent } : {}) });
      if (from.node.type === "directory" && from.parent !== to.parent) {
        const a = await this.#node(tx, from.parent);
        tx.put(K.ino(a.ino), { ...a, nlink: a.nlink - 1, mtime: this.now() });
        const b = await this.#node(tx, to.parent);
        tx.put(K.ino(b.ino), { ...b, nlink: b.nlink + (to.node ? 0 : 1), mtime: this.now() });
      } else {
        this.#touchDir(tx, await this.#node(tx, from.parent));
        if (to.parent !== from.parent) this.#touchDir(tx, await this.#node(tx, to.parent));
      }
      return from.node.ino;
    });
    this.onChange({ kind: "rename", ino });
    if (orphan !== undefined) this.onChange({ kind: "orphan", ino: orphan });
  }
}
