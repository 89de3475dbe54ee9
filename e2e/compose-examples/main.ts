/**
 * Composes the composition examples' graphs (public/components/graphs.json: the gateway and the
 * stream pipeline, built from examples/GROUP/graph.json) into ONE component each with src/compose,
 * runs that component in the browser on engine/cm and on engine/jco, and leaves what each returned
 * on `window.__composeExamples` for e2e/compose-examples.spec.ts. engine/cm links the nested
 * instances itself; engine/jco transpiles the composition as it would any component.
 */
import { errorMessage } from "../../src/base/assert";
import { Catalog, MemoryLibrary } from "../../src/compose/catalog";
import { encodeGraph } from "../../src/compose/encode";
import type { Graph } from "../../src/compose/graph";
import { decode } from "../../src/component/decode";
import { CmEngine } from "../../src/engine/cm/engine";
import { inspectComponent } from "../../src/engine/inspect";
import { memoryCache, sha256Hex } from "../../src/engine/jco/cache";
import { JcoEngine, planTranspile } from "../../src/engine/jco/engine";
import { exampleGraph, fileOf, GATEWAY_API, type BuiltEntry } from "../../src/examples/graphs";
import { createHost, servedInterfaceFor, suspendingFunctions, type Host } from "../../src/host";

export type EngineName = "cm" | "jco";

export interface Outcome {
  engine: EngineName;
  scenario: string;
  ok: boolean;
  value?: unknown;
  message?: string;
}

declare global {
  interface Window {
    __composeExamples?: { done: boolean; results: Outcome[] };
  }
}

/** Calls an export of the composed component; a `result` comes back as `{ tag, val }` on both engines. */
type Call = (iface: string, func: string, args: unknown[]) => Promise<unknown>;

const RUN_TIMEOUT_MS = 10_000;

async function fetchJson(path: string): Promise<unknown> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** The group's graph encoded into one component. */
async function compose(group: string): Promise<Uint8Array> {
  const [index, graphs] = (await Promise.all([fetchJson("/components/index.json"), fetchJson("/components/graphs.json")])) as [BuiltEntry[], unknown];
  const graph: Graph = exampleGraph(graphs, group);
  const library = new MemoryLibrary();
  for (const node of graph.instances) {
    const res = await fetch(`/components/${fileOf(index, node)}`);
    if (!res.ok) throw new Error(`${node.name}: HTTP ${res.status}`);
    await library.add(fileOf(index, node), new Uint8Array(await res.arrayBuffer()));
  }
  return encodeGraph(new Catalog(library), graph, { name: group }).bytes;
}

function newHost(out: { text: string }, canSuspend: boolean): Host {
  const dec = new TextDecoder();
  return createHost({
    cli: { args: ["compose-examples"], env: [], stdin: new Uint8Array(), stdout: { write: (d) => void (out.text += dec.decode(d)) }, stderr: { write: (d) => void (out.text += dec.decode(d)) } },
    blocking: { canSuspend },
  });
}

async function onCm(name: string, bytes: Uint8Array, out: { text: string }): Promise<Call> {
  const engine = new CmEngine();
  const inst = engine.instantiate(await engine.prepare(bytes, await sha256Hex(bytes)), newHost(out, false), `${name}.wasm`);
  return (iface, func, args) => {
    const f = inst.func(iface, func);
    if (!f) throw new Error(`engine/cm: the composition exports no ${iface}#${func}`);
    return inst.call(f, args);
  };
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

async function onJco(name: string, bytes: Uint8Array, out: { text: string }): Promise<Call> {
  const jco = new JcoEngine(memoryCache());
  const hash = await sha256Hex(bytes);
  const info = await inspectComponent(`${name}.wasm`, bytes, hash, servedInterfaceFor);
  const prepared = await jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
  const imports = decode(bytes).definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
  const top = await jco.instantiate(prepared, newHost(out, true), `${name}.wasm`, imports);
  return async (iface, func, args) => {
    const target = top[iface] as Record<string, (...a: unknown[]) => unknown> | undefined;
    const fn = target?.[camel(func)];
    if (!fn) throw new Error(`jco exposes no ${iface}.${camel(func)}`);
    // jco returns a `result`'s ok value and throws its error (with the error value as `payload`).
    try {
      return { tag: "ok", val: await fn.apply(target, args) };
    } catch (err) {
      if (err && typeof err === "object" && "payload" in err) return { tag: "err", val: (err as { payload: unknown }).payload };
      throw err;
    }
  };
}

const GATEWAY_REQUESTS = [
  ["10.0.0.1", "tok_alice_7f3a", "/me"],
  ["10.0.0.2", "tok_bob_91c2", "/orders/bob"],
  ["10.0.0.3", "tok_carol_5d10", "/me"],
];

const scenarios: Array<{ id: string; run(call: Call, out: { text: string }, engine: EngineName): Promise<unknown> }> = [
  {
    id: "gateway",
    // engine/cm takes the three requests at once. engine/jco 1.35 traps a second call entering the
    // composed gateway while the first waits inside it ("cannot leave component instance"), so it
    // gets them one after another: the answers must still agree.
    run: async (call, _out, engine) => {
      if (engine === "cm") return Promise.all(GATEWAY_REQUESTS.map((args) => call(GATEWAY_API, "handle", args)));
      const replies = [];
      for (const args of GATEWAY_REQUESTS) replies.push(await call(GATEWAY_API, "handle", args));
      return replies;
    },
  },
  {
    id: "pipeline",
    run: async (call, out) => ({ result: await call("wasi:cli/run@0.3.0", "run", []), stdout: out.text }),
  },
];

/** Rejects once RUN_TIMEOUT_MS have passed: a graph that never finishes must not stall the page. */
function deadline(what: string): Promise<never> {
  const signal = AbortSignal.timeout(RUN_TIMEOUT_MS);
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error(`${what} did not finish within ${RUN_TIMEOUT_MS / 1000} s`))));
}

async function main(): Promise<void> {
  const state: NonNullable<Window["__composeExamples"]> = { done: false, results: [] };
  window.__composeExamples = state;
  const only = new URLSearchParams(location.search).get("engine");
  const composed = new Map<string, Promise<Uint8Array>>(scenarios.map((s) => [s.id, compose(s.id)]));
  for (const engine of ["cm", "jco"] as const) {
    if (only && only !== engine) continue;
    for (const s of scenarios) {
      const out = { text: "" };
      try {
        const bytes = await composed.get(s.id)!;
        const call = await (engine === "cm" ? onCm : onJco)(s.id, bytes, out);
        state.results.push({ engine, scenario: s.id, ok: true, value: await Promise.race([s.run(call, out, engine), deadline(`${s.id} on ${engine}`)]) });
      } catch (err) {
        state.results.push({ engine, scenario: s.id, ok: false, message: errorMessage(err) + (out.text ? `\nguest output: ${out.text.slice(-1000)}` : "") });
      }
    }
  }
  state.done = true;
  document.getElementById("out")!.textContent = JSON.stringify(state.results, null, 2);
}

void main();
