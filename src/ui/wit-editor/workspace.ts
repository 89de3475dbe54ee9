/**
 * The authoring workspace as data: one project per kind (JS, core WAT + WIT, component WAT), each
 * with its files, open tabs and active file, plus the layout (panel open, dock tab and height).
 * Pure: saving and loading live in `persist.ts`.
 */
import { isProjectPath, PROJECT_KINDS, type ProjectFile, type ProjectKind } from "../../protocol/authoring-api";

export type DockTab = "problems" | "log" | "host-types" | "guest-types";

export interface ProjectState {
  files: ProjectFile[];
  /** Paths with a tab, in tab order. */
  open: string[];
  active: string | null;
  /** The world to build and show types for (null: the package's first). */
  world: string | null;
}

export interface Layout {
  /** The authoring panel is shown. */
  open: boolean;
  dock: DockTab;
  /** Height of the bottom dock in px. */
  dockHeight: number;
  outline: boolean;
}

export interface WorkspaceState {
  version: 1;
  kind: ProjectKind;
  projects: Partial<Record<ProjectKind, ProjectState>>;
  layout: Layout;
  /** Bumped by every change; the journal and the stored copy compare by it. */
  seq: number;
}

export const KINDS = PROJECT_KINDS;

export const DEFAULT_LAYOUT: Layout = { open: false, dock: "problems", dockHeight: 180, outline: true };

export function emptyWorkspace(): WorkspaceState {
  return { version: 1, kind: "js", projects: {}, layout: { ...DEFAULT_LAYOUT }, seq: 0 };
}

export function newProject(files: ProjectFile[]): ProjectState {
  const main = files.find((f) => !f.path.endsWith(".wit")) ?? files[0];
  const open = [...files.filter((f) => f.path.startsWith("wit/") && !f.path.startsWith("wit/deps/")).map((f) => f.path), ...(main && !main.path.endsWith(".wit") ? [main.path] : [])];
  return { files, open, active: main?.path ?? null, world: null };
}

/** Paths a project file may have: `wit/**.wit` and top-level source files. */
export const validPath = isProjectPath;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function readProject(v: unknown): ProjectState | null {
  if (!isObject(v) || !Array.isArray(v.files)) return null;
  const files = v.files.filter((f): f is ProjectFile => isObject(f) && typeof f.path === "string" && typeof f.text === "string" && validPath(f.path));
  const paths = new Set(files.map((f) => f.path));
  const open = Array.isArray(v.open) ? v.open.filter((p): p is string => typeof p === "string" && paths.has(p)) : [];
  const active = typeof v.active === "string" && paths.has(v.active) ? v.active : (open[0] ?? null);
  return { files, open: active && !open.includes(active) ? [...open, active] : open, active, world: typeof v.world === "string" ? v.world : null };
}

/** A stored workspace, checked field by field: anything unreadable falls back to defaults, files are kept. */
export function readWorkspace(v: unknown): WorkspaceState {
  const ws = emptyWorkspace();
  if (!isObject(v)) return ws;
  if (typeof v.kind === "string" && (KINDS as string[]).includes(v.kind)) ws.kind = v.kind as ProjectKind;
  if (isObject(v.projects)) {
    for (const k of KINDS) {
      const p = readProject(v.projects[k]);
      if (p) ws.projects[k] = p;
    }
  }
  if (isObject(v.layout)) {
    const l = v.layout;
    ws.layout = {
      open: typeof l.open === "boolean" ? l.open : DEFAULT_LAYOUT.open,
      dock: typeof l.dock === "string" && ["problems", "log", "host-types", "guest-types"].includes(l.dock) ? (l.dock as DockTab) : DEFAULT_LAYOUT.dock,
      dockHeight: typeof l.dockHeight === "number" && l.dockHeight >= 60 && l.dockHeight <= 2000 ? l.dockHeight : DEFAULT_LAYOUT.dockHeight,
      outline: typeof l.outline === "boolean" ? l.outline : DEFAULT_LAYOUT.outline,
    };
  }
  ws.seq = typeof v.seq === "number" && Number.isFinite(v.seq) ? v.seq : 0;
  return ws;
}

/**
 * Edits written synchronously on every change (localStorage), so the last keystrokes before a
 * reload survive even when the IndexedDB write had not committed yet.
 */
export interface Journal {
  seq: number;
  edits: Array<{ kind: ProjectKind; path: string; text: string }>;
}

/** An edit not yet in IndexedDB, with the number of the state it made. */
export interface UnsavedEdit {
  kind: ProjectKind;
  path: string;
  text: string;
  seq: number;
}

/**
 * The journal of the edits not yet saved, or null when there are none. Its number is the newest
 * edit's: a journal numbered after the state just saved (older than its edits) was ignored on
 * reload, losing what was typed while that save was under way.
 */
export function journalOf(unsaved: Iterable<UnsavedEdit>): Journal | null {
  const edits = [...unsaved];
  if (edits.length === 0) return null;
  return { seq: Math.max(...edits.map((e) => e.seq)), edits: edits.map(({ kind, path, text }) => ({ kind, path, text })) };
}

/** The stored workspace with any newer journaled edits applied. */
export function applyJournal(ws: WorkspaceState, journal: unknown): WorkspaceState {
  if (!isObject(journal) || typeof journal.seq !== "number" || journal.seq <= ws.seq || !Array.isArray(journal.edits)) return ws;
  let next = ws;
  for (const e of journal.edits) {
    if (!isObject(e) || typeof e.kind !== "string" || !(KINDS as string[]).includes(e.kind)) continue;
    if (typeof e.path === "string" && typeof e.text === "string" && validPath(e.path)) next = setFile(next, e.kind as ProjectKind, e.path, e.text);
  }
  return { ...next, seq: journal.seq };
}

export function project(ws: WorkspaceState, kind: ProjectKind = ws.kind): ProjectState | undefined {
  return ws.projects[kind];
}

export function updateProject(ws: WorkspaceState, kind: ProjectKind, fn: (p: ProjectState) => ProjectState): WorkspaceState {
  const p = ws.projects[kind];
  if (!p) return ws;
  return { ...ws, projects: { ...ws.projects, [kind]: fn(p) }, seq: ws.seq + 1 };
}

/** Sets a file's text (creating the file, and its tab, when new). */
export function setFile(ws: WorkspaceState, kind: ProjectKind, path: string, text: string): WorkspaceState {
  return updateProject(ws, kind, (p) => {
    const exists = p.files.some((f) => f.path === path);
    const files = exists ? p.files.map((f) => (f.path === path ? { path, text } : f)) : [...p.files, { path, text }];
    return { ...p, files, open: exists || p.open.includes(path) ? p.open : [...p.open, path] };
  });
}

export function removeFile(ws: WorkspaceState, kind: ProjectKind, path: string): WorkspaceState {
  return updateProject(ws, kind, (p) => {
    const open = p.open.filter((o) => o !== path);
    return { ...p, files: p.files.filter((f) => f.path !== path), open, active: p.active === path ? (open[open.length - 1] ?? null) : p.active };
  });
}

export function openTab(ws: WorkspaceState, kind: ProjectKind, path: string): WorkspaceState {
  return updateProject(ws, kind, (p) => (p.files.some((f) => f.path === path) ? { ...p, open: p.open.includes(path) ? p.open : [...p.open, path], active: path } : p));
}

export function closeTab(ws: WorkspaceState, kind: ProjectKind, path: string): WorkspaceState {
  return updateProject(ws, kind, (p) => {
    const i = p.open.indexOf(path);
    const open = p.open.filter((o) => o !== path);
    return { ...p, open, active: p.active === path ? (open[Math.max(0, i - 1)] ?? null) : p.active };
  });
}

/** The language Monaco should use for a project file. */
export function languageOf(path: string): string {
  if (path.endsWith(".wit")) return "wit";
  if (path.endsWith(".wat")) return "wat";
  return "javascript";
}
