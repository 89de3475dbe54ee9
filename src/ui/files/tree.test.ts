import { describe, expect, it } from "vitest";
import type { FsEntry } from "../../protocol/fs";
import { baseName, buildTree, formatSize, normalizePath, parentPath, rebase, usageLine, visibleRows } from "./tree";

const file = (path: string, size = 1): FsEntry => ({ path, name: baseName(path), type: "regular-file", size, mtimeMs: 0 });
const dir = (path: string): FsEntry => ({ path, name: baseName(path), type: "directory", size: 0, mtimeMs: 0 });

describe("buildTree", () => {
  it("nests by path, folders first, names in natural order, folder sizes summed", () => {
    const roots = buildTree([file("b.txt", 3), dir("src"), file("src/file10.rs", 10), file("src/file2.rs", 2), dir("src/lib"), file("src/lib/x", 5), file("A.md", 1), dir("empty")]);
    expect(roots.map((n) => n.entry.path)).toEqual(["empty", "src", "A.md", "b.txt"]);
    const src = roots[1]!;
    expect(src.children.map((n) => n.entry.name)).toEqual(["lib", "file2.rs", "file10.rs"]);
    expect(src.totalSize).toBe(17);
    expect(roots[0]!.totalSize).toBe(0);
  });

  it("puts an entry whose folder is missing at the root", () => {
    expect(buildTree([file("gone/x")]).map((n) => n.entry.path)).toEqual(["gone/x"]);
  });

  it("lists visible rows with depth, skipping collapsed folders", () => {
    const roots = buildTree([dir("a"), file("a/1"), dir("a/b"), file("a/b/2"), file("z")]);
    const rows = (c: string[]) => visibleRows(roots, new Set(c)).map((r) => `${r.depth}:${r.node.entry.path}`);
    expect(rows([])).toEqual(["0:a", "1:a/b", "2:a/b/2", "1:a/1", "0:z"]);
    expect(rows(["a/b"])).toEqual(["0:a", "1:a/b", "1:a/1", "0:z"]);
    expect(rows(["a"])).toEqual(["0:a", "0:z"]);
  });
});

describe("paths", () => {
  it("splits and rebases", () => {
    expect(parentPath("a/b/c")).toBe("a/b");
    expect(parentPath("c")).toBe("");
    expect(baseName("a/b/c")).toBe("c");
    expect(rebase("a/b/c", "a/b", "x")).toBe("x/c");
    expect(rebase("a/bc", "a/b", "x")).toBe("a/bc");
    expect(rebase("a/b", "a/b", "x")).toBe("x");
  });

  it("normalizes typed names", () => {
    expect(normalizePath(" /docs//notes.txt/ ")).toEqual({ ok: true, path: "docs/notes.txt" });
    expect(normalizePath("   ").ok).toBe(false);
    expect(normalizePath("a/../b").ok).toBe(false);
    expect(normalizePath("./b").ok).toBe(false);
  });

  it("formats sizes", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(10 * 1024 * 1024)).toBe("10 MB");
  });

  it("says how much storage is used of the quota and whether it is persistent", () => {
    expect(usageLine(null)).toBe("Storage: …");
    expect(usageLine({ usage: 1.25 * 1024 * 1024, quota: 300.4 * 1024 * 1024, persisted: true })).toBe("Storage: 1.3 MB of 300 MB used · persistent");
    expect(usageLine({ usage: 0, quota: 1024 * 1024 * 1024, persisted: false })).toBe("Storage: 0.0 MB of 1024 MB used · not persistent");
  });
});
