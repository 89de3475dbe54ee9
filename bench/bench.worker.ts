/** Runs each benchmark on both sides in this worker; posts `{metric: {ours, jco}}` medians in ms. */
import { expose } from "comlink";
import { generate } from "@bytecodealliance/jco/component";
import { servedInterfaceFor, suspendingFunctions } from "../src/host";
import { quietHost } from "./host";
import { memoryCache, sha256Hex } from "../src/engine/jco/cache";
import { BoundaryTrace } from "../src/engine/jco/boundary-trace";
import { JcoEngine, loadTranspiled, planTranspile } from "../src/engine/jco/engine";
import { TraceRecorder } from "../src/engine/trace";
import { CmEngine } from "../src/engine/cm/engine";
import { inspectComponent } from "../src/engine/inspect";
import { baselineImports } from "./baseline";
import { authoringBenchmarks } from "./authoring";
import { composeBenchmarks } from "./compose";
import { decodeBenchmarks } from "./decode";
import { fsBenchmarks } from "./fs";
import { streamBenchmarks } from "./streams";
import { median, time } from "./measure";

type Instance = Record<string, unknown> & { chain: (n: number, ms: number) => Promise<bigint>; fanout: (n: number, ms: number) => Promise<bigint> };
type Side = (bytes: Uint8Array) => Promise<Instance>;

/** Untimed calls before the steady-state metrics, the same on every side. */
const WARMUP = 10;
const WARMUP_FANOUT = 3;


/** Ours: engine/cm (our Component Model runtime) with our host; `engine` keeps compiled modules warm; `trace` records exact events. */
function ours(engine: CmEngine, trace: TraceRecorder | null = null): Side {
  return async (bytes) => {
    const inst = engine.instantiate(await engine.prepare(bytes, await sha256Hex(bytes)), quietHost(false), "sleep-fanout.wasm", trace);
    const chain = inst.func(null, "chain")!;
    const fanout = inst.func(null, "fanout")!;
    return {
      chain: (n: number, ms: number) => inst.call(chain, [n, ms]) as Promise<bigint>,
      fanout: (n: number, ms: number) => inst.call(fanout, [n, ms]) as Promise<bigint>,
    };
  };
}

/** engine/jco with our host (the reference engine), for the record; `trace` records host-boundary events. */
function oursOnJco(engine: JcoEngine, trace?: BoundaryTrace): Side {
  return async (bytes) => {
    const host = quietHost(true);
    const hash = await sha256Hex(bytes);
    const info = await inspectComponent("sleep-fanout.wasm", bytes, hash, servedInterfaceFor);
    const prepared = await engine.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
    return (await engine.instantiate(prepared, host, "sleep-fanout.wasm", info.imports.map((i) => i.name), trace)) as Instance;
  };
}

/** Baseline: jco transpile + preview3-shim; `cache` keeps transpile output in memory when set. */
function baseline(cache?: Map<string, Array<[string, Uint8Array]>>): Side {
  return async (bytes) => {
    let files = cache?.get("x");
    if (!files) {
      files = (await generate(bytes, { name: "component", instantiation: { tag: "async" }, noTypescript: true })).files;
      cache?.set("x", files);
    }
    const { modules, instantiate } = await loadTranspiled(files);
    return (await instantiate((n: string) => modules.get(n)!, baselineImports())) as Instance;
  };
}

export interface BenchResult {
  /**
   * `jco` is the jco + preview3-shim baseline; `in_memory` the same Vfs work without IndexedDB
   * and `idb_direct` on IndexedDB without the fs-owner (fs_*); `wasm_tools` jco's wasm-tools reading the same component (decode_*) or doing the same step
   * alone (wit_check_*, wat_build_*); `cached` a cached JS build against a cold one (js_build), or encoding with the components already inspected (compose_encode_gateway);
   * `untraced` the same calls with tracing off (*_traced); `disabled` the same events on a disabled
   * recorder (trace_emit_1m); `direct_ws` a direct WebSocket echo (relay_*, vnet_*); `plain_pipe` a plain
   * ReadableStream pipe and `quickjs` a componentize-qjs guest (stream_u8_roundtrip_64mib).
   */
  [metric: string]: { ours: number; jco?: number; in_memory?: number; idb_direct?: number; wasm_tools?: number; cached?: number; untraced?: number; disabled?: number; direct_ws?: number; plain_pipe?: number; quickjs?: number; samples: number };
}

/**
 * `chain(100, 0)` with tracing on against the same guest with tracing off, runs alternating so
 * machine noise hits both alike; a sample is `repeat` chains back to back (engine/cm's chain is
 * near the 0.1 ms clock resolution alone). Events are taken every 16 ms, as a run posts them;
 * `events` is the count per chain.
 */
async function tracedVsUntraced(traced: (rec: TraceRecorder) => Promise<Instance>, untraced: Instance, reps: number, repeat: number): Promise<BenchResult[string] & { events: number }> {
  const rec = new TraceRecorder({ fidelity: "exact" });
  let events = 0;
  const stop = rec.pump((chunk) => (events += chunk.length));
  const inst = await traced(rec);
  const chains = async (x: Instance) => {
    for (let k = 0; k < repeat; k++) await x.chain(100, 0);
  };
  await chains(inst);
  await chains(untraced);
  rec.take();
  events = -rec.dropped;
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < reps; i++) {
    on.push((await time(() => chains(inst))) / repeat);
    off.push((await time(() => chains(untraced))) / repeat);
  }
  stop();
  // Events the ring dropped (nothing posts while a microtask-only chain runs) were recorded too.
  return { ours: median(on), untraced: median(off), samples: reps, events: Math.round((events + rec.dropped) / reps / repeat) };
}

/** A million events (host call begin/end pairs) in one synchronous stretch, taken every 64 Ki events. */
function traceEmitBench(): BenchResult[string] {
  const names = ["wasi:clocks/monotonic-clock#wait-for", "wasi:cli/stdout#write-via-stream"];
  const run = (rec: TraceRecorder) => {
    const t = performance.now();
    for (let i = 0; i < 1_000_000; i++) {
      const name = names[(i >> 1) & 1]!;
      if (i & 1) rec.hostEnd(1, 1, i >> 1, name);
      else rec.hostBegin(1, 1, i >> 1, name);
      if ((i & 0xffff) === 0xffff) rec.take();
    }
    rec.take();
    return performance.now() - t;
  };
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 5; i++) {
    on.push(run(new TraceRecorder({ fidelity: "exact" })));
    off.push(run(TraceRecorder.disabled()));
  }
  return { ours: median(on), disabled: median(off), samples: 5 };
}

/** Tracing on vs off for the await chain (exact events from engine/cm, host-boundary from engine/jco), and the raw cost of recording. */
async function tracingBenchmarks(bytes: Uint8Array, reps: number, cm: CmEngine, cmUntraced: Instance, jcoUntraced: Instance): Promise<BenchResult> {
  return {
    await_chain_100_traced: await tracedVsUntraced((rec) => ours(cm, rec)(bytes), cmUntraced, reps, 100),
    await_chain_100_engine_jco_traced: await tracedVsUntraced((rec) => oursOnJco(new JcoEngine(memoryCache()), new BoundaryTrace(rec, "sleep-fanout.wasm"))(bytes), jcoUntraced, reps, 1),
    trace_emit_1m: traceEmitBench(),
  };
}

const api = {
  /** `only`: run just this group (`engine`: start-up, await chain and fan-out; `fs`, `decode`, `compose`, `streams`, `tracing`); every benchmark when absent (the relay's run in net.worker.ts). */
  async run(bytes: Uint8Array, reps: number, log: (line: string) => void, only?: string): Promise<BenchResult> {
    const out: BenchResult = {};
    if (only === "fs") return fsBenchmarks(time, Math.max(1, Math.floor(reps / 2)));
    if (only === "decode") return decodeBenchmarks(time, reps);
    if (only === "compose") return composeBenchmarks(time, reps);
    if (only === "streams") return streamBenchmarks(time, reps, log);
    if (only === "tracing") {
      const cm = new CmEngine();
      return tracingBenchmarks(bytes, reps, cm, await ours(cm)(bytes), await oursOnJco(new JcoEngine(memoryCache()))(bytes));
    }
    // One untimed pass of each side first: the transpiler and wasm-tools (shared by both sides)
    // initialize once per worker, which would otherwise be charged to whichever side runs first.
    await (await ours(new CmEngine())(bytes)).chain(1, 0);
    await (await oursOnJco(new JcoEngine(memoryCache()))(bytes)).chain(1, 0);
    await (await baseline()(bytes)).chain(1, 0);
    // Cold start: bytes to first export result, nothing cached.
    const coldOurs: number[] = [];
    const coldJco: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(reps / 2)); i++) {
      coldOurs.push(await time(async () => (await ours(new CmEngine())(bytes)).chain(1, 0)));
      coldJco.push(await time(async () => (await baseline()(bytes)).chain(1, 0)));
    }
    out.cold_start_first = { ours: median(coldOurs), jco: median(coldJco), samples: coldOurs.length };
    log(`cold_start_first done`);
    // Cached: the transpile output is kept; compile + instantiate + first call.
    const warmEngine = new CmEngine();
    const jcoCache = new Map<string, Array<[string, Uint8Array]>>();
    await ours(warmEngine)(bytes);
    await baseline(jcoCache)(bytes);
    const cachedOurs: number[] = [];
    const cachedJco: number[] = [];
    for (let i = 0; i < reps; i++) {
      cachedOurs.push(await time(async () => (await ours(warmEngine)(bytes)).chain(1, 0)));
      cachedJco.push(await time(async () => (await baseline(jcoCache)(bytes)).chain(1, 0)));
    }
    out.cold_start_cached = { ours: median(cachedOurs), jco: median(cachedJco), samples: reps };
    log(`cold_start_cached done`);
    // Steady state: one instance each, repeated calls after the same warm-up on both sides (the
    // first calls of a fresh instance run baseline-compiled wasm and cold JS; start-up is what the
    // cold_start metrics measure).
    const a = await ours(warmEngine)(bytes);
    const b = await baseline(jcoCache)(bytes);
    for (let i = 0; i < WARMUP; i++) {
      await a.chain(100, 0);
      await b.chain(100, 0);
    }
    const chainOurs: number[] = [];
    const chainJco: number[] = [];
    for (let i = 0; i < reps; i++) {
      chainOurs.push(await time(() => a.chain(100, 0)));
      chainJco.push(await time(() => b.chain(100, 0)));
    }
    out.await_chain_100 = { ours: median(chainOurs), jco: median(chainJco), samples: reps };
    log(`await_chain_100 done`);
    for (let i = 0; i < WARMUP_FANOUT; i++) {
      await a.fanout(1000, 1);
      await b.fanout(1000, 1);
    }
    const fanOurs: number[] = [];
    const fanJco: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(reps / 2)); i++) {
      fanOurs.push(await time(() => a.fanout(1000, 1)));
      fanJco.push(await time(() => b.fanout(1000, 1)));
    }
    out.fanout_1000x1ms = { ours: median(fanOurs), jco: median(fanJco), samples: fanOurs.length };
    log(`fanout_1000x1ms done`);
    // The same two on engine/jco with our host: what the engine alone changes.
    const j = await oursOnJco(new JcoEngine(memoryCache()))(bytes);
    for (let i = 0; i < WARMUP; i++) await j.chain(100, 0);
    const chainJcoOurs: number[] = [];
    for (let i = 0; i < reps; i++) chainJcoOurs.push(await time(() => j.chain(100, 0)));
    out.await_chain_100_engine_jco = { ours: median(chainJcoOurs), jco: median(chainJco), samples: reps };
    for (let i = 0; i < WARMUP_FANOUT; i++) await j.fanout(1000, 1);
    const fanJcoOurs: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(reps / 2)); i++) fanJcoOurs.push(await time(() => j.fanout(1000, 1)));
    out.fanout_1000x1ms_engine_jco = { ours: median(fanJcoOurs), jco: median(fanJco), samples: fanJcoOurs.length };
    if (only === "engine") return out;
    Object.assign(out, await tracingBenchmarks(bytes, reps, warmEngine, a, j));
    log(`tracing on/off done`);
    Object.assign(out, await fsBenchmarks(time, Math.max(1, Math.floor(reps / 2))));
    log(`filesystem done`);
    Object.assign(out, await streamBenchmarks(time, reps, log));
    log(`streams done`);
    Object.assign(out, await decodeBenchmarks(time, reps));
    log(`decode done`);
    Object.assign(out, await composeBenchmarks(time, reps));
    log(`compose done`);
    Object.assign(out, await authoringBenchmarks(time, reps));
    log(`authoring done`);
    return out;
  },
};

export type BenchApi = typeof api;
expose(api);
