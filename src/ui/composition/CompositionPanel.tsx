/**
 * The "Composition" panel: the toolbar (auto-wire, layout, fit view, undo, redo, delete, Run,
 * Download .wasm), the editor's notice in an aria-live region, the canvas and the side panel. Its
 * keys (keys.ts) work anywhere in the panel outside a text field.
 */
import { ReactFlowProvider } from "@xyflow/react";
import { useState, type KeyboardEvent } from "react";
import { Canvas } from "./Canvas";
import { editorKey, isTextEntry } from "./keys";
import { SidePanel } from "./SidePanel";
import type { CompositionApi } from "./useComposition";
import "./composition.css";

const SAVE_TEXT = { saved: "saved", saving: "saving…", failed: "not saved" } as const;

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/wasm" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function CompositionPanel({ api, colorMode, onRun }: { api: CompositionApi; colorMode: "light" | "dark"; onRun: (name: string, bytes: Uint8Array) => void }) {
  const { state, dispatch } = api;
  const [fitSignal, setFitSignal] = useState(0);
  const fileName = `${state.doc.name}.wasm`;
  const hasSelection = state.selection.nodes.length + state.selection.edges.length > 0;

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (isTextEntry(e.target as HTMLElement)) return;
    const k = editorKey(e);
    if (!k) return;
    e.preventDefault();
    dispatch({ type: k });
    // A deleted node took the focus with it: keep it in the panel, so the next Ctrl+Z lands here.
    if (k === "delete") e.currentTarget.focus();
  };

  return (
    <ReactFlowProvider>
      <section className="composition" aria-label="Composition editor" data-testid="composition-panel" data-restored={api.restored} data-saved={api.saveState} tabIndex={-1} onKeyDown={onKeyDown}>
        <div className="composition-toolbar" role="toolbar" aria-label="Composition">
          <strong title="The composed component's name">{state.doc.name}</strong>
          <button type="button" data-testid="composition-auto-wire" onClick={() => dispatch({ type: "auto-wire" })} title="Wire each import from the one instance exporting the same interface (a compatible version); WASI imports from the host">
            Auto-wire
          </button>
          <button
            type="button"
            data-testid="composition-layout"
            onClick={() => {
              api.layout();
              setFitSignal((n) => n + 1);
            }}
          >
            Layout
          </button>
          <button type="button" data-testid="composition-fit" onClick={() => setFitSignal((n) => n + 1)}>
            Fit view
          </button>
          <button type="button" data-testid="composition-undo" disabled={!state.past.length} onClick={() => dispatch({ type: "undo" })} title="Ctrl+Z">
            Undo
          </button>
          <button type="button" data-testid="composition-redo" disabled={!state.future.length} onClick={() => dispatch({ type: "redo" })} title="Ctrl+Shift+Z or Ctrl+Y">
            Redo
          </button>
          <button type="button" data-testid="composition-delete" disabled={!hasSelection} onClick={() => dispatch({ type: "delete" })} title="Delete">
            Delete
          </button>
          <span className="spacer" />
          <button
            type="button"
            data-testid="composition-run"
            disabled={api.opening}
            title="Compose it and hand it to the run panel, like any component"
            onClick={() => {
              const bytes = api.compose();
              if (bytes) onRun(fileName, bytes);
            }}
          >
            ▶ Run…
          </button>
          <button
            type="button"
            data-testid="composition-download"
            disabled={api.opening}
            onClick={() => {
              const bytes = api.compose();
              if (bytes) download(fileName, bytes);
            }}
          >
            Download .wasm
          </button>
          <span className="muted" data-testid="composition-save-state">
            {SAVE_TEXT[api.saveState]}
          </span>
        </div>
        <div className={`composition-notice ${state.notice?.kind ?? ""}`} aria-live="polite" data-testid="composition-notice">
          {state.notice && (
            <>
              <span>{state.notice.text}</span>
              <button type="button" aria-label="Dismiss" onClick={() => dispatch({ type: "notice", notice: null })}>
                ×
              </button>
            </>
          )}
        </div>
        <div className="composition-main">
          <Canvas api={api} fitSignal={fitSignal} colorMode={colorMode} />
          <SidePanel api={api} />
        </div>
      </section>
    </ReactFlowProvider>
  );
}
