/**
 * `window.__timeline`, read by the e2e tests: the laid-out model (settled on demand), what the last
 * frame drew, the view, and where a task's row is drawn so a test can point at it.
 */
import { AXIS_H, LABEL_W, type DrawStats, type TimelineRenderer } from "./render";
import type { Filters } from "./rows";
import type { TraceSession } from "./session";
import type { TimelineStatus } from "./status";
import { summarize, type TimelineSummary } from "./summary";
import type { TimelineViewport } from "./viewport";

export type FrameStats = DrawStats & { frames: number };

export interface TimelineTestHook {
  spans(): Array<{ lane: string; instance: number; task: number; row: number; kind: string; name: string; start: number; end: number | null; detail?: string }>;
  transfers(): Array<{ kind: string; id: number; count: number; label: string; from: number; to: number; fromLane: string; toLane: string }>;
  /** Guest-to-guest calls: the caller's subtask (lane, id, start) and the task it started. */
  calls(): Array<{ fromLane: string; subtask: number; from: number; toLane: string; task: number; to: number }>;
  /** The lanes drawn (filters applied, empty lanes left out): label, instance path, tasks in it. */
  lanes(): Array<{ name: string; path: string; instance: number; tasks: number }>;
  stats(): FrameStats;
  view(): { start: number; end: number; follow: boolean; scrollY: number };
  summary(): TimelineSummary;
  status(): TimelineStatus;
  /** True when every stored event is laid out and drawn. */
  idle(): boolean;
  /** Where (canvas CSS pixels) time `t` of a task's row is drawn; `row` -1 is the bar. Null when scrolled or filtered away. */
  pointOf(t: number, instance: number, task: number, row: number): { x: number; y: number } | null;
}

declare global {
  interface Window {
    /** Read by e2e tests: the laid-out model and what the last frame drew. */
    __timeline?: TimelineTestHook;
  }
}

/** What the panel shares with the hook, read at each call (it changes every frame). */
export interface TimelinePanelState {
  session: TraceSession;
  view: TimelineViewport;
  renderer: TimelineRenderer;
  filters(): Filters;
  stats(): FrameStats;
  /** A frame is requested and not drawn yet. */
  framePending(): boolean;
  status(): TimelineStatus;
}

export function timelineTestHook(panel: TimelinePanelState): TimelineTestHook {
  const { session, view, renderer } = panel;
  return {
    spans: () => {
      session.settle();
      return session.layout.spans.map((s) => ({
        lane: s.group.lane.name,
        instance: s.group.lane.instance,
        task: s.group.task,
        row: s.row,
        kind: s.kind,
        name: s.name,
        start: s.start,
        end: Number.isFinite(s.end) ? s.end : null,
        ...(s.detail !== undefined ? { detail: s.detail } : {}),
      }));
    },
    transfers: () => {
      session.settle();
      return session.layout.transfers.map((t) => ({ kind: t.kind, id: t.id, count: t.count, label: t.label, from: t.from.t, to: t.to.t, fromLane: t.from.group.lane.name, toLane: t.to.group.lane.name }));
    },
    calls: () => {
      session.settle();
      return session.layout.calls.map((c) => ({ fromLane: c.subtask.group.lane.name, subtask: c.subtask.id, from: c.subtask.start, toLane: c.task.lane.name, task: c.task.task, to: c.task.bar?.start ?? c.subtask.start }));
    },
    lanes: () => {
      session.settle();
      return renderer
        .rows(session.layout, panel.filters())
        .rows.flatMap((r) => (r.kind === "lane" ? [{ name: r.lane.name, path: r.lane.path, instance: r.lane.instance, tasks: r.lane.groups.filter((g) => g.task !== 0).length }] : []));
    },
    stats: () => ({ ...panel.stats() }),
    view: () => view.range(),
    summary: () => {
      session.settle();
      return summarize(session.layout);
    },
    status: panel.status,
    idle: () => session.layout.done && session.loading === null && !panel.framePending(),
    pointOf: (t, instance, task, row) => {
      if (!view.scale) return null;
      const r = renderer
        .rows(session.layout, panel.filters())
        .rows.find((r) => r.kind !== "lane" && r.lane.instance === instance && r.group.task === task && (row < 0 ? r.kind === "bar" : r.kind === "track" && r.index === row));
      if (!r) return null;
      const y = AXIS_H + r.y - view.scrollY + r.h / 2;
      return y < AXIS_H || y > view.height ? null : { x: LABEL_W + view.scale.nsToPx(t), y };
    },
  };
}
