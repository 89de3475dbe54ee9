/**
 * The canvas's nodes and edges in xyflow's shape, made from the editor's document and the node
 * views (ports.ts); the automatic layout of a whole document; and the choices an import's feed
 * offers in the side panel, each checked like a drag. Pure: Canvas.tsx only hands these to xyflow.
 */
import type { Edge, Node } from "@xyflow/react";
import type { Catalog } from "../../compose/catalog";
import { validate, type Diagnostic } from "../../compose/rules";
import { instanceById, removeWire, type Graph, type Target } from "../../compose/graph";
import { canWire } from "../../compose/wiring";
import { EXPORTS_NODE, type CompositionDoc, type XY } from "./doc";
import type { FeedChoice, Selection } from "./editor";
import { autoLayout, EXPORTS_WIDTH, HEADER_H, nodeSize, NODE_WIDTH, ROW_H } from "./layout";
import type { ComponentLibrary } from "./library";
import { edgeViews, nodeView, portLabel, type Feed, type NodeView } from "./ports";

export interface InstanceData extends Record<string, unknown> {
  readonly view: NodeView;
  /** Whether its WASI host imports are drawn one per row. */
  readonly unfolded: boolean;
}

export interface ExportsData extends Record<string, unknown> {
  /** The composition's exports: name, and where each comes from. */
  readonly exports: readonly { readonly name: string; readonly from: string }[];
}

export type InstanceFlowNode = Node<InstanceData, "instance">;
export type ExportsFlowNode = Node<ExportsData, "exports">;
export type FlowNode = InstanceFlowNode | ExportsFlowNode;

/** The exports node: a header, a row per export, and the row to drop a new export on. */
export const exportsSize = (count: number) => ({ width: EXPORTS_WIDTH, height: HEADER_H + (count + 1) * ROW_H });

const GAP = 96;

/** Right of every instance, at the top: where the exports node goes until it is moved. */
function exportsSpot(doc: CompositionDoc): XY {
  const xs = doc.graph.instances.map((i) => (doc.positions[i.id]?.x ?? 0) + NODE_WIDTH);
  return { x: xs.length ? Math.max(...xs) + GAP : 0, y: 0 };
}

/** Every instance's node view, with validate's diagnostics of the graph they are drawn from. */
export function graphViews(library: ComponentLibrary, graph: Graph): { views: NodeView[]; diagnostics: Diagnostic[] } {
  const diagnostics = validate(library.catalog, graph);
  const views = graph.instances.map((n) => nodeView(graph, n, library.lookup(n.component), library.item(n.component)?.name ?? `${n.component.slice(0, 12)}…`, diagnostics));
  return { views, diagnostics };
}

/** The nodes: one per instance (in graph order), then the exports node; sized as layout.ts assumes. */
export function flowNodes(doc: CompositionDoc, views: readonly NodeView[], selection: Selection, unfolded: ReadonlySet<string>): FlowNode[] {
  const selected = new Set(selection.nodes);
  const nodes: FlowNode[] = views.map((view) => ({
    id: view.id,
    type: "instance",
    position: doc.positions[view.id] ?? { x: 0, y: 0 },
    data: { view, unfolded: unfolded.has(view.id) },
    selected: selected.has(view.id),
    ...nodeSize(view, unfolded.has(view.id)),
  }));
  const exports = doc.graph.exports.map((e) => ({ name: e.name, from: `${instanceById(doc.graph, e.instance)?.name ?? e.instance} ▸ ${portLabel(e.export)}` }));
  nodes.push({
    id: EXPORTS_NODE,
    type: "exports",
    position: doc.positions[EXPORTS_NODE] ?? exportsSpot(doc),
    data: { exports },
    selected: false,
    deletable: false,
    ...exportsSize(exports.length),
  });
  return nodes;
}

/** The edges (ports.ts's edge views) with the selection. */
export function flowEdges(graph: Graph, selection: Selection): Edge[] {
  const selected = new Set(selection.edges);
  return edgeViews(graph).map((e) => ({ ...e, selected: selected.has(e.id) }));
}

/** Positions for every node of `doc` laid out by dagre (the exports node included). */
export function layoutPositions(doc: CompositionDoc, views: readonly NodeView[], unfolded: ReadonlySet<string>): Record<string, XY> {
  const boxes = [...views.map((v) => ({ id: v.id, ...nodeSize(v, unfolded.has(v.id)) })), { id: EXPORTS_NODE, ...exportsSize(doc.graph.exports.length) }];
  return autoLayout(boxes, edgeViews(doc.graph));
}

/** One choice of what feeds an import, as the side panel's list offers it. */
export interface FeedOption {
  readonly value: string;
  readonly label: string;
  /** Why it cannot feed the import, or null when it fits. */
  readonly refusal: string | null;
}

const OPEN_FORWARD = "open:forward";
const OPEN_REFUSE = "open:refuse";

/** The option value of what feeds an import now. */
export function feedValue(feed: Feed): string {
  switch (feed.kind) {
    case "instance":
      return `wire:${feed.instance}|${feed.export}`;
    case "host":
      return `host:${feed.name}`;
    case "forward":
      return OPEN_FORWARD;
    case "refuse":
      return OPEN_REFUSE;
  }
}

/** An option value back as the edit it asks for. */
export function feedChoice(value: string): FeedChoice {
  if (value === OPEN_REFUSE) return { kind: "open", policy: "refuse" };
  if (value.startsWith("wire:")) {
    const [instance, exp] = value.slice("wire:".length).split("|") as [string, string];
    return { kind: "wire", from: { kind: "instance", instance, export: exp } };
  }
  if (value.startsWith("host:")) return { kind: "wire", from: { kind: "host", name: value.slice("host:".length) } };
  return { kind: "open", policy: "forward" };
}

/**
 * What may feed import `to`: left open (forwarded as an import of the composition, or refused),
 * the host wire it has, or any other instance's export, each checked as if the import were unwired
 * (so the list says which exports fit and why the others do not). A WASI import the host feeds
 * lists no instances unless `instances` (a score of them per JS component, each checked against
 * every instance, would make a large graph's list slow to open).
 */
export function feedOptions(catalog: Catalog, graph: Graph, to: Target, current: Feed, instances = true): FeedOption[] {
  const unwired = removeWire(graph, to);
  const out: FeedOption[] = [
    { value: OPEN_FORWARD, label: "open: an import of the composition", refusal: null },
    { value: OPEN_REFUSE, label: "open: refused (an error until wired)", refusal: null },
  ];
  if (current.kind === "host") out.push({ value: feedValue(current), label: `the host: ${current.name}`, refusal: null });
  if (current.kind === "instance" && !instances) out.push({ value: feedValue(current), label: `${current.name} ▸ ${portLabel(current.export)}`, refusal: null });
  if (!instances) return out;
  for (const node of graph.instances) {
    if (node.id === to.instance) continue;
    for (const p of catalog.info(node.component)?.exports ?? []) {
      if (p.type.kind !== "instance" && p.type.kind !== "func") continue;
      const from = { kind: "instance" as const, instance: node.id, export: p.name };
      const can = canWire(catalog, unwired, from, to);
      out.push({ value: `wire:${node.id}|${p.name}`, label: `${node.name} ▸ ${portLabel(p.name)}`, refusal: can.ok ? null : can.reason });
    }
  }
  return out;
}
