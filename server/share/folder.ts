/**
 * The share store on one machine: one file per key under a folder (`<dir>/blobs/<sha256>`,
 * `<dir>/links/<id>`). A file is written beside its final name, flushed to disk, then renamed
 * into place, so a crash (or a full disk) leaves at most a `.tmp` file that no reader looks at.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { checkKey, type ObjectStore } from "./objects.ts";

/** Temporary files older than this at start are leftovers of a crash (a write takes well under a second). */
const STALE_TEMP_MS = 60 * 60 * 1000;

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === "ENOENT";

export class FolderObjectStore implements ObjectStore {
  readonly description: string;
  #nextTemp = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.description = `folder ${dir}`;
    this.#sweepTemps();
  }

  #path(key: string): string {
    return join(this.dir, checkKey(key));
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.#path(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.#path(key)));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    // Unique per process and write, in the same folder so the rename is atomic.
    const temp = `${path}.${process.pid}-${this.#nextTemp++}.tmp`;
    try {
      const file = await open(temp, "wx");
      try {
        await file.writeFile(bytes);
        // Without this a power cut after the rename could leave the name pointing at missing data.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  close(): void {}

  /** Removes what a crashed write left behind (recent ones may be another process's writes in progress). */
  #sweepTemps(): void {
    const now = Date.now();
    for (const entry of readdirSync(this.dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".tmp")) continue;
      const path = join(entry.parentPath, entry.name);
      if (now - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    }
  }
}
