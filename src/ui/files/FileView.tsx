/** An open workspace file: Monaco for UTF-8 text (save with the button or Ctrl/Cmd+S), a hex dump otherwise. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { FsClient } from "../../client/FsClient";
import { HexView } from "./HexView";
import { MonacoEditor } from "./MonacoEditor";
import { decodeText, languageFor } from "./text";
import { formatSize } from "./tree";

type Content = { kind: "loading" } | { kind: "text" } | { kind: "binary"; bytes: Uint8Array } | { kind: "failed" };

export function FileView(props: {
  client: FsClient;
  workspace: string;
  path: string;
  /** Changes when the file changes on disk (its mtime and size), to reload it. */
  version: string;
  onError: (message: string) => void;
  onSaved: () => void;
  onClose: () => void;
}) {
  const { client, workspace, path, version, onError, onSaved } = props;
  const [content, setContent] = useState<Content>({ kind: "loading" });
  // What the editor shows after a load; `revision` tells it to replace its text (typing never does).
  const [loaded, setLoaded] = useState({ text: "", revision: 0 });
  const [text, setText] = useState("");
  const [baseline, setBaseline] = useState("");
  const [saving, setSaving] = useState(false);
  const dirty = content.kind === "text" && text !== baseline;
  // The same, kept current synchronously: editor events can arrive before React renders.
  const live = useRef({ text: "", baseline: "", saving: false });
  const isDirty = () => live.current.text !== live.current.baseline;

  const onEdit = useCallback((value: string) => {
    live.current.text = value;
    setText(value);
  }, []);

  // (Re)load when opened and whenever the file changes on disk, unless there are unsaved edits.
  useEffect(() => {
    if (isDirty() || live.current.saving) return;
    let stale = false;
    void client.api.readFile(workspace, path).then(
      (r) => {
        if (stale || isDirty() || live.current.saving) return;
        if (!r.ok) {
          onError(r.message);
          setContent((c) => (c.kind === "loading" ? { kind: "failed" } : c));
          return;
        }
        const decoded = decodeText(r.value);
        if (decoded === null) {
          setContent({ kind: "binary", bytes: r.value });
          return;
        }
        setContent({ kind: "text" });
        if (decoded !== live.current.text) setLoaded((l) => ({ text: decoded, revision: l.revision + 1 }));
        live.current.text = live.current.baseline = decoded;
        setText(decoded);
        setBaseline(decoded);
      },
      (e: unknown) => !stale && onError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [client, workspace, path, version, onError]);

  const save = useCallback(async () => {
    if (live.current.saving) return;
    const snapshot = live.current.text;
    live.current.saving = true;
    setSaving(true);
    try {
      const r = await client.api.writeFile(workspace, path, new TextEncoder().encode(snapshot));
      if (!r.ok) return onError(r.message);
      live.current.baseline = snapshot;
      setBaseline(snapshot);
      onSaved();
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    } finally {
      live.current.saving = false;
      setSaving(false);
    }
  }, [client, workspace, path, onError, onSaved]);

  // Ctrl+S / Cmd+S anywhere on the page saves the open text file instead of saving the page.
  const isText = content.kind === "text";
  useEffect(() => {
    if (!isText) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [isText, save]);

  return (
    <section className="file-view" aria-label={`File ${path}`} data-testid="file-view" data-path={path}>
      <div className="file-view-head">
        <strong className="file-view-path" title={path}>
          {path}
        </strong>
        {content.kind === "text" && (
          <>
            <span className={`file-status ${dirty ? "dirty" : ""}`} data-testid="files-status" role="status">
              {saving ? "saving…" : dirty ? "unsaved changes" : "saved"}
            </span>
            <button data-testid="files-save" onClick={() => void save()} disabled={saving} title="Save (Ctrl+S)">
              Save
            </button>
          </>
        )}
        {content.kind === "binary" && <span className="muted">binary · {formatSize(content.bytes.length)}</span>}
        <button data-testid="files-close" onClick={props.onClose} aria-label="Close file" title="Close file">
          ✕
        </button>
      </div>
      {content.kind === "loading" && <p className="muted">Loading…</p>}
      {content.kind === "failed" && <p className="muted">Could not open this file.</p>}
      {content.kind === "text" && <MonacoEditor value={loaded.text} revision={loaded.revision} language={languageFor(path)} onChange={onEdit} ariaLabel={`Contents of ${path}`} />}
      {content.kind === "binary" && <HexView bytes={content.bytes} />}
    </section>
  );
}
