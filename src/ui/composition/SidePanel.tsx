/**
 * Beside the canvas: the library to add from, the selected instance with a keyboard-reachable
 * choice of what feeds each import (each refusal's reason in its option) and its exports, the
 * graph's problems, and the composition's WIT.
 */
import { diagnosticText } from "../../compose/rules";
import { feedChoice, feedOptions, feedValue } from "./flow";
import { LibraryList } from "./LibraryList";
import { portLabel, type NodeView } from "./ports";
import type { CompositionApi } from "./useComposition";

function InstanceDetails({ api, view }: { api: CompositionApi; view: NodeView }) {
  const { state, dispatch, library } = api;
  const graph = state.doc.graph;
  return (
    <div className="composition-instance" data-testid="instance-details">
      <label>
        Name
        <input
          key={`${view.id}:${view.name}`}
          data-testid="instance-name"
          defaultValue={view.name}
          onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
          onBlur={(e) => e.target.value !== view.name && dispatch({ type: "rename", instance: view.id, name: e.target.value })}
        />
      </label>
      <p className="muted">{view.component}</p>
      {view.error && <p className="error">{view.error}</p>}
      {[...view.imports, ...view.hostImports].length > 0 && <h5>Imports</h5>}
      {[...view.imports, ...view.hostImports].map((row) => {
        const to = { instance: view.id, import: row.name };
        const fromInstances = !view.hostImports.includes(row);
        return (
          <label key={row.name} className="feed" title={row.wit}>
            <code>{portLabel(row.name)}</code>
            <select data-testid={`feed-${row.name}`} value={feedValue(row.feed)} onChange={(e) => dispatch({ type: "feed", to, feed: feedChoice(e.target.value) })}>
              {feedOptions(library.catalog, graph, to, row.feed, fromInstances).map((o) => (
                <option key={o.value} value={o.value} title={o.refusal ?? undefined}>
                  {o.refusal ? `✗ ${o.label} (does not fit)` : o.label}
                </option>
              ))}
            </select>
          </label>
        );
      })}
      {view.exports.length > 0 && <h5>Exports</h5>}
      {view.exports.map((row) => (
        <div key={row.name} className="feed" title={row.wit}>
          <code>{portLabel(row.name)}</code>
          {row.exportedAs.length ? (
            <span className="muted">exported as {row.exportedAs.join(", ")}</span>
          ) : (
            <button type="button" data-testid={`export-${row.name}`} onClick={() => dispatch({ type: "export", instance: view.id, export: row.name })}>
              Export from the composition
            </button>
          )}
        </div>
      ))}
      {view.problems.map((p) => (
        <p key={p} className="error">
          {p}
        </p>
      ))}
    </div>
  );
}

export function SidePanel({ api }: { api: CompositionApi }) {
  const { state, dispatch, views, diagnostics, wit } = api;
  const selectedId = state.selection.nodes.find((id) => views.some((v) => v.id === id)) ?? "";
  const selected = views.find((v) => v.id === selectedId);
  return (
    <aside className="composition-side" aria-label="Composition details">
      <details open>
        <summary>Add an instance</summary>
        <LibraryList api={api} />
      </details>
      <details open>
        <summary>Instance</summary>
        <select aria-label="Selected instance" data-testid="instance-select" value={selectedId} onChange={(e) => dispatch({ type: "select", selection: { nodes: e.target.value ? [e.target.value] : [], edges: [] } })}>
          <option value="">{views.length ? "— pick an instance —" : "— no instances yet —"}</option>
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
        {selected && <InstanceDetails api={api} view={selected} />}
      </details>
      <details open={diagnostics.length > 0}>
        <summary>
          Problems <span className="muted">({diagnostics.length})</span>
        </summary>
        <ul className="composition-problems" data-testid="composition-problems">
          {diagnostics.map((d, n) => (
            <li key={n}>{diagnosticText(d)}</li>
          ))}
        </ul>
      </details>
      <details open>
        <summary>WIT</summary>
        {wit.note && <p className="muted">{wit.note}</p>}
        {wit.text && (
          <pre className="wit" data-testid="composition-wit">
            {wit.text}
          </pre>
        )}
      </details>
    </aside>
  );
}
