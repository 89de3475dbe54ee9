/** Static files with the right types; paths can never leave their root. */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

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

export function sendFile(res: ServerResponse, path: string, cache = "no-cache"): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": cache });
  createReadStream(path).pipe(res);
  return true;
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
