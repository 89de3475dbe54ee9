/** Which cached blobs to keep: the `max` most recently used, each hash once. */
export interface CacheEntry {
  sha: string;
  usedAt: number;
}

export function keepRecent(entries: readonly CacheEntry[], max: number): { keep: CacheEntry[]; drop: CacheEntry[] } {
  const latest = new Map<string, CacheEntry>();
  for (const e of entries) if ((latest.get(e.sha)?.usedAt ?? -Infinity) <= e.usedAt) latest.set(e.sha, e);
  const sorted = [...latest.values()].sort((a, b) => b.usedAt - a.usedAt);
  return { keep: sorted.slice(0, max), drop: sorted.slice(max) };
}
