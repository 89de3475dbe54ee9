/**
 * One Monaco editor over all the project's files: a model per file (so each keeps its undo
 * history and cursor), WIT language features fed from the models' current text, and diagnostics
 * as markers. Edits go out through `onChange` and never come back in: `files` replaces a model's
 * text only when `revision` changes (a generated guest, a reset), as an undoable edit, so a render
 * that lags behind fast typing cannot undo keystrokes.
 */
import { useEffect, useRef, useState } from "react";
import type * as Monaco from "monaco-editor/editor/editor.api";
import type { ProjectFile, SourceDiagnostic } from "../../protocol/authoring-api";
import { ParseCache } from "../../wit/bundle";
import { WitModel } from "../../wit/model";
import { VENDORED_WIT } from "../../wit/vendored";
import { monacoTheme } from "../theme/theme";
import { useTheme } from "../theme/ThemeContext";
import { registerWit } from "./witLanguage";
import { languageOf } from "./workspace";

declare global {
  interface Window {
    /** The authoring editor, for e2e tests: file texts, replacing a file's text as if typed, markers. */
    __authoring?: {
      value(path: string): string | undefined;
      setValue(path: string, text: string): void;
      /** Shows `path` and selects from (line, column) to (endLine, endColumn), focused for typing. */
      select(path: string, line: number, column: number, endLine?: number, endColumn?: number): void;
      markers(path: string): Array<{ line: number; column: number; message: string; severity: string }>;
    };
  }
}

type MonacoApi = typeof Monaco;

let loading: Promise<MonacoApi> | null = null;
/** The authoring Monaco (the Files panel's, plus hovers, completion, WAT), loaded once. */
const loadMonaco = () => (loading ??= import("./monaco").then((m) => m.monaco).catch((e: unknown) => ((loading = null), Promise.reject(e))));

const URI_PREFIX = "inmemory://project/";

export interface Reveal {
  path: string;
  line: number;
  column: number;
  /** A new object per request, so revealing the same place twice works. */
  nonce: number;
}

export function ProjectEditor(props: {
  files: readonly ProjectFile[];
  /** Bumped when files change from outside the editor. */
  revision: number;
  active: string | null;
  diagnostics: readonly SourceDiagnostic[];
  reveal: Reveal | null;
  onChange: (path: string, text: string) => void;
  onBuild: () => void;
  onSave: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | string>("loading");
  /** Bumped when models are created or disposed (markers are set per model). */
  const [modelsVersion, setModelsVersion] = useState(0);
  const latest = useRef(props);
  const { theme } = useTheme();
  const themeRef = useRef(theme);
  const appliedRevision = useRef(props.revision);
  const env = useRef<{ monaco: MonacoApi; editor: Monaco.editor.IStandaloneCodeEditor; models: Map<string, Monaco.editor.ITextModel>; views: Map<string, Monaco.editor.ICodeEditorViewState | null> } | null>(null);

  useEffect(() => {
    latest.current = props;
    themeRef.current = theme;
  });

  useEffect(() => {
    env.current?.monaco.editor.setTheme(monacoTheme(theme));
  }, [theme, state]);

  // Create the editor and the WIT language features once.
  useEffect(() => {
    let disposed = false;
    const cleanup: Array<() => void> = [];
    loadMonaco().then(
      (monaco) => {
        if (disposed || !host.current) return;
        monaco.editor.setTheme(monacoTheme(themeRef.current));
        const editor = monaco.editor.create(host.current, {
          model: null,
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          fixedOverflowWidgets: true,
          ariaLabel: "Project file",
        });
        const models = new Map<string, Monaco.editor.ITextModel>();
        env.current = { monaco, editor, models, views: new Map() };
        const pathOf = (uri: Monaco.Uri) => (uri.toString().startsWith(URI_PREFIX) ? decodeURIComponent(uri.toString().slice(URI_PREFIX.length)) : null);
        const cache = new ParseCache();
        let memo: { key: string; model: WitModel } | null = null;
        const registration = registerWit(monaco, {
          model: () => {
            const wit = [...models].filter(([p]) => p.endsWith(".wit"));
            const key = wit.map(([p, m]) => `${p}@${m.getVersionId()}`).join("|");
            if (memo?.key !== key) {
              const sources = wit.map(([path, m]) => ({ path, text: m.getValue(), group: path.startsWith("wit/deps/") ? `deps/${path.split("/")[2]}` : "project" }));
              memo = { key, model: new WitModel([...sources, ...VENDORED_WIT], (t) => cache.get(t)) };
            }
            return memo.model;
          },
          pathOf,
          uriOf: (path) => models.get(path)?.uri ?? null,
        });
        // Going to a definition in another file opens that file's tab.
        const opener = monaco.editor.registerEditorOpener({
          openCodeEditor: (_source, resource, selection) => {
            const path = pathOf(resource);
            const model = path ? models.get(path) : undefined;
            if (!path || !model) return false;
            editor.setModel(model);
            if (selection && "lineNumber" in selection) editor.setPosition(selection);
            else if (selection) editor.setSelection(selection);
            editor.revealPositionInCenter(editor.getPosition()!);
            return true;
          },
        });
        editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyB, () => latest.current.onBuild());
        editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave());
        window.__authoring = {
          value: (path) => models.get(path)?.getValue(),
          setValue: (path, text) => models.get(path)?.setValue(text),
          select: (path, line, column, endLine = line, endColumn = column) => {
            const m = models.get(path);
            if (!m) return;
            if (editor.getModel() !== m) editor.setModel(m);
            editor.setSelection({ startLineNumber: line, startColumn: column, endLineNumber: endLine, endColumn });
            editor.focus();
          },
          markers: (path) => {
            const m = models.get(path);
            return m ? monaco.editor.getModelMarkers({ resource: m.uri }).map((x) => ({ line: x.startLineNumber, column: x.startColumn, message: x.message, severity: monaco.MarkerSeverity[x.severity] })) : [];
          },
        };
        cleanup.push(() => {
          registration.dispose();
          opener.dispose();
          delete window.__authoring;
          for (const m of models.values()) m.dispose();
          editor.dispose();
        });
        setState("ready");
      },
      (e: unknown) => !disposed && setState(`Could not load the editor: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      disposed = true;
      env.current = null;
      cleanup.forEach((c) => c());
    };
  }, []);

  // Keep one model per file; outside changes become undoable edits.
  useEffect(() => {
    const e = env.current;
    if (!e) return;
    const { monaco, models } = e;
    const outside = appliedRevision.current !== props.revision;
    appliedRevision.current = props.revision;
    const wanted = new Set(props.files.map((f) => f.path));
    let changed = false;
    for (const [path, m] of models) {
      if (wanted.has(path)) continue;
      m.dispose();
      models.delete(path);
      e.views.delete(path);
      changed = true;
    }
    for (const f of props.files) {
      const m = models.get(f.path);
      if (!m) {
        const created = monaco.editor.createModel(f.text, languageOf(f.path), monaco.Uri.parse(URI_PREFIX + encodeURIComponent(f.path)));
        // Every model reports its edits, the shown one or not.
        created.onDidChangeContent(() => latest.current.onChange(f.path, created.getValue()));
        models.set(f.path, created);
        changed = true;
      } else if (outside && m.getValue() !== f.text) m.pushEditOperations([], [{ range: m.getFullModelRange(), text: f.text }], () => null);
    }
    if (changed) setModelsVersion((v) => v + 1);
  }, [props.files, props.revision, state]);

  // Show the active file, keeping each file's cursor and scroll.
  useEffect(() => {
    const e = env.current;
    if (!e) return;
    const next = props.active ? (e.models.get(props.active) ?? null) : null;
    const cur = e.editor.getModel();
    if (cur === next) return;
    const curPath = [...e.models].find(([, m]) => m === cur)?.[0];
    if (curPath) e.views.set(curPath, e.editor.saveViewState());
    e.editor.setModel(next);
    const view = props.active ? e.views.get(props.active) : null;
    if (view) e.editor.restoreViewState(view);
  }, [props.active, props.files, state]);

  // Diagnostics as markers (when they change, not on every keystroke).
  useEffect(() => {
    const e = env.current;
    if (!e) return;
    for (const [path, m] of e.models) {
      e.monaco.editor.setModelMarkers(
        m,
        "authoring",
        props.diagnostics
          .filter((d) => d.path === path)
          .map((d) => ({
            startLineNumber: d.line,
            startColumn: d.column,
            endLineNumber: d.endLine,
            endColumn: Math.max(d.endColumn, d.column + 1),
            message: d.message,
            severity: d.severity === "error" ? e.monaco.MarkerSeverity.Error : e.monaco.MarkerSeverity.Warning,
            source: d.path.endsWith(".wit") ? "wasm-tools" : "build",
          })),
      );
    }
  }, [props.diagnostics, modelsVersion, state]);

  // Jump to a place (a clicked problem or outline entry).
  useEffect(() => {
    const e = env.current;
    const r = props.reveal;
    if (!e || !r) return;
    const m = e.models.get(r.path);
    if (!m) return;
    if (e.editor.getModel() !== m) e.editor.setModel(m);
    e.editor.setPosition({ lineNumber: r.line, column: r.column });
    e.editor.revealPositionInCenter({ lineNumber: r.line, column: r.column });
    e.editor.focus();
  }, [props.reveal, state]);

  return (
    <div className="monaco-host authoring-monaco" data-testid="authoring-editor" data-state={state === "ready" || state === "loading" ? state : "error"}>
      <div ref={host} className="monaco-mount" />
      {state !== "ready" && <p className={state === "loading" ? "muted monaco-note" : "error monaco-note"}>{state === "loading" ? "Loading editor…" : state}</p>}
    </div>
  );
}
