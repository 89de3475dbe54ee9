/**
 * Composition: a graph of real components to composed bytes (`compose_encode_gateway`), and those
 * bytes to a first result (`compose_run_first`). Until the gateway example lands the graph is made
 * of component-model-async fixtures: three round-trip components in a chain (7 instances in all
 * with a borrowing pair and a post-return pair), every WASI import forwarded.
 *
 * `compose_encode_gateway`: `ours` inspects the library components (decode, resolve types) and
 * encodes; `cached` encodes with the components already inspected (what an editor pays per edit).
 * `compose_run_first`: bytes to `local:local/run`'s result, nothing cached, on engine/cm (`ours`)
 * and engine/jco (`jco`: transpiling the composition included).
 */
import { createHost, servedInterfaceFor, suspendingFunctions, type InterfaceImpl } from "../src/host";
import { memoryCache, sha256Hex } from "../src/engine/jco/cache";
import { JcoEngine, planTranspile } from "../src/engine/jco/engine";
import { CmEngine } from "../src/engine/cm/engine";
import { inspectComponent } from "../src/engine/inspect";
import { decode } from "../src/component/decode";
import { Catalog, MemoryLibrary } from "../src/compose/catalog";
import { encodeGraph } from "../src/compose/encode";
import { addInstance, EMPTY_GRAPH, type Edit, type Graph } from "../src/compose/graph";
import { addWire, autoWire, setExport } from "../src/compose/wiring";

const FIXTURES = "/conformance/component-model-async/";

const done = <T>(e: Edit<T>): T => {
  if (!e.ok) throw new Error(e.reason);
  return e.graph;
};

async function gatewayGraph(library: MemoryLibrary): Promise<Graph> {
  const load = async (file: string) => {
    const res = await fetch(FIXTURES + file);
    if (!res.ok) throw new Error(`could not fetch ${file}: HTTP ${res.status} (is ../shared/conformance present?)`);
    return (await library.add(file.split("/").pop()!, new Uint8Array(await res.arrayBuffer()))).sha256;
  };
  const catalog = new Catalog(library);
  let g = EMPTY_GRAPH;
  const add = async (file: string, name: string) => {
    const r = done(addInstance(g, await load(file), { name }));
    g = r.graph;
    return r.id;
  };
  const wire = (from: string, to: string, name: string) => (g = done(addWire(catalog, g, { from: { kind: "instance", instance: from, export: name }, to: { instance: to, import: name } })));
  const baz = "local:local/baz";
  const upstream = await add("round-trip/async-round-trip-synchronous.wasm", "upstream");
  const router = await add("round-trip/async-round-trip-stackless.wasm", "router");
  const edge = await add("round-trip/async-round-trip-stackless.wasm", "edge");
  wire(upstream, router, baz);
  wire(router, edge, baz);
  await add("general/async-borrowing-callee.wasm", "keys");
  const auth = await add("general/async-borrowing-caller.wasm", "auth");
  await add("general/async-post-return-callee.wasm", "limiter");
  const gate = await add("general/async-post-return-caller.wasm", "gate");
  for (const i of [auth, gate]) g = autoWire(catalog, g, i).graph;
  g = done(setExport(catalog, g, { instance: edge, export: baz }));
  g = done(setExport(catalog, g, { instance: auth, export: "local:local/run-bool" }));
  return done(setExport(catalog, g, { instance: gate, export: "local:local/run" }));
}

/** What the composition imports besides WASI. */
const locals: Record<string, InterfaceImpl> = {
  "local:local/baz": { foo: async (s: string) => s },
  "local:local/borrowing-types": { X: class X { foo() {} } },
};

function host(canSuspend: boolean) {
  const h = createHost({ cli: { args: ["bench"], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } }, blocking: { canSuspend } });
  return { ...h, resolve: (n: string) => (n in locals ? { name: n, impl: locals[n]! } : h.resolve(n)) };
}

export async function composeBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const library = new MemoryLibrary();
  const graph = await gatewayGraph(library);
  const warm = new Catalog(library);
  const { bytes } = encodeGraph(warm, graph);
  const cold: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < reps; i++) {
    cold.push(await time(async () => encodeGraph(new Catalog(library), graph)));
    cached.push(await time(async () => encodeGraph(warm, graph)));
  }
  const names = decode(bytes).definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
  const hash = await sha256Hex(bytes);
  const runCm = async () => {
    const cm = new CmEngine();
    const inst = cm.instantiate(await cm.prepare(bytes, hash), host(false), "gateway.wasm");
    return inst.call(inst.func("local:local/run", "run")!, []);
  };
  const runJco = async () => {
    const jco = new JcoEngine(memoryCache());
    const info = await inspectComponent("gateway.wasm", bytes, hash, servedInterfaceFor);
    const prepared = await jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
    const exports = await jco.instantiate(prepared, host(true), "gateway.wasm", names);
    return (exports["local:local/run"] as { run: () => Promise<unknown> }).run();
  };
  // Once each untimed: the transpiler and wasm-tools initialize once per worker.
  await runCm();
  await runJco();
  const firstCm: number[] = [];
  const firstJco: number[] = [];
  for (let i = 0; i < Math.max(1, Math.floor(reps / 2)); i++) {
    firstCm.push(await time(runCm));
    firstJco.push(await time(runJco));
  }
  return {
    compose_encode_gateway: { ours: median(cold), cached: median(cached), samples: reps },
    compose_run_first: { ours: median(firstCm), jco: median(firstJco), samples: firstCm.length },
  };
}
