/**
 * Moves focus to a tree row that may not be drawn yet. A created or renamed entry's row appears only
 * when the refreshed tree renders, which can come after the next animation frame; so a request waits
 * until the tree holds the path, then focuses its row once (a row inside a folded folder stays unfocused).
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

const rowSelector = (path: string) => `[data-testid="file-row"][data-path="${CSS.escape(path)}"]`;

export function useRowFocus(panel: RefObject<HTMLElement | null>, paths: ReadonlyMap<string, unknown>): (path: string | null) => void {
  const pending = useRef<string | null>(null);
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    const path = pending.current;
    if (path === null || !paths.has(path)) return;
    pending.current = null;
    panel.current?.querySelector<HTMLElement>(rowSelector(path))?.focus();
  }, [requests, paths, panel]);
  return useCallback((path: string | null) => {
    pending.current = path;
    setRequests((n) => n + 1);
  }, []);
}
