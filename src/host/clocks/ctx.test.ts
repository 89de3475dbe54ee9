import { describe, expect, it, vi } from "vitest";
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

  it("a deadline past the longest timer (sleep forever: wait-for u64 max) arms one timer, not one per millisecond", async () => {
    const clocks = browserClocks();
    const timers = vi.spyOn(globalThis, "setTimeout");
    try {
      void clocks.sleepUntil((clocks.monotonicNow() + 2n ** 64n - 1n) as Nanos);
      await new Promise((r) => setTimeout(r, 50));
      // The sleeper's timer and this test's: a timer re-armed each time it fires early would be dozens.
      expect(timers.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      timers.mockRestore();
    }
  });
});
