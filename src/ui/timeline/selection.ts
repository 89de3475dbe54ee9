/**
 * Clicking the timeline selects a task: which subtask started it and what it waits on at the
 * clicked instant are highlighted, and a sentence says the same under the canvas.
 */
import { relatedTo } from "./hit";
import type { Marker, Span, TimelineLayout } from "./layout";
import { shortName } from "./render";
import { formatNs } from "./TimeScale";

export interface Selection {
  /** The task bar, or the span clicked when it is not part of a task's bar row. */
  selected: Span;
  /** Highlighted with it: its starter and what it waits on, or the bar of the clicked span's task. */
  related: Span[];
  text: string;
}

/** What clicking `hit` at time `t` (ns) selects; nothing for empty space or a marker. */
export function selectAt(layout: TimelineLayout, hit: Span | Marker | null, t: number): Selection | null {
  if (!hit || !("end" in hit)) return null;
  const task = hit.kind === "task" || hit.kind === "wait" ? (hit.group.bar ?? hit) : hit;
  const { starter, waitingOn } = relatedTo(layout, task, t);
  const related = task === hit || hit.kind === "wait" ? [...(starter ? [starter] : []), ...waitingOn] : hit.group.bar ? [hit.group.bar] : [];
  const g = task.group;
  const startedBy =
    g.startedBy === undefined ? "the host (an export call)" : starter ? `subtask ${starter.id} (${shortName(starter.name)}) in ${starter.group.lane.name} · ${starter.group.name}` : `subtask ${g.startedBy}`;
  const counts = new Map<string, number>();
  for (const s of waitingOn) counts.set(shortName(s.name), (counts.get(shortName(s.name)) ?? 0) + 1);
  const waits = [...counts].map(([n, c]) => (c > 1 ? `${c} × ${n}` : n)).join(", ") || "nothing";
  const text =
    task.kind === "task"
      ? `${g.name} (task ${g.task}) in ${g.lane.name}. Started by ${startedBy}. At ${formatNs(t)} it waits on: ${waits}.`
      : `${task.kind} ${task.name} in ${g.name} (task ${g.task}), ${formatNs(task.start)} + ${Number.isFinite(task.end) ? formatNs(task.end - task.start) : "running"}${task.detail ? `, ${task.detail}` : ""}.`;
  return { selected: task, related, text };
}
