/**
 * The learner's progress, kept in the browser (localStorage under one versioned key): which
 * lessons passed, the last one open, and the guest (and WIT) they were working on per lesson.
 * A stored value of another version, or unreadable, starts afresh rather than failing.
 */

export const PROGRESS_KEY = "wasi-playground:learn";
export const PROGRESS_VERSION = 1;

export interface Draft {
  guest: string;
  wit: string;
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  passed: string[];
  current: string | null;
  drafts: Record<string, Draft>;
}

/** What progress needs of `localStorage` (a Map-backed fake in tests). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const EMPTY_PROGRESS: Progress = { version: PROGRESS_VERSION, passed: [], current: null, drafts: {} };

export function loadProgress(store: KeyValue): Progress {
  try {
    const v = JSON.parse(store.getItem(PROGRESS_KEY) ?? "null") as Partial<Progress> | null;
    if (v?.version !== PROGRESS_VERSION || !Array.isArray(v.passed)) return EMPTY_PROGRESS;
    return { version: PROGRESS_VERSION, passed: v.passed.filter((p) => typeof p === "string"), current: typeof v.current === "string" ? v.current : null, drafts: typeof v.drafts === "object" && v.drafts !== null ? v.drafts : {} };
  } catch {
    return EMPTY_PROGRESS;
  }
}

export function saveProgress(store: KeyValue, p: Progress): void {
  store.setItem(PROGRESS_KEY, JSON.stringify(p));
}

/** `p` with lesson `id` marked passed (once). */
export function markPassed(p: Progress, id: string): Progress {
  return p.passed.includes(id) ? p : { ...p, passed: [...p.passed, id] };
}

export function withDraft(p: Progress, id: string, draft: Draft | null): Progress {
  const drafts = { ...p.drafts };
  if (draft) drafts[id] = draft;
  else delete drafts[id];
  return { ...p, drafts };
}
