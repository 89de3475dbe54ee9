/**
 * Threads, tasks and subtasks (CanonicalABI.md, "Runtime State": Thread State, Task State,
 * Subtask State). A `Task` is one call into a component export; it runs on its implicit `Thread`
 * and on any thread `thread.new-indirect` starts for it; a `Subtask` is the caller's handle on a
 * call it made.
 */
import { assert } from "../../base/assert";
import type { CanonOptions } from "./abi";
import { EventCode, type ResourceHandle, Waitable } from "./handles";
import type { ComponentInstance, Waiter } from "./instance";
import type { FuncType } from "./types";

export type OnStart = () => unknown[];
/** `null` means the call was cancelled before it returned. */
export type OnResolve = (result: unknown[] | null) => void;

/** What a caller holds on a call it made (spec: `Call`). */
export interface Call {
  requestCancellation(): void;
}

/**
 * A component-level function: the callee side of any call (spec: `FuncInst`). `subtask` is the
 * caller's subtask id when a guest calls (not in the spec: the trace links the callee's task to it).
 */
export type FuncInst = (caller: Task | null, onStart: OnStart, onResolve: OnResolve, subtask?: number) => Call;

export type TaskState = "initial" | "pending-cancel" | "cancel-delivered" | "resolved";

/** A waiter that cancellation may wake (the task's current cancellable wait). */
export interface CancellableWaiter extends Waiter {
  cancel(): void;
}

/**
 * `Thread`: one core stack of a task. engine/cm runs each on a stack of its own through JSPI
 * (`WebAssembly.promising`); a suspended thread's stack waits for the Promise its blocking built-in
 * returned, and `resume` settles it (or, for a thread not started yet, starts its stack).
 */
export class Thread {
  /** Its index in the instance's `threads` table: at once for a new thread, on first `thread.index` for an implicit one. */
  index: number | null = null;
  /** Context-local storage (`context.get/set`), slots 0 and 1. */
  readonly storage: [number, number] = [0, 0];
  /** Its core code runs under `WebAssembly.promising` and that call has not settled yet. */
  onStack = false;
  /** Its core stack is suspended by JSPI in a blocking built-in. */
  suspended = false;
  /** Its stack is suspended in a blocking built-in (`block`) and no event has woken it yet. */
  blocked = false;
  /**
   * Set while it is suspended in the spec's sense (`Thread.suspended()`: not running and not
   * waiting for anything): made by `thread.new-indirect` or suspended by `thread.suspend` or a
   * switch. Runs it; `cancelled` is what its built-in returns.
   */
  resume: ((cancelled: boolean) => void) | null = null;
  /** Its `resume` is queued in the store (`Thread.resume_later`, or a yield to another thread). */
  resumingLater = false;
  /** What it waits for in the store (spec `Thread.waiting()`: a blocking built-in, or its turn after `resume_later`). */
  waiter: Waiter | null = null;
  exited = false;

  constructor(readonly task: Task) {}

  /** Spec `Thread.suspended()`: another thread may switch to it or resume it later. */
  isSuspended(): boolean {
    return this.resume !== null && !this.resumingLater;
  }

  /** Spec `Thread.resume_later`: the store resumes it once no stack of its instance runs. */
  resumeLater(yielding = false): void {
    assert(this.isSuspended(), "resume_later of a thread that is not suspended");
    this.resumingLater = true;
    const inst = this.task.inst;
    const waiter: Waiter = {
      yielding,
      describe: () => [inst.name, `thread ${this.index ?? "?"} of '${this.task.name}' waits to be resumed`],
      ready: () => inst.active === null,
      resume: () => {
        this.waiter = null;
        this.resumingLater = false;
        this.resume!(false);
      },
    };
    this.waiter = waiter;
    inst.store.wait(waiter);
  }
}

export class Task implements Call {
  readonly kind = "task" as const;
  state: TaskState = "initial";
  numBorrows = 0;
  readonly id: number;
  /** Set while the task waits to enter its instance (backpressure), or waits cancellably. */
  waitingToEnter: CancellableWaiter | null = null;
  cancellableWait: CancellableWaiter | null = null;
  exited = false;
  /** A core start function's task: it runs outside `WebAssembly.promising`, so nothing may suspend it. */
  startFunction = false;
  /** The thread its export runs on (callbacks too). */
  readonly thread: Thread = new Thread(this);
  /** Its threads that have not finished: the implicit one and those `thread.new-indirect` made. */
  readonly threads: Thread[] = [this.thread];

  constructor(
    readonly opts: CanonOptions,
    readonly inst: ComponentInstance,
    readonly ft: FuncType,
    readonly supertask: Task | null,
    readonly onResolve: OnResolve,
    /** Export name for messages and traces. */
    readonly name: string,
  ) {
    this.id = inst.store.taskId();
  }

  needsExclusive(): boolean {
    return !this.opts.async || this.opts.callback !== null;
  }

  /**
   * Its core stack runs, or was woken and is about to (JSPI): the spec would still be running it
   * on the caller's stack, so a canceller waits until it blocks or finishes.
   */
  busy(): boolean {
    return this.threads.some((t) => t.onStack && !t.blocked);
  }

  /** Spec `Task.register_thread`, for a thread `thread.new-indirect` made. */
  registerThread(thread: Thread): void {
    assert(thread.task === this && !this.threads.includes(thread), "thread registered twice");
    this.threads.push(thread);
    thread.index = this.inst.threads.add(thread);
  }

  /**
   * Spec `Task.unregister_thread`: a thread finished. When it was the task's last, the task must
   * have returned (or been cancelled).
   */
  unregisterThread(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    assert(i >= 0 && !thread.exited, "unregistering a thread that is not the task's");
    thread.exited = true;
    this.threads.splice(i, 1);
    if (thread.index !== null) this.inst.threads.remove(thread.index);
    if (this.threads.length === 0 && this.state !== "resolved") {
      this.inst.trap(`'${this.name}' finished (its last thread returned) without calling task.return: call task.return (or task.cancel once cancelled) before the export's core function returns`);
    }
  }

  mayBlock(): boolean {
    return this.ft.async || this.state === "resolved";
  }

  addLender(_h: ResourceHandle): void {
    assert(false, "a task does not take lenders");
  }

  requestCancellation(): void {
    const w = this.waitingToEnter;
    if (w) {
      this.state = "cancel-delivered";
      w.cancel();
      return;
    }
    if (this.state !== "initial") return;
    const inst = this.inst;
    if (!this.needsExclusive() || !inst.exclusive || inst.exclusive === this) {
      const cw = this.cancellableWait;
      if (cw) {
        this.state = "cancel-delivered";
        cw.cancel();
        return;
      }
    }
    this.state = "pending-cancel";
    this.inst.store.schedule();
  }

  deliverPendingCancel(cancellable: boolean): boolean {
    if (cancellable && this.state === "pending-cancel") {
      this.state = "cancel-delivered";
      return true;
    }
    return false;
  }

  return(result: unknown[]): void {
    if (this.state === "resolved") this.inst.trap(`task.return was called twice (or after cancellation) in '${this.name}'`);
    if (this.numBorrows > 0) this.inst.trap(`'${this.name}' returned while still holding ${this.numBorrows} borrowed handle(s)`, "borrows-outstanding");
    this.state = "resolved";
    this.inst.store.trace?.taskReturn(this.inst.id, this.id, this.name);
    this.onResolve(result);
  }

  cancel(): void {
    if (this.state !== "cancel-delivered") this.inst.trap(`task.cancel was called in '${this.name}' although no cancellation was delivered`);
    if (this.numBorrows > 0) this.inst.trap(`'${this.name}' cancelled while still holding borrowed handles`, "borrows-outstanding");
    this.state = "resolved";
    this.inst.store.trace?.taskCancel(this.inst.id, this.id, this.name);
    this.onResolve(null);
  }

  /** The task's code finished: it must have returned (or been cancelled). */
  exit(): void {
    assert(!this.exited, "task exited twice");
    this.exited = true;
    this.unregisterThread(this.thread);
    if (this.ft.async && this.needsExclusive() && this.inst.exclusive === this) this.inst.exclusive = null;
    this.inst.store.trace?.taskEnd(this.inst.id, this.id, this.name);
    this.inst.store.schedule();
  }
}

export const enum SubtaskState {
  STARTING = 0,
  STARTED = 1,
  RETURNED = 2,
  CANCELLED_BEFORE_STARTED = 3,
  CANCELLED_BEFORE_RETURNED = 4,
}

export class Subtask extends Waitable {
  readonly kind = "subtask" as const;
  state: SubtaskState = SubtaskState.STARTING;
  callee: Call | null = null;
  lenders: ResourceHandle[] | null = [];
  cancellationRequested = false;
  /** Trace id, unique in the run. */
  readonly id: number;

  constructor(inst: ComponentInstance) {
    super();
    this.id = inst.store.taskId();
  }

  resolved(): boolean {
    return this.state >= SubtaskState.RETURNED;
  }

  addLender(h: ResourceHandle): void {
    assert(this.lenders !== null && !this.resolved(), "lending after resolve");
    h.numLends++;
    this.lenders.push(h);
  }

  deliverResolve(): void {
    assert(this.lenders !== null && this.resolved(), "resolve delivered twice");
    for (const h of this.lenders) h.numLends--;
    this.lenders = null;
  }

  resolveDelivered(): boolean {
    return this.lenders === null;
  }

  drop(inst: ComponentInstance): void {
    if (!this.resolveDelivered()) inst.trap("a subtask was dropped before its resolution was delivered", "drop-unresolved-subtask");
    this.dropWaitable();
  }

  subtaskEvent(index: number): [EventCode, number, number] {
    if (this.resolved() && !this.resolveDelivered()) this.deliverResolve();
    return [EventCode.SUBTASK, index, this.state];
  }
}
