/**
 * The Files panel: the workspace's tree (live: any worker's or tab's writes show up), create, upload
 * (button or drop), rename, delete, download, and the open file (FileView). Its state is
 * `panelState.ts`; this shell draws it and makes the fs calls. Every failed call shows its message
 * in the alert and leaves the panel usable.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { FsClient } from "../../client/FsClient";
import { DEFAULT_WORKSPACE, type FsEntry, type FsResult } from "../../protocol/fs";
import { DeleteConfirm } from "./DeleteConfirm";
import { FileTree } from "./FileTree";
import { FileView } from "./FileView";
import { useFsClient } from "./FsContext";
import { NameInput } from "./NameInput";
import { filesReducer, INITIAL_FILES_STATE, newEntry, planCommit, rowKeyCommand } from "./panelState";
import { baseName, buildTree, joinPath, parentPath, usageLine, visibleRows } from "./tree";
import { useRowFocus } from "./useRowFocus";
import { useWorkspaceTree } from "./useWorkspaceTree";

const WORKSPACE = DEFAULT_WORKSPACE;

export function FilesPanel() {
  return <FilesPanelBody client={useFsClient()} />;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function FilesPanelBody({ client }: { client: FsClient }) {
  const tree = useWorkspaceTree(client, WORKSPACE);
  const { refresh } = tree;
  const [state, dispatch] = useReducer(filesReducer, INITIAL_FILES_STATE);
  const { selected, open, collapsed, editing, confirmDelete, error, dropping } = state;
  const panel = useRef<HTMLElement>(null);
  const picker = useRef<HTMLInputElement>(null);

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
  const sel = selected !== null ? byPath.get(selected) : undefined;
  const openEntry = open ? byPath.get(open.path) : undefined;
  /** Where new files go: the selected folder, else the root. */
  const targetDir = sel?.type === "directory" ? sel.path : "";

  const focusRow = useRowFocus(panel, byPath);

  /** Runs one fs call; a failure (or a dead worker) lands in the alert. True on success. */
  const call = useCallback(async (what: () => Promise<FsResult<unknown>>): Promise<boolean> => {
    try {
      const r = await what();
      if (!r.ok) dispatch({ type: "error", message: r.message });
      return r.ok;
    } catch (e) {
      dispatch({ type: "error", message: errorText(e) });
      return false;
    }
  }, []);

  const reportError = useCallback((message: string) => dispatch({ type: "error", message }), []);

  const commitEditing = async () => {
    if (!editing) return;
    const plan = planCommit(editing, (path) => byPath.has(path));
    if (plan.kind === "invalid") return dispatch({ type: "error", message: plan.message });
    if (plan.kind === "unchanged") return dispatch({ type: "stop-editing" });
    dispatch({ type: "error", message: null });
    const { path } = plan;
    const ok = await call(() =>
      plan.kind === "create-file"
        ? client.api.writeFile(WORKSPACE, path, new Uint8Array())
        : plan.kind === "create-folder"
          ? client.api.mkdir(WORKSPACE, path)
          : client.api.rename(WORKSPACE, plan.from, path),
    );
    if (!ok) return;
    dispatch({ type: "committed", editing, path });
    await refresh();
    dispatch({ type: plan.kind === "create-file" ? "open" : "select", path });
    focusRow(path);
  };

  const remove = async (path: string) => {
    dispatch({ type: "error", message: null });
    const ok = await call(() => client.api.remove(WORKSPACE, path));
    dispatch({ type: "deleted", path, ok });
    if (ok) await refresh();
  };

  const download = async (path: string) => {
    dispatch({ type: "error", message: null });
    try {
      const r = await client.api.readFile(WORKSPACE, path);
      if (!r.ok) return dispatch({ type: "error", message: r.message });
      const url = URL.createObjectURL(new Blob([r.value as Uint8Array<ArrayBuffer>]));
      const a = document.createElement("a");
      a.href = url;
      a.download = baseName(path);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      dispatch({ type: "error", message: errorText(e) });
    }
  };

  const upload = async (files: readonly File[], dir: string) => {
    if (files.length === 0) return;
    dispatch({ type: "error", message: null });
    const failures: string[] = [];
    let last: string | null = null;
    for (const f of files) {
      const path = joinPath(dir, f.name);
      try {
        const r = await client.api.writeFile(WORKSPACE, path, new Uint8Array(await f.arrayBuffer()));
        if (r.ok) last = path;
        else failures.push(`${f.name}: ${r.message}`);
      } catch (e) {
        failures.push(`${f.name}: ${errorText(e)}`);
      }
    }
    dispatch({ type: "uploaded", dir, failures });
    await refresh();
    if (last !== null && files.length === 1) dispatch({ type: "select", path: last });
  };

  const onRowKey = (e: KeyboardEvent<HTMLButtonElement>, entry: FsEntry) => {
    const cmd = rowKeyCommand(e.key, entry, state);
    if (!cmd) return;
    if (cmd.kind === "ask-delete") dispatch({ type: "ask-delete", path: entry.path });
    else if (cmd.kind === "rename") dispatch({ type: "rename", path: entry.path });
    else if (cmd.kind === "toggle") dispatch({ type: "toggle", path: entry.path });
    else if (cmd.kind === "focus-parent") focusRow(parentPath(entry.path));
    else if (cmd.kind === "move") {
      const all = [...(panel.current?.querySelectorAll<HTMLElement>('[data-testid="file-row"]') ?? [])];
      all[all.indexOf(e.currentTarget) + cmd.delta]?.focus();
    } else {
      e.stopPropagation(); // Escape here cancels the delete; it should not also stop a run
      dispatch({ type: "cancel-delete" });
    }
    e.preventDefault();
  };

  const cancelDelete = (path: string) => {
    dispatch({ type: "cancel-delete" });
    focusRow(path);
  };

  const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");
  const onDragOver = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = "copy";
    dispatch({ type: "dropping", on: true });
  };
  const onDrop = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    dispatch({ type: "dropping", on: false });
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="file-row"][data-type="directory"]');
    void upload([...e.dataTransfer.files], row?.dataset.path ?? targetDir);
  };

  const shownError = error ?? tree.error;

  return (
    <section
      ref={panel}
      className={`files-panel ${dropping ? "dropping" : ""}`}
      aria-label="Files"
      data-testid="files-panel"
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!panel.current?.contains(e.relatedTarget as Node | null)) dispatch({ type: "dropping", on: false });
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
        <button data-testid="files-new-file" onClick={() => dispatch({ type: "start-editing", editing: newEntry("new-file", targetDir) })}>
          New file
        </button>
        <button data-testid="files-new-folder" onClick={() => dispatch({ type: "start-editing", editing: newEntry("new-folder", targetDir) })}>
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
      {editing && (
        <NameInput
          editing={editing}
          onChange={(value) => dispatch({ type: "edit", value })}
          onCommit={() => void commitEditing()}
          onCancel={() => {
            dispatch({ type: "stop-editing" });
            focusRow(selected);
          }}
        />
      )}
      <div className="files-toolbar files-selection" aria-label="Selected entry">
        <span className="files-selected" title={sel?.path}>
          {sel ? sel.path : <span className="muted">nothing selected</span>}
        </span>
        <button data-testid="files-rename" disabled={!sel} onClick={() => sel && dispatch({ type: "rename", path: sel.path })} title="Rename (F2)">
          Rename
        </button>
        <button data-testid="files-delete" disabled={!sel} onClick={() => sel && dispatch({ type: "ask-delete", path: sel.path })} title="Delete (Del)">
          Delete
        </button>
        <button data-testid="files-download" disabled={!sel || sel.type === "directory"} onClick={() => sel && void download(sel.path)}>
          Download
        </button>
      </div>
      {sel && confirmDelete === sel.path && <DeleteConfirm entry={sel} onConfirm={() => void remove(sel.path)} onCancel={() => cancelDelete(sel.path)} />}
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
          {error && <button className="dismiss" aria-label="Dismiss" onClick={() => dispatch({ type: "error", message: null })} />}
        </div>
      )}
      {tree.entries === null ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted files-empty">No files yet. Create one, upload, or drop files here.</p>
      ) : (
        <FileTree rows={rows} selected={selected} open={open?.path ?? null} collapsed={collapsed} onClick={(entry) => dispatch({ type: "click", entry })} onKeyDown={onRowKey} />
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
          onClose={() => dispatch({ type: "close" })}
        />
      )}
      <p className="files-usage muted" data-testid="files-usage">
        {usageLine(tree.usage)}
      </p>
    </section>
  );
}
