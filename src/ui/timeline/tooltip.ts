/** The hover tooltip: what the span or marker under the pointer is, and where the tip goes. */
import { markerLabel, type Marker, type Span } from "./layout";
import { formatNs } from "./TimeScale";
import type { TraceStore } from "./traceStore";

/**
 * A span: kind and name, start and duration (with its detail and, for a guest call served by the
 * host, how long the host took), then where it ran. A marker: its label, instant and place.
 */
export function describeHit(store: TraceStore, hit: Span | Marker): string {
  if ("end" in hit) {
    const dur = Number.isFinite(hit.end) ? formatNs(hit.end - hit.start) : "still running";
    const where = `${hit.group.lane.name} · ${hit.group.task === 0 ? hit.group.name : `task ${hit.group.task} (${hit.group.name})`}`;
    const inner = hit.inner ? `\nserved by the host in ${Number.isFinite(hit.inner.end) ? formatNs(hit.inner.end - hit.inner.start) : "(running)"}` : "";
    return `${hit.kind}: ${hit.name}\n${formatNs(hit.start)} + ${dur}${hit.detail ? ` · ${hit.detail}` : ""}${inner}${waitStates(hit)}\n${where}`;
  }
  return `${markerLabel(store, hit)}\nat ${formatNs(hit.t)}\n${hit.group.lane.name} · ${hit.group.name}`;
}

/** A wait's two parts: idle (nothing to do) until woken, then scheduled (ready, not yet running). */
function waitStates(s: Span): string {
  if (s.kind !== "wait") return "";
  if (s.woken === undefined) return Number.isFinite(s.end) ? "\nidle: nothing to run until an event arrives" : "\nidle: waiting for an event";
  const scheduled = Number.isFinite(s.end) ? formatNs(s.end - s.woken) : "still";
  return `\nidle ${formatNs(s.woken - s.start)}, then scheduled ${scheduled} (woken, waiting for its turn to run)`;
}

/** Below and right of the pointer (`x`, `y` in canvas pixels), kept inside a canvas `width` wide. */
export function tipPosition(x: number, y: number, width: number): { left: number; top: number } {
  return { left: Math.min(x + 12, width - 260), top: y + 14 };
}
