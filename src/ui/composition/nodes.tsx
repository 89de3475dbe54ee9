/**
 * The canvas's two kinds of node: an instance, with its imports as handles on the left and its
 * exports on the right (each port's WIT in its tooltip), and the composition's exports. Row
 * heights are fixed (composition.css) so layout.ts's sizes hold.
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { createContext, useContext } from "react";
import type { ExportsFlowNode, InstanceFlowNode } from "./flow";
import { exportHandle, importHandle, type Feed, type ImportRow } from "./ports";

/** What a node can ask of the canvas. */
export const NodeActions = createContext<{ toggleUnfolded(id: string): void }>({ toggleUnfolded: () => {} });

function feedText(feed: Feed): string {
  switch (feed.kind) {
    case "instance":
      return `from ${feed.name}`;
    case "host":
      return `from the host (${feed.name})`;
    case "forward":
      return "open: an import of the composition";
    case "refuse":
      return "open: refused";
  }
}

function ImportItem({ row }: { row: ImportRow }) {
  return (
    <li className={`cport cport-in feed-${row.feed.kind}`} title={`import ${row.name}: ${feedText(row.feed)}\n${row.wit}`} data-port={row.name}>
      <Handle type="target" position={Position.Left} id={importHandle(row.name)} />
      <span>{row.label}</span>
    </li>
  );
}

export function InstanceNode({ data, selected }: NodeProps<InstanceFlowNode>) {
  const { view, unfolded } = data;
  const actions = useContext(NodeActions);
  const trouble = view.error ?? (view.problems.length ? view.problems.join("\n") : null);
  return (
    <div className={`cnode ${selected ? "selected" : ""} ${trouble ? "trouble" : ""}`} data-testid={`cnode-${view.name}`} title={trouble ?? undefined}>
      <header>
        <strong>{view.name}</strong>
        <span className="muted">{view.component}</span>
      </header>
      {view.error && <p className="cnode-error">{view.error}</p>}
      <div className="cnode-ports">
        <ul aria-label="imports">
          {view.imports.map((r) => (
            <ImportItem key={r.name} row={r} />
          ))}
          {view.hostImports.length > 0 && (
            <li className="cport cport-host">
              <button type="button" className="nodrag" aria-expanded={unfolded} onClick={() => actions.toggleUnfolded(view.id)} title={view.hostImports.map((r) => r.name).join("\n")}>
                {unfolded ? "▾" : "▸"} {view.hostImports.length} WASI import{view.hostImports.length === 1 ? "" : "s"} from the host
              </button>
            </li>
          )}
          {unfolded && view.hostImports.map((r) => <ImportItem key={r.name} row={r} />)}
        </ul>
        <ul aria-label="exports">
          {view.exports.map((r) => (
            <li key={r.name} className="cport cport-out" title={`export ${r.name}${r.exportedAs.length ? ` (the composition exports it as ${r.exportedAs.join(", ")})` : ""}\n${r.wit}`} data-port={r.name}>
              <span>{r.label}</span>
              <Handle type="source" position={Position.Right} id={exportHandle(r.name)} />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function ExportsNode({ data }: NodeProps<ExportsFlowNode>) {
  return (
    <div className="cnode cnode-exports" data-testid="cnode-exports">
      <header>
        <strong>Composition exports</strong>
        <span className="muted">what the composed component exports</span>
      </header>
      <ul aria-label="composition exports">
        {data.exports.map((e) => (
          <li key={e.name} className="cport cport-in" title={`${e.name}\n${e.from}`} data-port={e.name}>
            <Handle type="target" position={Position.Left} id={importHandle(e.name)} />
            <span>{e.name}</span>
          </li>
        ))}
        <li className="cport cport-in cport-drop">
          <Handle type="target" position={Position.Left} id={importHandle("")} />
          <span className="muted">drop an export here</span>
        </li>
      </ul>
    </div>
  );
}
