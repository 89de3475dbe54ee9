import { describe, expect, it } from "vitest";
import { msToNanos, type Nanos } from "../../base/time";
import { browserClocks } from "./ctx";

describe("browserClocks.sleepUntil", () => {
  it("wakes many concurrent sleepers, none before its deadline, earlier deadlines first", async () => {
    const clocks = browserClocks();
    const start = performance.now();
    const woke: Array<{ i: number; at: number; late: number }> = [];
    const waits = Array.from({ length: 300 }, (_, i) => {
      const due = start + 60 + (i % 30);
      return clocks.sleepUntil(msToNanos(due) as Nanos).then(() => woke.push({ i, at: due, late: performance.now() - due }));
    });
    await Promise.all(waits);
    expect(woke).toHaveLength(300);
    for (const w of woke) expect(w.late).toBeGreaterThanOrEqual(0);
    for (let k = 1; k < woke.length; k++) expect(woke[k]!.at).toBeGreaterThanOrEqual(woke[k - 1]!.at);
  });

  it("a deadline already past resolves at once", async () => {
    const clocks = browserClocks();
    await clocks.sleepUntil(msToNanos(performance.now() - 1) as Nanos);
  });
});
