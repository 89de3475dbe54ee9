/**
 * Runtime state of component instances and the store that schedules them
 * (CanonicalABI.md, "Runtime State": Component Instance State, Table State; "Embedding API": Store).
 *
 * There are no fibers here: callback-lifted tasks are resumed by the store when what they wait for
 * is ready. The store runs ready waiters from a microtask, never from a timer, so a wait that is
 * satisfied costs one microtask hop.
 */
import { assert } from "../../base/assert";
import { CmTrap, type TrapKind } from "./trap";
import type { TraceSink } from "./trace";
import { ResourceType } from "./types";

/** `Table` from the spec: index 0 is never used, freed slots are reused. */
export class Table<T> {
  static readonly MAX_LENGTH = 2 ** 28 - 1;
  readonly array: Array<T | undefined> = [undefined];
  readonly free: number[] = [];

  constructor(private readonly owner: { trap(rule: string, kind?: TrapKind | null, handle?: number): never }) {}

  get(i: number): T {
    const e = i >= 0 && i < this.array.length ? this.array[i] : undefined;
    if (e === undefined) this.owner.trap(`handle index ${i} is not in the instance's table`, "unknown-handle", i);
    return e;
  }

  add(e: T): number {
    const free = this.free.pop();
    if (free !== undefined) {
      assert(this.array[free] === undefined, "free table slot in use");
      this.array[free] = e;
      return free;
    }
    const i = this.array.length;
    if (i > Table.MAX_LENGTH) this.owner.trap("the instance's handle table is full");
    this.array.push(e);
    return i;
  }

  remove(i: number): T {
    const e = this.get(i);
    this.array[i] = undefined;
    this.free.push(i);
    return e;
  }
}

/** Something blocked until `ready()`; the store calls `resume()` once it is. */
export interface Waiter {
  ready(): boolean;
  resume(): void;
  /**
   * A task that yielded (callback YIELD, `thread.yield`): it is ready at once, but resuming it
   * before the host gets a turn would let a guest polling in a loop starve the host events it polls
   * for, so the store resumes it only after the host's event loop ran (one macrotask).
   */
  readonly yielding?: boolean;
  /** For a deadlock's message: the component, and who waits on what (`'f' waits on waitable set 2 ...`). */
  describe?(): readonly [component: string, waits: string];
}

/** Runs `f` after the host's pending events (a macrotask; no timer clamping). */
function afterHostTurn(f: () => void): void {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    g.setImmediate(f);
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    f();
  };
  channel.port2.postMessage(null);
}

/**
 * Owns scheduling for every instance of one run. Waiters are kept in arrival order and resumed
 * first-ready-first, one per pass, so no task starves another; tasks that yielded rejoin them after
 * the host's next event-loop turn, so no guest starves the host.
 */
const RESOLVED = Promise.resolve();

export class Store {
  #waiting: Waiter[] = [];
  #yielded: Waiter[] = [];
  #hostTurnPending = false;
  #scheduled = false;
  #failed: unknown = undefined;
  #onFailure = new Set<(err: unknown) => void>();
  #nextTaskId = 1;
  #nextInstanceId = 1;
  #nextStreamId = 1;
  /** Host work in flight that may still wake a waiter (see `hold`). */
  #hostHolds = 0;
  #deadlockCheckPending = false;

  /** Host resource types by host interface object and resource name (`hostResourceType`). */
  readonly #hostResources = new WeakMap<object, Map<string, ResourceType>>();

  constructor(
    readonly trace: TraceSink | null = null,
    /** Whether blocking built-ins may suspend core stacks through JSPI (WebAssembly.Suspending/promising). */
    readonly jspi = false,
  ) {}

  /**
   * The resource type `name` of a host interface: one per interface object in this store, so
   * instances linked at run time that import the same host interface pass its resources between
   * them, as they would if composed around one import.
   */
  hostResourceType(impl: object, name: string, hostClass: ResourceType["hostClass"]): ResourceType {
    let byName = this.#hostResources.get(impl);
    if (!byName) this.#hostResources.set(impl, (byName = new Map()));
    let rt = byName.get(name);
    if (!rt) byName.set(name, (rt = new ResourceType(name, null, null, hostClass)));
    return rt;
  }

  taskId(): number {
    return this.#nextTaskId++;
  }
  instanceId(): number {
    return this.#nextInstanceId++;
  }
  streamId(): number {
    return this.#nextStreamId++;
  }

  wait(w: Waiter): void {
    if (w.yielding) {
      this.#yielded.push(w);
      this.#afterHostTurn();
      return;
    }
    this.#waiting.push(w);
    this.schedule();
  }

  #afterHostTurn(): void {
    if (this.#hostTurnPending) return;
    this.#hostTurnPending = true;
    afterHostTurn(() => {
      this.#hostTurnPending = false;
      this.#waiting.push(...this.#yielded);
      this.#yielded = [];
      this.schedule();
    });
  }

  /**
   * Marks host work in flight that may wake a waiter later (a host call that has not returned, a
   * host stream being pulled, a host Promise read as a future, a guest stream the host reads):
   * while any is held, waiters with nothing ready are not a deadlock. Returns its release.
   */
  hold(): () => void {
    this.#hostHolds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#hostHolds--;
      this.schedule();
    };
  }

  /** Removes a waiter that will no longer be resumed by the store (e.g. cancelled). */
  unwait(w: Waiter): void {
    for (const list of [this.#waiting, this.#yielded]) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** Something changed (an event, a release of exclusivity): look for ready waiters soon. */
  schedule(): void {
    if (this.#scheduled || this.#failed !== undefined) return;
    this.#scheduled = true;
    // A resolved promise's `then` is a microtask too, and cheaper than queueMicrotask in
    // Chromium (microseconds per call there; once per event of a 1000-wait fan-out).
    void RESOLVED.then(this.#tickBound);
  }

  readonly #tickBound = (): void => this.#tick();

  /**
   * Called before each round of resumptions. The run uses it to post the output the host has
   * gathered: a guest resumed by microtasks alone may never give the event loop (and so the
   * output batch's timer) a turn again, e.g. when it prints and then loops forever.
   */
  beforeResume: (() => void) | null = null;

  #tick(): void {
    this.#scheduled = false;
    this.beforeResume?.();
    // Resume every waiter that is ready now, in order; one resumption may make others unready
    // (e.g. it takes an instance's exclusivity), so readiness is re-checked just before each.
    let progressed = true;
    while (progressed && this.#failed === undefined) {
      progressed = false;
      for (let i = 0; i < this.#waiting.length; i++) {
        const w = this.#waiting[i]!;
        if (!w.ready()) continue;
        this.#waiting.splice(i, 1);
        i--;
        progressed = true;
        try {
          w.resume();
        } catch (err) {
          this.fail(err);
          return;
        }
      }
    }
    if (this.#stalled() && !this.#deadlockCheckPending) {
      // Resumed stacks (JSPI) and host reactions run as microtasks: look again once they all have.
      this.#deadlockCheckPending = true;
      afterHostTurn(() => {
        this.#deadlockCheckPending = false;
        if (this.#stalled() && !this.#waiting.some((w) => w.ready())) this.#deadlock();
        else this.schedule();
      });
    }
  }

  /** Tasks wait, none can go on now, and nothing of the host's is in flight that could wake one. */
  #stalled(): boolean {
    return this.#failed === undefined && !this.#scheduled && this.#waiting.length > 0 && this.#yielded.length === 0 && this.#hostHolds === 0;
  }

  /**
   * CanonicalABI.md: when the embedder's event loop has nothing left to do while tasks wait, the
   * run traps (Wasmtime: "deadlock detected") instead of hanging; the trap says who waits on what.
   */
  #deadlock(): void {
    const waits = this.#waiting.map((w) => w.describe?.() ?? (["?", "a task waits"] as const));
    const rule =
      `deadlock: every task waits and nothing can wake one (no task is ready, no host call or stream is pending): ` +
      waits.map(([c, w]) => `in '${c}', ${w}`).join("; ") +
      `. Make sure what each task waits for is written, returned or released by a task that can still run.`;
    this.fail(new CmTrap({ component: waits[0]![0] }, rule, "deadlock"));
  }

  /** A trap (or our bug) inside a resumed task ends the whole run. */
  fail(err: unknown): void {
    if (this.#failed !== undefined) return;
    this.#failed = err;
    this.#waiting = [];
    this.#yielded = [];
    const listeners = [...this.#onFailure];
    this.#onFailure.clear();
    for (const f of listeners) f(err);
  }

  get failed(): unknown {
    return this.#failed;
  }

  /**
   * Calls `f` once if the run fails. Returns the undo: whoever waits for one call or one copy
   * removes its listener when that settles, so a long-running server does not collect one per request.
   */
  onFailure(f: (err: unknown) => void): () => void {
    // A fresh wrapper, so the same function added twice is two listeners, each with its own undo.
    const once = (err: unknown) => f(err);
    this.#onFailure.add(once);
    return () => void this.#onFailure.delete(once);
  }

  /** How many failure listeners are registered (what a leak would grow). */
  get failureListeners(): number {
    return this.#onFailure.size;
  }

  get waitingCount(): number {
    return this.#waiting.length + this.#yielded.length;
  }
}

/** `ComponentInstance`: the state the Canonical ABI keeps per component instance. */
export class ComponentInstance {
  readonly id: number;
  readonly handles: Table<unknown>;
  /** Its threads by index (spec: `threads`): those `thread.new-indirect` made, and implicit ones `thread.index` numbered. */
  readonly threads: Table<object>;
  mayLeave = true;
  backpressure = 0;
  /** The callback-lifted or sync task currently running in this instance, if any (a callback-lifted task that returned lets go of it while blocked in a synchronous built-in: canon.ts `block`). */
  exclusive: object | null = null;
  numWaitingToEnter = 0;
  /**
   * The thread whose core stack is executing in this instance right now (set on entry and on
   * resumption, cleared when the stack finishes or suspends; set ahead for a thread switched to,
   * so nothing else enters before it runs), so built-ins know their thread and task.
   */
  active: { readonly task: { readonly id: number } } | null = null;
  /** Core code is entered through `WebAssembly.promising`: some import of it may suspend. */
  jspiEntries = false;

  constructor(
    readonly store: Store,
    /** Component name for messages and traces: a path from the root, e.g. "hello.wasm" or "app.wasm/router/inner". */
    readonly name: string,
    readonly parent: ComponentInstance | null = null,
  ) {
    this.id = store.instanceId();
    this.handles = new Table(this);
    this.threads = new Table(this);
    store.trace?.instance(this.id, name, parent?.id);
  }

  /** Traps for a rule the guest broke; `kind` says which (see trap.ts), `handle` the handle index it concerns. */
  trap(rule: string, kind: TrapKind | null = null, handle?: number): never {
    throw new CmTrap({ component: this.name }, rule, kind, handle);
  }

  isReflexiveAncestorOf(other: ComponentInstance | null): boolean {
    for (let o = other; o; o = o.parent) if (o === this) return true;
    return false;
  }
}
