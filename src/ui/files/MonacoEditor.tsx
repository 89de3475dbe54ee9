/** A small React wrapper around Monaco: loads it on first use, one editor per mount, disposed on unmount. */
import { useEffect, useRef, useState } from "react";
import type * as Monaco from "monaco-editor/editor/editor.api";
import { monacoTheme } from "../theme/theme";
import { useTheme } from "../theme/ThemeContext";

declare global {
  interface Window {
    /** The mounted Files editor's text (for e2e tests). */
    __filesEditorValue?: () => string;
    /** Replaces the mounted Files editor's text, as if typed (for e2e tests). */
    __filesEditorSetValue?: (text: string) => void;
  }
}

let loading: Promise<typeof Monaco> | null = null;
const loadMonaco = () => (loading ??= import("./monaco").then((m) => m.monaco).catch((e: unknown) => ((loading = null), Promise.reject(e))));

/**
 * `value` is the initial text, and replaces the editor's text whenever `revision` changes (a reload
 * from disk). Edits go out through `onChange` only; they never come back in as `value`, so a render
 * that lags behind fast typing cannot reset the text or the cursor.
 */
export function MonacoEditor(props: { value: string; revision: number; language: string; onChange: (value: string) => void; ariaLabel?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<typeof Monaco | null>(null);
  const latest = useRef(props);
  const [state, setState] = useState<"loading" | "ready" | string>("loading");
  const { theme } = useTheme();
  const themeRef = useRef(theme);

  useEffect(() => {
    latest.current = props;
    themeRef.current = theme;
  });

  useEffect(() => {
    let disposed = false;
    let editor: Monaco.editor.IStandaloneCodeEditor | null = null;
    let getValue: (() => string) | undefined;
    loadMonaco().then(
      (monaco) => {
        if (disposed || !host.current) return;
        const { value, language, ariaLabel } = latest.current;
        monaco.editor.setTheme(monacoTheme(themeRef.current));
        const ed = monaco.editor.create(host.current, {
          model: monaco.editor.createModel(value, language),
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          wordWrap: "on",
          ariaLabel: ariaLabel ?? "File contents",
        });
        editor = ed;
        editorRef.current = ed;
        monacoRef.current = monaco;
        ed.onDidChangeModelContent(() => latest.current.onChange(ed.getValue()));
        getValue = () => ed.getValue();
        window.__filesEditorValue = getValue;
        window.__filesEditorSetValue = (text: string) => ed.setValue(text);
        setState("ready");
      },
      (e: unknown) => !disposed && setState(`Could not load the editor: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      disposed = true;
      editorRef.current = null;
      if (editor) {
        if (window.__filesEditorValue === getValue) {
          delete window.__filesEditorValue;
          delete window.__filesEditorSetValue;
        }
        editor.getModel()?.dispose();
        editor.dispose();
      }
    };
  }, []);

  // A new revision (the file changed on disk) replaces the text.
  useEffect(() => {
    const ed = editorRef.current;
    const { value } = latest.current;
    if (ed && ed.getValue() !== value) ed.setValue(value);
  }, [props.revision, state]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(monacoTheme(theme));
  }, [theme, state]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && monacoRef.current) monacoRef.current.editor.setModelLanguage(model, props.language);
  }, [props.language, state]);

  return (
    <div className="monaco-host" data-testid="file-editor" data-state={state === "ready" || state === "loading" ? state : "error"}>
      <div ref={host} className="monaco-mount" />
      {state !== "ready" && <p className={state === "loading" ? "muted monaco-note" : "error monaco-note"}>{state === "loading" ? "Loading editor…" : state}</p>}
    </div>
  );
}
