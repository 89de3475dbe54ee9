/**
 * Write a component in the playground: a project (JS guest + WIT, core WAT + WIT, or component
 * WAT) in tabs, live WIT diagnostics, an outline, generated types, and Build (Ctrl+B). A built
 * component goes to `onBuilt`, which hands it to the inspector and run panel; when a run of it
 * throws (`fault`), the line is marked in the guest's source. Closed (until the
 * user opens it, so Monaco loads only then), it says what it is and offers to open.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ProjectKind, SourceDiagnostic } from "../../protocol/authoring-api";
import type { RunFault } from "../run/guestError";
import "./authoring.css";
import { OutlineView } from "./OutlineView";
import { ProjectEditor, type Reveal } from "./ProjectEditor";
import { TypesView } from "./TypesView";
import { isWit, useAuthoring } from "./useAuthoring";
import { validPath, type DockTab } from "./workspace";

const KIND_LABELS: Record<ProjectKind, string> = {
  js: "JavaScript guest + WIT",
  "wat-core": "WAT core module + WIT",
  "wat-component": "Component WAT",
};

const KIND_HINTS: Record<ProjectKind, string> = {
  js: "guest.js implements the world's exports; the server builds it with componentize-qjs.",
  "wat-core": "module.wat is a core module following the canonical ABI; wasm-tools embeds the WIT and makes the component in your browser.",
  "wat-component": "component.wat is a whole component in text; wasm-tools parses it in your browser.",
};

const where = (d: SourceDiagnostic) => `${d.path}:${d.line}:${d.column}`;

export function AuthoringPanel(props: { onBuilt: (name: string, bytes: Uint8Array) => void; fault: RunFault | null }) {
  const a = useAuthoring(props.onBuilt, props.fault);
  const { ws, project: p, check, build, problems, actions } = a;
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const go = useCallback((path: string, line: number, column: number) => setReveal({ path, line, column, nonce: Date.now() }), []);
  const dockRef = useDockHeight(Boolean(ws?.layout.open), ws?.layout.dockHeight ?? 0, (dockHeight) => actions.setLayout({ dockHeight }));

  if (!ws) return <section className="authoring closed" aria-label="Authoring" data-testid="authoring" />;
  const layout = ws.layout;
  if (!layout.open) {
    return (
      <section className="authoring closed" aria-label="Authoring" data-testid="authoring">
        <h2>Write a component</h2>
        <p className="muted">Describe it in WIT, implement it in JavaScript or WAT, and Build: it loads into the run controls beside this editor. Your project is kept in this browser.</p>
        <button className="authoring-open" data-testid="authoring-open" onClick={() => actions.setLayout({ open: true })} title="Write a component: WIT + JavaScript or WAT">
          ✎ Open the editor
        </button>
      </section>
    );
  }
  const active = p?.active ?? null;
  const activeFile = p?.files.find((f) => f.path === active);
  const worlds = check?.worlds ?? [];
  const errorsIn = (path: string) => problems.filter((d) => d.path === path).length;
  const dockTab = (tab: DockTab, label: string) => (
    <button role="tab" aria-selected={layout.dock === tab} className={layout.dock === tab ? "selected" : ""} data-testid={`dock-${tab}`} onClick={() => actions.setLayout({ dock: tab })}>
      {label}
    </button>
  );
  const status = build.running
    ? "Building…"
    : build.outcome?.ok
      ? `Built ${(build.outcome.bytes.length / 1024).toFixed(1)} KiB in ${build.outcome.ms.toFixed(0)} ms${build.outcome.cached ? " (cached)" : ""}`
      : build.outcome
        ? "Build failed"
        : check
          ? check.diagnostics.length > 0
            ? `${check.diagnostics.length} WIT problem${check.diagnostics.length > 1 ? "s" : ""}`
            : `WIT ok (${check.ms.toFixed(0)} ms)`
          : "";

  const addFile = () => {
    const path = (adding ?? "").trim();
    if (!validPath(path)) return setNote("A project file is wit/NAME.wit, wit/deps/PACKAGE/NAME.wit, or a top-level .js or .wat file.");
    if (p?.files.some((f) => f.path === path)) return setNote(`${path} exists already.`);
    actions.addFile(path, path.endsWith(".wit") ? (path.startsWith("wit/deps/") ? "package my:dependency;\n\ninterface api {\n}\n" : "interface types {\n}\n") : "");
    setAdding(null);
    setNote(null);
  };

  return (
    <section className="authoring open" aria-label="Authoring" data-testid="authoring" onKeyDown={(e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "b") {
        e.preventDefault();
        void actions.build();
      }
    }}>
      <div className="authoring-bar">
        <h2>Write a component</h2>
        <select aria-label="Project kind" data-testid="project-kind" value={ws.kind} onChange={(e) => void actions.switchKind(e.target.value as ProjectKind)}>
          {(Object.keys(KIND_LABELS) as ProjectKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {ws.kind !== "wat-component" && worlds.length > 1 && (
          <select aria-label="World" data-testid="world-picker" value={p?.world ?? worlds[0]} onChange={(e) => actions.setWorld(e.target.value)}>
            {worlds.map((w) => (
              <option key={w}>{w}</option>
            ))}
          </select>
        )}
        <button className="primary" data-testid="build" disabled={build.running} onClick={() => void actions.build()} title="Build (Ctrl+B)">
          {build.running ? "Building…" : "Build ▸"}
        </button>
        {build.running && (
          <button data-testid="cancel-build" onClick={actions.cancelBuild}>
            Cancel
          </button>
        )}
        <span className={`authoring-status ${build.outcome && !build.outcome.ok ? "error" : ""}`} data-testid="build-status" aria-live="polite">
          {status}
        </span>
        <span className="spacer" />
        {ws.kind === "js" && (
          <button data-testid="generate-guest" onClick={() => void actions.generateGuest().then((m) => setNote(m))} title="Write guest.js with a stub for each export of the world (Ctrl+Z undoes)">
            Guest from WIT
          </button>
        )}
        <button onClick={() => setAdding(ws.kind === "wat-component" ? "helper.wat" : "wit/types.wit")} title="Add a file (another WIT file of the package, a dependency under wit/deps/, or a source)">
          + File
        </button>
        <button onClick={() => actions.setLayout({ outline: !layout.outline })} aria-pressed={layout.outline} title="Show the outline">
          Outline
        </button>
        <button onClick={() => void actions.resetProject()} title="Replace this project with its starter files">
          Reset
        </button>
        <button className="icon" aria-label="Close the editor" title="Close (your work stays saved)" onClick={() => actions.setLayout({ open: false })}>
          ✕
        </button>
      </div>
      <p className="muted authoring-hint">{KIND_HINTS[ws.kind]}</p>
      {(a.error || note) && (
        <p className="files-error" role="alert">
          <span>{a.error ?? note}</span>
          <button className="dismiss" aria-label="Dismiss" onClick={() => (a.error ? actions.dismissError() : setNote(null))} />
        </p>
      )}
      {adding !== null && (
        <form className="authoring-add" onSubmit={(e) => (e.preventDefault(), addFile())}>
          <label>
            New file
            <input autoFocus value={adding} onChange={(e) => setAdding(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setAdding(null)} aria-label="New file path" />
          </label>
          <button type="submit">Add</button>
          <button type="button" onClick={() => setAdding(null)}>
            Cancel
          </button>
        </form>
      )}
      <div className={`authoring-main ${layout.outline && active && isWit(active) ? "with-outline" : ""}`}>
        {layout.outline && activeFile && isWit(activeFile.path) && (
          <OutlineView
            path={activeFile.path}
            text={activeFile.text}
            onGo={(offset) => {
              const before = activeFile.text.slice(0, offset).split("\n");
              go(activeFile.path, before.length, before[before.length - 1]!.length + 1);
            }}
          />
        )}
        <div className="authoring-editor">
          <div className="authoring-tabs" role="tablist" aria-label="Open files">
            {p?.open.map((path) => (
              <span key={path} className={`authoring-tab ${path === active ? "selected" : ""}`}>
                <button role="tab" aria-selected={path === active} data-testid={`tab-${path}`} onClick={() => actions.openFile(path)}>
                  {path}
                  {errorsIn(path) > 0 && <span className="tab-errors">{errorsIn(path)}</span>}
                </button>
                <button className="tab-close" aria-label={`Close ${path}`} onClick={() => actions.closeFile(path)}>
                  ×
                </button>
              </span>
            ))}
            {p && p.files.length > p.open.length && (
              <select aria-label="Open a file" value="" onChange={(e) => e.target.value && actions.openFile(e.target.value)}>
                <option value="">more…</option>
                {p.files
                  .filter((f) => !p.open.includes(f.path))
                  .map((f) => (
                    <option key={f.path}>{f.path}</option>
                  ))}
              </select>
            )}
            {active && p && p.files.length > 1 && (
              <button className="tab-delete" title={`Delete ${active} from the project`} onClick={() => actions.deleteFile(active)}>
                Delete file
              </button>
            )}
          </div>
          <ProjectEditor key={ws.kind} files={p?.files ?? []} revision={a.revision} active={active} diagnostics={problems} reveal={reveal} onChange={actions.setText} onBuild={() => void actions.build()} onSave={() => setNote("Saved: the workspace saves itself on every change.")} />
        </div>
      </div>
      <div className="authoring-dock" ref={dockRef} style={{ height: layout.dockHeight }}>
        <div className="dock-tabs" role="tablist" aria-label="Panels">
          {dockTab("problems", `Problems (${problems.length})`)}
          {dockTab("log", "Build log")}
          {ws.kind !== "wat-component" && dockTab("host-types", "Host types")}
          {ws.kind !== "wat-component" && dockTab("guest-types", "Guest types")}
        </div>
        <div className="dock-body">
          {layout.dock === "problems" && (
            <ul className="problems" data-testid="problems">
              {problems.length === 0 && <li className="muted">{check ? "No problems." : "Checking…"}</li>}
              {problems.map((d, i) => (
                <li key={i}>
                  <button className={`problem ${d.severity}`} onClick={() => go(d.path, d.line, d.column)}>
                    <span className="problem-where">{where(d)}</span> {d.message}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {layout.dock === "log" && (
            <pre className="build-log" data-testid="build-log">
              {build.log.length > 0 ? build.log.join("\n") : "No build yet. Build with the button or Ctrl+B."}
            </pre>
          )}
          {(layout.dock === "host-types" || layout.dock === "guest-types") && (
            <TypesView types={a.types} side={layout.dock === "host-types" ? "host" : "guest"} waiting={check && check.diagnostics.length > 0 ? "Fix the WIT problems to see the generated types." : null} />
          )}
        </div>
      </div>
    </section>
  );
}

/** Saves the dock's height when the user drags its resize handle (once the drag settles). */
function useDockHeight(open: boolean, saved: number, save: (height: number) => void) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef({ saved, save });
  useEffect(() => {
    latest.current = { saved, save };
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const h = Math.round(el.getBoundingClientRect().height);
        const { saved: s, save: write } = latest.current;
        // A hidden tab measures 0: that is not a height the user chose.
        if (h > 0 && Math.abs(h - s) > 4) write(h);
      }, 300);
    });
    observer.observe(el);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [open]);
  return ref;
}
