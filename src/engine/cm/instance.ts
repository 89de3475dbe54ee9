/**
 * Runtime state of component instances and the store that schedules them
 * (CanonicalABI.md, "Runtime State": Component Instance State, Table State; "Embedding API": Store).
 *
 * There are no fibers here: callback-lifted tasks are resumed by the store when what they wait for
 * is ready. The store runs ready waiters from a microtask, never from a timer, so a wait that is
 * satisfied costs one microtask hop.
 */
import { assert, Trap } from "../../base/assert";
import type { TraceSink } from "./trace";
import { ResourceType } from "./types";

/** `Table` from the spec: index 0 is never used, freed slots are reused. */
export class Table<T> {
  static readonly MAX_LENGTH = 2 ** 28 - 1;
  readonly array: Array<T | undefined> = [undefined];
  readonly free: number[] = [];

  constructor(private readonly owner: { trap(rule: string): never }) {}

  get(i: number): T {
    const e = i >= 0 && i < this.array.length ? this.array[i] : undefined;
    if (e === undefined) this.owner.trap(`handle index ${i} is not in the instance's table`);
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
  #onFailure: Array<(err: unknown) => void> = [];
  #nextTaskId = 1;
  #nextInstanceId = 1;
  #nextStreamId = 1;

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
  }

  /** A trap (or our bug) inside a resumed task ends the whole run. */
  fail(err: unknown): void {
    if (this.#failed !== undefined) return;
    this.#failed = err;
    this.#waiting = [];
    this.#yielded = [];
    for (const f of this.#onFailure) f(err);
  }

  get failed(): unknown {
    return this.#failed;
  }

  onFailure(f: (err: unknown) => void): void {
    this.#onFailure.push(f);
  }

  get waitingCount(): number {
    return this.#waiting.length + this.#yielded.length;
  }
}

/** `ComponentInstance`: the state the Canonical ABI keeps per component instance. */
export class ComponentInstance {
  readonly id: number;
  readonly handles: Table<unknown>;
  mayLeave = true;
  backpressure = 0;
  /** The callback-lifted or sync task currently running in this instance, if any. */
  exclusive: object | null = null;
  numWaitingToEnter = 0;
  /**
   * The task whose core stack is executing in this instance right now (set on entry and on
   * resumption, cleared when the stack finishes or suspends), so built-ins know their task.
   */
  active: { readonly id: number } | null = null;
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
    store.trace?.instance(this.id, name, parent?.id);
  }

  trap(rule: string): never {
    throw new Trap({ component: this.name }, rule);
  }

  isReflexiveAncestorOf(other: ComponentInstance | null): boolean {
    for (let o = other; o; o = o.parent) if (o === this) return true;
    return false;
  }
}
