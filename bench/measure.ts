/** What every benchmark group times with: a run's wall time, and the median of its samples. */
export type Time = (f: () => Promise<unknown>) => Promise<number>;

export const time: Time = async (f) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
