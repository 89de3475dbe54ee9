import { describe, expect, it } from "vitest";
import { applyJournal, closeTab, journalOf, emptyWorkspace, newProject, openTab, readWorkspace, removeFile, setFile, validPath, type WorkspaceState } from "./workspace";

const withJs = (): WorkspaceState => ({
  ...emptyWorkspace(),
  projects: { js: newProject([{ path: "wit/world.wit", text: "package a:b;" }, { path: "guest.js", text: "export {}" }]) },
});

describe("workspace", () => {
  it("a new project opens its WIT and its source, the source active", () => {
    expect(withJs().projects.js).toEqual({ files: expect.any(Array), open: ["wit/world.wit", "guest.js"], active: "guest.js", world: null });
  });

  it("edits bump seq; new files get a tab; removing the active file activates the last tab", () => {
    let ws = setFile(withJs(), "js", "guest.js", "changed");
    expect(ws.seq).toBe(1);
    expect(ws.projects.js!.files.find((f) => f.path === "guest.js")!.text).toBe("changed");
    ws = setFile(ws, "js", "wit/more.wit", "interface x {}");
    expect(ws.projects.js!.open).toEqual(["wit/world.wit", "guest.js", "wit/more.wit"]);
    ws = openTab(ws, "js", "wit/more.wit");
    ws = removeFile(ws, "js", "wit/more.wit");
    expect(ws.projects.js!.active).toBe("guest.js");
    ws = closeTab(ws, "js", "guest.js");
    expect(ws.projects.js!.active).toBe("wit/world.wit");
  });

  it("reads back what it stored, and survives garbage", () => {
    const ws = setFile(withJs(), "js", "guest.js", "x");
    expect(readWorkspace(JSON.parse(JSON.stringify(ws)))).toEqual(ws);
    expect(readWorkspace("nonsense")).toEqual(emptyWorkspace());
    const bad = readWorkspace({ kind: "cobol", projects: { js: { files: [{ path: "../x.js", text: "" }, { path: "guest.js", text: "ok" }, 5], open: ["nope"], active: 3 } }, layout: { dockHeight: -1 } });
    expect(bad.kind).toBe("js");
    expect(bad.projects.js).toEqual({ files: [{ path: "guest.js", text: "ok" }], open: [], active: null, world: null });
    expect(bad.layout.dockHeight).toBe(180);
  });

  it("a newer journal wins over the stored copy; an older one is ignored", () => {
    const stored = setFile(withJs(), "js", "guest.js", "saved"); // seq 1
    const journal = { seq: 5, edits: [{ kind: "js", path: "guest.js", text: "typed after the save" }, { kind: "cobol", path: "x.js", text: "" }] };
    const restored = applyJournal(stored, journal);
    expect(restored.projects.js!.files.find((f) => f.path === "guest.js")!.text).toBe("typed after the save");
    expect(restored.seq).toBe(5);
    expect(applyJournal(stored, { ...journal, seq: 1 })).toBe(stored);
    expect(applyJournal(stored, null)).toBe(stored);
  });

  it("what was typed while a save was under way survives a reload once that save has landed", () => {
    // Typed "a" (seq 1), the save of seq 1 starts; typed "ab" (seq 2); the save of seq 1 lands.
    const saved = setFile(withJs(), "js", "guest.js", "a");
    const journal = journalOf([{ kind: "js", path: "guest.js", text: "ab", seq: 2 }]);
    expect(journal!.seq).toBe(2);
    const restored = applyJournal(saved, JSON.parse(JSON.stringify(journal)));
    expect(restored.projects.js!.files.find((f) => f.path === "guest.js")!.text).toBe("ab");
    expect(journalOf([])).toBeNull();
  });

  it("validPath allows WIT under wit/ and top-level sources only", () => {
    for (const ok of ["wit/world.wit", "wit/deps/x/a.wit", "guest.js", "module.wat", "util.mjs"]) expect(validPath(ok)).toBe(true);
    for (const bad of ["../a.js", "wit/../a.wit", "src/a.js", "a.txt", "wit/a.js"]) expect(validPath(bad)).toBe(false);
  });
});
