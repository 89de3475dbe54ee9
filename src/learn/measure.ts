/** Small measures the checks share: how many intervals run at once, calls by name. */
import type { FactInterval, FactTask } from "./lesson";

/** The most intervals open at one instant (touching ones do not overlap). */
export function peakConcurrency(intervals: readonly FactInterval[]): number {
  const edges = intervals.flatMap((i) => [
    { t: i.start, d: 1 },
    { t: i.end, d: -1 },
  ]);
  // Ends before starts at one instant: back-to-back waits are not concurrent.
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of edges) {
    open += e.d;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** The calls of `tasks` whose callee contains `name` (`wait-for`). */
export function callsNamed(tasks: readonly FactTask[], name: string): FactTask["calls"] {
  return tasks.flatMap((t) => t.calls.filter((c) => c.name.includes(name)));
}

/** The tasks running export `name` (a world function, or `iface#func`'s function). */
export function tasksNamed(tasks: readonly FactTask[], name: string): FactTask[] {
  return tasks.filter((t) => t.name === name || t.name.endsWith(`#${name}`));
}
