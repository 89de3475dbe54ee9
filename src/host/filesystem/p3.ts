/**
 * wasi:filesystem@0.3.0 over the Vfs. A descriptor is (workspace, inode, rights); rights follow
 * wasi:filesystem: reading needs `read`, writing needs `write`, changing a directory's entries needs
 * `mutate-directory`, and a descriptor opened from another never gains rights its parent lacks.
 */
import type * as Types from "../generated/host-p3/interfaces/wasi-filesystem-types.js";
import type * as Preopens from "../generated/host-p3/interfaces/wasi-filesystem-preopens.js";
import { liftedBytesToReadable, STREAM_CHUNK, type LiftedByteStream } from "../streams";
import { FsError, fsError } from "./errors";
import type { Inode, NodeType, Vfs } from "./vfs";

type Flags = Types.DescriptorFlags;
type Result = { tag: "ok"; val: undefined } | { tag: "err"; val: Types.ErrorCode };

export interface Preopen {
  vfs: Vfs;
  /** The directory inode exposed to the guest. */
  ino: number;
  guestPath: string;
  readOnly: boolean;
}

/** Largest file offset or size we accept (JS numbers are exact to 2^53). */
export const MAX_FILE_SIZE = BigInt(Number.MAX_SAFE_INTEGER);

const OK: Result = { tag: "ok", val: undefined };
const asResult = (err: unknown): Result => {
  if (err instanceof FsError) return { tag: "err", val: err.payload as Types.ErrorCode };
  throw err;
};

const instant = (ns: bigint): Types.Instant => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });

function statOf(n: Inode): Types.DescriptorStat {
  return {
    type: { tag: n.type },
    linkCount: BigInt(n.nlink),
    size: BigInt(n.size),
    dataAccessTimestamp: instant(n.atime),
    dataModificationTimestamp: instant(n.mtime),
    statusChangeTimestamp: instant(n.ctime),
  };
}

function newTimestamp(t: Types.NewTimestamp): bigint | "now" | null {
  if (t.tag === "no-change") return null;
  if (t.tag === "now") return "now";
  return t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds);
}

/** A 128-bit hash of an inode's identity and modification time (stable while unchanged). */
function hashOf(workspaceSalt: number, n: Inode): Types.MetadataHashValue {
  const mix = (x: bigint) => {
    x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xff51afd7ed558ccdn);
    x = BigInt.asUintN(64, (x ^ (x >> 33n)) * 0xc4ceb9fe1a85ec53n);
    return x ^ (x >> 33n);
  };
  const id = BigInt(n.ino) ^ (BigInt(workspaceSalt) << 32n);
  return { lower: mix(id), upper: mix(n.mtime ^ BigInt.asUintN(64, BigInt(n.size) << 20n)) };
}

export function filesystemP3(preopens: Preopen[]) {
  const salts = new Map<Vfs, number>();
  const salt = (vfs: Vfs) => {
    if (!salts.has(vfs)) salts.set(vfs, salts.size + 1);
    return salts.get(vfs)!;
  };

  class Descriptor {
    constructor(
      readonly vfs: Vfs,
      readonly ino: number,
      readonly type: NodeType,
      readonly flags: Flags,
    ) {}

    #need(right: keyof Flags): void {
      if (!this.flags[right]) fsError(right === "mutateDirectory" ? "read-only" : "bad-descriptor", `descriptor lacks '${right}'`);
    }
    #dir(): void {
      if (this.type !== "directory") fsError("not-directory");
    }
    #sameFs(other: Descriptor): void {
      if (other.vfs !== this.vfs) fsError("cross-device");
    }

    readViaStream(offset: bigint): [AsyncIterable<number>, PromiseLike<Result>] {
      let settle!: (r: Result) => void;
      const done = new Promise<Result>((r) => (settle = r));
      let pos = Number(offset);
      if (offset > MAX_FILE_SIZE) {
        settle({ tag: "err", val: { tag: "invalid" } });
        return [new ReadableStream({ start: (c) => c.close() }) as unknown as AsyncIterable<number>, done];
      }
      const stream = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            try {
              if (this.type === "directory") fsError("is-directory");
              this.#need("read");
              const bytes = await this.vfs.read(this.ino, pos, STREAM_CHUNK);
              if (bytes.length === 0) {
                controller.close();
                settle(OK);
                return;
              }
              pos += bytes.length;
              controller.enqueue(bytes);
            } catch (err) {
              controller.close();
              settle(asResult(err));
            }
          },
          cancel: () => settle(OK),
        },
        { highWaterMark: 0 },
      );
      return [stream as unknown as AsyncIterable<number>, done];
    }

    async #writeFrom(data: AsyncIterable<number>, at: number | "append"): Promise<Result> {
      try {
        if (this.type === "directory") fsError("is-directory");
        this.#need("write");
        if (at !== "append" && at > Number(MAX_FILE_SIZE)) fsError("file-too-large");
        let pos = at;
        for await (const chunk of liftedBytesToReadable(data as LiftedByteStream) as unknown as AsyncIterable<Uint8Array>) {
          await this.vfs.write(this.ino, pos, chunk);
          if (pos !== "append") pos += chunk.length;
        }
        return OK;
      } catch (err) {
        return asResult(err);
      }
    }

    writeViaStream(data: AsyncIterable<number>, offset: bigint): PromiseLike<Result> {
      return this.#writeFrom(data, Number(offset));
    }

    appendViaStream(data: AsyncIterable<number>): PromiseLike<Result> {
      return this.#writeFrom(data, "append");
    }

    async advise(): Promise<void> {
      if (this.type === "directory") fsError("bad-descriptor");
    }
    async syncData(): Promise<void> {
      await this.vfs.sync();
    }
    async sync(): Promise<void> {
      await this.vfs.sync();
    }
    async getFlags(): Promise<Flags> {
      return { ...this.flags };
    }
    async getType(): Promise<Types.DescriptorType> {
      return { tag: this.type };
    }
    async setSize(size: bigint): Promise<void> {
      if (this.type === "directory") fsError("is-directory");
      this.#need("write");
      if (size > MAX_FILE_SIZE) fsError("file-too-large");
      await this.vfs.setSize(this.ino, Number(size));
    }
    /** Like futimens: changing times needs no write access to the data. */
    async setTimes(a: Types.NewTimestamp, m: Types.NewTimestamp): Promise<void> {
      await this.vfs.setTimes(this.ino, null, false, newTimestamp(a), newTimestamp(m));
    }

    readDirectory(): [AsyncIterable<Types.DirectoryEntry>, PromiseLike<Result>] {
      let settle!: (r: Result) => void;
      const done = new Promise<Result>((r) => (settle = r));
      let entries: Array<{ name: string; type: NodeType }> | undefined;
      const stream = new ReadableStream<Types.DirectoryEntry>(
        {
          pull: async (controller) => {
            try {
              this.#dir();
              this.#need("read");
              entries ??= await this.vfs.readDirectory(this.ino);
              const next = entries.shift();
              if (!next) {
                controller.close();
                settle(OK);
                return;
              }
              controller.enqueue({ type: { tag: next.type }, name: next.name });
            } catch (err) {
              controller.close();
              settle(asResult(err));
            }
          },
          cancel: () => settle(OK),
        },
        { highWaterMark: 0 },
      );
      return [stream as unknown as AsyncIterable<Types.DirectoryEntry>, done];
    }

    async createDirectoryAt(path: string): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      await this.vfs.createDirectoryAt(this.ino, path);
    }
    async stat(): Promise<Types.DescriptorStat> {
      return statOf(await this.vfs.stat(this.ino));
    }
    async statAt(pathFlags: Types.PathFlags, path: string): Promise<Types.DescriptorStat> {
      this.#dir();
      return statOf(await this.vfs.statAt(this.ino, path, Boolean(pathFlags.symlinkFollow)));
    }
    async setTimesAt(pathFlags: Types.PathFlags, path: string, a: Types.NewTimestamp, m: Types.NewTimestamp): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      await this.vfs.setTimes(this.ino, path, Boolean(pathFlags.symlinkFollow), newTimestamp(a), newTimestamp(m));
    }
    async linkAt(oldFlags: Types.PathFlags, oldPath: string, newDir: Descriptor, newPath: string): Promise<void> {
      this.#dir();
      this.#sameFs(newDir);
      newDir.#dir();
      newDir.#need("mutateDirectory");
      await this.vfs.linkAt(this.ino, oldPath, Boolean(oldFlags.symlinkFollow), newDir.ino, newPath);
    }
    async openAt(pathFlags: Types.PathFlags, path: string, openFlags: Types.OpenFlags, flags: Flags): Promise<Descriptor> {
      this.#dir();
      const creates = Boolean(openFlags.create || openFlags.truncate);
      if ((flags.write || flags.mutateDirectory || creates) && !this.flags.mutateDirectory) fsError("read-only", "the directory is read-only");
      if (flags.read && !this.flags.read) fsError("not-permitted", "the directory was not opened for reading");
      // No access asked for means read; create implies write (and read, unless only write was asked).
      const rights: Flags = { ...flags };
      if (!flags.read && !flags.write) rights.read = true;
      if (openFlags.create) rights.write = true;
      const node = await this.vfs.openAt(this.ino, path, Boolean(pathFlags.symlinkFollow), openFlags, Boolean(flags.write));
      if (node.type !== "directory") rights.mutateDirectory = false;
      return new Descriptor(this.vfs, node.ino, node.type, rights);
    }
    async readlinkAt(path: string): Promise<string> {
      this.#dir();
      return this.vfs.readlinkAt(this.ino, path);
    }
    async removeDirectoryAt(path: string): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      await this.vfs.removeDirectoryAt(this.ino, path);
    }
    async renameAt(oldPath: string, newDir: Descriptor, newPath: string): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      this.#sameFs(newDir);
      newDir.#need("mutateDirectory");
      await this.vfs.renameAt(this.ino, oldPath, newDir.ino, newPath);
    }
    async symlinkAt(target: string, path: string): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      await this.vfs.symlinkAt(this.ino, target, path);
    }
    async unlinkFileAt(path: string): Promise<void> {
      this.#dir();
      this.#need("mutateDirectory");
      await this.vfs.unlinkFileAt(this.ino, path);
    }
    async isSameObject(other: Descriptor): Promise<boolean> {
      return other.vfs === this.vfs && other.ino === this.ino;
    }
    async metadataHash(): Promise<Types.MetadataHashValue> {
      return hashOf(salt(this.vfs), await this.vfs.stat(this.ino));
    }
    async metadataHashAt(pathFlags: Types.PathFlags, path: string): Promise<Types.MetadataHashValue> {
      this.#dir();
      return hashOf(salt(this.vfs), await this.vfs.statAt(this.ino, path, Boolean(pathFlags.symlinkFollow)));
    }
  }

  const dirs = preopens.map((p) => ({
    p,
    rights: { read: true, write: false, mutateDirectory: !p.readOnly } satisfies Flags,
  }));

  return {
    "wasi:filesystem/types@0.3.0": {
      Descriptor: Descriptor as unknown as typeof Types.Descriptor,
    } satisfies typeof Types,
    "wasi:filesystem/preopens@0.3.0": {
      getDirectories: () => dirs.map(({ p, rights }) => [new Descriptor(p.vfs, p.ino, "directory", rights) as unknown as Types.Descriptor, p.guestPath]),
    } satisfies typeof Preopens,
  };
}
