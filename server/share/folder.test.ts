/** The folder store: the shared contract, plus what only a folder can show (files, crashes). */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeShareStoreContract } from "./contract.ts";
import { FolderObjectStore } from "./folder.ts";
import { sha256Hex } from "./ids.ts";
import { ShareStore } from "./store.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "share-folder-test-"));
const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

describeShareStoreContract("folder", async () => {
  const dir = tempDir();
  return {
    open: () => new FolderObjectStore(dir),
    count: async (prefix) => (existsSync(join(dir, prefix)) ? files(join(dir, prefix)).length : 0),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe("FolderObjectStore", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("never rewrites a stored blob: its file keeps its inode and time", async () => {
    const store = new ShareStore(new FolderObjectStore(dir));
    const bytes = randomBytes(4096);
    const hash = sha256Hex(bytes);
    await store.putBlob(hash, bytes);
    const before = statSync(join(dir, "blobs", hash));
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.putBlob(hash, bytes)).toEqual({ created: false });
    const after = statSync(join(dir, "blobs", hash));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(files(dir).map((e) => e.name)).toEqual([hash]);
  });

  it("a process killed in the middle of a write leaves no blob, only a temporary file", async () => {
    const bytes = randomBytes(1 << 20);
    const hash = sha256Hex(bytes);
    const source = join(dir, "source.bin");
    writeFileSync(source, bytes);
    const shared = join(dir, "share");
    // The child dies by SIGKILL at the moment it would rename its finished temporary file into place.
    const child = `
      import fs from "node:fs";
      import { syncBuiltinESMExports } from "node:module";
      fs.promises.rename = () => process.kill(process.pid, "SIGKILL");
      syncBuiltinESMExports();
      const { FolderObjectStore } = await import(${JSON.stringify(new URL("./folder.ts", import.meta.url).pathname)});
      await new FolderObjectStore(${JSON.stringify(shared)}).put("blobs/${hash}", fs.readFileSync(${JSON.stringify(source)}));
    `;
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], (err) => resolve((err as { signal?: NodeJS.Signals } | null)?.signal ?? null));
    });
    expect(signal).toBe("SIGKILL");
    const left = files(shared).map((e) => e.name);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^${hash}\\.\\d+-0\\.tmp$`))]);

    const store = new ShareStore(new FolderObjectStore(shared));
    expect(await store.hasBlob(hash)).toBe(false);
    expect(await store.getBlob(hash)).toBeNull();
    expect(await store.putBlob(hash, bytes)).toEqual({ created: true });
    expect(Buffer.from((await store.getBlob(hash))!).equals(bytes)).toBe(true);
  }, 30_000);

  it("at start, removes temporary files a crash left an hour ago, and keeps recent ones", () => {
    const blobs = join(dir, "blobs");
    mkdirSync(blobs);
    const old = join(blobs, `${"a".repeat(64)}.1-0.tmp`);
    const recent = join(blobs, `${"b".repeat(64)}.1-1.tmp`);
    writeFileSync(old, "half");
    writeFileSync(recent, "in progress");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    new FolderObjectStore(dir);
    expect(files(dir).map((e) => e.name)).toEqual([`${"b".repeat(64)}.1-1.tmp`]);
  });

  it("refuses a key the share store would never make", async () => {
    const objects = new FolderObjectStore(dir);
    await expect(objects.put("../escape", new Uint8Array(1))).rejects.toThrow(/malformed object key/);
    await expect(objects.get("blobs/../../x")).rejects.toThrow(/malformed object key/);
  });
});
