/**
 * The share store over HTTP (types and limits: `src/protocol/share-api.ts`; the API is described
 * in `server/README.md`):
 * - `HEAD|GET|PUT /api/blobs/<sha256>`: binaries, named by their hash (checked on upload);
 * - `POST /api/share`: a short link to a project state, refused (409) while a blob it names is
 *   not stored; `GET /api/share/<id>`: the link's record; `/s/<id>`: the app, which loads it.
 * Every error is JSON `{ error }` with a sentence that says what to do.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BLOB_HASH, describeTooLarge, SHARE_ID, SHARE_LIMITS, type ShareCreated, type ShareCreateRequest, type ShareErrorBody } from "../../src/protocol/share-api.ts";
import { sendJson } from "../static.ts";
import { canonicalJson } from "./ids.ts";
import type { ShareStore } from "./store.ts";

export interface ShareEndpointOptions {
  store: ShareStore;
  /** Answers `/s/<id>` with the app's page and this status (404 for a link that is not stored). */
  serveApp(res: ServerResponse, status: number): void;
}

/** Content-addressed answers never change: a year, and `immutable` so browsers do not revalidate. */
const IMMUTABLE = "public, max-age=31536000, immutable";

type Body = { ok: true; bytes: Buffer } | { ok: false; size: number; exact: boolean };

/**
 * Reads a request body of at most `limit` bytes; past it, says how much came (exactly, when declared).
 * The rest of an oversized body is read and dropped, not cut off (Node drains what a handler left
 * unread): closing a connection the client is still sending on can reset it before the client reads
 * the 413. Node's `requestTimeout` (5 minutes) bounds how long that goes on.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isSafeInteger(declared) && declared > limit) return Promise.resolve({ ok: false, size: declared, exact: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.resume();
      resolve({ ok: false, size, exact: false });
    };
    req.on("data", onData);
    req.on("end", () => resolve({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.on("error", reject);
  });
}

function sendError(res: ServerResponse, status: number, body: ShareErrorBody, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status, body);
}

function sendTooLarge(res: ServerResponse, what: string, body: Extract<Body, { ok: false }>, limit: number, advice: string): void {
  sendError(res, 413, { error: `${describeTooLarge(what, body.size, limit, body.exact)} ${advice}`, size: body.size, limit });
}

/** A validated `POST /api/share` body, or the reason it is refused. */
export function parseShareRequest(text: string): ShareCreateRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `The request body is not JSON (${(err as Error).message}).`;
  }
  const shape = "Send { state: {...}, blobs: [sha256, ...] }";
  if (typeof v !== "object" || v === null || Array.isArray(v)) return `${shape}: the body is not a JSON object.`;
  const { state, blobs = [] } = v as { state?: unknown; blobs?: unknown };
  if (typeof state !== "object" || state === null || Array.isArray(state)) return `${shape}: state must be a JSON object (the project state).`;
  if (!Array.isArray(blobs)) return `${shape}: blobs must be a list of sha256 hashes.`;
  const bad = blobs.find((h) => typeof h !== "string" || !BLOB_HASH.test(h));
  if (bad !== undefined) return `${JSON.stringify(bad)} in blobs is not a sha256 (64 lowercase hex digits).`;
  const unique = [...new Set(blobs as string[])].sort();
  if (unique.length > SHARE_LIMITS.blobsPerLink) return `A short link references at most ${SHARE_LIMITS.blobsPerLink} blobs; this one lists ${unique.length}.`;
  return { state, blobs: unique };
}

/** How a list of hashes reads in a message: the first few, then how many more. */
function nameHashes(hashes: string[]): string {
  const shown = hashes.slice(0, 3).join(", ");
  return hashes.length > 3 ? `${shown} and ${hashes.length - 3} more` : shown;
}

export function createShareEndpoint({ store, serveApp }: ShareEndpointOptions) {
  async function blob(req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
    if (!BLOB_HASH.test(hash)) return sendError(res, 400, { error: `'${hash}' is not a sha256: blobs are named by their hash in 64 lowercase hex digits.` });
    const notStored = `No blob ${hash} in the share store: upload it with PUT /api/blobs/${hash}.`;
    if (req.method === "PUT") {
      const body = await readLimited(req, SHARE_LIMITS.blobBytes);
      if (!body.ok) return sendTooLarge(res, "The blob", body, SHARE_LIMITS.blobBytes, "Share a smaller component or file.");
      const put = await store.putBlob(hash, body.bytes);
      if ("mismatch" in put) {
        return sendError(res, 400, {
          error: `The body's sha256 is ${put.mismatch}, not ${hash}: it was changed or cut short on the way. Upload the exact bytes to /api/blobs/<their sha256>.`,
        });
      }
      return sendJson(res, put.created ? 201 : 200, { sha256: hash, size: body.bytes.length });
    }
    if (req.method === "HEAD") {
      res.writeHead((await store.hasBlob(hash)) ? 200 : 404, { "cache-control": "no-cache" }).end();
      return;
    }
    if (req.method !== "GET") return sendError(res, 405, { error: `Use GET, HEAD or PUT on /api/blobs/${hash}.` }, { allow: "GET, HEAD, PUT" });
    const etag = `"${hash}"`;
    if (req.headers["if-none-match"]?.split(/\s*,\s*/).includes(etag) && (await store.hasBlob(hash))) {
      res.writeHead(304, { etag, "cache-control": IMMUTABLE }).end();
      return;
    }
    const bytes = await store.getBlob(hash);
    if (!bytes) return sendError(res, 404, { error: notStored });
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": bytes.length,
      etag,
      "cache-control": IMMUTABLE,
      // Uploads are anyone's bytes: never let a browser render them as a page of this origin.
      "x-content-type-options": "nosniff",
    });
    res.end(bytes);
  }

  async function createLink(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readLimited(req, SHARE_LIMITS.stateBytes);
    if (!body.ok) {
      return sendTooLarge(res, "The project state", body, SHARE_LIMITS.stateBytes, "Upload large files and components as blobs (PUT /api/blobs/<sha256>) and reference them by hash.");
    }
    const parsed = parseShareRequest(body.bytes.toString("utf8"));
    if (typeof parsed === "string") return sendError(res, 400, { error: parsed });
    let record: string;
    try {
      record = canonicalJson({ state: parsed.state, blobs: parsed.blobs }, SHARE_LIMITS.stateDepth);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return sendError(res, 400, { error: `The project state's ${err.message}.` });
    }
    const missing = await store.missingBlobs(parsed.blobs ?? []);
    if (missing.length > 0) {
      const error = `The share store does not have ${missing.length} blob(s) this project references: ${nameHashes(missing)}. Upload each with PUT /api/blobs/<sha256>, then share again.`;
      return sendError(res, 409, { error, missing });
    }
    const { id, created } = await store.putLink(record);
    sendJson(res, created ? 201 : 200, { id, url: `/s/${id}` } satisfies ShareCreated);
  }

  async function getLink(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method !== "GET") return sendError(res, 405, { error: `Use GET on /api/share/${id}.` }, { allow: "GET" });
    const record = SHARE_ID.test(id) ? await store.getLink(id) : null;
    if (!record) return sendError(res, 404, { error: `No short link '${id}' in the share store: check that the link was copied whole, and from this server.` });
    // The record is the canonical text `{"blobs":...,"state":...}`; the id goes in front, the rest as stored.
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": IMMUTABLE });
    res.end(`{"id":${JSON.stringify(id)},${record.slice(1)}`);
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const blobPath = /^\/api\/blobs\/([^/]*)$/.exec(path);
    if (blobPath) return blob(req, res, blobPath[1]!);
    if (path === "/api/share") {
      if (req.method !== "POST") return sendError(res, 405, { error: "POST a project state ({ state, blobs }) to /api/share." }, { allow: "POST" });
      return createLink(req, res);
    }
    const linkPath = /^\/api\/share\/([^/]*)$/.exec(path);
    if (linkPath) return getLink(req, res, linkPath[1]!);
    const page = /^\/s\/([^/]*)\/?$/.exec(path);
    if (page) return serveApp(res, SHARE_ID.test(page[1]!) && (await store.hasLink(page[1]!)) ? 200 : 404);
    sendError(res, 404, { error: `No ${path} here: the share API is /api/blobs/<sha256>, /api/share and /api/share/<id>.` });
  }

  return {
    /** Handles the request if it is for the share store; false otherwise. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const path = (req.url ?? "/").split("?")[0]!;
      if (!/^\/(api\/(blobs|share)(\/|$)|s\/)/.test(path)) return false;
      route(req, res, path).catch((err: unknown) => {
        console.error(`share store: ${req.method} ${path}:`, err);
        if (!res.headersSent) sendError(res, 500, { error: `The share store failed (${(err as Error).message}); try again later.` });
        else res.destroy();
      });
      return true;
    },
  };
}
