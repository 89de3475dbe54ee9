/** The fs-owner worker's API (workspace files for the UI) and the change feed every writer posts. */

export type FsNodeType = "directory" | "regular-file" | "symbolic-link";

export interface FsEntry {
  /** `/`-separated path from the workspace root, no leading slash. */
  path: string;
  name: string;
  type: FsNodeType;
  size: number;
  mtimeMs: number;
}

export interface FsUsage {
  usage: number;
  quota: number;
  persisted: boolean;
}

export interface WorkspaceInfo {
  /** The storage layout version (see src/host/filesystem/vfs.ts). */
  layout: number;
  /** The layout this workspace was upgraded from when the fs-owner opened it, or null. */
  migratedFrom: number | null;
}

/** Errors cross the thread boundary as data: the wasi:filesystem error code and a sentence. */
export type FsResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface FsApi {
  tree(workspace: string): Promise<FsResult<FsEntry[]>>;
  readFile(workspace: string, path: string): Promise<FsResult<Uint8Array>>;
  /** Creates or replaces the file atomically (one transaction), creating parent folders. */
  writeFile(workspace: string, path: string, data: Uint8Array): Promise<FsResult<void>>;
  mkdir(workspace: string, path: string): Promise<FsResult<void>>;
  rename(workspace: string, from: string, to: string): Promise<FsResult<void>>;
  /** Removes a file, or a folder with everything in it. */
  remove(workspace: string, path: string): Promise<FsResult<void>>;
  usage(): Promise<FsUsage>;
  /** How the workspace is stored, and whether opening it upgraded an older layout. */
  workspaceInfo(workspace: string): Promise<FsResult<WorkspaceInfo>>;
  /** Serves a run's filesystem calls on `port` (transferred), until the run ends or its worker dies. */
  attachRun(port: MessagePort): void;
}

/** A run's connection to the fs-owner: the other end of a port given to `attachRun`. */
export interface RunFilesystem {
  port: MessagePort;
}

/** BroadcastChannel on which every writer of a workspace (any worker, any tab) posts changes. */
export const fsChannelName = (workspace: string) => `wasi-playground-fs:${workspace}`;

export interface FsChangeNotice {
  workspace: string;
  /** What changed; `quota`: a write failed because the site's storage quota is used up. */
  kind: "write" | "create" | "remove" | "rename" | "meta" | "quota";
}

/** The workspace a playground run gets as `/` unless told otherwise. */
export const DEFAULT_WORKSPACE = "default";
