/**
 * Runs a composition example's graph (graphs.ts) on engine/cm as a composed component would run
 * it: one `Store`, each instance's imports bound by a wire to another instance's export or else to
 * the host, and one exact trace for all of them.
 */
import { CmEngine, type CmInstance } from "../engine/cm/engine";
import { TraceRecorder } from "../engine/trace";
import type { Host } from "../host";
import { chunkToBatch } from "../protocol/trace-chunk";
import type { TraceEvent } from "../protocol/trace-events";
import type { Graph } from "./graphs";

export interface LinkedGraph {
  instances: Map<string, CmInstance>;
  /** Calls `iface#func` of an instance and resolves with its lifted result (`result` as `{tag, val}`). */
  call(instance: string, iface: string, func: string, args: unknown[]): Promise<unknown>;
  /** Every trace event recorded so far, in order, with the instance it belongs to ("host" for none). */
  events(): Array<TraceEvent & { part: string }>;
}

export interface LinkOptions {
  /** A built example's bytes by component name (`gateway-router`). */
  load(component: string): Promise<Uint8Array>;
  /** The host for each instance's own imports. */
  host(instance: string): Host;
}

const engine = new CmEngine();

/** Instantiates the parts of `graph` in order and wires them. */
export async function linkGraph(graph: Graph, opts: LinkOptions): Promise<LinkedGraph> {
  const trace = new TraceRecorder({ fidelity: "exact" });
  const instances = new Map<string, CmInstance>();
  let store: CmInstance["store"] | undefined;
  for (const part of graph.parts) {
    const prepared = await engine.prepare(await opts.load(part.component), part.component);
    const host = opts.host(part.instance);
    const resolveImport = (name: string) => {
      const wire = graph.wires.find((w) => w.importer === part.instance && w.name === name);
      if (!wire) return host.resolve(name);
      const exports = instances.get(wire.exporter)?.exportsOf(wire.export);
      if (!exports) throw new Error(`${part.instance}: '${wire.exporter}' (instantiated earlier?) has no export '${wire.export}'`);
      return { name, exports };
    };
    const inst = engine.instantiate(prepared, { resolveImport }, `${part.instance}.wasm`, trace, store);
    store ??= inst.store;
    instances.set(part.instance, inst);
  }
  const taken: TraceEvent[] = [];
  // Instance ids -> graph instances, from the "instance" events: a nested instance is named `NAME.wasm/...`.
  const partOf = new Map<number, string>();
  return {
    instances,
    call(instance, iface, func, args) {
      const inst = instances.get(instance);
      const f = inst?.func(iface, func);
      if (!inst || !f) throw new Error(`${instance} exports no ${iface}#${func}`);
      return inst.call(f, args);
    },
    events() {
      const chunk = trace.take();
      if (chunk) taken.push(...chunkToBatch(chunk).events);
      for (const e of taken) if (e.kind === "instance" && e.name) partOf.set(e.instance, e.name.slice(0, e.name.indexOf(".wasm")));
      return taken.map((e) => ({ ...e, part: partOf.get(e.instance) ?? "host" }));
    },
  };
}
