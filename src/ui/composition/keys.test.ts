import { describe, expect, it } from "vitest";
import { editorKey, isTextEntry, type KeyPress } from "./keys";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("the editor's keys", () => {
  it("undoes with Ctrl+Z, redoes with Ctrl+Shift+Z or Ctrl+Y, Cmd too", () => {
    expect(editorKey(press("z", { ctrlKey: true }))).toBe("undo");
    expect(editorKey(press("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(editorKey(press("y", { ctrlKey: true }))).toBe("redo");
    expect(editorKey(press("z", { metaKey: true }))).toBe("undo");
    expect(editorKey(press("z"))).toBeNull();
    expect(editorKey(press("z", { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it("deletes with Delete or Backspace, not with a modifier", () => {
    expect(editorKey(press("Delete"))).toBe("delete");
    expect(editorKey(press("Backspace"))).toBe("delete");
    expect(editorKey(press("Delete", { ctrlKey: true }))).toBeNull();
    expect(editorKey(press("a"))).toBeNull();
  });

  it("leaves keys typed into fields to the field", () => {
    expect(isTextEntry({ tagName: "INPUT" })).toBe(true);
    expect(isTextEntry({ tagName: "SELECT" })).toBe(true);
    expect(isTextEntry({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTextEntry({ tagName: "DIV" })).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});
