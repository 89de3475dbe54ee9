/** The workspace's tree as rows of buttons: folders fold, files open; keys are the panel's (panelState.ts). */
import type { KeyboardEvent } from "react";
import type { FsEntry } from "../../protocol/fs";
import { formatSize, type TreeRow } from "./tree";

export function FileTree(props: {
  rows: readonly TreeRow[];
  selected: string | null;
  /** The open file's path. */
  open: string | null;
  collapsed: ReadonlySet<string>;
  onClick: (entry: FsEntry) => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>, entry: FsEntry) => void;
}) {
  const { selected, open, collapsed } = props;
  return (
    <ul className="files-tree" aria-label="Workspace files">
      {props.rows.map(({ node, depth }) => {
        const e = node.entry;
        const isDir = e.type === "directory";
        return (
          <li key={e.path}>
            <button
              className={`file-row ${selected === e.path ? "selected" : ""} ${open === e.path ? "open" : ""}`}
              data-testid="file-row"
              data-path={e.path}
              data-type={e.type}
              style={{ paddingLeft: `${0.3 + depth * 0.9}rem` }}
              aria-expanded={isDir ? !collapsed.has(e.path) : undefined}
              aria-current={selected === e.path ? "true" : undefined}
              title={`${e.path} · ${formatSize(node.totalSize)} · modified ${new Date(e.mtimeMs).toLocaleString()}`}
              onClick={() => props.onClick(e)}
              onKeyDown={(ev) => props.onKeyDown(ev, e)}
            >
              <span className="file-icon" aria-hidden="true">
                {isDir ? (collapsed.has(e.path) ? "▸" : "▾") : e.type === "symbolic-link" ? "↪" : "·"}
              </span>
              <span className="file-name">{e.name}</span>
              <span className="file-size">{formatSize(node.totalSize)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
