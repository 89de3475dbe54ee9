/**
 * wasi:filesystem@0.2.x over the same Handles (and so the same workspaces and preopens) as 0.3.
 * Every 0.2 call is synchronous for the guest, but IndexedDB answers later: calls that touch the
 * Vfs return a Promise on which the engine suspends the guest through JSPI (`filesystemP2Suspending`
 * names them); without JSPI they fail with NeedsJspiError. File streams are wasi:io 0.2 streams:
 * reads come one 64 KiB transaction at a time, writes are queued (one transaction each) and
 * `flush` waits for them.
 */
import type * as Types from "../generated/host-p2/interfaces/wasi-filesystem-types.js";
import { errorMessage } from "../../base/assert";
import { suspend, type BlockingCtx, type ByteSink, type ByteSource, type StreamFailure, type Suspendable, type Suspending } from "../io/ctx";
import type { IoP2 } from "../io/p2";
import { STREAM_CHUNK } from "../streams";
import type { P2, PackageP2 } from "../types";
import { FsError } from "./errors";
import { Handle, preopenHandles, timestampOf, type FsCtx } from "./handle";
import type { Inode } from "./vfs";

const TYPES = "wasi:filesystem/types@0.2.12";

/** The 0.2 calls that wait for IndexedDB; the rest answer from the descriptor itself. */
export const filesystemP2Suspending = {
  [TYPES]: [
    "sync-data",
    "set-size",
    "set-times",
    "read",
    "write",
    "read-directory",
    "sync",
    "create-directory-at",
    "stat",
    "stat-at",
    "set-times-at",
    "link-at",
    "open-at",
    "readlink-at",
    "remove-directory-at",
    "rename-at",
    "symlink-at",
    "unlink-file-at",
    "metadata-hash",
    "metadata-hash-at",
  ].map((m) => `[method]descriptor.${m}`),
} satisfies Suspending;

/** 0.2's error-code is an enum, so the `err` jco lowers (an error's `payload`) is the bare code. */
function asP2Error(err: unknown): never {
  if (err instanceof FsError) throw Object.assign(new Error(err.message), { payload: err.code });
  throw err;
}

const failureOf = (err: unknown): StreamFailure => (err instanceof FsError ? { message: err.message, code: err.code } : { message: errorMessage(err) });

function statOf(n: Inode): Types.DescriptorStat {
  return {
    type: n.type,
    linkCount: BigInt(n.nlink),
    size: BigInt(n.size),
    dataAccessTimestamp: timestampOf(n.atime),
    dataModificationTimestamp: timestampOf(n.mtime),
    statusChangeTimestamp: timestampOf(n.ctime),
  };
}

/** A file read through an input-stream: one chunk fetched ahead at a time. */
class FileSource implements ByteSource {
  #buf: Uint8Array = new Uint8Array(0);
  #ended = false;
  #loading: Promise<void> | undefined;
  failure: StreamFailure | undefined;
  constructor(
    private readonly h: Handle,
    private pos: number,
  ) {}
  get isReady(): boolean {
    return this.#buf.length > 0 || this.#ended || this.failure !== undefined;
  }
  get closed(): boolean {
    return this.#ended;
  }
  get available(): number {
    return this.#buf.length;
  }
  take(max: number): Uint8Array {
    if (this.#buf.length === 0) {
      // Nothing fetched yet: start fetching, so a later read or a pollable finds it.
      void this.ready();
      return this.#buf;
    }
    const out = this.#buf.subarray(0, max);
    this.#buf = this.#buf.subarray(out.length);
    return out;
  }
  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    this.#loading ??= this.h
      .read(this.pos, STREAM_CHUNK)
      .then(
        (bytes) => {
          if (bytes.length === 0) this.#ended = true;
          this.#buf = bytes;
          this.pos += bytes.length;
        },
        (err: unknown) => void (this.failure = failureOf(err)),
      )
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }
}

/** A file written through an output-stream: each write is one transaction, in order. */
class FileSink implements ByteSink {
  queued = 0;
  failure: StreamFailure | undefined;
  #chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly h: Handle,
    private pos: number | "append",
  ) {}
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const at = this.pos;
    if (at !== "append") this.pos = at + bytes.length;
    this.queued += bytes.length;
    this.#chain = this.#chain.then(async () => {
      try {
        // After a failure the stream is broken: later writes are dropped, the failure reported.
        if (!this.failure) await this.h.write(at, bytes);
      } catch (err) {
        this.failure = failureOf(err);
      } finally {
        this.queued -= bytes.length;
      }
    });
  }
  drained(): Promise<void> {
    return this.#chain;
  }
}

export function filesystemP2(ctx: FsCtx, io: IoP2, blocking: BlockingCtx) {
  /** A call answered by IndexedDB: the guest is suspended until it settles. */
  const wait = <T,>(method: string, work: () => Promise<T>): Suspendable<T> =>
    suspend(blocking, `${TYPES}#[method]descriptor.${method}`, async () => {
      try {
        return await work();
      } catch (err) {
        return asP2Error(err);
      }
    });
  /** A call answered at once, whose checks may still fail with an error-code. */
  const now = <T,>(work: () => T): T => {
    try {
      return work();
    } catch (err) {
      return asP2Error(err);
    }
  };

  class DirectoryEntryStream implements P2<Types.DirectoryEntryStream> {
    constructor(private readonly entries: Types.DirectoryEntry[]) {}
    readDirectoryEntry(): Types.DirectoryEntry | undefined {
      return this.entries.shift();
    }
  }

  class Descriptor implements P2<Types.Descriptor> {
    constructor(readonly h: Handle) {}
    /** The guest dropped the descriptor (engines call this on resource.drop). */
    [Symbol.dispose](): void {
      this.h.drop();
    }
    readViaStream(offset: bigint): InstanceType<IoP2["InputStream"]> {
      return now(() => {
        this.h.readable(offset);
        return new io.InputStream(new FileSource(this.h, Number(offset)));
      });
    }
    writeViaStream(offset: bigint): InstanceType<IoP2["OutputStream"]> {
      return now(() => {
        this.h.writable(offset);
        return new io.OutputStream(new FileSink(this.h, Number(offset)));
      });
    }
    appendViaStream(): InstanceType<IoP2["OutputStream"]> {
      return now(() => {
        this.h.writable("append");
        return new io.OutputStream(new FileSink(this.h, "append"));
      });
    }
    advise(): void {
      now(() => this.h.advise());
    }
    syncData(): Suspendable<void> {
      return wait("sync-data", () => this.h.sync());
    }
    sync(): Suspendable<void> {
      return wait("sync", () => this.h.sync());
    }
    getFlags(): Types.DescriptorFlags {
      return { ...this.h.flags };
    }
    getType(): Types.DescriptorType {
      return this.h.type;
    }
    setSize(size: bigint): Suspendable<void> {
      return wait("set-size", () => this.h.setSize(size));
    }
    setTimes(a: Types.NewTimestamp, m: Types.NewTimestamp): Suspendable<void> {
      return wait("set-times", () => this.h.setTimes(a, m));
    }
    read(length: bigint, offset: bigint): Suspendable<[Uint8Array, boolean]> {
      return wait("read", async () => {
        this.h.readable(offset);
        const want = Number(length < BigInt(STREAM_CHUNK * 16) ? length : BigInt(STREAM_CHUNK * 16));
        const bytes = await this.h.read(Number(offset), want);
        // Fewer bytes than asked for means the file ended here.
        return [bytes, bytes.length < want] as [Uint8Array, boolean];
      });
    }
    write(buffer: Uint8Array, offset: bigint): Suspendable<bigint> {
      // Copied now: the guest's memory may change while the transaction runs.
      const data = buffer.slice();
      return wait("write", async () => {
        await this.h.write(Number(offset), data);
        return BigInt(data.length);
      });
    }
    readDirectory(): Suspendable<DirectoryEntryStream> {
      // One transaction lists the directory; the stream hands the entries out without waiting.
      return wait("read-directory", async () => new DirectoryEntryStream((await this.h.readDirectory()).map((e) => ({ type: e.type, name: e.name }))));
    }
    createDirectoryAt(path: string): Suspendable<void> {
      return wait("create-directory-at", () => this.h.createDirectoryAt(path));
    }
    stat(): Suspendable<Types.DescriptorStat> {
      return wait("stat", async () => statOf(await this.h.stat()));
    }
    statAt(pathFlags: Types.PathFlags, path: string): Suspendable<Types.DescriptorStat> {
      return wait("stat-at", async () => statOf(await this.h.statAt(Boolean(pathFlags.symlinkFollow), path)));
    }
    setTimesAt(pathFlags: Types.PathFlags, path: string, a: Types.NewTimestamp, m: Types.NewTimestamp): Suspendable<void> {
      return wait("set-times-at", () => this.h.setTimesAt(Boolean(pathFlags.symlinkFollow), path, a, m));
    }
    linkAt(oldFlags: Types.PathFlags, oldPath: string, newDir: Descriptor, newPath: string): Suspendable<void> {
      return wait("link-at", () => this.h.linkAt(Boolean(oldFlags.symlinkFollow), oldPath, newDir.h, newPath));
    }
    openAt(pathFlags: Types.PathFlags, path: string, openFlags: Types.OpenFlags, flags: Types.DescriptorFlags): Suspendable<Descriptor> {
      return wait("open-at", async () => new Descriptor(await this.h.openAt(Boolean(pathFlags.symlinkFollow), path, openFlags, flags)));
    }
    readlinkAt(path: string): Suspendable<string> {
      return wait("readlink-at", () => this.h.readlinkAt(path));
    }
    removeDirectoryAt(path: string): Suspendable<void> {
      return wait("remove-directory-at", () => this.h.removeDirectoryAt(path));
    }
    renameAt(oldPath: string, newDir: Descriptor, newPath: string): Suspendable<void> {
      return wait("rename-at", () => this.h.renameAt(oldPath, newDir.h, newPath));
    }
    symlinkAt(target: string, path: string): Suspendable<void> {
      return wait("symlink-at", () => this.h.symlinkAt(target, path));
    }
    unlinkFileAt(path: string): Suspendable<void> {
      return wait("unlink-file-at", () => this.h.unlinkFileAt(path));
    }
    isSameObject(other: Descriptor): boolean {
      return this.h.isSameObject(other.h);
    }
    metadataHash(): Suspendable<Types.MetadataHashValue> {
      return wait("metadata-hash", () => this.h.metadataHash());
    }
    metadataHashAt(pathFlags: Types.PathFlags, path: string): Suspendable<Types.MetadataHashValue> {
      return wait("metadata-hash-at", () => this.h.metadataHashAt(Boolean(pathFlags.symlinkFollow), path));
    }
  }

  return {
    "wasi:filesystem/preopens@0.2.12": {
      getDirectories: () => preopenHandles(ctx).map(([h, path]): [Descriptor, string] => [new Descriptor(h), path]),
    },
    [TYPES]: {
      Descriptor,
      DirectoryEntryStream,
      // Only this host's file streams carry a filesystem error code.
      filesystemErrorCode: (err: unknown) => (err instanceof io.IoError ? (err.code as Types.ErrorCode | undefined) : undefined),
    },
  } satisfies PackageP2<"wasi:filesystem">;
}
