/**
 * Measures over time intervals (a start and an end on one clock): how many run at once and for how
 * long. Touching intervals (one ends where the next starts) do not overlap; an interval that has not
 * ended has end Infinity.
 */

export interface Interval {
  start: number;
  end: number;
}

/** Nanoseconds during which at least two of `intervals` run at once (0: they never overlapped). */
export function overlap(intervals: readonly Interval[]): number {
  return timeAtConcurrency(intervals, 2);
}

/** The most of `intervals` running at one instant. */
export function maxConcurrency(intervals: readonly Interval[]): number {
  let best = 0;
  let now = 0;
  for (const [, d] of edges(intervals)) best = Math.max(best, (now += d));
  return best;
}

/** Nanoseconds during which at least `n` of `intervals` run at once. */
export function timeAtConcurrency(intervals: readonly Interval[], n: number): number {
  let total = 0;
  let now = 0;
  let since = 0;
  for (const [t, d] of edges(intervals)) {
    if (now >= n) total += t - since;
    now += d;
    since = t;
  }
  return total;
}

/** Starts (+1) and ends (-1) in time order, ends first at a tie (touching is not overlapping). */
function edges(intervals: readonly Interval[]): Array<[number, number]> {
  return intervals
    .filter((i) => Number.isFinite(i.start))
    .flatMap((i): Array<[number, number]> => [
      [i.start, 1],
      [i.end, -1],
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
