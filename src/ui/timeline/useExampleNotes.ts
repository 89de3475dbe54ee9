/** The example's README section "What the timeline shows" (from components/index.json), for a component name. */
import { useEffect, useState } from "react";

interface IndexEntry {
  name: string;
  file: string;
  timeline?: string;
}

export function useExampleNotes(component: string | null): { name: string; text: string } | null {
  const [index, setIndex] = useState<IndexEntry[] | null>(null);
  useEffect(() => {
    if (!component || index) return;
    let live = true;
    fetch("components/index.json")
      .then((r) => (r.ok ? (r.json() as Promise<IndexEntry[]>) : []))
      .then((list) => live && setIndex(list))
      .catch(() => live && setIndex([]));
    return () => {
      live = false;
    };
  }, [component, index]);
  const entry = index?.find((e) => e.file === component);
  return entry?.timeline ? { name: entry.name, text: entry.timeline } : null;
}
