/**
 * The JS guest build endpoint:
 * - `POST /api/build` (`JsBuildRequestBody`): builds `entry` + `wit/` with componentize-qjs and
 *   streams NDJSON (`JsBuildStreamEvent`): queue position, the build's log, then the result;
 * - `GET /api/build/<sha256>.wasm`: a built component.
 * Builds are cached by content hash, queued (`concurrency` at a time, identical builds shared),
 * and stopped past `timeoutMs`. The vendored WASI packages are available as `wit/deps`.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkerModule, guestWorld, type GuestWorld } from "../../src/authoring/guest-shape.ts";
import { witSources } from "../../src/authoring/project.ts";
import type { JsBuildRequestBody, JsBuildStreamEvent } from "../../src/protocol/authoring-api.ts";
import { ParseCache } from "../../src/wit/bundle.ts";
import { WitModel, type SourceFile } from "../../src/wit/model.ts";
import { listFiles, sendJson } from "../static.ts";
import { BuildCache, buildKey } from "./cache.ts";
import { mapBuildError } from "./errors.ts";
import { BuildQueue } from "./queue.ts";
import { ComponentizeRunner } from "./runner.ts";

export interface BuildEndpointOptions {
  cacheDir: string;
  /** The vendored WIT packages (`wit/deps`). */
  depsDir: string;
  timeoutMs: number;
  concurrency: number;
  maxWaiting: number;
  /** How many built components the cache keeps. */
  maxCached?: number;
}

type Done = Extract<JsBuildStreamEvent, { type: "done" }>;

const MAX_BODY = 4 * 1024 * 1024;
const MAX_FILES = 200;
const PATH_OK = /^(?:wit\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\.wit|[A-Za-z0-9._-]+\.m?js)$/;

const toolVersion = `componentize-qjs@${(createRequire(import.meta.url)("componentize-qjs/package.json") as { version: string }).version}`;

/**
 * The entry componentize-qjs builds: a module that checks the guest's exports against the world,
 * then re-exports it (src/authoring/guest-shape.ts). `+` cannot occur in a project's file names.
 */
const CHECKER = "playground+entry.js";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`the request is larger than ${MAX_BODY / 1024 / 1024} MiB`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A validated request body, or the reason it is refused. */
export function parseBuildBody(text: string): JsBuildRequestBody | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  const b = v as Partial<JsBuildRequestBody>;
  if (!b || !Array.isArray(b.files) || typeof b.entry !== "string") return "expected { files: [{ path, text }], entry, world }";
  if (b.files.length > MAX_FILES) return `at most ${MAX_FILES} files`;
  for (const f of b.files) {
    if (typeof f?.path !== "string" || typeof f.text !== "string") return "each file needs a path and a text";
    if (!PATH_OK.test(f.path) || f.path.split("/").some((s) => s === "." || s === "..")) return `'${f.path}' is not a WIT file under wit/ or a JS file at the top`;
  }
  if (!b.files.some((f) => f.path === b.entry)) return `the entry '${b.entry}' is not among the files`;
  if (!b.files.some((f) => /^wit\/[^/]+\.wit$/.test(f.path))) return "the project has no WIT in wit/";
  if (b.world !== null && b.world !== undefined && typeof b.world !== "string") return "world must be a string or null";
  return { files: b.files, entry: b.entry, world: b.world ?? null };
}

export function createBuildEndpoint(opts: BuildEndpointOptions) {
  const cache = new BuildCache(opts.cacheDir, opts.maxCached);
  const queue = new BuildQueue<Done>(opts.concurrency, opts.maxWaiting);
  const runners = Array.from({ length: opts.concurrency }, () => new ComponentizeRunner(opts.timeoutMs));
  // The queue starts at most `concurrency` builds at once, so a started build always finds one here.
  const free = [...runners];
  const vendored = existsSync(opts.depsDir) ? readdirSync(opts.depsDir).filter((d) => !d.startsWith(".")) : [];
  const vendoredHash = createHash("sha256")
    .update(existsSync(opts.depsDir) ? listFiles(opts.depsDir).map((f) => `${f}\n${readFileSync(join(opts.depsDir, f), "utf8")}`).join("\n") : "")
    .digest("hex");
  const parsed = new ParseCache();
  const vendoredWit: SourceFile[] = existsSync(opts.depsDir)
    ? listFiles(opts.depsDir)
        .filter((f) => f.endsWith(".wit"))
        .map((f) => ({ path: `vendor/${f}`, text: readFileSync(join(opts.depsDir, f), "utf8"), group: `vendor/${f.split("/")[0]}` }))
    : [];
  /** The world being built, read with the playground's WIT model (null when it cannot be found). */
  const worldOf = (body: JsBuildRequestBody): GuestWorld | null => {
    const { project, deps } = witSources(body.files);
    const model = new WitModel([...project, ...deps, ...vendoredWit], (text) => parsed.get(text));
    const pkg = model.groupPackage.get("project");
    return pkg ? guestWorld(model, pkg, body.world) : null;
  };
  /** Log listeners of each build in progress (identical requests share one build and its log). */
  const listeners = new Map<string, Set<(line: string) => void>>();
  let nextId = 1;

  async function build(key: string, body: JsBuildRequestBody): Promise<Done> {
    const t0 = performance.now();
    const log = (line: string) => listeners.get(key)?.forEach((l) => l(line));
    const root = mkdtempSync(join(tmpdir(), "wasi-playground-build-"));
    const runner = free.pop()!;
    try {
      for (const f of body.files) {
        mkdirSync(dirname(join(root, f.path)), { recursive: true });
        writeFileSync(join(root, f.path), f.text);
      }
      const deps = join(root, "wit", "deps");
      mkdirSync(deps, { recursive: true });
      for (const d of vendored) {
        if (existsSync(join(deps, d))) continue;
        try {
          symlinkSync(join(opts.depsDir, d), join(deps, d), "dir");
        } catch {
          cpSync(join(opts.depsDir, d), join(deps, d), { recursive: true });
        }
      }
      const witCount = body.files.filter((f) => f.path.endsWith(".wit")).length;
      log(`${toolVersion}: ${body.entry} + ${witCount} WIT file(s)${body.world ? `, world ${body.world}` : ""}; WASI 0.3/0.2 from wit/deps`);
      const world = worldOf(body);
      let entry = body.entry;
      if (world) {
        writeFileSync(join(root, CHECKER), checkerModule(body.entry, world));
        entry = CHECKER;
      }
      const out = cache.tempPath(key, nextId++);
      const r = await runner.run({ witDir: join(root, "wit"), jsPath: join(root, entry), moduleRoot: root, world: body.world, outPath: out }, (line) => log(line.split(root).join("")));
      const ms = performance.now() - t0;
      if (r.ok) {
        cache.commit(out, key);
        log(`built in ${(ms / 1000).toFixed(2)} s (${(r.size / 1024).toFixed(0)} KiB)`);
        return { type: "done", ok: true, hash: key, size: r.size, cached: false, ms };
      }
      rmSync(out, { force: true });
      if ("timedOut" in r) {
        const message = `The build ran longer than ${(opts.timeoutMs / 1000).toFixed(0)} s and was stopped. componentize-qjs runs the module's top-level code at build time (to snapshot it): look for an endless loop or a wait outside the exported functions.`;
        log(message);
        return { type: "done", ok: false, message, diagnostics: [], ms, timedOut: true };
      }
      const mapped = mapBuildError(r.message, root, { files: body.files, entry: body.entry, world });
      log(mapped.message);
      return { type: "done", ok: false, message: mapped.message, diagnostics: mapped.diagnostics, ms, timedOut: false };
    } finally {
      free.push(runner);
      rmSync(root, { recursive: true, force: true });
    }
  }

  async function handleBuild(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text: string;
    try {
      text = await readBody(req);
    } catch (err) {
      return sendJson(res, 413, { message: (err as Error).message });
    }
    const body = parseBuildBody(text);
    if (typeof body === "string") return sendJson(res, 400, { message: body });
    // The checker in the key: components built before builds were checked are not reused.
    const key = buildKey(body, `${toolVersion}+${CHECKER}`, vendoredHash);
    const t0 = performance.now();
    if (!cache.has(key) && !queue.canAccept(key)) return sendJson(res, 503, { message: `${queue.waiting} builds are waiting; try again in a minute.` });
    res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
    const send = (e: JsBuildStreamEvent) => res.write(`${JSON.stringify(e)}\n`);
    if (cache.has(key)) {
      cache.touch(key);
      const size = cache.read(key).length;
      send({ type: "log", line: `cache hit: these sources were built before (${key.slice(0, 12)}…)` });
      send({ type: "done", ok: true, hash: key, size, cached: true, ms: performance.now() - t0 });
      res.end();
      return;
    }
    const onLine = (line: string) => send({ type: "log", line });
    let set = listeners.get(key);
    if (!set) listeners.set(key, (set = new Set()));
    set.add(onLine);
    try {
      const done = await queue.run(key, () => build(key, body), (ahead) => {
        send({ type: "queued", position: ahead });
        send({ type: "log", line: `queued: ${ahead} build(s) ahead` });
      });
      send(done);
    } catch (err) {
      send({ type: "done", ok: false, message: `The build failed in the server: ${(err as Error).message}`, diagnostics: [], ms: performance.now() - t0, timedOut: false });
    } finally {
      set.delete(onLine);
      if (set.size === 0) listeners.delete(key);
      res.end();
    }
  }

  return {
    /** Handles the request if it is for the build endpoint; false otherwise. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const url = (req.url ?? "").split("?")[0]!;
      if (url === "/api/build") {
        if (req.method !== "POST") {
          sendJson(res, 405, { message: "POST a JsBuildRequestBody" });
          return true;
        }
        void handleBuild(req, res);
        return true;
      }
      const m = /^\/api\/build\/([0-9a-f]{64})\.wasm$/.exec(url);
      if (!m) return false;
      if (!cache.has(m[1]!)) sendJson(res, 404, { message: "no such build" });
      else {
        const bytes = cache.read(m[1]!);
        res.writeHead(200, { "content-type": "application/wasm", "content-length": bytes.length, "cache-control": "public, max-age=31536000, immutable" });
        res.end(bytes);
      }
      return true;
    },
    dispose(): void {
      for (const r of runners) r.dispose();
    },
  };
}

/** The endpoint with its settings from the environment: BUILD_CACHE_DIR, BUILD_TIMEOUT_MS, BUILD_CONCURRENCY, BUILD_MAX_WAITING, BUILD_CACHE_MAX_ENTRIES. */
export function buildEndpointFromEnv(root: string) {
  const env = (name: string, fallback: number) => {
    const n = Number(process.env[name]);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return createBuildEndpoint({
    cacheDir: process.env.BUILD_CACHE_DIR ?? join(root, ".cache", "builds"),
    depsDir: join(root, "wit", "deps"),
    timeoutMs: env("BUILD_TIMEOUT_MS", 60_000),
    concurrency: env("BUILD_CONCURRENCY", 1),
    maxWaiting: env("BUILD_MAX_WAITING", 16),
    maxCached: env("BUILD_CACHE_MAX_ENTRIES", 200),
  });
}
