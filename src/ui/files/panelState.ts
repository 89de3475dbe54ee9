/**
 * The Files panel's state as a reducer: what is selected, open, folded, being named or about to be
 * deleted, and the message shown. Pure; `FilesPanel.tsx` dispatches and does the fs calls.
 */
import type { FsEntry } from "../../protocol/fs";
import { isWithin, normalizePath, parentPath, rebase } from "./tree";

/** The name field: a new file or folder (the value is a path), or a rename of `from`. */
export type Editing = { mode: "new-file"; value: string } | { mode: "new-folder"; value: string } | { mode: "rename"; from: string; value: string };

export interface FilesState {
  selected: string | null;
  /** The open file; `key` is new each time another file opens, so its view starts afresh. */
  open: { path: string; key: number } | null;
  /** Keys handed out so far. */
  opened: number;
  /** Folded folders. */
  collapsed: ReadonlySet<string>;
  editing: Editing | null;
  /** The entry whose deletion waits for a yes. */
  confirmDelete: string | null;
  error: string | null;
  /** Files are dragged over the panel. */
  dropping: boolean;
}

export const INITIAL_FILES_STATE: FilesState = { selected: null, open: null, opened: 0, collapsed: new Set(), editing: null, confirmDelete: null, error: null, dropping: false };

export type FilesAction =
  | { type: "select"; path: string }
  | { type: "open"; path: string }
  | { type: "close" }
  /** A row clicked: a folder is selected and folds or unfolds, a file opens. */
  | { type: "click"; entry: FsEntry }
  | { type: "toggle"; path: string }
  | { type: "start-editing"; editing: Editing }
  | { type: "rename"; path: string }
  | { type: "edit"; value: string }
  | { type: "stop-editing" }
  /** The name field's create or rename succeeded, as `path`. */
  | { type: "committed"; editing: Editing; path: string }
  | { type: "ask-delete"; path: string }
  | { type: "cancel-delete" }
  /** A delete finished; when it succeeded, selection and open file inside `path` go. */
  | { type: "deleted"; path: string; ok: boolean }
  /** Uploads into `dir` finished; `failures` are "name: why" lines. */
  | { type: "uploaded"; dir: string; failures: string[] }
  | { type: "error"; message: string | null }
  | { type: "dropping"; on: boolean };

/** `collapsed` with every folder above `path` unfolded (the same set when none was folded). */
function expandTo(collapsed: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const next = new Set([...collapsed].filter((p) => !isWithin(path, p) || p === path));
  return next.size === collapsed.size ? collapsed : next;
}

function toggled(collapsed: ReadonlySet<string>, path: string): ReadonlySet<string> {
  const next = new Set(collapsed);
  if (!next.delete(path)) next.add(path);
  return next;
}

function opened(s: FilesState, path: string): FilesState {
  if (s.open?.path === path) return { ...s, selected: path };
  return { ...s, selected: path, open: { path, key: s.opened + 1 }, opened: s.opened + 1 };
}

export function filesReducer(s: FilesState, a: FilesAction): FilesState {
  switch (a.type) {
    case "select":
      return { ...s, selected: a.path };
    case "open":
      return opened(s, a.path);
    case "close":
      return { ...s, open: null };
    case "click": {
      const cleared = { ...s, confirmDelete: null };
      const path = a.entry.path;
      return a.entry.type === "directory" ? { ...cleared, selected: path, collapsed: toggled(s.collapsed, path) } : opened(cleared, path);
    }
    case "toggle":
      return { ...s, collapsed: toggled(s.collapsed, a.path) };
    case "start-editing":
      return { ...s, error: null, confirmDelete: null, editing: a.editing };
    case "rename":
      return { ...s, selected: a.path, error: null, confirmDelete: null, editing: { mode: "rename", from: a.path, value: a.path } };
    case "edit":
      return s.editing ? { ...s, editing: { ...s.editing, value: a.value } } : s;
    case "stop-editing":
      return { ...s, editing: null };
    case "committed": {
      let { open, collapsed } = s;
      if (a.editing.mode === "rename") {
        const from = a.editing.from;
        open = open ? { ...open, path: rebase(open.path, from, a.path) } : open;
        collapsed = new Set([...collapsed].map((p) => rebase(p, from, a.path)));
      }
      return { ...s, open, editing: null, collapsed: expandTo(collapsed, parentPath(a.path)) };
    }
    case "ask-delete":
      return { ...s, selected: a.path, editing: null, confirmDelete: a.path };
    case "cancel-delete":
      return { ...s, confirmDelete: null };
    case "deleted":
      if (!a.ok) return { ...s, confirmDelete: null };
      return {
        ...s,
        confirmDelete: null,
        selected: s.selected !== null && isWithin(s.selected, a.path) ? null : s.selected,
        open: s.open && isWithin(s.open.path, a.path) ? null : s.open,
      };
    case "uploaded": {
      const error = a.failures.length === 0 ? s.error : a.failures.length === 1 ? a.failures[0]! : `${a.failures.length} uploads failed. ${a.failures.join(" ")}`;
      return { ...s, error, collapsed: a.dir ? expandTo(s.collapsed, a.dir) : s.collapsed };
    }
    case "error":
      return { ...s, error: a.message };
    case "dropping":
      return s.dropping === a.on ? s : { ...s, dropping: a.on };
  }
}

/** What the name field's value asks for: a message, nothing (a rename to the same name), or an fs call. */
export type CommitPlan =
  | { kind: "invalid"; message: string }
  | { kind: "unchanged" }
  | { kind: "create-file"; path: string }
  | { kind: "create-folder"; path: string }
  | { kind: "rename"; from: string; path: string };

export function planCommit(editing: Editing, exists: (path: string) => boolean): CommitPlan {
  const norm = normalizePath(editing.value);
  if (!norm.ok) return { kind: "invalid", message: norm.message };
  const path = norm.path;
  if (editing.mode === "rename" && path === editing.from) return { kind: "unchanged" };
  if (exists(path)) return { kind: "invalid", message: `'${path}' already exists.` };
  if (editing.mode === "rename") return { kind: "rename", from: editing.from, path };
  return editing.mode === "new-file" ? { kind: "create-file", path } : { kind: "create-folder", path };
}

/** The name field for a new file or folder in `dir` ("" is the root). */
export function newEntry(mode: "new-file" | "new-folder", dir: string): Editing {
  return { mode, value: dir ? `${dir}/` : "" };
}

/** What a key on a tree row does; null leaves the key to the browser. */
export type RowKeyCommand =
  | { kind: "ask-delete" }
  | { kind: "rename" }
  /** Focus the row `delta` rows down (negative: up). */
  | { kind: "move"; delta: number }
  | { kind: "toggle" }
  | { kind: "focus-parent" }
  | { kind: "cancel-delete" };

/**
 * Delete asks to delete, F2 renames, up/down move; right unfolds a folded folder (else moves into
 * it), left folds an unfolded one (else goes to the parent); Escape cancels a pending delete.
 */
export function rowKeyCommand(key: string, entry: FsEntry, s: Pick<FilesState, "collapsed" | "confirmDelete">): RowKeyCommand | null {
  const isDir = entry.type === "directory";
  const folded = s.collapsed.has(entry.path);
  switch (key) {
    case "Delete":
      return { kind: "ask-delete" };
    case "F2":
      return { kind: "rename" };
    case "ArrowDown":
      return { kind: "move", delta: 1 };
    case "ArrowUp":
      return { kind: "move", delta: -1 };
    case "ArrowRight":
      return isDir ? (folded ? { kind: "toggle" } : { kind: "move", delta: 1 }) : null;
    case "ArrowLeft":
      if (isDir && !folded) return { kind: "toggle" };
      return entry.path.includes("/") ? { kind: "focus-parent" } : null;
    case "Escape":
      return s.confirmDelete === null ? null : { kind: "cancel-delete" };
    default:
      return null;
  }
}
