/**
 * Automatic layout of the canvas with dagre (layered, left to right: what an instance imports from
 * sits to its left, the composition's exports rightmost), and the sizes the layout assumes for a
 * node, which the node's CSS keeps (fixed row heights, see composition.css).
 */
import dagre from "@dagrejs/dagre";
import type { XY } from "./doc";
import type { NodeView } from "./ports";

export const NODE_WIDTH = 260;
export const HEADER_H = 52;
export const ROW_H = 24;
export const EXPORTS_WIDTH = 240;

/** A node's size as drawn: a header, then as many rows as its longer side (the folded host row counts as one). */
export function nodeSize(view: NodeView, unfolded: boolean): { width: number; height: number } {
  const left = view.imports.length + (view.hostImports.length ? (unfolded ? view.hostImports.length + 1 : 1) : 0);
  const rows = Math.max(1, left, view.exports.length) + (view.error ? 2 : 0);
  return { width: NODE_WIDTH, height: HEADER_H + rows * ROW_H };
}

export interface Box {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** Top-left corners for `boxes`, each link pointing from the exporter (left) to the importer (right). */
export function autoLayout(boxes: readonly Box[], links: readonly { source: string; target: string }[]): Record<string, XY> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 32, ranksep: 96, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  for (const l of links) if (g.hasNode(l.source) && g.hasNode(l.target) && l.source !== l.target) g.setEdge(l.source, l.target);
  dagre.layout(g);
  const out: Record<string, XY> = {};
  for (const b of boxes) {
    const n = g.node(b.id);
    out[b.id] = { x: Math.round(n.x - b.width / 2), y: Math.round(n.y - b.height / 2) };
  }
  return out;
}
