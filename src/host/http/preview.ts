/**
 * The preview Service Worker's side of serving (`workers/preview-sw.ts`): a request for
 * `/preview/<run>/...` (an iframe, a new tab, a `fetch`) goes to the runtime worker serving that
 * run, over a MessagePort the page that owns the run hands out (`PreviewClient`), and its response
 * streams back. The worker's state is lost whenever the browser stops it, so a port is asked for
 * again when none is known; a port whose runtime worker went away stops answering, so a reply
 * that does not come in time drops it.
 */
import { HANDLER_TIMEOUT_MS, parsePreviewPath, PREVIEW_PREFIX, PreviewPort, type ServedBy, type WhoServes } from "../../protocol/preview";

/** The Service Worker's window clients, as much of them as the router uses. */
export interface PageClients {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<ReadonlyArray<{ postMessage(message: unknown, transfer: Transferable[]): void }>>;
}

/** How long the router waits for a page to say whether it serves a run. */
const ASK_MS = 2_000;
/** How long past the handler's own timeout a response head may take before the port is given up. */
const REPLY_MS = HANDLER_TIMEOUT_MS + 5_000;

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** Asks every page of the playground which of them serves `run`; the first port wins. */
export async function askPages(clients: PageClients, run: string): Promise<MessagePort | null> {
  const pages = await clients.matchAll({ type: "window", includeUncontrolled: true });
  const answers = pages.map(
    (page) =>
      new Promise<MessagePort | null>((resolve) => {
        const { port1, port2 } = new MessageChannel();
        const timer = setTimeout(() => resolve(null), ASK_MS);
        port1.onmessage = (e: MessageEvent<ServedBy>) => {
          clearTimeout(timer);
          resolve(e.data.port);
        };
        const ask: WhoServes = { t: "who-serves", run };
        page.postMessage(ask, [port2]);
      }),
  );
  return new Promise((resolve) => {
    let left = answers.length;
    if (left === 0) resolve(null);
    for (const a of answers) void a.then((port) => (port ? resolve(port) : --left === 0 && resolve(null)));
  });
}

export class PreviewRouter {
  #ports = new Map<string, Promise<PreviewPort | null>>();

  constructor(private readonly ask: (run: string) => Promise<MessagePort | null>) {}

  /** The response for a preview URL, or null when the URL is not one (the network answers it). */
  route(request: Request): Promise<Response> | null {
    const url = new URL(request.url);
    const target = parsePreviewPath(url.pathname + url.search);
    if (!target) return null;
    return this.#forward(request, url, target.run, target.path);
  }

  #portFor(run: string): Promise<PreviewPort | null> {
    let p = this.#ports.get(run);
    if (!p) {
      p = this.ask(run).then((port) => (port ? new PreviewPort(port) : null));
      this.#ports.set(run, p);
      void p.then((rp) => rp ?? this.#ports.delete(run));
    }
    return p;
  }

  async #forward(request: Request, url: URL, run: string, path: string): Promise<Response> {
    const port = await this.#portFor(run);
    if (!port) return text(404, `No component is serving preview '${run}' in this browser. Start it in the playground, then reload.`);
    const headers: Array<[string, string]> = [];
    request.headers.forEach((v, k) => headers.push([k, v]));
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    // Firefox has no Request.body: the body is read whole there, then streamed on.
    const body = hasBody ? (request.body ?? (await request.blob()).stream()) : null;
    const reply = await port.send(
      { method: request.method, path, scheme: url.protocol === "https:" ? "https" : "http", authority: url.host, headers, body },
      REPLY_MS,
    );
    if (!reply) {
      this.#ports.delete(run);
      return text(504, `Preview '${run}' did not answer: its run may have ended. Start it again in the playground.`);
    }
    const nullBody = reply.status === 204 || reply.status === 304 || request.method === "HEAD";
    const out = new Headers();
    for (const [k, v] of reply.headers) {
      try {
        out.append(k, v);
      } catch {
        // A value the Fetch API refuses cannot be passed on; the rest of the response still can.
      }
    }
    if (nullBody) void reply.body?.cancel();
    return new Response(nullBody ? null : reply.body, { status: reply.status, headers: out });
  }
}

interface FetchEvent extends Event {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
  /** The Static Routing API (Chromium): requests a rule sends to the network never wake the worker. */
  addRoutes?(rules: unknown[]): Promise<void>;
}

/** The Service Worker's global scope, as much of it as the preview worker uses. */
export interface PreviewWorkerScope extends EventTarget {
  skipWaiting(): Promise<void>;
  clients: PageClients & { claim(): Promise<void> };
}

/**
 * Makes `self` the preview Service Worker: it takes over at once (and the open pages with it),
 * lets everything but `/preview/` go to the network without waking it, and routes previews.
 */
export function installPreviewWorker(self: PreviewWorkerScope): void {
  const router = new PreviewRouter((run) => askPages(self.clients, run));
  self.addEventListener("install", (e) => {
    const ev = e as ExtendableEvent;
    const routes = ev.addRoutes?.([{ condition: { not: { urlPattern: new URLPattern({ pathname: `${PREVIEW_PREFIX}*` }) } }, source: "network" }]);
    ev.waitUntil(Promise.all([routes?.catch(() => {}), self.skipWaiting()]));
  });
  self.addEventListener("activate", (e) => (e as ExtendableEvent).waitUntil(self.clients.claim()));
  self.addEventListener("fetch", (e) => {
    const response = router.route((e as FetchEvent).request);
    if (response) (e as FetchEvent).respondWith(response);
  });
}
