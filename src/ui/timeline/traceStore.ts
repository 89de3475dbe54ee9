/**
 * The trace of one run (or one imported file) on the main thread, in columns like the wire form
 * (`TraceChunk`), so 100,000s of events cost a few typed arrays, not an object each.
 *
 * Memory is bounded: past `maxEvents` the oldest quarter is evicted and counted in `droppedHere`;
 * with the recorder's own `droppedByRecorder` that makes the "older events dropped" marker.
 * Eviction bumps `generation`, telling the layout to start over.
 */
import { nanos } from "../../base/time";
import { TRACE_ENDS, TRACE_KINDS, type TraceChunk, type TraceEvent, type TraceFidelity, type TraceKind } from "../../protocol/trace-events";

const INSTANCE = TRACE_KINDS.indexOf("instance");

/** About 20 MB of columns plus the layout's objects; a longer run shows the newest half million. */
export const DEFAULT_MAX_EVENTS = 500_000;

export class TraceStore {
  fidelity: TraceFidelity | null = null;
  /** Events the recorder lost before posting them. */
  droppedByRecorder = 0;
  /** Events evicted here to stay under `maxEvents`. */
  droppedHere = 0;
  /** Bumped when events are evicted: indices before it no longer mean the same events. */
  generation = 0;
  length = 0;
  t = new Float64Array(1024);
  kind = new Uint8Array(1024);
  instance = new Uint32Array(1024);
  task = new Uint32Array(1024);
  id = new Float64Array(1024);
  count = new Float64Array(1024);
  end = new Uint8Array(1024);
  name = new Int32Array(1024);
  detail = new Int32Array(1024);
  readonly strings: string[] = [];
  readonly #stringIndex = new Map<string, number>();
  /** Smallest and largest event time (ns), NaN while empty. */
  minT = NaN;
  maxT = NaN;
  /**
   * The first time anything ran (ns): the smallest time of an event other than `instance`
   * (instantiation can come long before the first call). NaN while there is none.
   */
  firstActivityT = NaN;

  constructor(readonly maxEvents = DEFAULT_MAX_EVENTS) {}

  get dropped(): number {
    return this.droppedByRecorder + this.droppedHere;
  }

  kindOf(i: number): TraceKind {
    return TRACE_KINDS[this.kind[i]!]!;
  }

  nameOf(i: number): string | undefined {
    const n = this.name[i]!;
    return n < 0 ? undefined : this.strings[n];
  }

  detailOf(i: number): string | undefined {
    const n = this.detail[i]!;
    return n < 0 ? undefined : this.strings[n];
  }

  /** Event `i` as an object (hover details, export). */
  event(i: number): TraceEvent {
    const e: TraceEvent = { t: nanos(BigInt(this.t[i]!)), kind: this.kindOf(i), instance: this.instance[i]!, task: this.task[i]! };
    if (!Number.isNaN(this.id[i])) e.id = this.id[i]!;
    const name = this.nameOf(i);
    if (name !== undefined) e.name = name;
    if (!Number.isNaN(this.count[i])) e.count = this.count[i]!;
    const end = TRACE_ENDS[this.end[i]!];
    if (end) e.end = end;
    const detail = this.detailOf(i);
    if (detail !== undefined) e.detail = detail;
    return e;
  }

  intern(s: string): number {
    let i = this.#stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.#stringIndex.set(s, i);
    }
    return i;
  }

  append(c: TraceChunk): void {
    if (this.fidelity === null) this.fidelity = c.fidelity;
    this.droppedByRecorder = Math.max(this.droppedByRecorder, c.dropped);
    if (c.length === 0) return;
    if (this.length + c.length > this.maxEvents) this.#evict(this.length + c.length - Math.floor((this.maxEvents * 3) / 4));
    this.#reserve(this.length + c.length);
    const at = this.length;
    const n = Math.min(c.length, this.maxEvents);
    const from = c.length - n;
    this.t.set(c.t.subarray(from), at);
    this.kind.set(c.kind.subarray(from), at);
    this.instance.set(c.instance.subarray(from), at);
    this.task.set(c.task.subarray(from), at);
    this.id.set(c.id.subarray(from), at);
    this.count.set(c.count.subarray(from), at);
    this.end.set(c.end.subarray(from), at);
    const map = c.strings.map((s) => this.intern(s));
    for (let k = 0; k < n; k++) {
      const nm = c.name[from + k]!;
      const dt = c.detail[from + k]!;
      this.name[at + k] = nm < 0 ? -1 : map[nm]!;
      this.detail[at + k] = dt < 0 ? -1 : map[dt]!;
      const t = c.t[from + k]!;
      if (!(t >= this.minT)) this.minT = t;
      if (!(t <= this.maxT)) this.maxT = t;
      if (c.kind[from + k] !== INSTANCE && !(t >= this.firstActivityT)) this.firstActivityT = t;
    }
    if (from > 0) {
      this.droppedHere += from;
      this.generation++;
    }
    this.length = at + n;
  }

  /** Drops the oldest `k` events (at least); strings stay (they are few). */
  #evict(k: number): void {
    k = Math.min(this.length, Math.max(0, k));
    if (k === 0) return;
    for (const a of [this.t, this.kind, this.instance, this.task, this.id, this.count, this.end, this.name, this.detail]) a.copyWithin(0, k, this.length);
    this.length -= k;
    this.droppedHere += k;
    this.generation++;
    this.minT = NaN;
    this.firstActivityT = NaN;
    for (let i = 0; i < this.length; i++) {
      const t = this.t[i]!;
      if (!(t >= this.minT)) this.minT = t;
      if (this.kind[i] !== INSTANCE && !(t >= this.firstActivityT)) this.firstActivityT = t;
    }
  }

  #reserve(n: number): void {
    if (n <= this.t.length) return;
    let cap = this.t.length;
    while (cap < n) cap *= 2;
    const grow = <A extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a.subarray(0, this.length) as never);
      return b;
    };
    this.t = grow(this.t, (m) => new Float64Array(m));
    this.kind = grow(this.kind, (m) => new Uint8Array(m));
    this.instance = grow(this.instance, (m) => new Uint32Array(m));
    this.task = grow(this.task, (m) => new Uint32Array(m));
    this.id = grow(this.id, (m) => new Float64Array(m));
    this.count = grow(this.count, (m) => new Float64Array(m));
    this.end = grow(this.end, (m) => new Uint8Array(m));
    this.name = grow(this.name, (m) => new Int32Array(m));
    this.detail = grow(this.detail, (m) => new Int32Array(m));
  }
}
