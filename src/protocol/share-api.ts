/**
 * The server's share store over HTTP (`server/share/`, documented in `server/README.md`):
 * binaries by sha256 and short links to project states. Shared by the server and
 * `client/ShareClient`, so both enforce the same limits.
 *
 * - `HEAD|GET|PUT /api/blobs/<sha256>`: a blob (raw bytes), stored under its own hash;
 * - `POST /api/share` (`ShareCreateRequest`) -> `ShareCreated`: a short link to a state;
 * - `GET /api/share/<id>` -> `ShareRecord`; `/s/<id>` serves the app, which loads the record.
 * Every error body is a `ShareErrorBody`.
 */

export const SHARE_LIMITS = {
  /** A `POST /api/share` body: a project state references its binaries by hash, so it stays small. */
  stateBytes: 256 * 1024,
  /** How deeply a state's arrays and objects may nest. */
  stateDepth: 64,
  /**
   * One blob (a component or an uploaded file). Components built here (QuickJS) are about 2 MiB;
   * uploaded ones built with componentize-js carry a 10-13 MiB engine, debug builds more.
   */
  blobBytes: 32 * 1024 * 1024,
  /** Blobs one short link may name (each is checked to be stored before the link is made). */
  blobsPerLink: 256,
} as const;

/** A blob's id: its sha256 as 64 lowercase hex digits. */
export const BLOB_HASH = /^[0-9a-f]{64}$/;

/** A short link's id: 16 base64url characters (see `server/share/ids.ts` for why 96 bits). */
export const SHARE_ID = /^[A-Za-z0-9_-]{16}$/;

/** The id in a short link's path (`/s/<id>`), or null if the path is not one. */
export function shareIdFromPath(pathname: string): string | null {
  const m = /^\/s\/([^/]+)\/?$/.exec(pathname);
  return m && SHARE_ID.test(m[1]!) ? m[1]! : null;
}

/** `1.5 MiB`, `300.0 KiB`, `12 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The 413 sentence, the same from the server and from a client that checks before sending:
 * `what` is "The blob"; `exact` is false when the size is only known to be past the limit.
 */
export function describeTooLarge(what: string, size: number, limit: number, exact = true): string {
  const is = exact ? `is ${formatBytes(size)} (${size} bytes)` : `is more than ${formatBytes(limit)}`;
  return `${what} ${is}; the share store takes at most ${formatBytes(limit)} (${limit} bytes).`;
}

/** A JSON value, as a project state is made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type JsonObject = { [key: string]: Json };

/** The body of `POST /api/share`. */
export interface ShareCreateRequest {
  /**
   * The project state: an object of JSON values (its schema and versions belong to the browser,
   * which reads it back as a `JsonObject` and checks it).
   */
  state: object;
  /** The blobs the state references: each must be stored already, or the link is refused (409). */
  blobs?: string[];
}

/** `POST /api/share`'s answer: 201 when the link is new, 200 when this state was shared before. */
export interface ShareCreated {
  id: string;
  /** The short link, relative to the server (`/s/<id>`). */
  url: string;
}

/** `GET /api/share/<id>`: what was shared, exactly (object keys sorted). */
export interface ShareRecord {
  id: string;
  state: JsonObject;
  /** Sorted, without duplicates. */
  blobs: string[];
}

/** `PUT /api/blobs/<sha256>`'s answer: 201 when stored now, 200 when it was stored before. */
export interface BlobStored {
  sha256: string;
  size: number;
}

/** Every error: a sentence a user can act on, and for some errors the facts behind it. */
export interface ShareErrorBody {
  error: string;
  /** 409 from `POST /api/share`: the referenced blobs that are not stored; upload them and retry. */
  missing?: string[];
  /** 413: the size of what was sent (at least this much when it was sent without a length) and the limit. */
  size?: number;
  limit?: number;
}
