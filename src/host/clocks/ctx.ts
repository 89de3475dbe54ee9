/** Platform leaves of wasi:clocks: a real implementation over browser timers and a manual one for tests. */
import { msToNanos, type Nanos } from "../../base/time";

export interface ClocksCtx {
  /** Monotonic nanoseconds since an arbitrary origin. */
  monotonicNow(): Nanos;
  /** Resolution of the monotonic clock in nanoseconds. */
  monotonicResolution(): bigint;
  /** Wall-clock time since the Unix epoch. */
  wallNow(): { seconds: bigint; nanoseconds: number };
  /** Resolves once `monotonicNow() >= deadline`. */
  sleepUntil(deadline: Nanos): Promise<void>;
}

/**
 * Browser clocks. `performance.now()` is coarsened by browsers (5 us in workers without cross-origin
 * isolation; 100 us elsewhere), which is what we report as the resolution.
 */
export function browserClocks(): ClocksCtx {
  const origin = performance.timeOrigin;
  const timers = new TimerQueue();
  return {
    monotonicNow: () => msToNanos(performance.now()),
    monotonicResolution: () => 100_000n,
    wallNow: () => {
      const ms = origin + performance.now();
      const seconds = Math.floor(ms / 1000);
      return { seconds: BigInt(seconds), nanoseconds: Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6)) };
    },
    sleepUntil(deadline) {
      const ms = Number(deadline) / 1e6;
      if (ms <= performance.now()) return Promise.resolve();
      return new Promise((resolve) => timers.add(ms, resolve));
    },
  };
}

/** A clock that only moves when told to: deterministic tests of everything that waits. */
export class ManualClocks implements ClocksCtx {
  #now = 0n;
  #sleepers: Array<{ deadline: bigint; resolve: () => void }> = [];
  wallEpochSeconds = 1_700_000_000n;

  monotonicNow(): Nanos {
    return this.#now as Nanos;
  }
  monotonicResolution(): bigint {
    return 1n;
  }
  wallNow() {
    return { seconds: this.wallEpochSeconds + this.#now / 1_000_000_000n, nanoseconds: Number(this.#now % 1_000_000_000n) };
  }
  sleepUntil(deadline: Nanos): Promise<void> {
    if (deadline <= this.#now) return Promise.resolve();
    return new Promise((resolve) => this.#sleepers.push({ deadline, resolve }));
  }
  get sleeping(): number {
    return this.#sleepers.length;
  }
  advance(ns: bigint): void {
    this.#now += ns;
    const due = this.#sleepers.filter((s) => s.deadline <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.deadline > this.#now);
    for (const s of due) s.resolve();
  }
}

/** The longest delay setTimeout keeps (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sleepers sorted by deadline behind one timer: a thousand concurrent waits cost one timer, and
 * every sleeper that is due wakes in the same turn (per-sleep timers would each pay the browser's
 * timer overhead and clamping).
 */
class TimerQueue {
  #sleepers: Array<{ at: number; wake: () => void }> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  add(at: number, wake: () => void): void {
    const list = this.#sleepers;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, { at, wake });
    this.#arm();
  }

  #arm(): void {
    const first = this.#sleepers[0];
    if (!first || (this.#timer !== undefined && this.#armedFor <= first.at)) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = first.at;
    // Timers may fire a little early, and a delay past MAX_TIMER_MS fires at once: #fire re-arms
    // until the deadline has really passed.
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(first.at - performance.now())));
    this.#timer = setTimeout(() => this.#fire(), delay);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let due = 0;
    while (due < this.#sleepers.length && this.#sleepers[due]!.at <= now) due++;
    for (const s of this.#sleepers.splice(0, due)) s.wake();
    this.#arm();
  }
}
