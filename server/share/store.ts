/**
 * The share store: blobs named by their sha256 and short links named by a hash of their record,
 * over any `ObjectStore`. Everything is named by its content, so the same bytes always get the
 * same name and are written once: a name that exists is never written again, and writes of one
 * name in progress at once share one write.
 */
import { linkId, sha256Hex } from "./ids.ts";
import type { ObjectStore } from "./objects.ts";

export type BlobPut = { created: boolean } | { mismatch: string };

export class ShareStore {
  /** Writes in progress by key: a second put of the same content joins the first. */
  readonly #writing = new Map<string, Promise<boolean>>();

  constructor(readonly objects: ObjectStore) {}

  hasBlob(sha256: string): Promise<boolean> {
    return this.objects.has(`blobs/${sha256}`);
  }

  getBlob(sha256: string): Promise<Uint8Array | null> {
    return this.objects.get(`blobs/${sha256}`);
  }

  /**
   * Stores `bytes` as the blob `sha256`. Refused (nothing written) when their hash is another:
   * the store never holds a blob under a name that is not its hash.
   */
  async putBlob(sha256: string, bytes: Uint8Array): Promise<BlobPut> {
    const actual = sha256Hex(bytes);
    if (actual !== sha256) return { mismatch: actual };
    return { created: await this.#putOnce(`blobs/${sha256}`, bytes) };
  }

  /** The hashes among `hashes` that are not stored, in their order. */
  async missingBlobs(hashes: readonly string[]): Promise<string[]> {
    const present = await Promise.all(hashes.map((h) => this.hasBlob(h)));
    return hashes.filter((_, i) => !present[i]);
  }

  /** Stores a short link's record (its canonical JSON text); its id comes from that text. */
  async putLink(record: string): Promise<{ id: string; created: boolean }> {
    const id = linkId(record);
    return { id, created: await this.#putOnce(`links/${id}`, new TextEncoder().encode(record)) };
  }

  hasLink(id: string): Promise<boolean> {
    return this.objects.has(`links/${id}`);
  }

  /** A short link's record, or null. */
  async getLink(id: string): Promise<string | null> {
    const bytes = await this.objects.get(`links/${id}`);
    return bytes && new TextDecoder().decode(bytes);
  }

  close(): void {
    this.objects.close();
  }

  /**
   * Writes `bytes` under `key` unless it is there; true when this call wrote it. Two servers on
   * one bucket may both write a new key at once: the content is the same, so either write wins.
   */
  #putOnce(key: string, bytes: Uint8Array): Promise<boolean> {
    const pending = this.#writing.get(key);
    if (pending) return pending.then(() => false);
    const write = (async () => {
      if (await this.objects.has(key)) return false;
      await this.objects.put(key, bytes);
      return true;
    })().finally(() => this.#writing.delete(key));
    this.#writing.set(key, write);
    return write;
  }
}
