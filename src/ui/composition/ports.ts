/**
 * The graph as the canvas draws it: each instance a node with its typed ports (imports on the
 * left, exports on the right, each with its WIT), what feeds each import, the edges, and what a
 * drag from one handle to another means. Pure: the React nodes only render these.
 *
 * WASI imports that the host feeds are gathered into one row per node ("20 WASI imports from the
 * host"), since a JS component has a score of them; the node's "show all" unfolds them.
 */
import type { Lookup, Port } from "../../compose/catalog";
import { instanceById, policyOf, wireInto, type Graph, type InstanceNode, type Source, type Target } from "../../compose/graph";
import type { Diagnostic } from "../../compose/rules";
import { canWire, setExport } from "../../compose/wiring";
import type { Catalog } from "../../compose/catalog";
import { EXPORTS_NODE } from "./doc";

/** What feeds an import. */
export type Feed =
  | { readonly kind: "instance"; readonly instance: string; readonly name: string; readonly export: string }
  | { readonly kind: "host"; readonly name: string }
  | { readonly kind: "forward" }
  | { readonly kind: "refuse" };

export interface ImportRow {
  readonly name: string;
  readonly label: string;
  readonly wit: string;
  readonly feed: Feed;
}

export interface ExportRow {
  readonly name: string;
  readonly label: string;
  readonly wit: string;
  /** Names the composition exports it under. */
  readonly exportedAs: readonly string[];
}

export interface NodeView {
  readonly id: string;
  readonly name: string;
  /** The library item's name (`gateway-upstream.wasm`). */
  readonly component: string;
  /** Why the component cannot be used (missing, still loading, not a component). */
  readonly error: string | null;
  /** Imports drawn one per row, each with a handle. */
  readonly imports: readonly ImportRow[];
  /** WASI imports the host feeds, drawn as one row unless unfolded. */
  readonly hostImports: readonly ImportRow[];
  readonly exports: readonly ExportRow[];
  /** validate's messages about this instance. */
  readonly problems: readonly string[];
}

/** `playground:gateway/keys@0.1.0` -> `gateway/keys`; a plain name stays as it is. */
export function portLabel(name: string): string {
  const m = /^[^:/@]+:([^/@]+)\/([^@]+)(@.*)?$/.exec(name);
  return m ? `${m[1]}/${m[2]}` : name;
}

export const importHandle = (name: string) => `in:${name}`;
export const exportHandle = (name: string) => `out:${name}`;
const handleName = (handle: string | null | undefined, prefix: "in:" | "out:") => (handle?.startsWith(prefix) ? handle.slice(prefix.length) : null);

/** The id of the edge of the wire into `to` (instance ids never hold `|`). */
export const wireId = (to: Target) => `${to.instance}|${to.import}`;
/** The id of the edge of the composition's export `name`. */
export const exportId = (name: string) => `${EXPORTS_NODE}|${name}`;

export function parseEdgeId(id: string): { kind: "wire"; to: Target } | { kind: "export"; name: string } {
  const at = id.indexOf("|");
  const head = id.slice(0, at);
  const rest = id.slice(at + 1);
  return head === EXPORTS_NODE ? { kind: "export", name: rest } : { kind: "wire", to: { instance: head, import: rest } };
}

function feedOf(graph: Graph, node: InstanceNode, name: string): Feed {
  const w = wireInto(graph, { instance: node.id, import: name });
  if (w?.from.kind === "instance") {
    const from = w.from;
    return { kind: "instance", instance: from.instance, name: instanceById(graph, from.instance)?.name ?? from.instance, export: from.export };
  }
  if (w?.from.kind === "host") return { kind: "host", name: w.from.name };
  return { kind: policyOf(node, name) };
}

const row = (p: Port) => ({ name: p.name, label: portLabel(p.name), wit: p.wit });

/** The node of instance `node`; `lookup` types its component, `diagnostics` are validate's for the graph. */
export function nodeView(graph: Graph, node: InstanceNode, lookup: Lookup, componentName: string, diagnostics: readonly Diagnostic[]): NodeView {
  const problems = diagnostics.filter((d) => d.instance === node.id).map((d) => (d.port ? `${d.port}: ${d.message}` : d.message));
  if (!lookup.ok) return { id: node.id, name: node.name, component: componentName, error: lookup.reason, imports: [], hostImports: [], exports: [], problems };
  const imports: ImportRow[] = [];
  const hostImports: ImportRow[] = [];
  for (const p of lookup.info.imports) {
    const r = { ...row(p), feed: feedOf(graph, node, p.name) };
    (p.name.startsWith("wasi:") && (r.feed.kind === "forward" || r.feed.kind === "host") ? hostImports : imports).push(r);
  }
  const exports = lookup.info.exports.map((p) => ({ ...row(p), exportedAs: graph.exports.filter((e) => e.instance === node.id && e.export === p.name).map((e) => e.name) }));
  return { id: node.id, name: node.name, component: componentName, error: null, imports, hostImports, exports, problems };
}

export interface EdgeView {
  readonly id: string;
  readonly source: string;
  readonly sourceHandle: string;
  readonly target: string;
  readonly targetHandle: string;
}

/**
 * The edges: a wire from an instance's export into an import, and an instance's export to the
 * exports node. Host wires are not edges (the import's row says where it comes from).
 */
export function edgeViews(graph: Graph): EdgeView[] {
  const out: EdgeView[] = [];
  for (const w of graph.wires) {
    if (w.from.kind !== "instance") continue;
    out.push({ id: wireId(w.to), source: w.from.instance, sourceHandle: exportHandle(w.from.export), target: w.to.instance, targetHandle: importHandle(w.to.import) });
  }
  for (const e of graph.exports) out.push({ id: exportId(e.name), source: e.instance, sourceHandle: exportHandle(e.export), target: EXPORTS_NODE, targetHandle: importHandle(e.name) });
  return out;
}

/** A drag from one handle to another, as xyflow reports it. */
export interface Connection {
  readonly source: string | null;
  readonly sourceHandle?: string | null;
  readonly target: string | null;
  readonly targetHandle?: string | null;
}

/** What a drag means: a wire into an import, or exporting an export from the composition. */
export type Intent = { kind: "wire"; from: Source; to: Target } | { kind: "export"; instance: string; export: string };

export function intentOf(c: Connection): Intent | null {
  const exp = handleName(c.sourceHandle, "out:");
  if (!c.source || !c.target || exp === null || c.source === EXPORTS_NODE) return null;
  if (c.target === EXPORTS_NODE) return { kind: "export", instance: c.source, export: exp };
  const imp = handleName(c.targetHandle, "in:");
  return imp === null ? null : { kind: "wire", from: { kind: "instance", instance: c.source, export: exp }, to: { instance: c.target, import: imp } };
}

/** Whether the drag may end here, or why not: the live type check while wiring. */
export function checkIntent(catalog: Catalog, graph: Graph, intent: Intent | null): { ok: true } | { ok: false; reason: string } {
  if (!intent) return { ok: false, reason: "drag from an export (right side) to an import (left side) or to the composition's exports" };
  if (intent.kind === "wire") return canWire(catalog, graph, intent.from, intent.to);
  const r = setExport(catalog, graph, intent);
  return r.ok ? { ok: true } : r;
}
