/**
 * The composition examples' graphs: examples/GROUP/graph.json in src/compose's graph JSON, which
 * scripts/build-examples.mjs checks and writes to public/components/graphs.json (by group, each
 * part resolved to the sha256 of its build, which index.json lists with its file).
 */
import type { Graph, InstanceNode } from "../compose/graph";
import { parseGraph } from "../compose/json";

/** The entries of components/index.json this needs: a built file and its sha256. */
export interface BuiltEntry {
  file: string;
  sha256: string;
}

/** The graph of `group` in graphs.json (already parsed JSON); throws naming what is wrong. */
export function exampleGraph(graphs: unknown, group: string): Graph {
  const json = (graphs as Record<string, unknown> | null)?.[group];
  if (json === undefined) throw new Error(`graphs.json has no graph for ${group}`);
  const parsed = parseGraph(json);
  if (!parsed.ok) throw new Error(`graphs.json, ${group}: ${parsed.error}`);
  return parsed.graph;
}

/** The built file of each instance's component, from index.json's entries. */
export function fileOf(index: readonly BuiltEntry[], node: InstanceNode): string {
  const entry = index.find((e) => e.sha256 === node.component);
  if (!entry) throw new Error(`instance ${node.name}: no built example has sha256 ${node.component} (rebuild the examples)`);
  return entry.file;
}

/** The part of `graph` that the instances named `names` make up, with the wires and exports among them. */
export function subgraph(graph: Graph, ...names: string[]): Graph {
  const keep = new Set(graph.instances.filter((i) => names.includes(i.name)).map((i) => i.id));
  return {
    instances: graph.instances.filter((i) => keep.has(i.id)),
    wires: graph.wires.filter((w) => keep.has(w.to.instance) && (w.from.kind === "host" || keep.has(w.from.instance))),
    exports: graph.exports.filter((e) => keep.has(e.instance)),
  };
}

/** An instance's id by its name (throws when there is none). */
export function idOf(graph: Graph, name: string): string {
  const node = graph.instances.find((i) => i.name === name);
  if (!node) throw new Error(`the graph has no instance named ${name}`);
  return node.id;
}

export const GATEWAY_API = "playground:gateway/api@0.1.0";

/** The pipeline's consumer's lines: the producer's text, upper-cased by the transform. */
export const PIPELINE_TEXT = Array.from({ length: 12 }, (_, i) => `line ${String(i + 1).padStart(2, "0")} of 12: written in one burst, read slowly\n`).join("");
