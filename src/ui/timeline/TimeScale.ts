/**
 * The timeline's time <-> pixel mapping, Perfetto-style: a visible window over bigint nanoseconds
 * mapped onto a pixel range. Immutable; pan and zoom return new scales.
 *
 * `timeToPx`/`pxToTime` work in exact `Nanos`. The renderer's inner loops use `nsToPx` over
 * numbers (trace times are integral doubles, exact below 2^53 ns, about 104 days).
 */
import { nanos, type Nanos } from "../../base/time";

/** Narrowest window: 100 ns across the whole width. */
export const MIN_SPAN_NS = 100n;
/** Pixels left free on each side of a fitted window. */
export const FIT_PAD_PX = 10;
/** Widest window: one day. */
export const MAX_SPAN_NS = 86_400_000_000_000n;

export class TimeScale {
  /** Nanoseconds per pixel, as a number for the hot path. */
  readonly nsPerPx: number;

  /**
   * @param start first visible instant
   * @param span visible duration (clamped to [MIN_SPAN_NS, MAX_SPAN_NS])
   * @param width pixels the window maps onto (x from 0 to width)
   */
  constructor(
    readonly start: Nanos,
    readonly span: Nanos,
    readonly width: number,
  ) {
    if (span < MIN_SPAN_NS) this.span = MIN_SPAN_NS as Nanos;
    if (span > MAX_SPAN_NS) this.span = MAX_SPAN_NS as Nanos;
    this.width = Math.max(1, width);
    this.nsPerPx = Number(this.span) / this.width;
  }

  /**
   * A scale showing [start, end] with `padPx` pixels to spare on each side: `start` is drawn at
   * x = padPx and `end` at x = width - padPx, whatever the width (a mark at the end stays whole).
   */
  static fit(start: Nanos, end: Nanos, width: number, padPx = FIT_PAD_PX): TimeScale {
    const span = end > start ? end - start : MIN_SPAN_NS;
    const w = Math.max(1, width);
    const inner = Math.max(1, w - 2 * padPx);
    const pad = BigInt(Math.round((Number(span) * Math.min(padPx, (w - 1) / 2)) / inner));
    return new TimeScale(nanos(start - pad), nanos(span + 2n * pad), width);
  }

  get end(): Nanos {
    return nanos(this.start + this.span);
  }

  timeToPx(t: Nanos): number {
    return Number(t - this.start) / this.nsPerPx;
  }

  pxToTime(px: number): Nanos {
    return nanos(this.start + BigInt(Math.round(px * this.nsPerPx)));
  }

  /** `timeToPx` for a time held as a number of nanoseconds. */
  nsToPx(ns: number): number {
    return (ns - Number(this.start)) / this.nsPerPx;
  }

  /** Zooms by `factor` (> 1 zooms in) keeping the instant under `atPx` where it is. */
  zoom(factor: number, atPx: number): TimeScale {
    const pivot = this.pxToTime(atPx);
    const span = BigInt(Math.round(Number(this.span) / factor));
    const clamped = span < MIN_SPAN_NS ? MIN_SPAN_NS : span > MAX_SPAN_NS ? MAX_SPAN_NS : span;
    const start = pivot - BigInt(Math.round((atPx / this.width) * Number(clamped)));
    return new TimeScale(nanos(start), nanos(clamped), this.width);
  }

  /** Moves the window by `dxPx` pixels (positive shows later times). */
  pan(dxPx: number): TimeScale {
    return new TimeScale(nanos(this.start + BigInt(Math.round(dxPx * this.nsPerPx))), this.span, this.width);
  }

  /** The same window start and time per pixel over a new width. */
  withWidth(width: number): TimeScale {
    return new TimeScale(this.start, nanos(BigInt(Math.round(this.nsPerPx * Math.max(1, width)))), width);
  }

  /** The same span, ending at `end` (follow mode). */
  endingAt(end: Nanos): TimeScale {
    return new TimeScale(nanos(end - this.span), this.span, this.width);
  }
}

const UNITS: Array<[bigint, string]> = [
  [1_000_000_000n, "s"],
  [1_000_000n, "ms"],
  [1_000n, "µs"],
  [1n, "ns"],
];

/** A duration in the largest unit that keeps it >= 1, with `digits` significant digits. */
export function formatNs(ns: bigint | number, digits = 3): string {
  const v = typeof ns === "bigint" ? ns : BigInt(Math.round(ns));
  const abs = v < 0n ? -v : v;
  const [unit, label] = UNITS.find(([u]) => abs >= u) ?? UNITS[UNITS.length - 1]!;
  return `${Number((Number(v) / Number(unit)).toPrecision(digits))} ${label}`;
}

/**
 * A tick's label: `t` in the unit of its magnitude with as many decimals as the tick `step`
 * needs, so neighbouring ticks always read apart (59.7001 ms, 59.7002 ms at a 100 ns step).
 */
export function tickLabel(t: bigint, step: bigint): string {
  const abs = t < 0n ? -t : t;
  const magnitude = abs > step ? abs : step;
  const [unit, label] = UNITS.find(([u]) => magnitude >= u) ?? UNITS[UNITS.length - 1]!;
  let decimals = 0;
  for (let u = unit; u > step && u > 1n; u /= 10n) decimals++;
  const whole = abs / unit;
  const frac = abs % unit;
  const digits = decimals > 0 ? `.${(frac / (unit / 10n ** BigInt(decimals))).toString().padStart(decimals, "0")}` : "";
  return `${t < 0n ? "-" : ""}${whole}${digits} ${label}`;
}

/**
 * Axis ticks: a 1-2-5 step (in ns) giving at least `minPx` pixels between ticks, and the tick
 * times inside the window.
 */
export function ticks(scale: TimeScale, minPx = 80): { step: bigint; times: Nanos[] } {
  const wanted = scale.nsPerPx * minPx;
  let step = 1n;
  for (let mag = 1n; ; mag *= 10n) {
    const s = [mag, 2n * mag, 5n * mag].find((c) => Number(c) >= wanted);
    if (s !== undefined) {
      step = s;
      break;
    }
  }
  const times: Nanos[] = [];
  let t = (scale.start / step) * step;
  if (t < scale.start) t += step;
  for (; t <= scale.end; t += step) times.push(nanos(t));
  return { step, times };
}
