/**
 * HTTP benchmarks on the page's main thread, through the same parts as the playground:
 * - `http_serve_rps`: the http-hello example served in the page (runtime worker + preview Service
 *   Worker), `REQUESTS` requests of `GET /wait?ms=0` with `IN_FLIGHT` in flight from this page's
 *   `fetch`; `ours` is engine/cm's time for the batch, `jco` engine/jco's, `rps`/`rps_jco` the rates;
 * - `http_client_rtt`: one request/response (`GET /api/relay` of the app server, keep-alive) by the
 *   host's wasi:http client through the Wisp relay, against the page's own `fetch` of the same URL
 *   (`direct_fetch`); mean of a batch of `RTT_BATCH`.
 */
import { NetClient } from "../src/client/NetClient";
import { PreviewClient } from "../src/client/PreviewClient";
import { RuntimeClient, spawnRuntimeWorker } from "../src/client/RuntimeClient";
import { parseAllowList } from "../src/base/allow-list";
import { HttpCtx } from "../src/host/http/ctx";
import { FieldList } from "../src/host/http/fields";
import { NO_TRAILERS, Transmission } from "../src/host/http/message";
import { send } from "../src/host/http/outgoing";
import { SocketsCtx } from "../src/host/sockets/ctx";
import { NetNode } from "../src/host/sockets/vnet/node";
import type { EngineName } from "../src/protocol/runtime";
import { median } from "./measure";

const REQUESTS = 1024;
const IN_FLIGHT = 64;
const RTT_BATCH = 100;

export interface HttpResult {
  [metric: string]: { ours: number; samples: number; [extra: string]: number };
}


/** Serves http-hello on `engine`; resolves with its preview path and a way to end it. */
async function serveHello(net: NetClient, previews: PreviewClient, engine: EngineName): Promise<{ preview: string; stop: () => void }> {
  const bytes = new Uint8Array(await (await fetch("../components/http-hello.wasm")).arrayBuffer());
  const client = new RuntimeClient(spawnRuntimeWorker, net, undefined, previews);
  const preview = await new Promise<string>((resolve, reject) => {
    void client
      .run({ componentName: "http-hello.wasm", bytes, args: ["http-hello"], env: [], stdin: new Uint8Array(), invoke: { kind: "serve", port: 0 }, engine }, (events) => {
        for (const e of events) if (e.kind === "serving") resolve(e.preview!);
      })
      .then((o) => reject(new Error(`http-hello stopped serving: ${JSON.stringify(o)}`)));
  });
  return { preview, stop: () => client.dispose() };
}

/** `REQUESTS` requests, `IN_FLIGHT` at a time; ms for the batch. */
async function batch(url: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < REQUESTS) {
        const res = await fetch(url);
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return performance.now() - t0;
}

async function serveRps(net: NetClient, previews: PreviewClient, engine: EngineName, reps: number): Promise<number> {
  const { preview, stop } = await serveHello(net, previews, engine);
  try {
    await batch(`${preview}wait?ms=0`);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) times.push(await batch(`${preview}wait?ms=0`));
    return median(times);
  } finally {
    stop();
  }
}

async function clientRtt(net: NetClient, reps: number): Promise<{ relay: number; direct: number }> {
  const joined = net.join("bench http client");
  const sockets = new SocketsCtx({ node: new NetNode(joined.port, "bench"), allow: parseAllowList(`127.0.0.1:${location.port}`).entries, component: "bench" });
  await sockets.node.ready;
  const http = new HttpCtx({ sockets });
  const viaRelay = async () => {
    const got = await send(http, {
      head: { method: { tag: "get" }, scheme: { tag: "HTTP" }, authority: `127.0.0.1:${location.port}`, pathWithQuery: "/api/relay", headers: new FieldList(), timeouts: {} },
      body: { contents: null, trailers: Promise.resolve(NO_TRAILERS) },
      transmission: new Transmission(),
    });
    await new Response(got.body.contents).arrayBuffer();
  };
  const direct = async () => void (await (await fetch("/api/relay")).arrayBuffer());
  const mean = async (f: () => Promise<void>) => {
    const t0 = performance.now();
    for (let i = 0; i < RTT_BATCH; i++) await f();
    return (performance.now() - t0) / RTT_BATCH;
  };
  try {
    await mean(viaRelay);
    await mean(direct);
    const relay: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < reps; i++) {
      relay.push(await mean(viaRelay));
      plain.push(await mean(direct));
    }
    return { relay: median(relay), direct: median(plain) };
  } finally {
    sockets.closeAll();
    net.leave(joined.node);
  }
}

export async function httpBenchmarks(log: (line: string) => void, reps: number): Promise<HttpResult> {
  const net = new NetClient();
  const relay = (await (await fetch("../api/relay")).json()) as { url: string };
  await net.api.setRelay(relay.url, []);
  const previews = new PreviewClient();
  if (!(await previews.start())) throw new Error("no Service Worker: the http benchmarks need one");
  const out: HttpResult = {};
  const cm = await serveRps(net, previews, "cm", reps);
  const jco = await serveRps(net, previews, "jco", reps);
  out.http_serve_rps = { ours: cm, jco, samples: reps, rps: (REQUESTS / cm) * 1000, rps_jco: (REQUESTS / jco) * 1000 };
  log(`http_serve_rps: engine/cm ${out.http_serve_rps.rps!.toFixed(0)} req/s, engine/jco ${out.http_serve_rps.rps_jco!.toFixed(0)} req/s (${IN_FLIGHT} in flight)`);
  const rtt = await clientRtt(net, reps);
  out.http_client_rtt = { ours: rtt.relay, direct_fetch: rtt.direct, samples: reps };
  log(`http_client_rtt: ${rtt.relay.toFixed(2)} ms through the relay, ${rtt.direct.toFixed(2)} ms by fetch`);
  return out;
}
