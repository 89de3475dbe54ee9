/** wasi:filesystem@0.3.0 over the shared Handle: async functions, `stream<T>` and `future<T>`. */
import type * as Types from "../generated/host-p3/interfaces/wasi-filesystem-types.js";
import { drainBytes, refuseBytes, STREAM_CHUNK, streamWithCompletion, type Completion, type LiftedByteStream } from "../streams";
import type { P3, PackageP3 } from "../types";
import { FsError } from "./errors";
import { Handle, preopenHandles, timestampOf, type FsCtx } from "./handle";
import type { Inode } from "./vfs";

type Result = Completion<Types.ErrorCode>;

/** A failure's error-code; anything else is our bug and goes on. */
function errorCode(err: unknown): Types.ErrorCode {
  if (err instanceof FsError) return err.payload as Types.ErrorCode;
  throw err;
}

function statOf(n: Inode): Types.DescriptorStat {
  return {
    type: { tag: n.type },
    linkCount: BigInt(n.nlink),
    size: BigInt(n.size),
    dataAccessTimestamp: timestampOf(n.atime),
    dataModificationTimestamp: timestampOf(n.mtime),
    statusChangeTimestamp: timestampOf(n.ctime),
  };
}

export function filesystemP3(ctx: FsCtx) {
  class Descriptor implements P3<Types.Descriptor> {
    constructor(readonly h: Handle) {}
    /** The guest dropped the descriptor (engines call this on resource.drop). */
    [Symbol.dispose](): void {
      this.h.drop();
    }

    readViaStream(offset: bigint): [ReadableStream<Uint8Array>, Promise<Result>] {
      let pos = Number(offset);
      return streamWithCompletion({
        next: async () => {
          this.h.readable(offset);
          const bytes = await this.h.read(pos, STREAM_CHUNK);
          pos += bytes.length;
          return bytes.length === 0 ? undefined : bytes;
        },
        errorCode,
      });
    }

    async #writeFrom(data: LiftedByteStream, at: bigint | "append"): Promise<Result> {
      try {
        this.h.writable(at);
      } catch (err) {
        refuseBytes(data);
        return { tag: "err", val: errorCode(err) };
      }
      let pos = at === "append" ? at : Number(at);
      return drainBytes(data, {
        write: async (chunk) => {
          await this.h.write(pos, chunk);
          if (pos !== "append") pos += chunk.length;
        },
        errorCode,
      });
    }

    writeViaStream(data: LiftedByteStream, offset: bigint): Promise<Result> {
      return this.#writeFrom(data, offset);
    }
    appendViaStream(data: LiftedByteStream): Promise<Result> {
      return this.#writeFrom(data, "append");
    }
    async advise(): Promise<void> {
      this.h.advise();
    }
    async syncData(): Promise<void> {
      await this.h.sync();
    }
    async sync(): Promise<void> {
      await this.h.sync();
    }
    async getFlags(): Promise<Types.DescriptorFlags> {
      return { ...this.h.flags };
    }
    async getType(): Promise<Types.DescriptorType> {
      return { tag: this.h.type };
    }
    async setSize(size: bigint): Promise<void> {
      await this.h.setSize(size);
    }
    async setTimes(a: Types.NewTimestamp, m: Types.NewTimestamp): Promise<void> {
      await this.h.setTimes(a, m);
    }
    readDirectory(): [ReadableStream<Types.DirectoryEntry>, Promise<Result>] {
      let entries: Awaited<ReturnType<Handle["readDirectory"]>> | undefined;
      return streamWithCompletion({
        next: async () => {
          entries ??= await this.h.readDirectory();
          const next = entries.shift();
          return next && { type: { tag: next.type }, name: next.name };
        },
        errorCode,
      });
    }
    async createDirectoryAt(path: string): Promise<void> {
      await this.h.createDirectoryAt(path);
    }
    async stat(): Promise<Types.DescriptorStat> {
      return statOf(await this.h.stat());
    }
    async statAt(pathFlags: Types.PathFlags, path: string): Promise<Types.DescriptorStat> {
      return statOf(await this.h.statAt(Boolean(pathFlags.symlinkFollow), path));
    }
    async setTimesAt(pathFlags: Types.PathFlags, path: string, a: Types.NewTimestamp, m: Types.NewTimestamp): Promise<void> {
      await this.h.setTimesAt(Boolean(pathFlags.symlinkFollow), path, a, m);
    }
    async linkAt(oldFlags: Types.PathFlags, oldPath: string, newDir: Descriptor, newPath: string): Promise<void> {
      await this.h.linkAt(Boolean(oldFlags.symlinkFollow), oldPath, newDir.h, newPath);
    }
    async openAt(pathFlags: Types.PathFlags, path: string, openFlags: Types.OpenFlags, flags: Types.DescriptorFlags): Promise<Descriptor> {
      return new Descriptor(await this.h.openAt(Boolean(pathFlags.symlinkFollow), path, openFlags, flags));
    }
    async readlinkAt(path: string): Promise<string> {
      return this.h.readlinkAt(path);
    }
    async removeDirectoryAt(path: string): Promise<void> {
      await this.h.removeDirectoryAt(path);
    }
    async renameAt(oldPath: string, newDir: Descriptor, newPath: string): Promise<void> {
      await this.h.renameAt(oldPath, newDir.h, newPath);
    }
    async symlinkAt(target: string, path: string): Promise<void> {
      await this.h.symlinkAt(target, path);
    }
    async unlinkFileAt(path: string): Promise<void> {
      await this.h.unlinkFileAt(path);
    }
    async isSameObject(other: Descriptor): Promise<boolean> {
      return this.h.isSameObject(other.h);
    }
    async metadataHash(): Promise<Types.MetadataHashValue> {
      return this.h.metadataHash();
    }
    async metadataHashAt(pathFlags: Types.PathFlags, path: string): Promise<Types.MetadataHashValue> {
      return this.h.metadataHashAt(Boolean(pathFlags.symlinkFollow), path);
    }
  }

  return {
    "wasi:filesystem/types@0.3.0": { Descriptor },
    "wasi:filesystem/preopens@0.3.0": {
      getDirectories: () => preopenHandles(ctx).map(([h, path]): [Descriptor, string] => [new Descriptor(h), path]),
    },
  } satisfies PackageP3<"wasi:filesystem">;
}
