/**
 * The workspace's entries and storage usage, re-fetched on demand and whenever any writer changes
 * it; and whether a write (from any run or tab) was refused because storage is full.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { FsClient } from "../../client/FsClient";
import type { FsEntry, FsUsage } from "../../protocol/fs";

export interface WorkspaceTree {
  entries: FsEntry[] | null;
  usage: FsUsage | null;
  /** Why the last fetch failed, or null. */
  error: string | null;
  loading: boolean;
  refresh: () => Promise<void>;
  /** A write failed for want of space since the last `dismissFull`. */
  full: boolean;
  dismissFull: () => void;
}

export function useWorkspaceTree(client: FsClient, workspace: string): WorkspaceTree {
  const [entries, setEntries] = useState<FsEntry[] | null>(null);
  const [usage, setUsage] = useState<FsUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [full, setFull] = useState(false);
  const dismissFull = useCallback(() => setFull(false), []);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const [tree, use] = await Promise.all([client.api.tree(workspace), client.api.usage().catch(() => null)]);
      if (mine !== seq.current) return; // a newer refresh answers instead
      if (tree.ok) setEntries(tree.value);
      setError(tree.ok ? null : tree.message);
      if (use) setUsage(use);
    } catch (e) {
      if (mine === seq.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [client, workspace]);

  useEffect(() => {
    void refresh();
    const unsubscribe = client.subscribe(workspace, (notices) => {
      if (notices.some((n) => n.kind === "quota")) setFull(true);
      void refresh();
    });
    return () => {
      seq.current++;
      unsubscribe();
    };
  }, [client, workspace, refresh]);

  return { entries, usage, error, loading, refresh, full, dismissFull };
}
