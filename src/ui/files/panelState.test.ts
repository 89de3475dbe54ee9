import { describe, expect, it } from "vitest";
import type { FsEntry } from "../../protocol/fs";
import { filesReducer, INITIAL_FILES_STATE, newEntry, planCommit, rowKeyCommand, type FilesAction, type FilesState } from "./panelState";
import { baseName } from "./tree";

const file = (path: string): FsEntry => ({ path, name: baseName(path), type: "regular-file", size: 1, mtimeMs: 0 });
const dir = (path: string): FsEntry => ({ path, name: baseName(path), type: "directory", size: 0, mtimeMs: 0 });
const run = (actions: FilesAction[], from: FilesState = INITIAL_FILES_STATE) => actions.reduce(filesReducer, from);

describe("filesReducer: selecting and opening", () => {
  it("clicking a file selects and opens it; the same file again keeps its view, another gets a new one", () => {
    const s = run([{ type: "click", entry: file("a.txt") }]);
    expect(s.selected).toBe("a.txt");
    expect(s.open).toEqual({ path: "a.txt", key: 1 });
    expect(run([{ type: "click", entry: file("a.txt") }], s).open).toBe(s.open);
    expect(run([{ type: "click", entry: file("b.txt") }], s).open).toEqual({ path: "b.txt", key: 2 });
    expect(run([{ type: "close" }], s).open).toBeNull();
  });

  it("clicking a folder selects it and folds or unfolds it; either click drops a pending delete", () => {
    const s = run([{ type: "ask-delete", path: "x.txt" }, { type: "click", entry: dir("docs") }]);
    expect(s).toMatchObject({ selected: "docs", confirmDelete: null, open: null });
    expect([...s.collapsed]).toEqual(["docs"]);
    expect([...run([{ type: "click", entry: dir("docs") }], s).collapsed]).toEqual([]);
    expect(run([{ type: "ask-delete", path: "x.txt" }, { type: "click", entry: file("x.txt") }]).confirmDelete).toBeNull();
  });
});

describe("filesReducer: the name field", () => {
  it("starting an edit clears the message and a pending delete; typing changes the value; stopping closes it", () => {
    const s = run([{ type: "error", message: "old" }, { type: "ask-delete", path: "a" }, { type: "start-editing", editing: newEntry("new-file", "docs") }, { type: "edit", value: "docs/n.txt" }]);
    expect(s).toMatchObject({ error: null, confirmDelete: null, editing: { mode: "new-file", value: "docs/n.txt" } });
    expect(run([{ type: "stop-editing" }], s).editing).toBeNull();
    expect(run([{ type: "edit", value: "ignored" }]).editing).toBeNull();
  });

  it("rename selects the entry and fills the field with its path", () => {
    expect(run([{ type: "rename", path: "docs/a.txt" }])).toMatchObject({ selected: "docs/a.txt", editing: { mode: "rename", from: "docs/a.txt", value: "docs/a.txt" } });
  });

  it("a committed entry closes the field and its folder's row is shown: the folders above that unfold", () => {
    const editing = newEntry("new-file", "a/b");
    const s = run([{ type: "toggle", path: "a" }, { type: "toggle", path: "a/b" }, { type: "toggle", path: "other" }, { type: "start-editing", editing }, { type: "committed", editing, path: "a/b/c.txt" }]);
    expect(s.editing).toBeNull();
    expect([...s.collapsed]).toEqual(["a/b", "other"]);
  });

  it("a committed rename moves the open file and folded folders along", () => {
    const editing = { mode: "rename" as const, from: "docs", value: "papers" };
    const s = run([{ type: "open", path: "docs/sub/x.txt" }, { type: "toggle", path: "docs/sub" }, { type: "toggle", path: "keep" }, { type: "committed", editing, path: "papers" }]);
    expect(s.open).toEqual({ path: "papers/sub/x.txt", key: 1 });
    expect([...s.collapsed].sort()).toEqual(["keep", "papers/sub"]);
  });
});

describe("filesReducer: delete, upload, messages", () => {
  it("asking to delete selects the entry and closes the name field; cancel or a failed delete only drop the question", () => {
    const asked = run([{ type: "start-editing", editing: newEntry("new-folder", "") }, { type: "ask-delete", path: "a.txt" }]);
    expect(asked).toMatchObject({ selected: "a.txt", editing: null, confirmDelete: "a.txt" });
    expect(run([{ type: "cancel-delete" }], asked)).toEqual({ ...asked, confirmDelete: null });
    expect(run([{ type: "deleted", path: "a.txt", ok: false }], asked)).toEqual({ ...asked, confirmDelete: null });
  });

  it("a deleted folder takes the selection and the open file inside it; others stay", () => {
    const s = run([{ type: "open", path: "docs/a.txt" }, { type: "deleted", path: "docs", ok: true }]);
    expect(s).toMatchObject({ selected: null, open: null, confirmDelete: null });
    const elsewhere = run([{ type: "open", path: "docsx/a.txt" }, { type: "deleted", path: "docs", ok: true }]);
    expect(elsewhere).toMatchObject({ selected: "docsx/a.txt", open: { path: "docsx/a.txt" } });
  });

  it("uploads show their folder's row (the folders above it unfold) and report failures: one as is, several counted", () => {
    const folded = run([{ type: "toggle", path: "a" }, { type: "toggle", path: "a/in" }]);
    expect(run([{ type: "uploaded", dir: "a/in", failures: [] }], folded)).toMatchObject({ error: null, collapsed: new Set(["a/in"]) });
    expect(run([{ type: "uploaded", dir: "", failures: ["a: no-space"] }], folded)).toMatchObject({ error: "a: no-space", collapsed: new Set(["a", "a/in"]) });
    expect(run([{ type: "uploaded", dir: "", failures: ["a: x.", "b: y."] }]).error).toBe("2 uploads failed. a: x. b: y.");
  });

  it("dropping toggles without a new state when nothing changed", () => {
    const on = run([{ type: "dropping", on: true }]);
    expect(on.dropping).toBe(true);
    expect(filesReducer(on, { type: "dropping", on: true })).toBe(on);
    expect(run([{ type: "dropping", on: false }], on).dropping).toBe(false);
  });
});

describe("planCommit", () => {
  const exists = (path: string) => path === "a.txt" || path === "docs";
  it("refuses bad and taken names with a sentence", () => {
    expect(planCommit(newEntry("new-file", ""), exists)).toEqual({ kind: "invalid", message: "Type a name first." });
    expect(planCommit({ mode: "new-file", value: "x/../y" }, exists)).toMatchObject({ kind: "invalid", message: expect.stringContaining("may not contain '.' or '..'") });
    expect(planCommit({ mode: "new-folder", value: "/docs/" }, exists)).toEqual({ kind: "invalid", message: "'docs' already exists." });
  });

  it("says which call to make, on the normalized path", () => {
    expect(planCommit({ mode: "new-file", value: " notes//b.txt " }, exists)).toEqual({ kind: "create-file", path: "notes/b.txt" });
    expect(planCommit({ mode: "new-folder", value: "src" }, exists)).toEqual({ kind: "create-folder", path: "src" });
    expect(planCommit({ mode: "rename", from: "a.txt", value: "b.txt" }, exists)).toEqual({ kind: "rename", from: "a.txt", path: "b.txt" });
    expect(planCommit({ mode: "rename", from: "a.txt", value: "/a.txt" }, exists)).toEqual({ kind: "unchanged" });
  });
});

describe("newEntry", () => {
  it("starts the path in the target folder", () => {
    expect(newEntry("new-file", "docs")).toEqual({ mode: "new-file", value: "docs/" });
    expect(newEntry("new-folder", "")).toEqual({ mode: "new-folder", value: "" });
  });
});

describe("rowKeyCommand", () => {
  const state = { collapsed: new Set(["folded"]), confirmDelete: null };
  it("Delete, F2, up and down act on any row; other keys are left alone", () => {
    expect(rowKeyCommand("Delete", file("a"), state)).toEqual({ kind: "ask-delete" });
    expect(rowKeyCommand("F2", file("a"), state)).toEqual({ kind: "rename" });
    expect(rowKeyCommand("ArrowDown", file("a"), state)).toEqual({ kind: "move", delta: 1 });
    expect(rowKeyCommand("ArrowUp", file("a"), state)).toEqual({ kind: "move", delta: -1 });
    expect(rowKeyCommand("Enter", file("a"), state)).toBeNull();
  });

  it("right unfolds a folded folder, else moves into it; nothing on a file", () => {
    expect(rowKeyCommand("ArrowRight", dir("folded"), state)).toEqual({ kind: "toggle" });
    expect(rowKeyCommand("ArrowRight", dir("open"), state)).toEqual({ kind: "move", delta: 1 });
    expect(rowKeyCommand("ArrowRight", file("a"), state)).toBeNull();
  });

  it("left folds an unfolded folder, else goes to the parent; nothing at the root", () => {
    expect(rowKeyCommand("ArrowLeft", dir("open"), state)).toEqual({ kind: "toggle" });
    expect(rowKeyCommand("ArrowLeft", dir("x/folded"), { ...state, collapsed: new Set(["x/folded"]) })).toEqual({ kind: "focus-parent" });
    expect(rowKeyCommand("ArrowLeft", file("x/a"), state)).toEqual({ kind: "focus-parent" });
    expect(rowKeyCommand("ArrowLeft", file("a"), state)).toBeNull();
  });

  it("Escape cancels a pending delete, and is left alone when there is none", () => {
    expect(rowKeyCommand("Escape", file("a"), state)).toBeNull();
    expect(rowKeyCommand("Escape", file("a"), { ...state, confirmDelete: "a" })).toEqual({ kind: "cancel-delete" });
  });
});
