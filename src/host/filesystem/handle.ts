/**
 * An open descriptor as both wasi:filesystem views see it: (Vfs, inode, type, rights). The 0.2 and
 * 0.3 `descriptor` resources are thin adapters over a Handle, so rights, error codes and results
 * are the same whichever version a guest imports. Rights follow wasi:filesystem: reading needs
 * `read`, writing needs `write`, changing a directory's entries needs `mutate-directory`, and a
 * descriptor opened from another never gains rights its parent lacks.
 */
import { fsError } from "./errors";
import type { FsSession } from "./owner";
import type { Inode, NodeType, OpenFlags } from "./vfs";

/** wasi:filesystem `descriptor-flags` (identical in 0.2 and 0.3). */
export interface Rights {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}

/** Largest file offset or size we accept (JS numbers are exact to 2^53). */
export const MAX_FILE_SIZE = BigInt(Number.MAX_SAFE_INTEGER);

/** A time as both versions spell it: 0.2 `datetime`, 0.3 `instant`. */
export interface Timestamp {
  seconds: bigint;
  nanoseconds: number;
}

export type NewTimestamp = { tag: "no-change" } | { tag: "now" } | { tag: "timestamp"; val: Timestamp };

export const timestampOf = (ns: bigint): Timestamp => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });

function newTime(t: NewTimestamp): bigint | "now" | null {
  if (t.tag === "no-change") return null;
  if (t.tag === "now") return "now";
  return t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds);
}

/** What the run's filesystem views share: the preopens, and each workspace's hash salt. */
export interface FsCtx {
  readonly preopens: readonly Preopen[];
  salt(fs: FsSession): Promise<number>;
}

export interface Preopen {
  /** The run's session on the workspace (its descriptors and leases). */
  fs: FsSession;
  /** The directory inode exposed to the guest. */
  ino: number;
  guestPath: string;
  readOnly: boolean;
}

export function createFsCtx(preopens: readonly Preopen[]): FsCtx {
  const salts = new Map<FsSession, Promise<number>>();
  return {
    preopens,
    salt(fs) {
      let s = salts.get(fs);
      if (!s) salts.set(fs, (s = fs.id()));
      return s;
    },
  };
}

/** The rights each preopen grants, as handles (not held: a preopen is never unlinked). */
export function preopenHandles(ctx: FsCtx): Array<[Handle, string]> {
  return ctx.preopens.map((p) => [new Handle(ctx, p.fs, p.ino, "directory", { read: true, write: false, mutateDirectory: !p.readOnly }, false), p.guestPath]);
}

/** A 128-bit hash of an inode's identity and modification time (stable while unchanged). */
function hashOf(salt: number, n: Inode): { lower: bigint; upper: bigint } {
  const mix = (x: bigint) => {
    x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xff51afd7ed558ccdn);
    x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xc4ceb9fe1a85ec53n);
    return x ^ (x >> 33n);
  };
  const id = BigInt(n.ino) ^ (BigInt(salt) << 32n);
  return { lower: mix(id), upper: mix(n.mtime ^ BigInt.asUintN(64, BigInt(n.size) << 20n)) };
}

export class Handle {
  constructor(
    readonly ctx: FsCtx,
    readonly fs: FsSession,
    readonly ino: number,
    readonly type: NodeType,
    readonly flags: Rights,
    /** Opened by `openAt`, so the session holds the inode until `drop`. */
    private held: boolean,
  ) {}

  /** The guest dropped its descriptor. */
  drop(): void {
    if (!this.held) return;
    this.held = false;
    this.fs.release(this.ino);
  }

  need(right: keyof Rights): void {
    if (!this.flags[right]) fsError(right === "mutateDirectory" ? "read-only" : "bad-descriptor", `descriptor lacks '${right}'`);
  }
  #dir(): void {
    if (this.type !== "directory") fsError("not-directory");
  }
  #sameFs(other: Handle): void {
    if (other.fs !== this.fs) fsError("cross-device");
  }

  /** Checks a read may start at `offset`. */
  readable(offset: bigint): void {
    if (this.type === "directory") fsError("is-directory");
    this.need("read");
    if (offset > MAX_FILE_SIZE) fsError("invalid", "offset past the largest file size");
  }
  /** Checks a write may start at `offset` ("append": at the end). */
  writable(offset: bigint | "append"): void {
    if (this.type === "directory") fsError("is-directory");
    this.need("write");
    if (offset !== "append" && offset > MAX_FILE_SIZE) fsError("file-too-large");
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.readable(BigInt(offset));
    return this.fs.read(this.ino, offset, length);
  }
  /** Writes `data` at `offset`; returns the file's new size. */
  write(offset: number | "append", data: Uint8Array): Promise<number> {
    this.writable(offset === "append" ? offset : BigInt(offset));
    return this.fs.write(this.ino, offset, data);
  }
  advise(): void {
    if (this.type === "directory") fsError("bad-descriptor");
  }
  sync(): Promise<void> {
    return this.fs.sync();
  }
  async setSize(size: bigint): Promise<void> {
    if (this.type === "directory") fsError("is-directory");
    this.need("write");
    if (size > MAX_FILE_SIZE) fsError("file-too-large");
    await this.fs.setSize(this.ino, Number(size));
  }
  /** Like futimens: changing times needs no write access to the data. */
  setTimes(a: NewTimestamp, m: NewTimestamp): Promise<void> {
    return this.fs.setTimes(this.ino, null, false, newTime(a), newTime(m));
  }
  readDirectory(): Promise<Array<{ name: string; type: NodeType }>> {
    this.#dir();
    this.need("read");
    return this.fs.readDirectory(this.ino);
  }
  createDirectoryAt(path: string): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    return this.fs.createDirectoryAt(this.ino, path);
  }
  stat(): Promise<Inode> {
    return this.fs.stat(this.ino);
  }
  statAt(follow: boolean, path: string): Promise<Inode> {
    this.#dir();
    return this.fs.statAt(this.ino, path, follow);
  }
  setTimesAt(follow: boolean, path: string, a: NewTimestamp, m: NewTimestamp): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    return this.fs.setTimes(this.ino, path, follow, newTime(a), newTime(m));
  }
  linkAt(follow: boolean, oldPath: string, newDir: Handle, newPath: string): Promise<void> {
    this.#dir();
    this.#sameFs(newDir);
    newDir.#dir();
    newDir.need("mutateDirectory");
    return this.fs.linkAt(this.ino, oldPath, follow, newDir.ino, newPath);
  }
  async openAt(follow: boolean, path: string, openFlags: OpenFlags, flags: Rights): Promise<Handle> {
    this.#dir();
    const creates = Boolean(openFlags.create || openFlags.truncate);
    if ((flags.write || flags.mutateDirectory || creates) && !this.flags.mutateDirectory) fsError("read-only", "the directory is read-only");
    if (flags.read && !this.flags.read) fsError("not-permitted", "the directory was not opened for reading");
    // No access asked for means read; create implies write (and read, unless only write was asked).
    const rights: Rights = { ...flags };
    if (!flags.read && !flags.write) rights.read = true;
    if (openFlags.create) rights.write = true;
    const node = await this.fs.openAt(this.ino, path, follow, openFlags, Boolean(flags.write));
    if (node.type !== "directory") rights.mutateDirectory = false;
    return new Handle(this.ctx, this.fs, node.ino, node.type, rights, true);
  }
  readlinkAt(path: string): Promise<string> {
    this.#dir();
    return this.fs.readlinkAt(this.ino, path);
  }
  removeDirectoryAt(path: string): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    return this.fs.removeDirectoryAt(this.ino, path);
  }
  renameAt(oldPath: string, newDir: Handle, newPath: string): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    this.#sameFs(newDir);
    newDir.need("mutateDirectory");
    return this.fs.renameAt(this.ino, oldPath, newDir.ino, newPath);
  }
  symlinkAt(target: string, path: string): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    return this.fs.symlinkAt(this.ino, target, path);
  }
  unlinkFileAt(path: string): Promise<void> {
    this.#dir();
    this.need("mutateDirectory");
    return this.fs.unlinkFileAt(this.ino, path);
  }
  isSameObject(other: Handle): boolean {
    return other.fs === this.fs && other.ino === this.ino;
  }
  async metadataHash(): Promise<{ lower: bigint; upper: bigint }> {
    return hashOf(await this.ctx.salt(this.fs), await this.fs.stat(this.ino));
  }
  async metadataHashAt(follow: boolean, path: string): Promise<{ lower: bigint; upper: bigint }> {
    this.#dir();
    return hashOf(await this.ctx.salt(this.fs), await this.fs.statAt(this.ino, path, follow));
  }
}
