import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, get as httpGet, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appHtml, ContentNames, IMMUTABLE, safeJoin, sendFile } from "./static";

describe("safeJoin", () => {
  it("keeps paths inside the root", () => {
    expect(safeJoin("/srv/app", "/a/b.js")).toBe("/srv/app/a/b.js");
    expect(safeJoin("/srv/app", "/../etc/passwd")).toBe("/srv/app/etc/passwd");
    expect(safeJoin("/srv/app", "/%2e%2e/%2e%2e/etc/passwd")).toBe("/srv/app/etc/passwd");
  });
});

describe("sendFile over HTTP", () => {
  let dir: string;
  let server: Server;
  let base: string;
  const big = "export const x = 1;\n".repeat(500);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "static-test-"));
    writeFileSync(join(dir, "app.js"), big);
    writeFileSync(join(dir, "tiny.js"), "1");
    writeFileSync(join(dir, "pic.png"), Buffer.alloc(4096, 7));
    server = createServer((req, res) => {
      if (!sendFile(res, join(dir, req.url!.slice(1)), req.url === "/app.js" ? IMMUTABLE : "no-cache", req)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Raw HTTP, so nothing decodes the body for us. */
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      httpGet(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on("error", reject);
    });

  it("gzips compressible files for clients that accept it, and says so", async () => {
    const r = await get("/app.js", { "accept-encoding": "gzip, deflate, br" });
    expect(r.headers).toMatchObject({ "content-encoding": "gzip", vary: "accept-encoding", "cache-control": IMMUTABLE, "content-length": String(r.body.length) });
    expect(gunzipSync(r.body).toString()).toBe(big);
    expect(r.body.length).toBeLessThan(big.length / 10);
    // The same bytes again, from memory.
    expect((await get("/app.js", { "accept-encoding": "gzip" })).body).toEqual(r.body);
  });

  it("sends plain bytes without accept-encoding, for tiny files and for types that come compressed", async () => {
    expect((await get("/app.js")).headers["content-encoding"]).toBeUndefined();
    expect((await get("/app.js")).body.toString()).toBe(big);
    expect((await get("/tiny.js", { "accept-encoding": "gzip" })).headers["content-encoding"]).toBeUndefined();
    expect((await get("/pic.png", { "accept-encoding": "gzip" })).headers["content-encoding"]).toBeUndefined();
  });

  it("answers a matching If-None-Match with 304, and a changed file with its new content", async () => {
    const first = await get("/tiny.js");
    const etag = first.headers.etag as string;
    expect((await get("/tiny.js", { "if-none-match": etag })).status).toBe(304);
    writeFileSync(join(dir, "tiny.js"), "22");
    utimesSync(join(dir, "tiny.js"), new Date(), new Date(Date.now() + 5000));
    const changed = await get("/tiny.js", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.body.toString()).toBe("22");
  });
});

describe("ContentNames", () => {
  it("finds a file by the sha256 of its content, and follows changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "content-names-"));
    try {
      writeFileSync(join(dir, "a.wasm"), "aaa");
      const names = new ContentNames(dir);
      const sha = "9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0";
      expect(names.find(sha)).toBe(join(dir, "a.wasm"));
      writeFileSync(join(dir, "a.wasm"), "bbb");
      utimesSync(join(dir, "a.wasm"), new Date(), new Date(Date.now() + 5000));
      expect(names.find(sha)).toBeNull();
      expect(new ContentNames(join(dir, "missing")).find(sha)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("appHtml", () => {
  it("makes the social-card URLs absolute and leaves everything else alone", () => {
    const html = '<meta property="og:image" content="/og-image.png" />\n<meta property="og:image:width" content="1200" />\n<meta name="twitter:image" content="/og-image.png" />\n<link rel="icon" href="/favicon.svg" />\n<meta property="og:url" content="//cdn.example/x" />';
    expect(appHtml(html, "https://play.example")).toBe(
      '<meta property="og:image" content="https://play.example/og-image.png" />\n<meta property="og:image:width" content="1200" />\n<meta name="twitter:image" content="https://play.example/og-image.png" />\n<link rel="icon" href="/favicon.svg" />\n<meta property="og:url" content="//cdn.example/x" />',
    );
  });
});
