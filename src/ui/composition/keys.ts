/** The editor's keyboard: what a key press on the canvas or the panel (outside a text field) does. */

export type EditorKey = "undo" | "redo" | "delete";

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac); Delete and Backspace delete the selection. */
export function editorKey(e: KeyPress): EditorKey | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === "z") return e.shiftKey ? "redo" : "undo";
  if (mod && key === "y" && !e.shiftKey) return "redo";
  if (!mod && (e.key === "Delete" || e.key === "Backspace")) return "delete";
  return null;
}

/** Whether a key press in `el` belongs to it (typing in a field), not to the editor. */
export function isTextEntry(el: { readonly tagName: string; readonly isContentEditable?: boolean } | null): boolean {
  if (!el) return false;
  return el.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}
