/**
 * Composition, on the edge API gateway of examples/gateway (examples/gateway/graph.json: keys, auth,
 * rate-limiter, router and one upstream component instantiated twice; every WASI import from the
 * host): the graph to composed bytes (`compose_encode_gateway`), and those bytes to a first result,
 * `handle` of the router's API (`compose_run_first`).
 *
 * `compose_encode_gateway`: `ours` inspects the library components (decode, resolve types) and
 * encodes; `cached` encodes with the components already inspected (what an editor pays per edit).
 * `compose_run_first`: bytes to the first result, nothing cached, on engine/cm (`ours`) and
 * engine/jco (`jco`: transpiling the composition included).
 */
import { servedInterfaceFor, suspendingFunctions } from "../src/host";
import { quietHost } from "./host";
import { memoryCache, sha256Hex } from "../src/engine/jco/cache";
import { JcoEngine, planTranspile } from "../src/engine/jco/engine";
import { CmEngine } from "../src/engine/cm/engine";
import { inspectComponent } from "../src/engine/inspect";
import { decode } from "../src/component/decode";
import { Catalog, MemoryLibrary } from "../src/compose/catalog";
import { encodeGraph } from "../src/compose/encode";
import type { Graph } from "../src/compose/graph";
import { exampleGraph, fileOf, GATEWAY_API, type BuiltEntry } from "../src/examples/graphs";
import { median } from "./measure";

async function gatewayGraph(library: MemoryLibrary): Promise<Graph> {
  const json = async (file: string) => {
    const res = await fetch(`../components/${file}`);
    if (!res.ok) throw new Error(`could not fetch ${file}: HTTP ${res.status}`);
    return res;
  };
  const index = (await (await json("index.json")).json()) as BuiltEntry[];
  const graph = exampleGraph(await (await json("graphs.json")).json(), "gateway");
  for (const node of graph.instances) await library.add(fileOf(index, node), new Uint8Array(await (await json(fileOf(index, node))).arrayBuffer()));
  return graph;
}

const REQUEST = ["10.0.0.1", "tok_alice_7f3a", "/me"];

export async function composeBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
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
    const inst = cm.instantiate(await cm.prepare(bytes, hash), quietHost(false), "gateway.wasm");
    return inst.call(inst.func(GATEWAY_API, "handle")!, REQUEST);
  };
  const runJco = async () => {
    const jco = new JcoEngine(memoryCache());
    const info = await inspectComponent("gateway.wasm", bytes, hash, servedInterfaceFor);
    const prepared = await jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
    const exports = await jco.instantiate(prepared, quietHost(true), "gateway.wasm", names);
    return (exports[GATEWAY_API] as { handle: (...args: unknown[]) => Promise<unknown> }).handle(...REQUEST);
  };
  // Once each untimed (the transpiler and wasm-tools initialize once per worker), and both must
  // answer the same: engine/cm hands back `{ tag, val }`, jco the ok value itself.
  const cmAnswer = (await runCm()) as { tag: string; val: unknown };
  const jcoAnswer = await runJco();
  if (cmAnswer.tag !== "ok" || cmAnswer.val !== jcoAnswer) throw new Error(`the composed gateway answered ${JSON.stringify(cmAnswer)} on engine/cm and ${JSON.stringify(jcoAnswer)} on engine/jco`);
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
