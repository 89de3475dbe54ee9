/** The share API over real HTTP on a free port, on the folder store (a restart is a new server on the same folder). */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatBytes, SHARE_LIMITS, type ShareCreated, type ShareErrorBody, type ShareRecord } from "../../src/protocol/share-api";
import { parseShareRequest } from "./endpoint";
import { sha256Hex } from "./ids";
import { serveShare } from "./serve-for-tests";

describe("the share API", () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof serveShare>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "share-endpoint-test-"));
    s = await serveShare(dir);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A copy: fetch takes a Uint8Array over an ArrayBuffer, and Buffers may sit on a shared pool.
  const put = (hash: string, body: Uint8Array) => fetch(`${s.base}/api/blobs/${hash}`, { method: "PUT", body: new Uint8Array(body) });
  const share = (body: unknown) => fetch(`${s.base}/api/share`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
  const error = async (res: Response) => (await res.json()) as ShareErrorBody;

  it("stores a blob once: 201, then 200; serves it with its hash as ETag, cached for good", async () => {
    const bytes = randomBytes(3000);
    const hash = sha256Hex(bytes);
    expect((await fetch(`${s.base}/api/blobs/${hash}`, { method: "HEAD" })).status).toBe(404);
    const first = await put(hash, bytes);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ sha256: hash, size: 3000 });
    expect((await put(hash, bytes)).status).toBe(200);
    expect((await fetch(`${s.base}/api/blobs/${hash}`, { method: "HEAD" })).status).toBe(200);

    const got = await fetch(`${s.base}/api/blobs/${hash}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(`"${hash}"`);
    expect(got.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    const again = await fetch(`${s.base}/api/blobs/${hash}`, { headers: { "if-none-match": `"${hash}"` } });
    expect(again.status).toBe(304);
  });

  it("names a missing blob and how to upload it", async () => {
    const hash = sha256Hex("never uploaded");
    const res = await fetch(`${s.base}/api/blobs/${hash}`);
    expect(res.status).toBe(404);
    expect(await error(res)).toEqual({ error: `No blob ${hash} in the share store: upload it with PUT /api/blobs/${hash}.` });
  });

  it("refuses bytes that are not what their hash says, and stores nothing", async () => {
    const claimed = sha256Hex("the real component");
    const res = await put(claimed, new TextEncoder().encode("the real compone"));
    expect(res.status).toBe(400);
    expect((await error(res)).error).toBe(
      `The body's sha256 is ${sha256Hex("the real compone")}, not ${claimed}: it was changed or cut short on the way. Upload the exact bytes to /api/blobs/<their sha256>.`,
    );
    expect((await fetch(`${s.base}/api/blobs/${claimed}`, { method: "HEAD" })).status).toBe(404);
    const notHash = await put("ABC", new Uint8Array(1));
    expect(notHash.status).toBe(400);
    expect((await error(notHash)).error).toMatch(/^'ABC' is not a sha256/);
  });

  it("refuses a blob over the limit with its size", async () => {
    const size = SHARE_LIMITS.blobBytes + 1;
    const res = await put(sha256Hex("big"), new Uint8Array(size));
    expect(res.status).toBe(413);
    expect(await error(res)).toEqual({
      error: `The blob is 32.0 MiB (${size} bytes); the share store takes at most 32.0 MiB (${SHARE_LIMITS.blobBytes} bytes). Share a smaller component or file.`,
      size,
      limit: SHARE_LIMITS.blobBytes,
    });
  });

  it("refuses a blob sent without a length once it passes the limit", async () => {
    // http.request sends a body written in parts without a length (chunked), as fetch does for a stream.
    const { status, json } = await new Promise<{ status: number; json: ShareErrorBody }>((resolve, reject) => {
      const req = request(`${s.base}/api/blobs/${sha256Hex("streamed")}`, { method: "PUT" }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) as ShareErrorBody }));
      });
      req.on("error", reject);
      void (async () => {
        const chunk = new Uint8Array(1 << 20);
        for (let i = 0; i < SHARE_LIMITS.blobBytes / chunk.length + 8; i++) if (!req.write(chunk)) await once(req, "drain");
        req.end();
      })();
    });
    expect(status).toBe(413);
    expect(json.error).toBe(`The blob is more than 32.0 MiB; the share store takes at most 32.0 MiB (${SHARE_LIMITS.blobBytes} bytes). Share a smaller component or file.`);
    expect(json.size).toBeGreaterThan(SHARE_LIMITS.blobBytes);
  });

  it("gives the same state the same short link, whatever its key order, and serves it", async () => {
    const bytes = randomBytes(100);
    const hash = sha256Hex(bytes);
    await put(hash, bytes);
    const a = await share({ state: { v: 1, engine: "cm", component: { sha256: hash } }, blobs: [hash] });
    expect(a.status).toBe(201);
    const created = (await a.json()) as ShareCreated;
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(created.url).toBe(`/s/${created.id}`);
    const b = await share(`{ "blobs": ["${hash}", "${hash}"], "state": { "component": { "sha256": "${hash}" }, "engine": "cm", "v": 1 } }`);
    expect(b.status).toBe(200);
    expect(await b.json()).toEqual(created);

    const got = await fetch(`${s.base}/api/share/${created.id}`);
    expect(got.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await got.json()).toEqual({ id: created.id, blobs: [hash], state: { v: 1, engine: "cm", component: { sha256: hash } } } satisfies ShareRecord);
    const other = (await (await share({ state: { v: 1, engine: "jco", component: { sha256: hash } }, blobs: [hash] })).json()) as ShareCreated;
    expect(other.id).not.toBe(created.id);

    const page = await fetch(`${s.base}/s/${created.id}`);
    expect([page.status, await page.text()]).toEqual([200, "<!doctype html><title>app</title>"]);
    expect((await fetch(`${s.base}/s/AAAAAAAAAAAAAAAA`)).status).toBe(404);
  });

  it("refuses a link to blobs that are not stored, naming them so they can be uploaded", async () => {
    const present = randomBytes(50);
    await put(sha256Hex(present), present);
    const absent = [randomBytes(50), randomBytes(50)];
    const hashes = absent.map((b) => sha256Hex(b));
    const body = { state: { v: 1 }, blobs: [sha256Hex(present), ...hashes] };
    const res = await share(body);
    expect(res.status).toBe(409);
    const e = await error(res);
    expect(e.missing).toEqual([...hashes].sort());
    expect(e.error).toBe(`The share store does not have 2 blob(s) this project references: ${[...hashes].sort().join(", ")}. Upload each with PUT /api/blobs/<sha256>, then share again.`);
    for (const [i, b] of absent.entries()) expect((await put(hashes[i]!, b)).status).toBe(201);
    expect((await share(body)).status).toBe(201);
  });

  it("refuses a project state over the limit with its size", async () => {
    const state = { v: 1, files: [{ path: "big.txt", text: "x".repeat(SHARE_LIMITS.stateBytes) }] };
    const text = JSON.stringify({ state });
    const res = await share(text);
    expect(res.status).toBe(413);
    const e = await error(res);
    expect([e.size, e.limit]).toEqual([text.length, SHARE_LIMITS.stateBytes]);
    expect(e.error).toBe(
      `The project state is ${formatBytes(text.length)} (${text.length} bytes); the share store takes at most 256.0 KiB (262144 bytes). Upload large files and components as blobs (PUT /api/blobs/<sha256>) and reference them by hash.`,
    );
  });

  it("refuses malformed shares with a reason", async () => {
    const reason = async (body: unknown) => {
      const res = await share(body);
      expect(res.status).toBe(400);
      return (await error(res)).error;
    };
    expect(await reason("{")).toMatch(/^The request body is not JSON \(/);
    expect(await reason({ state: [1] })).toBe("Send { state: {...}, blobs: [sha256, ...] }: state must be a JSON object (the project state).");
    expect(await reason({ state: {}, blobs: ["abc"] })).toBe('"abc" in blobs is not a sha256 (64 lowercase hex digits).');
    let deep: unknown = {};
    for (let i = 0; i < SHARE_LIMITS.stateDepth; i++) deep = { d: deep };
    expect(await reason({ state: deep })).toBe(`The project state's objects and arrays are nested deeper than ${SHARE_LIMITS.stateDepth} levels.`);
    const tooMany = Array.from({ length: SHARE_LIMITS.blobsPerLink + 1 }, (_, i) => sha256Hex(String(i)));
    expect(parseShareRequest(JSON.stringify({ state: {}, blobs: tooMany }))).toBe(`A short link references at most 256 blobs; this one lists 257.`);
  });

  it("answers wrong methods and unknown paths in JSON", async () => {
    const hash = sha256Hex("x");
    const del = await fetch(`${s.base}/api/blobs/${hash}`, { method: "DELETE" });
    expect([del.status, del.headers.get("allow"), (await error(del)).error]).toEqual([405, "GET, HEAD, PUT", `Use GET, HEAD or PUT on /api/blobs/${hash}.`]);
    expect((await fetch(`${s.base}/api/share`)).status).toBe(405);
    const missing = await fetch(`${s.base}/api/share/nope`);
    expect([missing.status, (await error(missing)).error]).toEqual([404, "No short link 'nope' in the share store: check that the link was copied whole, and from this server."]);
    expect((await fetch(`${s.base}/api/blobs`)).status).toBe(404);
    expect((await fetch(`${s.base}/other`)).status).toBe(418);
  });

  describe("across a restart", () => {
    let restarted: Awaited<ReturnType<typeof serveShare>> | undefined;
    afterEach(() => restarted?.close());

    it("a short link and its blobs survive the server", async () => {
      const bytes = randomBytes(2000);
      const hash = sha256Hex(bytes);
      await put(hash, bytes);
      const { id } = (await (await share({ state: { v: 1, note: "before the restart" }, blobs: [hash] })).json()) as ShareCreated;
      await s.close();
      restarted = await serveShare(dir);
      const record = (await (await fetch(`${restarted.base}/api/share/${id}`)).json()) as ShareRecord;
      expect(record).toEqual({ id, blobs: [hash], state: { v: 1, note: "before the restart" } });
      expect(Buffer.from(await (await fetch(`${restarted.base}/api/blobs/${hash}`)).arrayBuffer()).equals(bytes)).toBe(true);
      s = restarted;
      restarted = undefined;
    });
  });
});
