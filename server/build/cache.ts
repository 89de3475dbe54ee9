/** Built components by content hash, on disk: the same sources never build twice. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsBuildRequestBody } from "../../src/protocol/authoring-api.ts";

/** sha256 of everything that decides the output: tool version, vendored WIT, world, entry, files. */
export function buildKey(body: JsBuildRequestBody, toolVersion: string, vendoredHash: string): string {
  const h = createHash("sha256");
  const part = (s: string) => h.update(`${Buffer.byteLength(s)}:`).update(s);
  part(toolVersion);
  part(vendoredHash);
  part(body.world ?? "");
  part(body.entry);
  for (const f of [...body.files].sort((a, b) => a.path.localeCompare(b.path))) {
    part(f.path);
    part(f.text);
  }
  return h.digest("hex");
}

/** Keeps the `maxEntries` most recently built or used components. */
export class BuildCache {
  constructor(
    readonly dir: string,
    private readonly maxEntries = 200,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  path(key: string): string {
    return join(this.dir, `${key}.wasm`);
  }

  has(key: string): boolean {
    return existsSync(this.path(key));
  }

  read(key: string): Buffer {
    return readFileSync(this.path(key));
  }

  /** Marks a cached build as used (the oldest go first when the cache is full). */
  touch(key: string): void {
    const now = new Date();
    utimesSync(this.path(key), now, now);
  }

  /** Where a build writes its output before `commit` (same folder, so the rename is atomic). */
  tempPath(key: string, id: number): string {
    return `${this.path(key)}.${process.pid}-${id}.tmp`;
  }

  /** Moves a finished build's output into place: a reader never sees half a file. */
  commit(tempPath: string, key: string): void {
    renameSync(tempPath, this.path(key));
    this.#prune();
  }

  #prune(): void {
    const entries = readdirSync(this.dir)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => ({ path: join(this.dir, f), mtime: statSync(join(this.dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(this.maxEntries)) rmSync(old.path, { force: true });
  }

  write(key: string, bytes: Uint8Array): void {
    const tmp = this.tempPath(key, 0);
    writeFileSync(tmp, bytes);
    this.commit(tmp, key);
  }
}
