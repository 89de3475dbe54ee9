/**
 * The Files panel: the workspace's tree (live: any worker's or tab's writes show up), create, upload
 * (button or drop), rename, delete, download, and the open file (FileView). Every failed call shows
 * its message in the alert and leaves the panel usable.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { FsClient } from "../../client/FsClient";
import { useFsClient } from "./FsContext";
import { DEFAULT_WORKSPACE, type FsEntry, type FsResult, type FsUsage } from "../../protocol/fs";
import { FileView } from "./FileView";
import { baseName, buildTree, formatSize, isWithin, joinPath, normalizePath, parentPath, rebase, visibleRows } from "./tree";
import { useWorkspaceTree } from "./useWorkspaceTree";

const WORKSPACE = DEFAULT_WORKSPACE;

export function FilesPanel() {
  return <FilesPanelBody client={useFsClient()} />;
}

type Editing = { mode: "new-file"; value: string } | { mode: "new-folder"; value: string } | { mode: "rename"; from: string; value: string };

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function usageLine(u: FsUsage | null): string {
  if (!u) return "Storage: …";
  const mb = (n: number) => n / (1024 * 1024);
  return `Storage: ${mb(u.usage).toFixed(1)} MB of ${Math.round(mb(u.quota))} MB used · ${u.persisted ? "persistent" : "not persistent"}`;
}

function rowSelector(path: string): string {
  return `[data-testid="file-row"][data-path="${CSS.escape(path)}"]`;
}

function FilesPanelBody({ client }: { client: FsClient }) {
  const tree = useWorkspaceTree(client, WORKSPACE);
  const { refresh } = tree;
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<{ path: string; key: number } | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dropping, setDropping] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const openKey = useRef(0);

  useEffect(() => {
    void FsClient.requestPersistence().then(() => refresh());
  }, [refresh]);

  // Opening a workspace stored by an older version upgrades it in place: say so once.
  const [upgraded, setUpgraded] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void client.api.workspaceInfo(WORKSPACE).then(
      (r) => live && r.ok && setUpgraded(r.value.migratedFrom === null ? null : r.value.migratedFrom),
      () => undefined,
    );
    return () => void (live = false);
  }, [client]);

  const byPath = useMemo(() => new Map((tree.entries ?? []).map((e) => [e.path, e])), [tree.entries]);
  const rows = useMemo(() => visibleRows(buildTree(tree.entries ?? []), collapsed), [tree.entries, collapsed]);
  const selectedEntry = selected !== null ? byPath.get(selected) : undefined;
  const openEntry = open ? byPath.get(open.path) : undefined;

  const focusRow = (path: string | null) =>
    requestAnimationFrame(() => {
      if (path !== null) panel.current?.querySelector<HTMLElement>(rowSelector(path))?.focus();
    });

  /** Runs one fs call; a failure (or a dead worker) lands in the alert. True on success. */
  const call = useCallback(async (what: () => Promise<FsResult<unknown>>): Promise<boolean> => {
    try {
      const r = await what();
      if (!r.ok) setError(r.message);
      return r.ok;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  }, []);

  const reportError = useCallback((message: string) => setError(message), []);

  const expandTo = (path: string) =>
    setCollapsed((c) => {
      const next = new Set([...c].filter((p) => !isWithin(path, p) || p === path));
      return next.size === c.size ? c : next;
    });

  const openFile = (path: string) => {
    setSelected(path);
    setOpen((cur) => (cur?.path === path ? cur : { path, key: ++openKey.current }));
  };

  /** Where new files go: the selected folder, else the root. */
  const targetDir = selectedEntry?.type === "directory" ? selectedEntry.path : "";

  const startEditing = (e: Editing) => {
    setError(null);
    setConfirmDelete(null);
    setEditing(e);
  };

  const commitEditing = async () => {
    if (!editing) return;
    const norm = normalizePath(editing.value);
    if (!norm.ok) return setError(norm.message);
    const path = norm.path;
    if (editing.mode === "rename" && path === editing.from) return setEditing(null);
    if (byPath.has(path)) return setError(`'${path}' already exists.`);
    setError(null);
    let ok: boolean;
    if (editing.mode === "new-file") ok = await call(() => client.api.writeFile(WORKSPACE, path, new Uint8Array()));
    else if (editing.mode === "new-folder") ok = await call(() => client.api.mkdir(WORKSPACE, path));
    else {
      const from = editing.from;
      ok = await call(() => client.api.rename(WORKSPACE, from, path));
      if (ok) {
        setOpen((o) => (o ? { ...o, path: rebase(o.path, from, path) } : o));
        setCollapsed((c) => new Set([...c].map((p) => rebase(p, from, path))));
      }
    }
    if (!ok) return;
    setEditing(null);
    expandTo(parentPath(path));
    await refresh();
    if (editing.mode === "new-file") openFile(path);
    else setSelected(path);
    focusRow(path);
  };

  const cancelEditing = () => {
    setEditing(null);
    focusRow(selected);
  };

  const remove = async (path: string) => {
    setError(null);
    const ok = await call(() => client.api.remove(WORKSPACE, path));
    setConfirmDelete(null);
    if (!ok) return;
    if (selected !== null && isWithin(selected, path)) setSelected(null);
    setOpen((o) => (o && isWithin(o.path, path) ? null : o));
    await refresh();
  };

  const download = async (path: string) => {
    setError(null);
    try {
      const r = await client.api.readFile(WORKSPACE, path);
      if (!r.ok) return setError(r.message);
      const url = URL.createObjectURL(new Blob([r.value as Uint8Array<ArrayBuffer>]));
      const a = document.createElement("a");
      a.href = url;
      a.download = baseName(path);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const upload = async (files: readonly File[], dir: string) => {
    if (files.length === 0) return;
    setError(null);
    const failures: string[] = [];
    let last: string | null = null;
    for (const f of files) {
      const path = joinPath(dir, f.name);
      try {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const r = await client.api.writeFile(WORKSPACE, path, bytes);
        if (r.ok) last = path;
        else failures.push(`${f.name}: ${r.message}`);
      } catch (e) {
        failures.push(`${f.name}: ${errorText(e)}`);
      }
    }
    if (failures.length > 0) setError(failures.length === 1 ? failures[0]! : `${failures.length} uploads failed. ${failures.join(" ")}`);
    if (dir) expandTo(dir);
    await refresh();
    if (last !== null && files.length === 1) setSelected(last);
  };

  const onRowKey = (e: KeyboardEvent<HTMLButtonElement>, entry: FsEntry) => {
    const move = (delta: number) => {
      const all = [...(panel.current?.querySelectorAll<HTMLElement>('[data-testid="file-row"]') ?? [])];
      all[all.indexOf(e.currentTarget) + delta]?.focus();
    };
    const isDir = entry.type === "directory";
    switch (e.key) {
      case "Delete":
        setSelected(entry.path);
        setEditing(null);
        setConfirmDelete(entry.path);
        break;
      case "F2":
        setSelected(entry.path);
        startEditing({ mode: "rename", from: entry.path, value: entry.path });
        break;
      case "ArrowDown":
        move(1);
        break;
      case "ArrowUp":
        move(-1);
        break;
      case "ArrowRight":
        if (isDir && collapsed.has(entry.path)) toggle(entry.path);
        else if (isDir) move(1);
        else return;
        break;
      case "ArrowLeft":
        if (isDir && !collapsed.has(entry.path)) toggle(entry.path);
        else if (entry.path.includes("/")) focusRow(parentPath(entry.path));
        else return;
        break;
      case "Escape":
        if (confirmDelete === null) return;
        e.stopPropagation();
        setConfirmDelete(null);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const toggle = (path: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(path)) next.add(path);
      return next;
    });

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes("Files")) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = "copy";
    setDropping(true);
  };

  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes("Files")) return;
    e.preventDefault();
    e.stopPropagation();
    setDropping(false);
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="file-row"][data-type="directory"]');
    void upload([...e.dataTransfer.files], row?.dataset.path ?? targetDir);
  };

  const shownError = error ?? tree.error;
  const sel = selectedEntry;

  return (
    <section
      ref={panel}
      className={`files-panel ${dropping ? "dropping" : ""}`}
      aria-label="Files"
      data-testid="files-panel"
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!panel.current?.contains(e.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={onDrop}
    >
      <div className="files-head">
        <h2>Files</h2>
        <button className="icon" data-testid="files-refresh" onClick={() => void refresh()} aria-label="Refresh" title="Refresh" aria-busy={tree.loading}>
          ⟳
        </button>
      </div>
      <div className="files-toolbar" role="toolbar" aria-label="Files">
        <button data-testid="files-new-file" onClick={() => startEditing({ mode: "new-file", value: targetDir ? `${targetDir}/` : "" })}>
          New file
        </button>
        <button data-testid="files-new-folder" onClick={() => startEditing({ mode: "new-folder", value: targetDir ? `${targetDir}/` : "" })}>
          New folder
        </button>
        <button data-testid="files-upload" onClick={() => picker.current?.click()}>
          Upload
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="files-upload-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = "";
            void upload(files, targetDir);
          }}
        />
      </div>
      {editing && <NameInput editing={editing} onChange={(value) => setEditing({ ...editing, value })} onCommit={() => void commitEditing()} onCancel={cancelEditing} />}
      <div className="files-toolbar files-selection" aria-label="Selected entry">
        <span className="files-selected" title={sel?.path}>
          {sel ? sel.path : <span className="muted">nothing selected</span>}
        </span>
        <button data-testid="files-rename" disabled={!sel} onClick={() => sel && startEditing({ mode: "rename", from: sel.path, value: sel.path })} title="Rename (F2)">
          Rename
        </button>
        <button
          data-testid="files-delete"
          disabled={!sel}
          onClick={() => {
            setEditing(null);
            if (sel) setConfirmDelete(sel.path);
          }}
          title="Delete (Del)"
        >
          Delete
        </button>
        <button data-testid="files-download" disabled={!sel || sel.type === "directory"} onClick={() => sel && void download(sel.path)}>
          Download
        </button>
      </div>
      {sel && confirmDelete === sel.path && (
        <div className="files-confirm">
          <span>
            Delete <strong>{sel.name}</strong>
            {sel.type === "directory" ? " and everything in it" : ""}?
          </span>
          <button
            className="danger"
            data-testid="files-delete-confirm"
            autoFocus
            onClick={() => void remove(sel.path)}
            onKeyDown={(e) => {
              if (e.key !== "Escape") return;
              e.stopPropagation(); // Escape here cancels; it should not also stop a run
              setConfirmDelete(null);
              focusRow(sel.path);
            }}
          >
            Delete
          </button>
          <button
            data-testid="files-delete-cancel"
            onClick={() => {
              setConfirmDelete(null);
              focusRow(sel.path);
            }}
          >
            Cancel
          </button>
        </div>
      )}
      {upgraded !== null && (
        <div className="files-notice" role="status" data-testid="files-notice">
          <span>
            This workspace was stored by an older version of the playground (storage layout v{upgraded}). It was upgraded in place when it was opened;
            its files are unchanged.
          </span>
          <button className="dismiss" aria-label="Dismiss" onClick={() => setUpgraded(null)} />
        </div>
      )}
      {tree.full && (
        <div className="files-error" role="alert" data-testid="files-quota">
          <span>
            Storage is full: the browser refused a write to this workspace (the component was told{" "}
            <code>insufficient-space</code>; what was written before is kept). Delete files here to make room, or allow the site more storage.
          </span>
          <button className="dismiss" aria-label="Dismiss" onClick={tree.dismissFull} />
        </div>
      )}
      {shownError && (
        <div className="files-error" role="alert" data-testid="files-error">
          <span>{shownError}</span>
          {error && <button className="dismiss" aria-label="Dismiss" onClick={() => setError(null)} />}
        </div>
      )}
      {tree.entries === null ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted files-empty">No files yet. Create one, upload, or drop files here.</p>
      ) : (
        <ul className="files-tree" aria-label="Workspace files">
          {rows.map(({ node, depth }) => {
            const e = node.entry;
            const isDir = e.type === "directory";
            return (
              <li key={e.path}>
                <button
                  className={`file-row ${selected === e.path ? "selected" : ""} ${open?.path === e.path ? "open" : ""}`}
                  data-testid="file-row"
                  data-path={e.path}
                  data-type={e.type}
                  style={{ paddingLeft: `${0.3 + depth * 0.9}rem` }}
                  aria-expanded={isDir ? !collapsed.has(e.path) : undefined}
                  aria-current={selected === e.path ? "true" : undefined}
                  title={`${e.path} · ${formatSize(node.totalSize)} · modified ${new Date(e.mtimeMs).toLocaleString()}`}
                  onClick={() => {
                    setConfirmDelete(null);
                    if (isDir) {
                      setSelected(e.path);
                      toggle(e.path);
                    } else openFile(e.path);
                  }}
                  onKeyDown={(ev) => onRowKey(ev, e)}
                >
                  <span className="file-icon" aria-hidden="true">
                    {isDir ? (collapsed.has(e.path) ? "▸" : "▾") : e.type === "symbolic-link" ? "↪" : "·"}
                  </span>
                  <span className="file-name">{e.name}</span>
                  <span className="file-size">{formatSize(node.totalSize)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {open && openEntry && (
        <FileView
          key={open.key}
          client={client}
          workspace={WORKSPACE}
          path={open.path}
          version={`${openEntry.mtimeMs}:${openEntry.size}`}
          onError={reportError}
          onSaved={() => void refresh()}
          onClose={() => setOpen(null)}
        />
      )}
      <p className="files-usage muted" data-testid="files-usage">
        {usageLine(tree.usage)}
      </p>
    </section>
  );
}

function NameInput(props: { editing: Editing; onChange: (value: string) => void; onCommit: () => void; onCancel: () => void }) {
  const { editing } = props;
  const input = useRef<HTMLInputElement>(null);
  const renaming = editing.mode === "rename" ? editing.from : "";
  const label = editing.mode === "new-file" ? "New file" : editing.mode === "new-folder" ? "New folder" : `Rename ${baseName(editing.from)} to`;

  // Renaming: select the name without its extension, like a desktop file manager.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    const start = el.value.lastIndexOf("/") + 1;
    const dot = el.value.lastIndexOf(".");
    el.setSelectionRange(start, editing.mode === "rename" && dot > start ? dot : el.value.length);
    // Only when the input appears or switches target, not on every keystroke.
  }, [editing.mode, renaming]);

  return (
    <form
      className="files-input"
      onSubmit={(e) => {
        e.preventDefault();
        props.onCommit();
      }}
    >
      <label>
        <span>{label}</span>
        <input
          ref={input}
          data-testid="files-name-input"
          value={editing.value}
          placeholder={editing.mode === "new-folder" ? "folder or path/to/folder" : "name.txt or path/to/name.txt"}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation(); // Escape here cancels; it should not also stop a run
              props.onCancel();
            }
          }}
        />
      </label>
      <button type="submit">OK</button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}
