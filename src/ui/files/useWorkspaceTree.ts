/** The workspace's entries and storage usage, re-fetched on demand and whenever any writer changes it. */
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
}

export function useWorkspaceTree(client: FsClient, workspace: string): WorkspaceTree {
  const [entries, setEntries] = useState<FsEntry[] | null>(null);
  const [usage, setUsage] = useState<FsUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
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
    const unsubscribe = client.subscribe(workspace, () => void refresh());
    return () => {
      seq.current++;
      unsubscribe();
    };
  }, [client, workspace, refresh]);

  return { entries, usage, error, loading, refresh };
}
