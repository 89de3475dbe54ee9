/**
 * A page that serves components the way the playground does (RuntimeClient + PreviewClient + the
 * preview Service Worker + the net worker's hub), for e2e/http.spec.ts and the http benchmarks:
 * `window.__http` starts and stops served runs and reports what their traces and the network saw.
 */
import { maxConcurrency } from "../../src/base/intervals";
import { NetClient } from "../../src/client/NetClient";
import { PreviewClient } from "../../src/client/PreviewClient";
import { RuntimeClient, spawnRuntimeWorker, type ClientOutcome } from "../../src/client/RuntimeClient";
import { chunkToBatch } from "../../src/protocol/trace-chunk";
import type { EngineName, RunEvent } from "../../src/protocol/runtime";
import type { TraceEvent } from "../../src/protocol/trace-events";

export interface ServeOptions {
  engine?: EngineName;
  env?: Array<[string, string]>;
  allow?: string[];
  port?: number;
  trace?: boolean;
}

interface Served {
  client: RuntimeClient;
  events: TraceEvent[];
  output: string;
  outcome: Promise<ClientOutcome>;
}

export interface HttpHarness {
  ready: Promise<boolean>;
  /** Serves the component at `url`; resolves with its index, preview path and network address. */
  serve(url: string, opts?: ServeOptions): Promise<{ index: number; preview: string; listen: string | null }>;
  /** Ends run `index` like SIGINT; resolves with its outcome. */
  shutdown(index: number): Promise<ClientOutcome>;
  /** How many tasks of run `index` calling function `name` were running at once, at most. */
  maxOverlap(index: number, name: string): number;
  output(index: number): string;
  /** The names of run `index`'s tasks (what `maxOverlap` matches). */
  taskNames(index: number): string[];
  /** What the Network panel lists as denied. */
  denied(): Promise<string[]>;
  /** The relay this page's network uses. */
  relay(): Promise<string>;
}

declare global {
  interface Window {
    __http?: HttpHarness;
  }
}

const net = new NetClient();
const previews = new PreviewClient();
const runs: Served[] = [];
const dec = new TextDecoder();

async function connectRelay(): Promise<void> {
  const info = (await (await fetch("/api/relay")).json()) as { url: string };
  await net.api.setRelay(info.url, []);
}

function maxOverlap(events: TraceEvent[], name: string): number {
  // engine/cm names a task by its function (`handle`), engine/jco by the export (`iface#handle`).
  const started = new Map(events.filter((e) => e.kind === "task.start" && (e.name === name || e.name?.endsWith(`#${name}`))).map((e) => [e.task, Number(e.t)]));
  const ended = new Map(events.filter((e) => e.kind === "task.end").map((e) => [e.task, Number(e.t)]));
  return maxConcurrency([...started].map(([task, start]) => ({ start, end: ended.get(task) ?? Infinity })));
}

window.__http = {
  ready: Promise.all([previews.start(), connectRelay()]).then(([sw]) => sw),
  async serve(url, opts = {}) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const client = new RuntimeClient(spawnRuntimeWorker, net, undefined, previews);
    const served: Served = { client, events: [], output: "", outcome: Promise.resolve({ kind: "stopped" }) };
    const index = runs.push(served) - 1;
    const name = url.split("/").pop()!;
    return new Promise((resolve, reject) => {
      served.outcome = client.run(
        { componentName: name, bytes, args: [name], env: opts.env ?? [], stdin: new Uint8Array(), invoke: { kind: "serve", port: opts.port }, engine: opts.engine ?? "cm", trace: opts.trace ?? true, network: { allow: opts.allow ?? [] } },
        (events: RunEvent[]) => {
          for (const e of events) {
            if (e.kind === "trace") served.events.push(...chunkToBatch(e.chunk).events);
            else if (e.kind === "output") served.output += dec.decode(e.data);
            else if (e.kind === "serving") resolve({ index, preview: e.preview!, listen: e.listen });
          }
        },
      );
      void served.outcome.then((o) => reject(new Error(`the run ended before it served: ${JSON.stringify(o)}`)));
    });
  },
  async shutdown(index) {
    await runs[index]!.client.shutdown();
    return runs[index]!.outcome;
  },
  maxOverlap: (index, name) => maxOverlap(runs[index]!.events, name),
  taskNames: (index) => [...new Set(runs[index]!.events.filter((e) => e.kind === "task.start").map((e) => e.name ?? ""))],
  output: (index) => runs[index]!.output,
  async denied() {
    return new Promise((resolve) => {
      const stop = net.subscribe((s) => {
        stop();
        resolve(s.denied.map((d) => `${d.component} → ${d.target} (${d.proto}): ${d.reason}`));
      });
    });
  },
  async relay() {
    return ((await (await fetch("/api/relay")).json()) as { url: string }).url;
  },
};
void window.__http.ready.then((sw) => (document.getElementById("out")!.textContent = sw ? "ready" : "no service worker"));
