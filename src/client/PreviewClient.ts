/**
 * The page's side of the preview Service Worker (`workers/preview-sw.ts`): registers it (scope `/`,
 * so the page's own `fetch` of `/preview/...` goes through it too) and answers its question "who
 * serves run X?" with a port to the runtime worker serving it. Served runs are exposed here by
 * their `RuntimeClient`; `send` is the request panel's way in, with timings.
 *
 * ```ts
 * const previews = new PreviewClient();
 * await previews.start();
 * const runtime = new RuntimeClient(spawnRuntimeWorker, net, files, previews);
 * runtime.run({ ...manifest, invoke: { kind: "serve" } }, (events) => {
 *   for (const e of events) if (e.kind === "serving") iframe.src = e.preview!; // "/preview/k3x9q2/"
 * });
 * const res = await previews.send(runtime.previewId!, { method: "POST", path: "/echo", headers: [], body: "hi" }, (t, p) => draw(t, p.chunk));
 * ```
 */
import { PREVIEW_PREFIX, PREVIEW_SW_URL, type ServedBy, type WhoServes } from "../protocol/preview";

/** What `RuntimeClient` registers for a served run. */
export interface PreviewHost {
  /** Makes run `id` answer at `/preview/<id>/`; `port()` opens a port to its runtime worker. Returns the undo. */
  expose(id: string, port: () => MessagePort): () => void;
}

export interface PreviewRequestInit {
  method: string;
  /** Path and query as the handler sees it, from `/`. */
  path: string;
  headers: Array<[string, string]>;
  body?: BodyInit | null;
}

/** Times of one request, in ms from its start, as the response streamed in. */
export interface PreviewTimings {
  /** Response head received. */
  headMs: number | null;
  /** Each body chunk: when it arrived and its size. */
  chunks: Array<{ atMs: number; bytes: number }>;
  /** The body ended (or failed). */
  endMs: number | null;
  error: string | null;
}

/** What arrived with one progress call: the response head, and the body chunk just read (if any). */
export interface PreviewProgress {
  status: number;
  headers: Array<[string, string]>;
  chunk: Uint8Array | null;
}

export interface PreviewResult {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
  timings: PreviewTimings;
}

/** A fresh run id for a preview URL: 10 base-36 characters. */
export function previewId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return [...bytes].map((b) => (b % 36).toString(36)).join("");
}

export class PreviewClient implements PreviewHost {
  #runs = new Map<string, () => MessagePort>();
  #started: Promise<boolean> | undefined;

  constructor(private readonly container: ServiceWorkerContainer | undefined = typeof navigator === "undefined" ? undefined : navigator.serviceWorker) {}

  /**
   * Registers the Service Worker and waits until it controls this page; false where the browser
   * has none (private windows of some browsers): previews cannot open then.
   */
  start(): Promise<boolean> {
    this.#started ??= (async () => {
      const sw = this.container;
      if (!sw) return false;
      sw.addEventListener("message", (e: MessageEvent<WhoServes>) => this.#answer(e));
      await sw.register(PREVIEW_SW_URL, { scope: "/", type: "module" });
      await sw.ready;
      if (!sw.controller) await new Promise<void>((r) => sw.addEventListener("controllerchange", () => r(), { once: true }));
      return true;
    })();
    return this.#started;
  }

  expose(id: string, port: () => MessagePort): () => void {
    this.#runs.set(id, port);
    return () => {
      if (this.#runs.get(id) === port) this.#runs.delete(id);
    };
  }

  /** The preview URL of run `id` (`path` from `/`). */
  url(id: string, path = "/"): string {
    return `${PREVIEW_PREFIX}${id}${path.startsWith("/") ? path : `/${path}`}`;
  }

  #answer(e: MessageEvent<WhoServes>): void {
    if (e.data?.t !== "who-serves") return;
    const reply = e.ports[0];
    const open = this.#runs.get(e.data.run);
    const port = open ? open() : null;
    const answer: ServedBy = { t: "served-by", port };
    reply?.postMessage(answer, port ? [port] : []);
  }

  /** Sends a request to run `id` through the Service Worker, as a browser would, and times it. */
  async send(id: string, init: PreviewRequestInit, onProgress?: (t: PreviewTimings, p: PreviewProgress) => void): Promise<PreviewResult> {
    const t0 = performance.now();
    const timings: PreviewTimings = { headMs: null, chunks: [], endMs: null, error: null };
    const res = await fetch(this.url(id, init.path), { method: init.method, headers: init.headers, body: init.body ?? null });
    timings.headMs = performance.now() - t0;
    const headers: Array<[string, string]> = [];
    res.headers.forEach((v, k) => headers.push([k, v]));
    const progress = (chunk: Uint8Array | null) => onProgress?.(timings, { status: res.status, headers, chunk });
    progress(null);
    const parts: Uint8Array[] = [];
    try {
      if (res.body) {
        for (const reader = res.body.getReader(); ; ) {
          const { value, done } = await reader.read();
          if (done) break;
          parts.push(value);
          timings.chunks.push({ atMs: performance.now() - t0, bytes: value.length });
          progress(value);
        }
      }
    } catch (err) {
      timings.error = err instanceof Error ? err.message : String(err);
    }
    timings.endMs = performance.now() - t0;
    progress(null);
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (body.set(p, at), at + p.length), 0);
    return { status: res.status, headers, body, timings };
  }
}
