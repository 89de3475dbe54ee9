import { describe, expect, it } from "vitest";
import { nanos } from "../../base/time";
import { FIT_PAD_PX, formatNs, MIN_SPAN_NS, tickLabel, ticks, TimeScale } from "./TimeScale";

const ms = (n: number) => nanos(BigInt(n) * 1_000_000n);

describe("TimeScale", () => {
  it("maps times to pixels and back", () => {
    const s = new TimeScale(ms(10), ms(100), 1000);
    expect(s.timeToPx(ms(10))).toBe(0);
    expect(s.timeToPx(ms(110))).toBe(1000);
    expect(s.timeToPx(ms(60))).toBe(500);
    expect(s.pxToTime(250)).toBe(ms(35));
    expect(s.nsToPx(60e6)).toBe(500);
    expect(s.end).toBe(ms(110));
  });

  it("zooming keeps the instant under the cursor in place", () => {
    const s = new TimeScale(ms(0), ms(100), 1000);
    const z = s.zoom(4, 300);
    expect(z.span).toBe(ms(25));
    expect(z.pxToTime(300)).toBe(s.pxToTime(300));
    const back = z.zoom(0.25, 300);
    expect(back.start).toBe(s.start);
    expect(back.span).toBe(s.span);
  });

  it("zoom stops at 100 ns across the window", () => {
    let s = new TimeScale(ms(0), ms(1), 500);
    for (let i = 0; i < 50; i++) s = s.zoom(10, 100);
    expect(s.span).toBe(MIN_SPAN_NS);
    expect(Number.isFinite(s.nsPerPx)).toBe(true);
  });

  it("pans by pixels", () => {
    const s = new TimeScale(ms(0), ms(100), 1000).pan(100);
    expect(s.start).toBe(ms(10));
    expect(s.pan(-200).start).toBe(ms(-10));
  });

  it("fit draws the range's ends exactly `padPx` inside the edges; endingAt follows the newest time", () => {
    const s = TimeScale.fit(ms(100), ms(200), 1000, 100);
    expect(s.start).toBe(nanos(87_500_000n));
    expect(s.end).toBe(nanos(212_500_000n));
    for (const width of [300, 1000, 1777]) {
      const f = TimeScale.fit(nanos(59_700_123n), nanos(63_000_000n), width);
      expect(f.timeToPx(nanos(59_700_123n))).toBeCloseTo(FIT_PAD_PX, 1);
      expect(f.timeToPx(nanos(63_000_000n))).toBeCloseTo(width - FIT_PAD_PX, 1);
    }
    expect(s.endingAt(ms(500)).end).toBe(ms(500));
    expect(s.endingAt(ms(500)).span).toBe(s.span);
  });

  it("keeps exact nanoseconds beyond 2^53 ns in bigint math", () => {
    const big = nanos(2n ** 60n);
    const s = new TimeScale(big, nanos(1000n), 1000);
    expect(s.pxToTime(1)).toBe(nanos(big + 1n));
    expect(s.timeToPx(nanos(big + 500n))).toBe(500);
  });

  it("withWidth keeps time per pixel", () => {
    const s = new TimeScale(ms(0), ms(100), 1000).withWidth(500);
    expect(s.span).toBe(ms(50));
    expect(s.nsPerPx).toBe(100_000);
  });
});

describe("ticks and labels", () => {
  it("picks a 1-2-5 step with room between labels", () => {
    const s = new TimeScale(ms(3), ms(100), 1000);
    const { step, times } = ticks(s, 80);
    expect(step).toBe(10_000_000n);
    expect(times[0]).toBe(ms(10));
    expect(times[times.length - 1]).toBe(ms(100));
    expect(ticks(new TimeScale(ms(0), ms(100), 1000), 150).step).toBe(20_000_000n);
  });

  it("labels every tick apart at every zoom, down to the narrowest window", () => {
    // Deep zoom at 59.7 ms: formatNs's 3 digits would read "59.7 ms" for every tick.
    for (const span of [MIN_SPAN_NS, 1_000n, 10_000n, 1_000_000n, 100_000_000n, 10_000_000_000n]) {
      const scale = new TimeScale(nanos(59_700_000n), nanos(span), 1000);
      const { step, times } = ticks(scale, 90);
      const labels = times.map((t) => tickLabel(t, step));
      expect(labels.length).toBeGreaterThan(1);
      expect(new Set(labels).size, `${span} ns window: ${labels.join(", ")}`).toBe(labels.length);
    }
    expect(tickLabel(59_700_100n, 100n)).toBe("59.7001 ms");
    expect(tickLabel(59_700_010n, 10n)).toBe("59.70001 ms");
    expect(tickLabel(59_600_000n, 200_000n)).toBe("59.6 ms");
    expect(tickLabel(60_000_000n, 10_000_000n)).toBe("60 ms");
    expect(tickLabel(1_500_000_000n, 500_000_000n)).toBe("1.5 s");
    expect(tickLabel(0n, 1_000_000n)).toBe("0 ms");
    expect(tickLabel(700n, 100n)).toBe("700 ns");
  });

  it("formats durations in the largest fitting unit", () => {
    expect(formatNs(1_500_000n)).toBe("1.5 ms");
    expect(formatNs(999)).toBe("999 ns");
    expect(formatNs(12_345_678_901n)).toBe("12.3 s");
    expect(formatNs(0)).toBe("0 ns");
    expect(formatNs(2500)).toBe("2.5 µs");
  });
});
