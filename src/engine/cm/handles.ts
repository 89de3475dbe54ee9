/**
 * What lives in an instance's handle table (CanonicalABI.md, "Runtime State": Resource State,
 * Waitable State; "canon error-context.*"): resource handles, waitables, waitable sets, error contexts.
 */
import { assert } from "../../base/assert";
import type { ResourceType } from "./types";

/** Where borrows are accounted: a task (lowered borrows) or a subtask (lent own handles). */
export type BorrowScope = { kind: "task"; numBorrows: number; addLender(h: ResourceHandle): void } | { kind: "subtask"; addLender(h: ResourceHandle): void };

export class ResourceHandle {
  numLends = 0;
  constructor(
    readonly rt: ResourceType,
    /** The guest's i32 rep, or the host object for host-defined resources. */
    readonly rep: unknown,
    readonly own: boolean,
    readonly borrowScope: { numBorrows: number } | null = null,
  ) {}
}

export class ErrorContext {
  constructor(readonly debugMessage: string) {}
}

export const enum EventCode {
  NONE = 0,
  SUBTASK = 1,
  STREAM_READ = 2,
  STREAM_WRITE = 3,
  FUTURE_READ = 4,
  FUTURE_WRITE = 5,
  TASK_CANCELLED = 6,
}

export type EventTuple = [code: EventCode, p1: number, p2: number];

/** `Waitable`: at most one pending event, delivered through the set it joined. */
export class Waitable {
  #pending: (() => EventTuple) | null = null;
  wset: WaitableSet | null = null;
  /** A thread waits on it alone (a synchronous copy, cancel or `subtask.cancel`): it may not join a set meanwhile. */
  syncWaiter = false;

  setPendingEvent(f: () => EventTuple): void {
    const had = this.#pending !== null;
    this.#pending = f;
    if (!had) this.wset?.notify(this);
  }

  hasPendingEvent(): boolean {
    return this.#pending !== null;
  }

  getPendingEvent(): EventTuple {
    const f = this.#pending;
    assert(f, "no pending event");
    this.#pending = null;
    return f();
  }

  join(wset: WaitableSet | null): void {
    this.wset?.elems.delete(this);
    this.wset = wset;
    if (wset) {
      wset.elems.add(this);
      if (this.#pending) wset.notify(this);
    }
  }

  dropWaitable(): void {
    this.join(null);
  }
}

/**
 * `WaitableSet`. Besides its members it keeps the members that got an event, in arrival order,
 * so finding a pending event is O(1) however many waitables joined (fan-out of thousands).
 */
export class WaitableSet {
  readonly elems = new Set<Waitable>();
  #ready: Waitable[] = [];
  #readyHead = 0;
  numWaiting = 0;
  /** Called when a member gets an event: the store should look at this set's waiter. */
  onEvent: (() => void) | null = null;
  /** Set while a traced task waits on this set: records that it was woken (once). */
  onWake: (() => void) | null = null;

  notify(w: Waitable): void {
    this.#ready.push(w);
    this.onEvent?.();
    if (this.onWake) {
      this.onWake();
      this.onWake = null;
    }
  }

  #skipStale(): void {
    while (this.#readyHead < this.#ready.length) {
      const w = this.#ready[this.#readyHead]!;
      if (w.wset === this && w.hasPendingEvent()) return;
      this.#readyHead++;
    }
    this.#ready = [];
    this.#readyHead = 0;
  }

  hasPendingEvent(): boolean {
    this.#skipStale();
    return this.#readyHead < this.#ready.length;
  }

  getPendingEvent(): EventTuple {
    this.#skipStale();
    const w = this.#ready[this.#readyHead++];
    assert(w, "no pending event in the waitable set");
    return w.getPendingEvent();
  }
}
