/**
 * What the editor edits and saves: the graph (src/compose) and where each node sits on the
 * canvas, with its versioned JSON form for IndexedDB (and, later, share links). Positions are the
 * editor's, not the graph's: a composed component is the same wherever its nodes are drawn.
 */
import { EMPTY_GRAPH, type Graph } from "../../compose/graph";
import { graphToJson, parseGraph, type GraphJson } from "../../compose/json";

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** The node of the composition's own exports has this id beside the instances' ids. */
export const EXPORTS_NODE = "exports";

export interface CompositionDoc {
  /** What the composed component is called (`gateway` gives `gateway.wasm`). */
  readonly name: string;
  readonly graph: Graph;
  /** Top-left corner of each node on the canvas, by instance id (and {@link EXPORTS_NODE}). */
  readonly positions: Readonly<Record<string, XY>>;
}

export const DEFAULT_NAME = "composition";

export const EMPTY_DOC: CompositionDoc = { name: DEFAULT_NAME, graph: EMPTY_GRAPH, positions: {} };

export const DOC_VERSION = 1;

export interface DocJson {
  readonly version: typeof DOC_VERSION;
  readonly name: string;
  readonly graph: GraphJson;
  readonly positions: Record<string, XY>;
}

export function docToJson(doc: CompositionDoc): DocJson {
  return { version: DOC_VERSION, name: doc.name, graph: graphToJson(doc.graph), positions: { ...doc.positions } };
}

export type ParsedDoc = { readonly ok: true; readonly doc: CompositionDoc } | { readonly ok: false; readonly error: string };

const isXY = (v: unknown): v is XY => typeof v === "object" && v !== null && Number.isFinite((v as XY).x) && Number.isFinite((v as XY).y);

/** Reads a saved doc back; a bad or newer one is refused naming what is wrong (the graph's own message for the graph). */
export function parseDoc(input: unknown): ParsedDoc {
  if (typeof input !== "object" || input === null) return { ok: false, error: "the saved composition is not an object" };
  const o = input as Record<string, unknown>;
  if (o.version !== DOC_VERSION) return { ok: false, error: `the saved composition is version ${String(o.version)}; this playground reads version ${DOC_VERSION}` };
  const graph = parseGraph(o.graph);
  if (!graph.ok) return graph;
  const positions: Record<string, XY> = {};
  const raw = o.positions;
  if (typeof raw === "object" && raw !== null) for (const [id, p] of Object.entries(raw)) if (isXY(p)) positions[id] = { x: p.x, y: p.y };
  const name = typeof o.name === "string" && /^[a-z][a-z0-9-]*$/.test(o.name) ? o.name : DEFAULT_NAME;
  return { ok: true, doc: { name, graph: graph.graph, positions } };
}
