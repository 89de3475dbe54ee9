/**
 * The HTTP servers a wasi-testsuite manifest asks for (`servers`, see ../shared/conformance/README.md),
 * started on 127.0.0.1 for the in-page conformance runner, which reaches them through the relay:
 * - an endpoint answers its `method` + raw `path` (query included) with `response` (`status`,
 *   `body`, or `chunks` sent chunked with `trailers`); anything else is 404;
 * - `mode: "echo-headers"` answers 200 with each request field echoed as `x-echo-<name>` and the
 *   request line as `x-request-method` / `x-request-path`; `mode: "echo-body"` answers with the body;
 * - `kind: "closed"` is an address nothing listens on.
 * `POST /api/conformance/servers` starts a set (JSON: the manifest's `servers`) and answers
 * `{ id, addresses: { NAME: "127.0.0.1:PORT" } }`; `DELETE /api/conformance/servers/<id>` stops it.
 * A set left running stops after `MAX_LIFE_MS`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendJson } from "./static";

export interface Endpoint {
  method: string;
  path: string;
  mode?: "echo-headers" | "echo-body";
  response?: { status: number; body?: string; chunks?: string[]; trailers?: Record<string, string>; headers?: Record<string, string> };
}

export type ServerSpec = { name: string; kind?: "http"; endpoints: Endpoint[] } | { name: string; kind: "closed" };

const MAX_LIFE_MS = 5 * 60_000;
const MAX_SETS = 16;

/** Answers one request as the endpoints say. */
export function answer(endpoints: Endpoint[], req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const ep = endpoints.find((e) => e.method === req.method && e.path === req.url);
  if (!ep) {
    res.writeHead(404, { "content-type": "text/plain" }).end(`no endpoint for ${req.method} ${req.url}`);
    return;
  }
  if (ep.mode === "echo-headers") {
    const headers: Record<string, string> = { "x-request-method": req.method ?? "", "x-request-path": req.url ?? "", "content-length": "0" };
    for (const [k, v] of Object.entries(req.headers)) headers[`x-echo-${k}`] = Array.isArray(v) ? v.join(", ") : (v ?? "");
    res.writeHead(200, headers).end();
    return;
  }
  if (ep.mode === "echo-body") {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.length) }).end(body);
    return;
  }
  const r = ep.response ?? { status: 200 };
  if (r.chunks) {
    const trailers = r.trailers ?? {};
    res.writeHead(r.status, { ...r.headers, ...(Object.keys(trailers).length > 0 ? { trailer: Object.keys(trailers).join(", ") } : {}) });
    for (const c of r.chunks) res.write(c);
    res.addTrailers(trailers);
    res.end();
    return;
  }
  const bytes = Buffer.from(r.body ?? "");
  res.writeHead(r.status, { ...r.headers, "content-length": String(bytes.length) }).end(req.method === "HEAD" ? undefined : bytes);
}

async function start(spec: ServerSpec): Promise<{ address: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => answer(spec.kind === "closed" ? [] : spec.endpoints, req, res, Buffer.concat(parts)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  // A closed server is a port that was just free: connecting to it is refused.
  if (spec.kind === "closed") await close();
  return { address: `127.0.0.1:${port}`, close };
}

export class HttpFixtures {
  #sets = new Map<string, { closeAll: () => Promise<void>; timer: ReturnType<typeof setTimeout> }>();
  #next = 1;

  async start(specs: ServerSpec[]): Promise<{ id: string; addresses: Record<string, string> }> {
    if (this.#sets.size >= MAX_SETS) throw new Error(`${MAX_SETS} sets of test servers are running already`);
    const started = await Promise.all(specs.map(async (s) => [s.name, await start(s)] as const));
    const id = String(this.#next++);
    const closeAll = async () => {
      clearTimeout(this.#sets.get(id)?.timer);
      this.#sets.delete(id);
      await Promise.all(started.map(([, s]) => s.close()));
    };
    this.#sets.set(id, { closeAll, timer: setTimeout(() => void closeAll(), MAX_LIFE_MS) });
    return { id, addresses: Object.fromEntries(started.map(([name, s]) => [name, s.address])) };
  }

  stop(id: string): Promise<void> {
    return this.#sets.get(id)?.closeAll() ?? Promise.resolve();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#sets.values()].map((s) => s.closeAll()));
  }

  /** The HTTP API; false when the request is not for it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "";
    if (!url.startsWith("/api/conformance/servers")) return false;
    if (req.method === "POST" && url === "/api/conformance/servers") {
      const parts: Buffer[] = [];
      req.on("data", (d: Buffer) => parts.push(d));
      req.on("end", () => {
        let specs: ServerSpec[];
        try {
          specs = JSON.parse(Buffer.concat(parts).toString("utf8")) as ServerSpec[];
          if (!Array.isArray(specs)) throw new Error("expected the manifest's servers (an array)");
        } catch (err) {
          return sendJson(res, 400, { error: (err as Error).message });
        }
        this.start(specs).then(
          (r) => sendJson(res, 200, r),
          (err: Error) => sendJson(res, 503, { error: err.message }),
        );
      });
      return true;
    }
    const m = /^\/api\/conformance\/servers\/(\d+)$/.exec(url);
    if (req.method === "DELETE" && m) {
      void this.stop(m[1]!).then(() => sendJson(res, 200, { stopped: m[1] }));
      return true;
    }
    sendJson(res, 404, { error: `no such API: ${req.method} ${url}` });
    return true;
  }
}
