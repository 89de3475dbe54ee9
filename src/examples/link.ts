/**
 * Runs a composition example's graph (src/compose's `Graph`) on engine/cm the way a composed
 * component runs it, without encoding it: one `Store`, the instances instantiated in topological
 * order, each wired import bound to another instance's export, every other import to the host, and
 * one exact trace for all of them. The tests use it to give each instance a host of its own (a
 * rate limiter with a clock that moves only when told).
 */
import { CmEngine, type CmInstance } from "../engine/cm/engine";
import { TraceRecorder } from "../engine/trace";
import type { Host } from "../host";
import { chunkToBatch } from "../protocol/trace-chunk";
import type { TraceEvent } from "../protocol/trace-events";
import { instanceById, topologicalOrder, wireInto, type Graph, type InstanceNode } from "../compose/graph";

export interface LinkedGraph {
  /** Instances by graph instance name. */
  instances: Map<string, CmInstance>;
  /** Calls `iface#func` of an instance (by name) and resolves with its lifted result (`result` as `{tag, val}`). */
  call(instance: string, iface: string, func: string, args: unknown[]): Promise<unknown>;
  /** Every trace event recorded so far, in order, with the instance name it belongs to ("host" for none). */
  events(): Array<TraceEvent & { part: string }>;
}

export interface LinkOptions {
  /** The bytes of an instance's component. */
  load(node: InstanceNode): Promise<Uint8Array>;
  /** The host for an instance's imports that no wire feeds, by instance name. */
  host(instance: string): Host;
}

const engine = new CmEngine();

/** Instantiates the instances of `graph` in topological order and wires them. */
export async function linkGraph(graph: Graph, opts: LinkOptions): Promise<LinkedGraph> {
  const order = topologicalOrder(graph);
  if (!order.ok) throw new Error(`the graph has a cycle: ${order.cycle.join(" → ")}`);
  const trace = new TraceRecorder({ fidelity: "exact" });
  const instances = new Map<string, CmInstance>();
  let store: CmInstance["store"] | undefined;
  for (const id of order.order) {
    const node = instanceById(graph, id)!;
    const prepared = await engine.prepare(await opts.load(node), node.component);
    const host = opts.host(node.name);
    const resolveImport = (name: string) => {
      const wire = wireInto(graph, { instance: id, import: name });
      if (!wire) return host.resolve(name);
      if (wire.from.kind === "host") return host.resolve(wire.from.name);
      const from = instanceById(graph, wire.from.instance)!;
      const exports = instances.get(from.name)?.exportsOf(wire.from.export);
      if (!exports) throw new Error(`${node.name}: '${from.name}' has no export '${wire.from.export}'`);
      return { name, exports };
    };
    const inst = engine.instantiate(prepared, { resolveImport }, `${node.name}.wasm`, trace, store);
    store ??= inst.store;
    instances.set(node.name, inst);
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
