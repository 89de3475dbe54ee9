/**
 * The trace recorder: engines record each scheduling step through one method per event kind
 * (`taskStart`, `streamRead`, `backpressure`, ...; protocol/trace-events.ts); the runtime service
 * `take`s what was recorded and posts it to the UI in batches.
 *
 * Cost model. A disabled recorder's methods are one field check each. An enabled one writes a row into
 * preallocated struct-of-arrays ring buffers (typed arrays for numbers, plain arrays holding
 * references for the kind and strings), so recording allocates nothing per event.
 *
 * The clock is the expensive part: `performance.now()` costs about half a microsecond in a
 * Chromium worker that is not cross-origin isolated (it clamps and jitters every reading to
 * 100 µs), `Date.now()` a tenth of that. So an event reuses the previous reading while the
 * millisecond of `Date.now()` has not changed, for at most `clockEvery` events: a burst of events
 * shares a time that is less than 1 ms old, and a guest that computes between two events always
 * gets a fresh reading for the second (its millisecond changed). Memory is fixed
 * by `capacity`: when more events are recorded than taken, the oldest untaken ones are overwritten
 * and counted in `dropped`, which the UI shows as "older events dropped".
 */
import type { TraceChunk, TraceFidelity, TraceKind, TraceBatch } from "../protocol/trace-events";
import { allocChunk, chunkToBatch, StringTable } from "../protocol/trace-chunk";
import { TRACE_KINDS, TRACE_ENDS } from "../protocol/trace-events";
import type { TraceSink } from "./cm/trace";

export interface TraceRecorderOptions {
  /** What this engine can see; the UI labels the timeline with it. */
  fidelity: TraceFidelity;
  /** Ring size in events, rounded up to a power of two (default 131072, about 8 MB). */
  capacity?: number;
  /** Monotonic milliseconds (default `performance.now`); the first reading is the run's time zero. */
  now?: () => number;
  /** Events that may share one clock reading within one millisecond (default 32; 1 reads it for every event). */
  clockEvery?: number;
  /** The coarse clock that tells when a reading is too old to share (default `Date.now`, in ms). */
  wallMs?: () => number;
}

const DEFAULT_CAPACITY = 1 << 17;
/** Kind -> code in `TraceChunk.kind`, as a plain object: one named property load per event. */
const KIND = Object.fromEntries(TRACE_KINDS.map((k, i) => [k, i])) as Record<TraceKind, number>;
/** `end` codes in `TraceChunk.end`. */
const NO_END = 0;
const READABLE = TRACE_ENDS.indexOf("readable");
const WRITABLE = TRACE_ENDS.indexOf("writable");
const endCode = (end: "readable" | "writable"): number => (end === "readable" ? READABLE : WRITABLE);

/**
 * Records trace events for one run.
 *
 * @example
 * ```ts
 * const trace = new TraceRecorder({ fidelity: "exact" });
 * trace.taskStart(1, 7, "fanout");
 * if (trace.enabled) trace.waitBegin(1, 7, undefined, set.id, set.size);
 * const chunk = trace.take(); // columns for the UI, or null when nothing new
 * ```
 * Callers that must compute arguments (string building, counting) check `enabled` first.
 */
export class TraceRecorder implements TraceSink {
  /** False for `TraceRecorder.disabled()`: recording returns at once and `take` yields nothing. */
  readonly enabled: boolean;
  readonly fidelity: TraceFidelity;
  readonly #now: () => number;
  readonly #t0: number;
  readonly #mask: number;
  // The ring, struct-of-arrays. `#head` counts every event ever recorded; `#taken` is the first
  // one not yet taken. Slot of event n: n & mask.
  readonly #t: Float64Array;
  readonly #kind: Uint8Array;
  readonly #instance: Uint32Array;
  readonly #task: Uint32Array;
  readonly #id: Float64Array;
  readonly #count: Float64Array;
  readonly #end: Uint8Array;
  readonly #name: Array<string | undefined>;
  readonly #detail: Array<string | undefined>;
  #head = 0;
  #taken = 0;
  #dropped = 0;
  #nextId = 1;
  readonly #clockEvery: number;
  readonly #wallMs: () => number;
  // The shared clock reading (ns since t0), the millisecond it was taken in, and how many more
  // events may use it.
  #clockNs = 0;
  #clockWall = NaN;
  #clockUses = 0;

  constructor(options: TraceRecorderOptions | null) {
    this.enabled = options !== null;
    this.fidelity = options?.fidelity ?? "exact";
    this.#now = options?.now ?? (() => performance.now());
    this.#t0 = this.enabled ? this.#now() : 0;
    this.#clockEvery = Math.max(1, options?.clockEvery ?? 32);
    this.#wallMs = options?.wallMs ?? Date.now;
    let capacity = 1;
    const wanted = this.enabled ? Math.max(16, options?.capacity ?? DEFAULT_CAPACITY) : 1;
    while (capacity < wanted) capacity *= 2;
    this.#mask = capacity - 1;
    this.#t = new Float64Array(capacity);
    this.#kind = new Uint8Array(capacity);
    this.#instance = new Uint32Array(capacity);
    this.#task = new Uint32Array(capacity);
    this.#id = new Float64Array(capacity);
    this.#count = new Float64Array(capacity);
    this.#end = new Uint8Array(capacity);
    this.#name = new Array<string | undefined>(capacity).fill(undefined);
    this.#detail = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** A recorder that records nothing (nobody is watching). */
  static disabled(): TraceRecorder {
    return new TraceRecorder(null);
  }

  /** Nanoseconds since the run started (the recorder's creation), as an integral double. */
  nowNs(): number {
    return Math.round((this.#now() - this.#t0) * 1e6);
  }

  /** The clock for an event: a fresh reading, or the last one while it may be shared. */
  #clock(): number {
    const wall = this.#wallMs();
    if (this.#clockUses > 0 && wall === this.#clockWall) {
      this.#clockUses--;
      return this.#clockNs;
    }
    this.#clockNs = (this.#now() - this.#t0) * 1e6;
    this.#clockWall = wall;
    this.#clockUses = this.#clockEvery - 1;
    return this.#clockNs;
  }

  /** A fresh id, unique within this run (for host calls and streams an engine numbers itself). */
  newId(): number {
    return this.#nextId++;
  }

  // One method per kind (TraceSink documents each). Each maps its fields one to one onto
  // `TraceEvent`'s (protocol/trace-events.ts) and records at the current time.

  instance(instance: number, name: string, parent?: number): void {
    if (this.enabled) this.#record(this.#clock(), KIND["instance"], instance, 0, parent, name, undefined, NO_END, undefined);
  }
  taskStart(instance: number, task: number, name: string, caller?: number): void {
    if (this.enabled) this.#record(this.#clock(), KIND["task.start"], instance, task, caller, name, undefined, NO_END, undefined);
  }
  taskReturn(instance: number, task: number, name: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["task.return"], instance, task, undefined, name, undefined, NO_END, undefined);
  }
  taskCancel(instance: number, task: number, name: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["task.cancel"], instance, task, undefined, name, undefined, NO_END, undefined);
  }
  taskEnd(instance: number, task: number, name: string, outcome?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["task.end"], instance, task, undefined, name, undefined, NO_END, outcome);
  }
  subtaskStart(instance: number, task: number, subtask: number, callee: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["subtask.start"], instance, task, subtask, callee, undefined, NO_END, undefined);
  }
  subtaskResolve(instance: number, task: number, subtask: number, callee: string, state: "returned" | "cancelled"): void {
    if (this.enabled) this.#record(this.#clock(), KIND["subtask.resolve"], instance, task, subtask, callee, undefined, NO_END, state);
  }
  waitBegin(instance: number, task: number, what: string | undefined, set?: number, count?: number): void {
    if (this.enabled) this.#record(this.#clock(), KIND["wait.begin"], instance, task, set, what, count, NO_END, undefined);
  }
  waitEnd(instance: number, task: number, what: string | undefined, set?: number, event?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["wait.end"], instance, task, set, what, undefined, NO_END, event);
  }
  taskWake(instance: number, task: number, set: number): void {
    if (this.enabled) this.#record(this.#clock(), KIND["task.wake"], instance, task, set, undefined, undefined, NO_END, undefined);
  }
  yield(instance: number, task: number, set?: number): void {
    if (this.enabled) this.#record(this.#clock(), KIND["yield"], instance, task, set, undefined, undefined, NO_END, undefined);
  }
  streamRead(instance: number, task: number, stream: number, count: number, name?: string, result?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["stream.read"], instance, task, stream, name, count, READABLE, result);
  }
  streamWrite(instance: number, task: number, stream: number, count: number, name?: string, result?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["stream.write"], instance, task, stream, name, count, WRITABLE, result);
  }
  streamDrop(instance: number, task: number, stream: number, end: "readable" | "writable", name?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["stream.drop"], instance, task, stream, name, undefined, endCode(end), undefined);
  }
  futureRead(instance: number, task: number, future: number, count: number, name?: string, result?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["future.read"], instance, task, future, name, count, READABLE, result);
  }
  futureWrite(instance: number, task: number, future: number, count: number, name?: string, result?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["future.write"], instance, task, future, name, count, WRITABLE, result);
  }
  futureDrop(instance: number, task: number, future: number, end: "readable" | "writable", name?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["future.drop"], instance, task, future, name, undefined, endCode(end), undefined);
  }
  backpressure(on: boolean, instance: number, task: number, stream?: number, name?: string): void {
    if (this.enabled) this.#record(this.#clock(), on ? KIND["backpressure.on"] : KIND["backpressure.off"], instance, task, stream, name, undefined, NO_END, undefined);
  }
  /**
   * A writer on `stream` waited for its reader from `sinceNs` (from `nowNs()`) until now, seen only
   * when the wait ended: backpressure on at `sinceNs` (with `detail`, why) and off now. Events stay
   * in recording order, not time order.
   */
  backpressureWindow(sinceNs: number, instance: number, task: number, stream: number, name: string, detail: string): void {
    if (!this.enabled) return;
    this.#record(sinceNs, KIND["backpressure.on"], instance, task, stream, name, undefined, WRITABLE, detail);
    this.#record(this.#clock(), KIND["backpressure.off"], instance, task, stream, name, undefined, WRITABLE, undefined);
  }
  hostBegin(instance: number, task: number, call: number, name: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["host.begin"], instance, task, call, name, undefined, NO_END, undefined);
  }
  hostEnd(instance: number, task: number, call: number, name: string, outcome?: string): void {
    if (this.enabled) this.#record(this.#clock(), KIND["host.end"], instance, task, call, name, undefined, NO_END, outcome);
  }

  #record(tNs: number, kind: number, instance: number, task: number, id: number | undefined, name: string | undefined, count: number | undefined, end: number, detail: string | undefined): void {
    if (this.#head - this.#taken > this.#mask) {
      this.#taken++;
      this.#dropped++;
    }
    const i = this.#head & this.#mask;
    this.#head++;
    this.#t[i] = Math.round(tNs);
    this.#kind[i] = kind;
    this.#instance[i] = instance;
    this.#task[i] = task;
    this.#id[i] = id === undefined ? NaN : id;
    this.#count[i] = count === undefined ? NaN : count;
    this.#end[i] = end;
    this.#name[i] = name;
    this.#detail[i] = detail;
  }

  /** Events recorded and not yet taken (at most the capacity). */
  get pending(): number {
    return this.#head - this.#taken;
  }

  /** Events overwritten before they were taken, since the run began. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Everything recorded since the last `take`, as columns; null when there is nothing new. */
  take(): TraceChunk | null {
    const n = this.#head - this.#taken;
    if (n === 0) return null;
    const c = allocChunk(this.fidelity, n, this.#dropped);
    // The numeric columns are copied in bulk: one or two runs of the ring (it may wrap).
    const from = this.#taken & this.#mask;
    const first = Math.min(n, this.#mask + 1 - from);
    const copy = <A extends Float64Array | Uint8Array | Uint32Array>(dst: A, src: A) => {
      dst.set(src.subarray(from, from + first) as never);
      if (first < n) dst.set(src.subarray(0, n - first) as never, first);
    };
    copy(c.t, this.#t);
    copy(c.kind, this.#kind);
    copy(c.instance, this.#instance);
    copy(c.task, this.#task);
    copy(c.id, this.#id);
    copy(c.count, this.#count);
    copy(c.end, this.#end);
    const strings = new StringTable();
    for (let k = 0; k < n; k++) {
      const i = (this.#taken + k) & this.#mask;
      c.name[k] = strings.intern(this.#name[i]);
      c.detail[k] = strings.intern(this.#detail[i]);
    }
    c.strings = strings.strings;
    this.#taken = this.#head;
    return c;
  }

  /**
   * Posts what was recorded every `everyMs` while a run goes; the returned stop function posts
   * the rest. Timers only fire when the host's event loop turns, which a guest resumed by
   * microtasks alone may never let happen again (one that loops forever after its last await),
   * so `entering` (the engine calls it just before guest code runs) posts too: what was recorded
   * up to then reaches the UI, and survives Stop, which ends the worker.
   */
  pump(post: (chunk: TraceChunk) => void, everyMs = 16): () => void {
    if (!this.enabled) return () => {};
    const flush = () => {
      const c = this.take();
      if (c) post(c);
    };
    const timer = setInterval(flush, everyMs);
    this.#entering = flush;
    return () => {
      clearInterval(timer);
      this.#entering = null;
      flush();
    };
  }

  #entering: (() => void) | null = null;

  /** Guest code is about to run: a pump posts what was recorded since its last post (if anything). */
  entering(): void {
    if (this.#entering !== null && this.#head !== this.#taken) this.#entering();
  }

  /** `take()` as objects, for tests and small consumers. */
  takeBatch(): TraceBatch {
    const c = this.take();
    return c ? chunkToBatch(c) : { fidelity: this.fidelity, events: [], dropped: this.#dropped };
  }
}
