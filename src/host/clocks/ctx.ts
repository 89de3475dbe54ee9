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
  return {
    monotonicNow: () => msToNanos(performance.now()),
    monotonicResolution: () => 100_000n,
    wallNow: () => {
      const ms = origin + performance.now();
      const seconds = Math.floor(ms / 1000);
      return { seconds: BigInt(seconds), nanoseconds: Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6)) };
    },
    sleepUntil(deadline) {
      const remainingMs = () => Number(deadline - msToNanos(performance.now())) / 1e6;
      if (remainingMs() <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        // Timers may fire a little early; re-arm until the deadline has really passed.
        const arm = () => {
          const left = remainingMs();
          if (left <= 0) resolve();
          else setTimeout(arm, Math.ceil(left));
        };
        arm();
      });
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
