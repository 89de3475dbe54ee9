/**
 * The server's share store from the page (`src/protocol/share-api.ts`): uploads binaries by
 * sha256 (only those the server lacks), makes short links, and fetches links and binaries back,
 * checking each binary against its hash. Failures are `ShareError`s carrying the server's sentence.
 */
import { BLOB_HASH, describeTooLarge, SHARE_ID, SHARE_LIMITS, type ShareCreated, type ShareCreateRequest, type ShareErrorBody, type ShareRecord } from "../protocol/share-api";

export class ShareError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or 0 when the server was not reached or its answer was wrong. */
    readonly status: number,
    /** Blobs the server named as missing (409): upload them and try again. */
    readonly missing: string[] = [],
  ) {
    super(message);
    this.name = "ShareError";
  }
}

/** A short link made: its id and its full URL. */
export interface ShareLink {
  id: string;
  url: string;
}

/** The sha256 of `bytes` as 64 lowercase hex digits (Web Crypto). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ShareClient {
  /** `base`: the server's origin (the page's own by default). */
  constructor(
    readonly base: string = location.origin,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The answer when it is 2xx (or 404, if `missingIsAnswer`); otherwise the server's error. */
  async #request(path: string, init?: RequestInit, missingIsAnswer = false): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, init);
    } catch (err) {
      throw new ShareError(`The share server at ${this.base} cannot be reached (${(err as Error).message}).`, 0);
    }
    if (res.ok || (missingIsAnswer && res.status === 404)) return res;
    throw await errorOf(res);
  }

  async hasBlob(sha256: string): Promise<boolean> {
    return (await this.#request(`/api/blobs/${sha256}`, { method: "HEAD" }, true)).ok;
  }

  /**
   * Uploads the blobs the server does not have yet (asked with HEAD first), each once.
   * Returns each blob's hash and whether it was sent now, in the order given.
   */
  async uploadBlobs(blobs: readonly Uint8Array<ArrayBuffer>[]): Promise<{ sha256: string; uploaded: boolean }[]> {
    for (const b of blobs) {
      if (b.length > SHARE_LIMITS.blobBytes) throw new ShareError(`${describeTooLarge("A blob", b.length, SHARE_LIMITS.blobBytes)} Share a smaller component or file.`, 413);
    }
    const hashes = await Promise.all(blobs.map((b) => sha256Hex(b)));
    const unique = new Map(hashes.map((h, i) => [h, blobs[i]!]));
    const sent = new Map(
      await Promise.all(
        [...unique].map(async ([sha256, bytes]) => {
          if (await this.hasBlob(sha256)) return [sha256, false] as const;
          await this.#request(`/api/blobs/${sha256}`, { method: "PUT", body: bytes, headers: { "content-type": "application/octet-stream" } });
          return [sha256, true] as const;
        }),
      ),
    );
    return hashes.map((sha256) => ({ sha256, uploaded: sent.get(sha256)! }));
  }

  /** Makes a short link to `request.state`; every blob it names must be uploaded first. */
  async createLink(request: ShareCreateRequest): Promise<ShareLink> {
    const res = await this.#request("/api/share", { method: "POST", body: JSON.stringify(request), headers: { "content-type": "application/json" } });
    const created = (await res.json()) as ShareCreated;
    return { id: created.id, url: new URL(created.url, this.base).href };
  }

  /** Uploads what the server lacks of `blobs`, then makes a short link to `state` that names them. */
  async share(state: ShareCreateRequest["state"], blobs: readonly Uint8Array<ArrayBuffer>[]): Promise<ShareLink> {
    const uploaded = await this.uploadBlobs(blobs);
    return this.createLink({ state, blobs: uploaded.map((u) => u.sha256) });
  }

  /** What a short link holds. */
  async fetchLink(id: string): Promise<ShareRecord> {
    if (!SHARE_ID.test(id)) throw new ShareError(`'${id}' is not a short link id (16 letters, digits, '-' or '_').`, 0);
    const res = await this.#request(`/api/share/${id}`);
    return (await res.json()) as ShareRecord;
  }

  /** A blob's bytes, refused unless their sha256 is `sha256`. */
  async fetchBlob(sha256: string): Promise<Uint8Array<ArrayBuffer>> {
    if (!BLOB_HASH.test(sha256)) throw new ShareError(`'${sha256}' is not a sha256 (64 lowercase hex digits).`, 0);
    const res = await this.#request(`/api/blobs/${sha256}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const actual = await sha256Hex(bytes);
    if (actual !== sha256) throw new ShareError(`The blob ${sha256} arrived with sha256 ${actual}: it was changed on the way, so it is not used. Try again.`, 0);
    return bytes;
  }
}

/** The server's error sentence (any answer that is not a share error says its status). */
async function errorOf(res: Response): Promise<ShareError> {
  let body: Partial<ShareErrorBody> = {};
  try {
    body = (await res.json()) as ShareErrorBody;
  } catch {
    // Not JSON: a proxy's page, or a HEAD answer, which has no body.
  }
  const message = typeof body.error === "string" ? body.error : `The share server answered ${res.status} ${res.statusText}.`;
  return new ShareError(message, res.status, Array.isArray(body.missing) ? body.missing : []);
}
