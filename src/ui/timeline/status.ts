/** What the timeline's toolbar says about the trace shown, read from the session after a frame. */
import type { TraceSession } from "./session";

export interface TimelineStatus {
  events: number;
  laidOut: number;
  dropped: number;
  fidelity: string | null;
  live: boolean;
  loading: number | null;
  error: string | null;
  component: string | null;
  /** "engine/jco", "engine/cm" or "file x.json". */
  origin: string | null;
  instances: Array<{ instance: number; name: string }>;
  follow: boolean;
}

export function readStatus(session: TraceSession, follow: boolean): TimelineStatus {
  const st = session.store;
  const source = session.source;
  return {
    events: st.length,
    laidOut: session.layout.laidOut,
    dropped: st.dropped,
    fidelity: st.fidelity,
    live: session.live,
    loading: session.loading,
    error: session.error,
    component: source?.component ?? null,
    origin: source?.kind === "file" ? `file ${source.file}` : source?.engine ? `engine/${source.engine}` : null,
    instances: session.layout.lanes.map((l) => ({ instance: l.instance, name: l.name })),
    follow,
  };
}

/** Equal for the toolbar: the panel re-renders only when this is false. */
export function sameStatus(a: TimelineStatus, b: TimelineStatus): boolean {
  return (
    a.events === b.events &&
    a.laidOut === b.laidOut &&
    a.dropped === b.dropped &&
    a.fidelity === b.fidelity &&
    a.live === b.live &&
    a.loading === b.loading &&
    a.error === b.error &&
    a.component === b.component &&
    a.origin === b.origin &&
    a.follow === b.follow &&
    a.instances.length === b.instances.length &&
    a.instances.every((x, i) => x.name === b.instances[i]!.name)
  );
}

/** The toolbar's one-line summary: what is shown, from where, how many events, progress. */
export function statusText(st: TimelineStatus | null): string {
  const shown =
    st && st.events > 0
      ? `${st.component ?? ""}${st.origin ? ` (${st.origin})` : ""} · ${st.events.toLocaleString("en")} events${st.live ? " · live" : ""}${st.laidOut < st.events ? ` · laying out ${Math.round((100 * st.laidOut) / st.events)}%` : ""}`
      : "no trace yet";
  return `${shown}${st?.loading !== null && st?.loading !== undefined ? ` · loading ${Math.round(st.loading * 100)}%` : ""}`;
}
