/** The name field of the Files panel: a new file's or folder's path, or a rename. Escape cancels. */
import { useEffect, useRef } from "react";
import type { Editing } from "./panelState";
import { baseName } from "./tree";

export function NameInput(props: { editing: Editing; onChange: (value: string) => void; onCommit: () => void; onCancel: () => void }) {
  const { editing } = props;
  const input = useRef<HTMLInputElement>(null);
  const renaming = editing.mode === "rename" ? editing.from : "";
  const label = editing.mode === "new-file" ? "New file" : editing.mode === "new-folder" ? "New folder" : `Rename ${baseName(editing.from)} to`;

  // Renaming: select the name without its extension, like a desktop file manager.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    const start = el.value.lastIndexOf("/") + 1;
    const dot = el.value.lastIndexOf(".");
    el.setSelectionRange(start, editing.mode === "rename" && dot > start ? dot : el.value.length);
    // Only when the input appears or switches target, not on every keystroke.
  }, [editing.mode, renaming]);

  return (
    <form
      className="files-input"
      onSubmit={(e) => {
        e.preventDefault();
        props.onCommit();
      }}
    >
      <label>
        <span>{label}</span>
        <input
          ref={input}
          data-testid="files-name-input"
          value={editing.value}
          placeholder={editing.mode === "new-folder" ? "folder or path/to/folder" : "name.txt or path/to/name.txt"}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation(); // Escape here cancels; it should not also stop a run
              props.onCancel();
            }
          }}
        />
      </label>
      <button type="submit">OK</button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}
