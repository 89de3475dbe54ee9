/**
 * A valid graph as a real component, in the shape wac gives a composition
 * (`wac-graph/src/encoding.rs`; Explainer.md "Instance definitions", "Alias definitions"):
 *
 * 1. imports: every import the host feeds (host wires and forwarded open imports), each once by
 *    name, with the closure of types it refers to copied from the components that import it
 *    (`ComponentBuilder.importsFrom`);
 * 2. each library component embedded once, however many instances it has;
 * 3. instantiations in topological order, every import passed by name: an import of the
 *    composition, or an alias of another instance's export;
 * 4. the composition's exports, each an alias of an instance's export, ordered so that an export
 *    comes after those declaring the resources it uses.
 *
 * Instances keep their graph names in the `component-name` section (engine/cm names trace lanes by
 * them).
 */
import { assert } from "../base/assert";
import type { ComponentAst, ComponentSort } from "../component/ast";
import { ComponentBuilder, type Idx } from "../component/builder";
import type { ImportSource } from "../component/closure";
import type { ExternType } from "../component/types";
import type { Catalog } from "./catalog";
import { instanceById, topologicalOrder, wireInto, type CompositionExport, type Graph, type InstanceNode } from "./graph";
import { CompositionError, resourcesOf, Rules, validate } from "./rules";

export interface Composed {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly ast: ComponentAst;
  /** The composition's imports and exports by name, in the order they are encoded. */
  readonly imports: readonly string[];
  readonly exports: readonly string[];
}

const SORT: Record<ExternType["kind"], ComponentSort | "core module"> = {
  func: "func",
  instance: "instance",
  component: "component",
  type: "type",
  value: "value",
  "core module": "core module",
};

/** Encodes `graph` (throws {@link CompositionError} with every diagnostic when it is not valid). */
export function encodeGraph(catalog: Catalog, graph: Graph, opts: { name?: string } = {}): Composed {
  const diagnostics = validate(catalog, graph);
  if (diagnostics.length) throw new CompositionError(diagnostics);
  const order = topologicalOrder(graph);
  assert(order.ok, "validate reports every cycle");
  const rules = new Rules(catalog, graph);
  const nodes = order.order.map((id) => instanceById(graph, id)!);
  const infos = new Map(nodes.map((n) => [n.id, catalog.info(n.component)!]));
  const b = new ComponentBuilder().componentName(opts.name ?? "composition").producer("processed-by", "wasi-playground", "compose");

  const sources: ImportSource[] = nodes.map((n) => {
    const fed = new Map<string, string>();
    for (const p of infos.get(n.id)!.imports) {
      const name = rules.hostName(n, p.name);
      if (name !== null) fed.set(p.name, name);
    }
    return { component: infos.get(n.id)!.ast, imports: fed };
  });
  const imports = b.importsFrom(sources);

  const components = new Map<string, Idx<"component">>();
  for (const n of nodes) {
    if (components.has(n.component)) continue;
    const info = infos.get(n.id)!;
    const idx = b.component(info.ast);
    b.name(idx, info.name);
    components.set(n.component, idx);
  }

  const instances = new Map<string, Idx<"instance">>();
  const aliases = new Map<string, Idx>();
  const exportOf = (node: InstanceNode, name: string): Idx => {
    const key = `${node.id}\u0000${name}`;
    let idx = aliases.get(key);
    if (!idx) {
      const port = infos.get(node.id)!.exports.find((p) => p.name === name)!;
      idx = b.alias(instances.get(node.id)!, name, SORT[port.type.kind]);
      aliases.set(key, idx);
    }
    return idx;
  };
  for (const n of nodes) {
    const args: Record<string, Idx> = {};
    for (const p of infos.get(n.id)!.imports) {
      const w = wireInto(graph, { instance: n.id, import: p.name });
      if (w?.from.kind === "instance") args[p.name] = exportOf(instanceById(graph, w.from.instance)!, w.from.export);
      else args[p.name] = imports.get(rules.hostName(n, p.name)!)!;
    }
    const inst = b.instantiate(components.get(n.component)!, args);
    b.name(inst, n.name);
    instances.set(n.id, inst);
  }

  const exports = exportOrder(rules, graph.exports);
  for (const e of exports) b.export(e.name, exportOf(instanceById(graph, e.instance)!, e.export));
  const { bytes, ast } = b.finish();
  return { bytes, ast, imports: [...imports.keys()], exports: exports.map((e) => e.name) };
}

/** `exports` reordered (stably) so that each comes after the exports declaring the resources it uses. */
function exportOrder(rules: Rules, exports: readonly CompositionExport[]): CompositionExport[] {
  const facts = exports.map((e) => {
    const node = rules.node(e.instance)!;
    const port = rules.exportPort(node, e.export)!;
    const keys = (rs: ReturnType<typeof resourcesOf>) => rs.flatMap((r) => {
      const res = rules.resolve(node, r);
      return res.ok && !res.host ? [res.key] : [];
    });
    const declared = keys(port.type.kind === "type" ? resourcesOf(port.type) : port.type.kind === "instance" ? port.type.exports.flatMap((m) => (m.type.kind === "type" ? resourcesOf(m.type) : [])) : []);
    return { e, declared: new Set(declared), uses: keys(resourcesOf(port.type)) };
  });
  const out: CompositionExport[] = [];
  const available = new Set<string>();
  const left = [...facts];
  while (left.length) {
    const i = Math.max(0, left.findIndex((f) => f.uses.every((k) => f.declared.has(k) || available.has(k))));
    const [f] = left.splice(i, 1);
    for (const k of f!.declared) available.add(k);
    out.push(f!.e);
  }
  return out;
}
