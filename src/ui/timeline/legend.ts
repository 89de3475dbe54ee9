/** The legend's entries: what each mark on the canvas means, in the palette's colours. Pure. */
import type { TimelinePalette } from "./palette";

export interface LegendEntry {
  /** `bar` a filled box, `line` an arrow, `dashed` a dashed arrow, `mark` a small marker. */
  shape: "bar" | "line" | "dashed" | "mark";
  color: string;
  label: string;
  /** What it means, for the entry's tooltip. */
  title: string;
}

export function legendEntries(p: TimelinePalette): LegendEntry[] {
  return [
    { shape: "bar", color: p.spans.task, label: "busy", title: "A task running its code (the task's bar where no wait covers it)" },
    { shape: "bar", color: p.spans.wait, label: "idle", title: "A task waiting with nothing to do until an event arrives (waitable-set.wait)" },
    { shape: "bar", color: p.scheduled, label: "scheduled", title: "Woken (an event arrived, or it yielded) but not running yet: it waits for its turn" },
    { shape: "bar", color: p.spans.subtask, label: "subtask", title: "A call the task made (canon lower), until it resolved" },
    { shape: "bar", color: p.spans.host, label: "host call", title: "The host running an import for the task (a strip inside its subtask)" },
    { shape: "bar", color: p.spans.backpressure, label: "backpressure", title: "A writer waiting for its reader, or an instance refusing new tasks" },
    { shape: "line", color: p.arrow, label: "stream/future copy", title: "Elements copied from the writer's end to the reader's end (the count on the arrow)" },
    { shape: "dashed", color: p.callArrow, label: "call", title: "A subtask starting a task in the instance it calls" },
    { shape: "mark", color: p.markers["task.return"], label: "task.return", title: "The task handed back its result" },
    { shape: "mark", color: p.markers.yield, label: "yield", title: "The task let others run (thread.yield)" },
    { shape: "mark", color: p.markers.stream, label: "copy", title: "A stream or future read or write finished on this end" },
    { shape: "mark", color: p.markers.drop, label: "drop", title: "A stream or future end was dropped" },
  ];
}
