/** Pure helpers for the Files panel: nest the flat entry list, list the visible rows, check names, sizes. */
import type { FsEntry, FsUsage } from "../../protocol/fs";

export interface TreeNode {
  entry: FsEntry;
  children: TreeNode[];
  /** The entry's size, or for a folder the sum of every file under it. */
  totalSize: number;
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
}

const byName = (a: TreeNode, b: TreeNode) => a.entry.name.localeCompare(b.entry.name, "en", { numeric: true });

/** Nests `entries` by path: folders first, then by name. An entry whose folder is missing goes to the root. */
export function buildTree(entries: readonly FsEntry[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const entry of entries) nodes.set(entry.path, { entry, children: [], totalSize: 0 });
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = nodes.get(parentPath(node.entry.path));
    if (parent && parent !== node && parent.entry.type === "directory") parent.children.push(node);
    else roots.push(node);
  }
  const finish = (list: TreeNode[]): number => {
    list.sort((a, b) => Number(b.entry.type === "directory") - Number(a.entry.type === "directory") || byName(a, b));
    let sum = 0;
    for (const n of list) {
      n.totalSize = n.entry.type === "directory" ? finish(n.children) : n.entry.size;
      sum += n.totalSize;
    }
    return sum;
  };
  finish(roots);
  return roots;
}

/** The rows to draw, depth-first, skipping the children of collapsed folders. */
export function visibleRows(roots: readonly TreeNode[], collapsed: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (list: readonly TreeNode[], depth: number) => {
    for (const node of list) {
      out.push({ node, depth });
      if (node.entry.type === "directory" && !collapsed.has(node.entry.path)) walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** `a/b/c` → `a/b`; `c` → `` (the root). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** True when `path` is `ancestor` or inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/** `path` with `from` (itself or an ancestor) replaced by `to`, for following a rename. */
export function rebase(path: string, from: string, to: string): string {
  return path === from ? to : isWithin(path, from) ? to + path.slice(from.length) : path;
}

/** A typed path made canonical (`/`-separated, no empty, `.` or `..` parts), or an error sentence. */
export function normalizePath(input: string): { ok: true; path: string } | { ok: false; message: string } {
  const parts = input.trim().split("/").filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, message: "Type a name first." };
  for (const p of parts) {
    if (p === "." || p === "..") return { ok: false, message: `'${input.trim()}' may not contain '.' or '..' as a name.` };
    if (p.includes("\0")) return { ok: false, message: "Names may not contain NUL." };
  }
  return { ok: true, path: parts.join("/") };
}

/** 0 B, 999 B, 1.5 KB, 12 MB (1024-based). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** The storage line under the tree: used of quota, and whether the browser may evict it. */
export function usageLine(u: FsUsage | null): string {
  if (!u) return "Storage: …";
  const mb = (n: number) => n / (1024 * 1024);
  return `Storage: ${mb(u.usage).toFixed(1)} MB of ${Math.round(mb(u.quota))} MB used · ${u.persisted ? "persistent" : "not persistent"}`;
}
