/**
 * Runs the composition examples' graphs (src/examples/graphs.ts: the gateway and the stream
 * pipeline, built into /components/) in the browser on engine/cm and on engine/jco, and leaves
 * what each returned on `window.__composeExamples` for e2e/compose-examples.spec.ts.
 *
 * engine/cm links the instances in one Store (src/examples/link.ts). engine/jco transpiles each
 * part and joins the instances through JS, the importer's import object holding the exporter's
 * jco exports (nothing composes components in the page yet); a stream one instance returns
 * reaches the next as a ReadableStream, the way the host's own streams reach a guest.
 */
import { errorMessage } from "../../src/base/assert";
import { decode } from "../../src/component/decode";
import { memoryCache, sha256Hex } from "../../src/engine/jco/cache";
import { JcoEngine, planTranspile } from "../../src/engine/jco/engine";
import { inspectComponent } from "../../src/engine/inspect";
import { GATEWAY, GATEWAY_API, PIPELINE, type Graph } from "../../src/examples/graphs";
import { linkGraph } from "../../src/examples/link";
import { createHost, servedInterfaceFor, suspendingFunctions, type Host, type InterfaceImpl } from "../../src/host";
import { liftedBytesToReadable, type LiftedByteStream } from "../../src/host/streams";

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

/** Calls a graph instance's export; a `result` comes back as `{ tag, val }` on both engines. */
type Call = (instance: string, iface: string, func: string, args: unknown[]) => Promise<unknown>;

const RUN_TIMEOUT_MS = 10_000;

async function load(component: string): Promise<Uint8Array> {
  const res = await fetch(`/components/${component}.wasm`);
  if (!res.ok) throw new Error(`${component}.wasm: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function newHost(out: { text: string }, canSuspend: boolean): Host {
  const dec = new TextDecoder();
  return createHost({
    cli: { args: ["compose-examples"], env: [], stdin: new Uint8Array(), stdout: { write: (d) => void (out.text += dec.decode(d)) }, stderr: { write: (d) => void (out.text += dec.decode(d)) } },
    blocking: { canSuspend },
  });
}

async function onCm(graph: Graph, out: { text: string }): Promise<Call> {
  const host = newHost(out, false);
  const g = await linkGraph(graph, { load, host: () => host });
  return (instance, iface, func, args) => g.call(instance, iface, func, args);
}

const jco = new JcoEngine(memoryCache());

/**
 * An exporter's jco exports as the importer's import object. jco lifts a returned stream<u8> to
 * its own stream object, which another instance cannot lower: it is handed on as a byte
 * ReadableStream (pulled only on demand, so backpressure still reaches the writer).
 */
function throughJs(exported: Record<string, unknown>): InterfaceImpl {
  const onward = (v: unknown) => (v && typeof v === "object" && Symbol.asyncIterator in v && !(v instanceof ReadableStream) ? liftedBytesToReadable(v as LiftedByteStream) : v);
  return Object.fromEntries(
    Object.entries(exported).map(([name, f]) => [
      name,
      typeof f !== "function"
        ? f
        : (...args: unknown[]) => {
            const r: unknown = f.apply(exported, args);
            return r instanceof Promise ? r.then(onward) : onward(r);
          },
    ]),
  );
}
const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

async function onJco(graph: Graph, out: { text: string }): Promise<Call> {
  const host = newHost(out, true);
  const exports = new Map<string, Record<string, unknown>>();
  for (const part of graph.parts) {
    const bytes = await load(part.component);
    const hash = await sha256Hex(bytes);
    const info = await inspectComponent(part.component, bytes, hash, servedInterfaceFor);
    const prepared = await jco.prepare(bytes, hash, planTranspile(info, suspendingFunctions), () => {});
    const names = decode(bytes).definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : []));
    const wired = new Map<string, InterfaceImpl>();
    for (const w of graph.wires) if (w.importer === part.instance) wired.set(w.name, throughJs(exports.get(w.exporter)![w.export] as Record<string, unknown>));
    const partHost: Host = { ...host, resolve: (name) => (wired.has(name) ? { name, impl: wired.get(name)! } : host.resolve(name)) };
    exports.set(part.instance, await jco.instantiate(prepared, partHost, `${part.instance}.wasm`, names));
  }
  return async (instance, iface, func, args) => {
    const target = exports.get(instance)?.[iface] as Record<string, (...a: unknown[]) => unknown> | undefined;
    const fn = target?.[camel(func)];
    if (!fn) throw new Error(`jco exposes no ${iface}.${camel(func)} on ${instance}`);
    // jco returns a `result`'s ok value and throws its error (with the error value as `payload`).
    try {
      return { tag: "ok", val: await fn.apply(target, args) };
    } catch (err) {
      if (err && typeof err === "object" && "payload" in err) return { tag: "err", val: (err as { payload: unknown }).payload };
      throw err;
    }
  };
}

const scenarios: Array<{ id: string; graph: Graph; run(call: Call, out: { text: string }): Promise<unknown> }> = [
  {
    id: "gateway",
    graph: GATEWAY,
    run: (call) =>
      Promise.all([
        call("router", GATEWAY_API, "handle", ["10.0.0.1", "tok_alice_7f3a", "/me"]),
        call("router", GATEWAY_API, "handle", ["10.0.0.2", "tok_bob_91c2", "/orders/bob"]),
        call("router", GATEWAY_API, "handle", ["10.0.0.3", "tok_carol_5d10", "/me"]),
      ]),
  },
  {
    id: "pipeline",
    graph: PIPELINE,
    run: async (call, out) => ({ result: await call("consumer", "wasi:cli/run@0.3.0", "run", []), stdout: out.text }),
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
  for (const engine of ["cm", "jco"] as const) {
    if (only && only !== engine) continue;
    for (const s of scenarios) {
      const out = { text: "" };
      try {
        const call = await (engine === "cm" ? onCm : onJco)(s.graph, out);
        state.results.push({ engine, scenario: s.id, ok: true, value: await Promise.race([s.run(call, out), deadline(`${s.id} on ${engine}`)]) });
      } catch (err) {
        state.results.push({ engine, scenario: s.id, ok: false, message: errorMessage(err) + (out.text ? `\nguest output: ${out.text.slice(-1000)}` : "") });
      }
    }
  }
  state.done = true;
  document.getElementById("out")!.textContent = JSON.stringify(state.results, null, 2);
}

void main();
