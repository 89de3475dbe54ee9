/**
 * HTTP to served handlers (`wasi:http/handler`), between whoever sends a request (the preview
 * Service Worker, the page) and the runtime worker serving it, over a MessagePort the runtime
 * worker listens on (`RuntimeApi.connectHttp`). Bodies are transferred ReadableStreams, so both
 * stream and backpressure crosses the boundary. Also the Service Worker's question to the pages:
 * which of you serves run `run`?
 */

/** The path prefix the Service Worker routes: `/preview/<run>/...`. */
export const PREVIEW_PREFIX = "/preview/";

/** How long a handler may take to answer (send its response head) before the client gets 504. */
export const HANDLER_TIMEOUT_MS = 30_000;

/** The Service Worker's script, at the site's root so its scope can be `/`. */
export const PREVIEW_SW_URL = "/preview-sw.js";

export interface PreviewRequest {
  t: "request";
  id: number;
  method: string;
  /** Path and query as the handler sees it (the part after `/preview/<run>`). */
  path: string;
  scheme: "http" | "https";
  authority: string;
  headers: Array<[string, string]>;
  body: ReadableStream<Uint8Array> | null;
}

export interface PreviewResponse {
  t: "response";
  id: number;
  status: number;
  headers: Array<[string, string]>;
  body: ReadableStream<Uint8Array> | null;
}

/** Service Worker -> pages, with a reply port: who serves `run`? */
export interface WhoServes {
  t: "who-serves";
  run: string;
}

/** Page -> Service Worker on the reply port: a port to the serving runtime worker, if this page has the run. */
export interface ServedBy {
  t: "served-by";
  port: MessagePort | null;
}

/** The run id and the handler's path in a preview URL's path, or null if it is not one. */
export function parsePreviewPath(pathAndQuery: string): { run: string; path: string } | null {
  if (!pathAndQuery.startsWith(PREVIEW_PREFIX)) return null;
  const rest = pathAndQuery.slice(PREVIEW_PREFIX.length);
  const m = /^([A-Za-z0-9_-]+)(.*)$/.exec(rest);
  if (!m) return null;
  const path = m[2] ?? "";
  if (path !== "" && !path.startsWith("/") && !path.startsWith("?")) return null;
  return { run: m[1]!, path: path === "" ? "/" : path.startsWith("?") ? `/${path}` : path };
}

/** A port to a runtime worker serving HTTP, with its replies matched to requests by id. */
export class PreviewPort {
  #waiting = new Map<number, (r: PreviewResponse) => void>();
  #next = 1;
  constructor(readonly port: MessagePort) {
    port.onmessage = (e: MessageEvent<PreviewResponse>) => {
      this.#waiting.get(e.data.id)?.(e.data);
      this.#waiting.delete(e.data.id);
    };
  }

  /** Sends a request; null when no reply came within `timeoutMs` (the worker went away). */
  send(req: Omit<PreviewRequest, "t" | "id">, timeoutMs: number): Promise<PreviewResponse | null> {
    const id = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      this.#waiting.set(id, (r) => (clearTimeout(timer), resolve(r)));
      const msg: PreviewRequest = { t: "request", id, ...req };
      this.port.postMessage(msg, msg.body ? [msg.body as unknown as Transferable] : []);
    });
  }
}
