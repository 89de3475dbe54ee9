/**
 * The editor's state and every edit, as a reducer: the document (graph + positions), the undo and
 * redo stacks (documents, since the graph is immutable), the selection, and the last notice (an
 * edit refused with its reason, or what auto-wiring did). Typed edits go through src/compose
 * (`canWire`, `autoWire`, `setExport`), so a refused edit leaves the document as it was.
 */
import type { Catalog, Lookup } from "../../compose/catalog";
import { addInstance, removeExport, removeInstance, removeWire, renameInstance, setOpenPolicy, type OpenPolicy, type Source, type Target } from "../../compose/graph";
import { addWire, autoWire, setExport, sourceText } from "../../compose/wiring";
import { EMPTY_DOC, EXPORTS_NODE, type CompositionDoc, type XY } from "./doc";
import { parseEdgeId } from "./ports";

export interface Notice {
  readonly kind: "error" | "info";
  readonly text: string;
}

/** Selected nodes (instance ids) and edges (edge ids, see ports.ts). */
export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

export const NO_SELECTION: Selection = { nodes: [], edges: [] };

export interface EditorState {
  readonly doc: CompositionDoc;
  readonly past: readonly CompositionDoc[];
  readonly future: readonly CompositionDoc[];
  readonly selection: Selection;
  readonly notice: Notice | null;
}

export const initialEditor = (doc: CompositionDoc = EMPTY_DOC): EditorState => ({ doc, past: [], future: [], selection: NO_SELECTION, notice: null });

/** How many edits undo reaches back. */
export const UNDO_DEPTH = 200;

/** What an import is set to take: a wire, or no wire and what happens to it then. */
export type FeedChoice = { readonly kind: "wire"; readonly from: Source } | { readonly kind: "open"; readonly policy: OpenPolicy };

export type EditorAction =
  /** A new instance of library component `component` (sha256), named after `label`. */
  | { type: "add"; component: string; label: string; at?: XY }
  | { type: "connect"; from: Source; to: Target }
  | { type: "export"; instance: string; export: string; name?: string }
  | { type: "delete"; selection?: Selection }
  /** Auto-wires one instance, or every instance. */
  | { type: "auto-wire"; instance?: string }
  /** What feeds an import: a wire from `from` (in place of the wire into it, if any), or none and the policy for it while open. */
  | { type: "feed"; to: Target; feed: FeedChoice }
  | { type: "rename"; instance: string; name: string }
  /** Nodes moved (a drag ended) or laid out. */
  | { type: "move"; positions: Readonly<Record<string, XY>> }
  | { type: "select"; selection: Selection }
  /** Replaces the document (an example opened, a saved or shared one loaded); undo brings the old one back. */
  | { type: "open"; doc: CompositionDoc; notice?: Notice }
  /** Starts over from `doc` with no history (the saved document, read back after a reload). */
  | { type: "restore"; doc: CompositionDoc; notice?: Notice }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "notice"; notice: Notice | null };

const error = (s: EditorState, text: string): EditorState => ({ ...s, notice: { kind: "error", text } });

/** `s` with `doc` as the new document, the old one on the undo stack. */
function commit(s: EditorState, doc: CompositionDoc, notice: Notice | null = null, selection = s.selection): EditorState {
  return { doc, past: [...s.past, s.doc].slice(-UNDO_DEPTH), future: [], selection, notice };
}

/** Where a new node goes when none is given: right of the rightmost instance. */
function freeSpot(doc: CompositionDoc): XY {
  const xs = doc.graph.instances.map((i) => doc.positions[i.id]?.x ?? 0);
  return { x: xs.length ? Math.max(...xs) + 320 : 0, y: 0 };
}

/** What the reducer types components with: the library's catalog, and its lookup (which knows what is still loading). */
export interface Typing {
  readonly catalog: Catalog;
  lookup(sha256: string): Lookup;
}

/** The reducer over the library's components. */
export function editorReducer(library: Typing): (s: EditorState, a: EditorAction) => EditorState {
  const { catalog } = library;
  return (s, a) => {
    const { graph } = s.doc;
    const withGraph = (g: typeof graph, notice: Notice | null = null, positions = s.doc.positions) => commit(s, { ...s.doc, graph: g, positions }, notice);
    switch (a.type) {
      case "add": {
        const l = library.lookup(a.component);
        if (!l.ok) return error(s, `Cannot add it: ${l.reason}`);
        const r = addInstance(graph, a.component, { label: a.label });
        if (!r.ok) return error(s, r.reason);
        const { graph: g, id } = r.graph;
        return { ...commit(s, { ...s.doc, graph: g, positions: { ...s.doc.positions, [id]: a.at ?? freeSpot(s.doc) } }), selection: { nodes: [id], edges: [] } };
      }
      case "connect": {
        const r = addWire(catalog, graph, { from: a.from, to: a.to });
        return r.ok ? withGraph(r.graph) : error(s, `Refused: ${r.reason}`);
      }
      case "export": {
        const r = setExport(catalog, graph, a);
        return r.ok ? withGraph(r.graph) : error(s, `Refused: ${r.reason}`);
      }
      case "delete": {
        const sel = a.selection ?? s.selection;
        let g = graph;
        for (const id of sel.edges) {
          const e = parseEdgeId(id);
          g = e.kind === "wire" ? removeWire(g, e.to) : removeExport(g, e.name);
        }
        const positions = { ...s.doc.positions };
        for (const id of sel.nodes) {
          if (id === EXPORTS_NODE) continue;
          g = removeInstance(g, id);
          delete positions[id];
        }
        if (g === graph) return s;
        return { ...withGraph(g, null, positions), selection: NO_SELECTION };
      }
      case "auto-wire": {
        const ids = a.instance ? [a.instance] : graph.instances.map((i) => i.id);
        let g = graph;
        let wired = 0;
        const ambiguous: string[] = [];
        for (const id of ids) {
          const r = autoWire(catalog, g, id);
          g = r.graph;
          wired += r.wired.filter((w) => w.from.kind === "instance").length;
          const name = graph.instances.find((i) => i.id === id)?.name ?? id;
          for (const amb of r.ambiguous) ambiguous.push(`\`${name}\`'s import \`${amb.import}\` could come from ${amb.candidates.map((c) => sourceText(g, c)).join(" or ")}: wire it by hand`);
        }
        const text = `Auto-wire: ${wired} wire${wired === 1 ? "" : "s"} between instances added${ambiguous.length ? `; ${ambiguous.join("; ")}` : ""}.`;
        const notice: Notice = { kind: ambiguous.length ? "error" : "info", text };
        return g === graph ? { ...s, notice } : withGraph(g, notice);
      }
      case "feed": {
        const unwired = removeWire(graph, a.to);
        if (a.feed.kind === "open") return withGraph(setOpenPolicy(unwired, a.to, a.feed.policy));
        const r = addWire(catalog, unwired, { from: a.feed.from, to: a.to });
        return r.ok ? withGraph(r.graph) : error(s, `Refused: ${r.reason}`);
      }
      case "rename": {
        const r = renameInstance(graph, a.instance, a.name);
        return r.ok ? withGraph(r.graph) : error(s, r.reason);
      }
      case "move":
        return commit(s, { ...s.doc, positions: { ...s.doc.positions, ...a.positions } }, s.notice);
      case "select":
        return { ...s, selection: a.selection };
      case "open":
        return { ...commit(s, a.doc, a.notice ?? null), selection: NO_SELECTION };
      case "restore":
        return { ...initialEditor(a.doc), notice: a.notice ?? null };
      case "undo": {
        const prev = s.past.at(-1);
        return prev ? { ...s, doc: prev, past: s.past.slice(0, -1), future: [s.doc, ...s.future], notice: null } : s;
      }
      case "redo": {
        const [next, ...rest] = s.future;
        return next ? { ...s, doc: next, past: [...s.past, s.doc], future: rest, notice: null } : s;
      }
      case "notice":
        return { ...s, notice: a.notice };
    }
  };
}
