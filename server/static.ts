/**
 * Static files with the right types; paths can never leave their root. Compressible files go out
 * gzipped when the client accepts it (compressed once, kept in memory by path, size and mtime);
 * every file has a validator (`ETag`), so a `no-cache` file costs a 304 when it did not change.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** Resolves `urlPath` under `root`, or null if it would escape it. */
export function safeJoin(root: string, urlPath: string): string | null {
  const decoded = decodeURIComponent(urlPath.split("?")[0]!);
  const full = resolve(root, "." + normalize("/" + decoded));
  const rootResolved = resolve(root);
  return full === rootResolved || full.startsWith(rootResolved + sep) ? full : null;
}

/** Long-lived caching for a name that changes whenever the content does (a hash in the name). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Types worth compressing (images and fonts other than TrueType come compressed). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".map", ".ttf", ".wit", ".txt"]);

/** gzip bodies by path; an entry is used while the file's size and mtime match. */
const gzipped = new Map<string, { size: number; mtimeMs: number; body: Buffer }>();
/** Compressed bytes kept at most (oldest dropped first); the app's own files are far below it. */
const GZIP_CACHE_BYTES = 128 * 1024 * 1024;
let gzippedBytes = 0;

function gzipOf(path: string, size: number, mtimeMs: number): Buffer {
  const hit = gzipped.get(path);
  if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return hit.body;
  if (hit) gzippedBytes -= hit.body.length;
  const body = gzipSync(readFileSync(path), { level: 6 });
  gzipped.delete(path);
  gzipped.set(path, { size, mtimeMs, body });
  gzippedBytes += body.length;
  for (const [key, e] of gzipped) {
    if (gzippedBytes <= GZIP_CACHE_BYTES) break;
    gzipped.delete(key);
    gzippedBytes -= e.body.length;
  }
  return body;
}

const acceptsGzip = (req: IncomingMessage | undefined) => /\bgzip\b/.test(String(req?.headers["accept-encoding"] ?? ""));

/**
 * Sends the file at `path` (false when there is none). With `req`, answers `If-None-Match` with
 * 304 and compresses when the client accepts gzip.
 */
export function sendFile(res: ServerResponse, path: string, cache = "no-cache", req?: IncomingMessage): boolean {
  if (!existsSync(path)) return false;
  const st = statSync(path);
  if (!st.isFile()) return false;
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": cache, etag };
  const compress = COMPRESSIBLE.has(extname(path)) && st.size > 1024;
  if (compress) headers.vary = "accept-encoding";
  if (req?.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return true;
  }
  if (compress && acceptsGzip(req)) {
    const body = gzipOf(path, st.size, st.mtimeMs);
    res.writeHead(200, { ...headers, "content-encoding": "gzip", "content-length": body.length });
    res.end(req?.method === "HEAD" ? undefined : body);
    return true;
  }
  res.writeHead(200, { ...headers, "content-length": st.size });
  if (req?.method === "HEAD") res.end();
  else createReadStream(path).pipe(res);
  return true;
}

/**
 * Files of `dir` by the sha256 of their content, so `/components/<sha256>.wasm` can be served with
 * `IMMUTABLE` caching: the name changes when the content does. Rehashed when the folder changes.
 */
export class ContentNames {
  #byHash = new Map<string, string>();
  #stamp = "";

  constructor(readonly dir: string) {}

  /** The file whose content has this sha256, or null. */
  find(sha256: string): string | null {
    if (!existsSync(this.dir)) return null;
    const files = readdirSync(this.dir).filter((f) => !f.startsWith("."));
    const stamp = files.map((f) => `${f}:${statSync(join(this.dir, f)).mtimeMs}`).join("|");
    if (stamp !== this.#stamp) {
      this.#byHash = new Map(files.filter((f) => statSync(join(this.dir, f)).isFile()).map((f) => [createHash("sha256").update(readFileSync(join(this.dir, f))).digest("hex"), f]));
      this.#stamp = stamp;
    }
    const f = this.#byHash.get(sha256);
    return f ? join(this.dir, f) : null;
  }
}

/** The origin a request was made to (`PUBLIC_URL` when set: behind a proxy that rewrites Host). */
export function originOf(req: IncomingMessage): string {
  const configured = process.env.PUBLIC_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const proto = String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0]!.trim();
  return `${proto}://${req.headers.host ?? "localhost"}`;
}

/**
 * The app's index.html with its social-card URLs made absolute (link previews need them so):
 * `content="/og-image.png"` in `og:` and `twitter:` meta tags becomes `content="<origin>/og-image.png"`.
 */
export function appHtml(html: string, origin: string): string {
  return html.replace(/(<meta\s+(?:property|name)="(?:og|twitter):[a-z:_]+"\s+content=")\/(?!\/)/g, `$1${origin}/`);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": TYPES[".json"]!, "cache-control": "no-cache" });
  res.end(JSON.stringify(value));
}

/** Files under `dir`, recursively, as `/`-separated paths relative to it. */
export function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []));
}

/**
 * `/conformance/wasi-testsuite/index.json`: every test with its manifest (or none), and the files
 * of each folder a manifest preopens as `root`.
 */
export function suiteIndex(dir: string): { tests: Array<{ name: string; manifest: { root?: string } }>; roots: Record<string, string[]> } {
  const tests = readdirSync(dir)
    .filter((f) => f.endsWith(".wasm"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -5);
      const json = join(dir, `${name}.json`);
      return { name, manifest: existsSync(json) ? (JSON.parse(readFileSync(json, "utf8")) as { root?: string }) : {} };
    });
  const roots: Record<string, string[]> = {};
  for (const t of tests) {
    const root = t.manifest.root;
    if (root && !(root in roots) && existsSync(join(dir, root))) roots[root] = listFiles(join(dir, root));
  }
  return { tests, roots };
}

/** Serves `/conformance/...` from the shared conformance folder. Returns false if not handled. */
export function handleConformance(conformanceRoot: string, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  if (!url.startsWith("/conformance/")) return false;
  const rel = url.slice("/conformance/".length).split("?")[0]!;
  if (!existsSync(conformanceRoot)) {
    sendJson(res, 404, { error: `conformance folder not found at ${conformanceRoot}` });
    return true;
  }
  if (rel === "wasi-testsuite/index.json") {
    sendJson(res, 200, suiteIndex(join(conformanceRoot, "wasi-testsuite")));
    return true;
  }
  const path = safeJoin(conformanceRoot, rel);
  if (!path || !sendFile(res, path, "max-age=3600")) sendJson(res, 404, { error: `not found: ${url}` });
  return true;
}
