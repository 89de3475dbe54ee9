/**
 * Bench page: loads the sleep-fanout example and runs the benchmarks in a worker (the relay's in a
 * shared one, see net.worker.ts; the virtual network's in two node workers, see vnet.ts).
 */
import { proxy, wrap } from "comlink";
import type { BenchApi, BenchResult } from "./bench.worker";
import type { NetBenchApi } from "./net.worker";
import { httpBenchmarks } from "./http";
import { timelineBenchmarks } from "./timeline";
import { vnetBenchmarks } from "./vnet";

declare global {
  interface Window {
    // Read by scripts/bench.mjs.
    __bench?: { done: boolean; result?: BenchResult; error?: string; log: string[] };
  }
}

const out = document.getElementById("out")!;
const state: NonNullable<Window["__bench"]> = { done: false, log: [] };
window.__bench = state;
const log = (line: string) => {
  state.log.push(line);
  out.textContent = state.log.join("\n");
};

try {
  const params = new URLSearchParams(location.search);
  const reps = Number(params.get("reps") ?? 5);
  // `?only=timeline` (or `http`) runs just those main-thread benchmarks; `?only=fs` (or `decode`, `net`,
  // `tracing`) just that group of the worker's. Quick to iterate on.
  const only = params.get("only") ?? undefined;
  // Echo servers started by scripts/bench.mjs; the relay is the app server's.
  const relay = (await (await fetch("../api/relay")).json().catch(() => null)) as { url: string } | null;
  const net =
    relay && params.get("tcpEcho") && params.get("wsEcho") ? { relayUrl: relay.url, tcpEchoPort: Number(params.get("tcpEcho")), wsEchoUrl: params.get("wsEcho")! } : undefined;
  const bytes = new Uint8Array(await (await fetch("../components/sleep-fanout.wasm")).arrayBuffer());
  const api = wrap<BenchApi>(new Worker(new URL("./bench.worker.ts", import.meta.url), { type: "module" }));
  const runNet = async () => {
    if (!net) {
      log("relay benchmarks skipped: no echo servers (run them with npm run bench)");
      return {};
    }
    const worker = new SharedWorker(new URL("./net.worker.ts", import.meta.url), { type: "module", name: "bench-net" });
    return wrap<NetBenchApi>(worker.port).run(reps, net, proxy(log));
  };
  state.result = {
    ...(only === "timeline" || only === "http" || only === "net" ? {} : await api.run(bytes, reps, proxy(log), only)),
    ...(only && only !== "net" ? {} : await runNet()),
    ...(only && only !== "net" ? {} : await vnetBenchmarks(reps, log)),
    ...(only && only !== "timeline" ? {} : await timelineBenchmarks(log)),
    ...(only && only !== "http" ? {} : await httpBenchmarks(log, reps)),
  };
  log(JSON.stringify(state.result, null, 2));
} catch (e) {
  state.error = String(e instanceof Error ? (e.stack ?? e.message) : e);
  log(`error: ${state.error}`);
}
state.done = true;
