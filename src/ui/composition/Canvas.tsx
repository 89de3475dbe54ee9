/**
 * The graph on an xyflow canvas: nodes and edges from flow.ts, drags checked live (the reason for
 * a refusal shown over the canvas while dragging, and as the editor's notice when dropped), moves
 * and selections handed to the reducer. Deleting, undo and redo are the panel's keys.
 */
import { applyNodeChanges, Background, Controls, ReactFlow, useReactFlow, type Connection, type EdgeChange, type IsValidConnection, type NodeChange, type OnConnectEnd } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { XY } from "./doc";
import { flowEdges, flowNodes, type FlowNode } from "./flow";
import { ExportsNode, InstanceNode, NodeActions } from "./nodes";
import { checkIntent, intentOf } from "./ports";
import type { CompositionApi } from "./useComposition";

const NODE_TYPES = { instance: InstanceNode, exports: ExportsNode };

/** The check of the drag in progress: fits, or why not. */
type Live = { ok: true } | { ok: false; reason: string };

/** `next` with the sizes xyflow measured for the same nodes before (they keep their handles' places). */
function keepMeasured(prev: readonly FlowNode[], next: FlowNode[]): FlowNode[] {
  const measured = new Map(prev.map((n) => [n.id, n.measured]));
  return next.map((n) => (measured.get(n.id) ? ({ ...n, measured: measured.get(n.id) } as FlowNode) : n));
}

export function Canvas({ api, fitSignal, colorMode }: { api: CompositionApi; fitSignal: number; colorMode: "light" | "dark" }) {
  const { state, dispatch, views, library, unfolded } = api;
  const flow = useReactFlow();
  const built = useMemo(() => flowNodes(state.doc, views, state.selection, unfolded), [state.doc, views, state.selection, unfolded]);
  const [nodes, setNodes] = useState<FlowNode[]>(built);
  useEffect(() => setNodes((prev) => keepMeasured(prev, built)), [built]);
  const edges = useMemo(() => flowEdges(state.doc.graph, state.selection), [state.doc.graph, state.selection]);
  const [live, setLive] = useState<Live | null>(null);
  const selection = useRef(state.selection);
  selection.current = state.selection;

  // Fit when asked, and when a whole document arrives (after its nodes have been drawn once).
  useEffect(() => {
    if (fitSignal + api.opened === 0) return;
    const frame = requestAnimationFrame(() => void flow.fitView({ duration: 200 }));
    return () => cancelAnimationFrame(frame);
  }, [fitSignal, api.opened, flow]);

  const select = useCallback(
    (kind: "nodes" | "edges", changes: readonly { id: string; selected: boolean }[]) => {
      if (!changes.length) return;
      const ids = new Set(selection.current[kind]);
      for (const c of changes) {
        if (c.selected) ids.add(c.id);
        else ids.delete(c.id);
      }
      const next = { ...selection.current, [kind]: [...ids] };
      selection.current = next;
      dispatch({ type: "select", selection: next });
    },
    [dispatch],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      const moved: Record<string, XY> = {};
      for (const c of changes) if (c.type === "position" && c.dragging === false && c.position) moved[c.id] = c.position;
      if (Object.keys(moved).length) dispatch({ type: "move", positions: moved });
      select("nodes", changes.flatMap((c) => (c.type === "select" ? [c] : [])));
    },
    [dispatch, select],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => select("edges", changes.flatMap((c) => (c.type === "select" ? [c] : []))), [select]);

  const check = useCallback((c: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) => checkIntent(library.catalog, state.doc.graph, intentOf(c)), [library, state.doc.graph]);

  const isValidConnection: IsValidConnection = useCallback(
    (c) => {
      const r = check(c);
      setLive((prev) => (prev && prev.ok === r.ok && (r.ok || (!prev.ok && prev.reason === r.reason)) ? prev : r));
      return r.ok;
    },
    [check],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const intent = intentOf(c);
      if (intent?.kind === "wire") dispatch({ type: "connect", from: intent.from, to: intent.to });
      else if (intent?.kind === "export") dispatch({ type: "export", instance: intent.instance, export: intent.export });
    },
    [dispatch],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (_, s) => {
      setLive(null);
      if (!s.toHandle || s.isValid !== false || !s.fromHandle) return;
      const from = s.fromHandle.type === "source" ? s.fromHandle : s.toHandle;
      const to = s.fromHandle.type === "source" ? s.toHandle : s.fromHandle;
      const r = check({ source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null });
      if (!r.ok) dispatch({ type: "notice", notice: { kind: "error", text: `Refused: ${r.reason}` } });
    },
    [check, dispatch],
  );

  const actions = useMemo(() => ({ toggleUnfolded: api.toggleUnfolded }), [api.toggleUnfolded]);

  return (
    <NodeActions.Provider value={actions}>
      <div className="composition-canvas" data-testid="composition-canvas">
        <ReactFlow<FlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectStart={() => setLive(null)}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          deleteKeyCode={null}
          // xyflow listens for Space on the whole document and cancels it outside inputs; Monaco
          // types through EditContext (no textarea), so the editor's spaces would vanish while
          // this canvas is mounted in a background tab. Dragging the background pans anyway.
          panActivationKeyCode={null}
          colorMode={colorMode}
          fitView
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          {/* Top right: the nodes a fit view puts in the lower corners stay clear to aim at. */}
          <Controls showInteractive={false} position="top-right" />
        </ReactFlow>
        {live && (
          <p className={`wire-check ${live.ok ? "fits" : "refused"}`} data-testid="wire-check">
            {live.ok ? "✓ the types match" : `✗ ${live.reason}`}
          </p>
        )}
      </div>
    </NodeActions.Provider>
  );
}
