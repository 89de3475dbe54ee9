/**
 * The binaries a project references, by sha256: this browser's own copies (IndexedDB, so a reload
 * restores a component that was never shared), then the server's share store. A copy is kept of
 * every component the playground loads; the least recently used go past `CACHE_ENTRIES`.
 */
import { createStore, del, get, set, type UseStore } from "idb-keyval";
import { sha256Hex, ShareClient, ShareError } from "../../client/ShareClient";
import { keepRecent, type CacheEntry } from "./recent";

/** About the components of a few sessions' work (examples are 20 KiB to 2 MiB, uploads up to 32 MiB). */
const CACHE_ENTRIES = 40;

export type BlobAnswer = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; missing: boolean; error: string };

export class BlobStore {
  readonly #db: UseStore;
  /** Hashes of byte arrays already hashed (the playground hands the same array around). */
  readonly #hashes = new WeakMap<Uint8Array, string>();

  constructor(
    readonly client: ShareClient = new ShareClient(),
    dbName = "wasi-playground-blobs",
  ) {
    this.#db = createStore(dbName, "blobs");
  }

  /** The sha256 of `bytes`; the bytes are kept in this browser under it. */
  async hash(bytes: Uint8Array): Promise<string> {
    const known = this.#hashes.get(bytes);
    if (known) return known;
    const copy = new Uint8Array(bytes);
    const sha = await sha256Hex(copy);
    this.#hashes.set(bytes, sha);
    await this.keep(sha, copy);
    return sha;
  }

  /** Keeps `bytes` (whose hash is `sha`) in this browser; failures (quota, private mode) only cost the cache. */
  async keep(sha: string, bytes: Uint8Array): Promise<void> {
    try {
      const index = ((await get<CacheEntry[]>("index", this.#db)) ?? []).filter((e) => e.sha !== sha);
      if (!(await get(sha, this.#db))) await set(sha, bytes, this.#db);
      const { keep, drop } = keepRecent([...index, { sha, usedAt: Date.now() }], CACHE_ENTRIES);
      await Promise.all(drop.map((e) => del(e.sha, this.#db)));
      await set("index", keep, this.#db);
    } catch {
      // The share store and a new upload still work without this browser's copy.
    }
  }

  /** The bytes of `sha`: this browser's copy, else the share store's (checked against the hash). */
  async fetch(sha: string): Promise<BlobAnswer> {
    try {
      const local = await get<Uint8Array<ArrayBuffer>>(sha, this.#db);
      if (local && (await sha256Hex(local)) === sha) return { ok: true, bytes: local };
    } catch {
      // No IndexedDB here: ask the server.
    }
    try {
      const bytes = await this.client.fetchBlob(sha);
      await this.keep(sha, bytes);
      return { ok: true, bytes };
    } catch (err) {
      const e = err as ShareError;
      return { ok: false, missing: e.status === 404, error: e.message };
    }
  }

  /** Puts `bytes` on the share store (unless it has them), so links to them open anywhere. */
  async upload(bytes: Uint8Array<ArrayBuffer>): Promise<{ sha256: string; uploaded: boolean }> {
    const [result] = await this.client.uploadBlobs([bytes]);
    return result!;
  }
}
