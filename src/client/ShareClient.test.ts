/** ShareClient against the real share API (server/share) on a free port, over a folder store. */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveShare } from "../../server/share/serve-for-tests";
import { SHARE_LIMITS } from "../protocol/share-api";
import { ShareClient, ShareError, sha256Hex } from "./ShareClient";

const bytesOf = (n: number) => new Uint8Array(randomBytes(n));
const nodeSha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("ShareClient", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serveShare>>;
  let calls: string[];
  let client: ShareClient;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "share-client-test-"));
    server = await serveShare(dir);
    calls = [];
    client = new ShareClient(server.base, (input, init) => (calls.push(`${init?.method ?? "GET"} ${String(input).slice(server.base.length)}`), fetch(input, init)));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hashes with Web Crypto as Node does", async () => {
    const b = bytesOf(1000);
    expect(await sha256Hex(b)).toBe(nodeSha256(b));
  });

  it("uploads only what the server lacks, each once, then makes a link that gives it all back", async () => {
    const [a, b] = [bytesOf(2000), bytesOf(3000)];
    const [ha, hb] = [nodeSha256(a), nodeSha256(b)];
    calls.length = 0;
    expect(await client.uploadBlobs([a])).toEqual([{ sha256: ha, uploaded: true }]);
    expect(await client.uploadBlobs([b, a, b])).toEqual([
      { sha256: hb, uploaded: true },
      { sha256: ha, uploaded: false },
      { sha256: hb, uploaded: true },
    ]);
    expect(calls.filter((c) => c.startsWith("PUT")).sort()).toEqual([`PUT /api/blobs/${ha}`, `PUT /api/blobs/${hb}`].sort());

    const state = { v: 1, component: { sha256: ha }, files: [{ path: "data.bin", sha256: hb }] };
    const link = await client.share(state, [a, b]);
    expect(link.url).toBe(`${server.base}/s/${link.id}`);
    expect(await client.fetchLink(link.id)).toEqual({ id: link.id, blobs: [ha, hb].sort(), state });
    expect(await client.fetchBlob(hb)).toEqual(b);
  });

  it("carries the server's sentence and the missing blobs when a link names one not uploaded", async () => {
    const absent = nodeSha256(bytesOf(10));
    const err = await client.createLink({ state: { v: 1 }, blobs: [absent] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShareError);
    expect(err).toMatchObject({ status: 409, missing: [absent], message: expect.stringContaining(`does not have 1 blob(s) this project references: ${absent}.`) });
  });

  it("refuses a blob whose bytes changed in the store, instead of using them", async () => {
    const b = bytesOf(500);
    const sha256 = nodeSha256(b);
    await client.uploadBlobs([b]);
    writeFileSync(join(dir, "blobs", sha256), bytesOf(500));
    await expect(client.fetchBlob(sha256)).rejects.toThrow(new RegExp(`^The blob ${sha256} arrived with sha256 [0-9a-f]{64}: it was changed on the way`));
  });

  it("says which link or blob is not there, in the server's words", async () => {
    await expect(client.fetchLink("AAAAAAAAAAAAAAAA")).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/^No short link 'AAAAAAAAAAAAAAAA' in the share store/) });
    const absent = nodeSha256(bytesOf(10));
    await expect(client.fetchBlob(absent)).rejects.toMatchObject({ status: 404, message: `No blob ${absent} in the share store: upload it with PUT /api/blobs/${absent}.` });
    await expect(client.fetchLink("not/an/id")).rejects.toMatchObject({ status: 0, message: expect.stringContaining("is not a short link id") });
  });

  it("refuses a blob over the limit before sending anything", async () => {
    calls.length = 0;
    const big = new Uint8Array(SHARE_LIMITS.blobBytes + 1);
    await expect(client.uploadBlobs([big])).rejects.toMatchObject({ status: 413, message: `A blob is 32.0 MiB (${big.length} bytes); the share store takes at most 32.0 MiB (${SHARE_LIMITS.blobBytes} bytes). Share a smaller component or file.` });
    expect(calls).toEqual([]);
  });

  it("says when the server cannot be reached", async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const offline = new ShareClient("http://127.0.0.1:9");
    await expect(offline.hasBlob(nodeSha256(bytesOf(1)))).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/^The share server at http:\/\/127\.0\.0\.1:9 cannot be reached/) });
  });
});
