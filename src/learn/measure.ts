/** Small measures the checks share: calls and tasks by name (how many run at once: base/intervals). */
import type { FactTask } from "./lesson";

/** The calls of `tasks` whose callee contains `name` (`wait-for`). */
export function callsNamed(tasks: readonly FactTask[], name: string): FactTask["calls"] {
  return tasks.flatMap((t) => t.calls.filter((c) => c.name.includes(name)));
}

/** The tasks running export `name` (a world function, or `iface#func`'s function). */
export function tasksNamed(tasks: readonly FactTask[], name: string): FactTask[] {
  return tasks.filter((t) => t.name === name || t.name.endsWith(`#${name}`));
}
