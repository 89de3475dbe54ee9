/** "Delete x?" under the Files toolbar: the yes button has focus; Escape or Cancel keeps the entry. */
import type { FsEntry } from "../../protocol/fs";

export function DeleteConfirm(props: { entry: FsEntry; onConfirm: () => void; onCancel: () => void }) {
  const { entry } = props;
  return (
    <div className="files-confirm">
      <span>
        Delete <strong>{entry.name}</strong>
        {entry.type === "directory" ? " and everything in it" : ""}?
      </span>
      <button
        className="danger"
        data-testid="files-delete-confirm"
        autoFocus
        onClick={props.onConfirm}
        onKeyDown={(e) => {
          if (e.key !== "Escape") return;
          e.stopPropagation(); // Escape here cancels; it should not also stop a run
          props.onCancel();
        }}
      >
        Delete
      </button>
      <button data-testid="files-delete-cancel" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
