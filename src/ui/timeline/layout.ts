/**
 * Lays trace events out for drawing: one lane per component instance (a composition's nested
 * instances under the composition instance they belong to), one group of rows per task
 * (a bar row for the task itself with its waits, then tracks for its subtasks and host calls,
 * packed so overlapping calls get their own track), markers, backpressure bands, and stream/future
 * transfers paired write -> read, and calls from a subtask to the task it started.
 *
 * Incremental: `advance` consumes the events added to the store since the last call, within a time
 * budget, so a live run or a 100,000-event import never blocks input for long. Every track's spans
 * are sorted by start and never overlap, so a track is also sorted by end: the renderer and hit
 * tests binary-search it.
 */
import { TRACE_KINDS, type TraceKind } from "../../protocol/trace-events";
import { BACKGROUND_STRIDE } from "./background";
import type { TraceStore } from "./traceStore";

export type SpanKind = "task" | "subtask" | "host" | "wait" | "backpressure";
export type MarkerKind = "task.return" | "task.cancel" | "yield" | "stream" | "future" | "drop";

export interface Span {
  kind: SpanKind;
  /** Nanoseconds since the run started. */
  start: number;
  /** Infinity while still open. */
  end: number;
  name: string;
  /** The subject: task id for tasks, subtask / host call / waitable set / stream id otherwise. */
  id: number;
  /** From the closing event (e.g. "returned", "threw"). */
  detail?: string;
  /** Waits: when the task was woken (an event arrived); from then to `end` it is scheduled, not idle. */
  woken?: number;
  group: TaskGroup;
  /** Track index in the group; -1 for the bar row (tasks, waits) and for bands. */
  row: number;
  /** Store index of the opening event. */
  event: number;
  /** A subtask's host call (the same call seen from the host), drawn inside it rather than on a track of its own. */
  inner?: Span;
  /** Set on such a host call: the subtask it belongs to. */
  outer?: Span;
}

export interface Marker {
  kind: MarkerKind;
  t: number;
  group: TaskGroup;
  /** Store index of the event; `markerLabel` describes it. */
  event: number;
  /** Copies: set once the other end's copy is seen and an arrow joins them. */
  paired?: boolean;
}

/** One copy on a stream or future: the writer's end to the reader's end. */
export interface Transfer {
  kind: "stream" | "future";
  id: number;
  count: number;
  label: string;
  from: { t: number; group: TaskGroup; event: number };
  to: { t: number; group: TaskGroup; event: number };
}

/** A guest's call into another instance's export: the caller's subtask and the task it started. */
export interface CallLink {
  subtask: Span;
  task: TaskGroup;
}

export interface Track {
  spans: Span[];
  /** When the last span ends (Infinity while it is open). */
  freeAt: number;
}

/** Indices of a group's closed tracks, lowest first (a binary min-heap). */
class FreeTracks {
  readonly #heap: number[] = [];
  get size(): number {
    return this.#heap.length;
  }
  peek(): number | undefined {
    return this.#heap[0];
  }
  push(i: number): void {
    const h = this.#heap;
    h.push(i);
    for (let c = h.length - 1; c > 0; ) {
      const p = (c - 1) >> 1;
      if (h[p]! <= h[c]!) break;
      [h[p], h[c]] = [h[c]!, h[p]!];
      c = p;
    }
  }
  pop(): number | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === p) break;
        [h[p], h[m]] = [h[m]!, h[p]!];
        p = m;
      }
    }
    return top;
  }
}

export interface TaskGroup {
  lane: Lane;
  /** 0: events outside any task (e.g. the host's stream ends). */
  task: number;
  name: string;
  bar: Span | null;
  /** The task's waits, on its bar row. */
  waits: Span[];
  tracks: Track[];
  markers: Marker[];
  bands: Span[];
  /** The caller's subtask id from task.start, when a guest started it. */
  startedBy?: number;
}

export interface Lane {
  instance: number;
  /** What the lane is labelled: the component (`hello.wasm`) or the composition instance (`router`). */
  name: string;
  /** The instance's path from the root (`gateway.wasm/router`), as the engine named it. */
  path: string;
  groups: TaskGroup[];
}

/** An instance the engine numbered itself (`instance 22`), not named by a component-name section. */
const UNNAMED = /^instance \d+$/;

const K = Object.fromEntries(TRACE_KINDS.map((k, i) => [k, i])) as Record<TraceKind, number>;

// Kind codes as plain constants, so `#apply`'s switch compares numbers.
const INSTANCE = K["instance"];
const TASK_START = K["task.start"];
const TASK_RETURN = K["task.return"];
const TASK_CANCEL = K["task.cancel"];
const TASK_END = K["task.end"];
const SUBTASK_START = K["subtask.start"];
const SUBTASK_RESOLVE = K["subtask.resolve"];
const WAIT_BEGIN = K["wait.begin"];
const WAIT_END = K["wait.end"];
const YIELD = K["yield"];
const STREAM_READ = K["stream.read"];
const STREAM_WRITE = K["stream.write"];
const STREAM_DROP = K["stream.drop"];
const FUTURE_READ = K["future.read"];
const FUTURE_WRITE = K["future.write"];
const FUTURE_DROP = K["future.drop"];
const BACKPRESSURE_ON = K["backpressure.on"];
const BACKPRESSURE_OFF = K["backpressure.off"];
const HOST_BEGIN = K["host.begin"];
const HOST_END = K["host.end"];
const TASK_WAKE = K["task.wake"];

/** A marker's text (built on demand: a 100,000-event trace has tens of thousands of markers). */
export function markerLabel(store: TraceStore, m: Marker): string {
  const e = store.event(m.event);
  const subject = e.name ?? (e.id !== undefined ? `#${e.id}` : "");
  const end = e.end ? `, ${e.end} end` : "";
  const count = e.count !== undefined ? ` ${e.count}` : "";
  return `${e.kind}${count}${subject || end ? ` (${subject}${end})` : ""}${e.detail ? ` · ${e.detail}` : ""}`;
}

/** Maps keyed by two numbers (instance and id), without building string keys per event. */
class Map2<V> {
  readonly #outer = new Map<number, Map<number, V>>();
  get(a: number, b: number): V | undefined {
    return this.#outer.get(a)?.get(b);
  }
  set(a: number, b: number, v: V): void {
    let inner = this.#outer.get(a);
    if (!inner) this.#outer.set(a, (inner = new Map()));
    inner.set(b, v);
  }
  delete(a: number, b: number): void {
    this.#outer.get(a)?.delete(b);
  }
}

interface Pending {
  t: number;
  group: TaskGroup;
  event: number;
  count: number;
  write: boolean;
  marker: Marker;
}

export class TimelineLayout {
  readonly lanes: Lane[] = [];
  readonly transfers: Transfer[] = [];
  /** Guest-to-guest calls, in the order their tasks started. */
  readonly calls: CallLink[] = [];
  /** Every span, in opening order (for tests, summaries and export). */
  readonly spans: Span[] = [];
  /** Bumped whenever `advance` changed something. */
  version = 0;
  /** Bumped when a lane, task group or track is added: the rows to draw changed. */
  shape = 0;
  #next = 0;
  #generation: number;
  readonly #laneByInstance = new Map<number, Lane>();
  /**
   * Each instance's lane instance: itself, or for a nested instance the engine numbered itself
   * (a component's inner plumbing) the lane of the instance it was instantiated in. Names by id.
   */
  readonly #laneOf = new Map<number, number>();
  readonly #instanceName = new Map<number, { name: string; path: string }>();
  /** Subtasks by id (unique in a run), so a task naming its caller's subtask finds it in any lane. */
  readonly #subtaskById = new Map<number, Span>();
  readonly #groups = new Map2<TaskGroup>();
  // Open spans: host calls and subtasks by (instance, id); waits by (instance, task);
  // backpressure by (instance, task) then stream id.
  readonly #openHost = new Map2<Span>();
  readonly #openSubtask = new Map2<Span>();
  readonly #openWait = new Map2<Span>();
  readonly #openBands = new Map2<Map<number, Span>>();
  // Copies not yet paired, per stream / future id.
  readonly #pending = [new Map<number, Pending[]>(), new Map<number, Pending[]>()] as const;
  readonly #free = new Map<TaskGroup, FreeTracks>();
  readonly #lastSubtask = new Map<TaskGroup, Span>();

  constructor(readonly store: TraceStore) {
    this.#generation = store.generation;
  }

  /** True when every stored event is laid out. */
  get done(): boolean {
    return this.#next >= this.store.length && this.#generation === this.store.generation;
  }

  /** Events laid out so far. */
  get laidOut(): number {
    return this.#next;
  }

  /**
   * Lays out pending events for at most `budgetMs`; returns true if events remain. When the
   * store evicted events, the caller must build a new layout (see `stale`).
   */
  advance(budgetMs = 8): boolean {
    const s = this.store;
    if (this.stale) return false;
    const deadline = performance.now() + budgetMs;
    const start = this.#next;
    while (this.#next < s.length) {
      const stop = Math.min(s.length, this.#next + 2048);
      for (let i = this.#next; i < stop; i++) this.#apply(i);
      this.#next = stop;
      if (performance.now() > deadline) break;
    }
    if (this.#next !== start) this.version++;
    return this.#next < s.length;
  }

  /** The store evicted events since this layout began: indices moved, start a new layout. */
  get stale(): boolean {
    return this.#generation !== this.store.generation;
  }

  lane(instance: number): Lane {
    instance = this.#laneOf.get(instance) ?? instance;
    let lane = this.#laneByInstance.get(instance);
    if (!lane) {
      const named = this.#instanceName.get(instance);
      const name = named?.name ?? (instance === 0 ? "host" : `instance ${instance}`);
      lane = { instance, name, path: named?.path ?? name, groups: [] };
      this.shape++;
      this.#laneByInstance.set(instance, lane);
      this.lanes.push(lane);
      // Guests in order of appearance, the run's own before background runs'; the host's lane last.
      const rank = (l: Lane) => (l.instance === 0 ? 2 : l.instance >= BACKGROUND_STRIDE ? 1 : 0);
      this.lanes.sort((a, b) => rank(a) - rank(b));
    }
    return lane;
  }

  group(instance: number, task: number): TaskGroup {
    let g = this.#groups.get(instance, task);
    if (!g) {
      const lane = this.lane(instance);
      g = { lane, task, name: task === 0 ? "(outside tasks)" : `task ${task}`, bar: null, waits: [], tracks: [], markers: [], bands: [] };
      this.#groups.set(instance, task, g);
      lane.groups.push(g);
      this.shape++;
    }
    return g;
  }

  #apply(i: number): void {
    const s = this.store;
    const k = s.kind[i]!;
    const t = s.t[i]!;
    const instance = s.instance[i]!;
    const task = s.task[i]!;
    const id = s.id[i]!;
    switch (k) {
      case INSTANCE: {
        this.#instance(instance, s.nameOf(i), Number.isNaN(id) ? undefined : id);
        return;
      }
      case TASK_START: {
        const g = this.group(instance, task);
        const name = s.nameOf(i);
        if (name !== undefined) g.name = name;
        g.bar = this.#span("task", t, g.name, task, g, -1, i);
        if (!Number.isNaN(id)) {
          g.startedBy = id;
          const caller = this.#subtaskById.get(id);
          if (caller) this.calls.push({ subtask: caller, task: g });
        }
        return;
      }
      case TASK_END: {
        const g = this.group(instance, task);
        g.bar ??= this.#span("task", this.#since(), g.name, task, g, -1, i);
        this.#close(g.bar, t, s.detailOf(i));
        // Nothing of the task outlives it: a band or wait still open (its end not recorded) ends here.
        const bands = this.#openBands.get(instance, task);
        if (bands) {
          for (const b of bands.values()) b.end = Math.max(b.start, t);
          this.#openBands.delete(instance, task);
        }
        const wait = this.#openWait.get(instance, task);
        if (wait) {
          this.#close(wait, t, undefined);
          this.#openWait.delete(instance, task);
        }
        return;
      }
      case TASK_RETURN:
      case TASK_CANCEL:
        this.#marker(TRACE_KINDS[k] as MarkerKind, t, instance, task, i);
        return;
      case YIELD: {
        // A yield lets others run: the task is scheduled (ready) until its wait.end resumes it.
        this.#marker("yield", t, instance, task, i);
        const g = this.group(instance, task);
        const span = this.#span("wait", t, "yield", id, g, -1, i);
        span.woken = t;
        g.waits.push(span);
        this.#openWait.set(instance, task, span);
        return;
      }
      case TASK_WAKE: {
        const span = this.#openWait.get(instance, task);
        if (span && span.woken === undefined) span.woken = t;
        return;
      }
      case SUBTASK_START:
      case HOST_BEGIN: {
        const kind = k === HOST_BEGIN ? "host" : "subtask";
        const g = this.group(instance, task);
        const span = this.#span(kind, t, s.nameOf(i) ?? kind, id, g, -1, i);
        const sub = this.#lastSubtask.get(g);
        if (kind === "host" && sub && !sub.inner && sub.end === Infinity && sub.name === span.name) {
          // engine/cm records a call to the host twice: the guest's subtask, then the host
          // function serving it. One call, one row: the host call is drawn inside its subtask.
          sub.inner = span;
          span.outer = sub;
          span.row = sub.row;
        } else this.#place(g, span);
        if (kind === "subtask") {
          this.#lastSubtask.set(g, span);
          this.#subtaskById.set(id, span);
        }
        (kind === "host" ? this.#openHost : this.#openSubtask).set(instance, id, span);
        return;
      }
      case SUBTASK_RESOLVE:
      case HOST_END: {
        const kind = k === HOST_END ? "host" : "subtask";
        const open = kind === "host" ? this.#openHost : this.#openSubtask;
        let span = open.get(instance, id);
        if (!span) {
          // Its start was dropped: show it from the oldest event kept.
          const g = this.group(instance, task);
          span = this.#span(kind, this.#since(), s.nameOf(i) ?? kind, id, g, -1, i);
          this.#place(g, span);
        }
        open.delete(instance, id);
        this.#close(span, t, s.detailOf(i));
        if (span.outer) return;
        const track = span.group.tracks[span.row]!;
        if (track.spans[track.spans.length - 1] === span) {
          track.freeAt = span.end;
          this.#freeTracks(span.group).push(span.row);
        }
        return;
      }
      case WAIT_BEGIN: {
        const g = this.group(instance, task);
        const n = s.count[i]!;
        const name = `wait on set ${id}${Number.isNaN(n) ? "" : ` (${n} waitable${n === 1 ? "" : "s"})`}`;
        const span = this.#span("wait", t, name, id, g, -1, i);
        g.waits.push(span);
        this.#openWait.set(instance, task, span);
        return;
      }
      case WAIT_END: {
        const g = this.group(instance, task);
        let span = this.#openWait.get(instance, task);
        if (!span) {
          span = this.#span("wait", this.#since(), `wait on set ${id}`, id, g, -1, i);
          g.waits.push(span);
        }
        this.#openWait.delete(instance, task);
        this.#close(span, t, s.detailOf(i));
        return;
      }
      case BACKPRESSURE_ON: {
        const g = this.group(instance, task);
        const span = this.#span("backpressure", t, `backpressure on ${s.nameOf(i) ?? `stream ${id}`}`, id, g, -1, i);
        span.detail = s.detailOf(i);
        g.bands.push(span);
        let bands = this.#openBands.get(instance, task);
        if (!bands) this.#openBands.set(instance, task, (bands = new Map()));
        bands.set(id, span);
        return;
      }
      case BACKPRESSURE_OFF: {
        const bands = this.#openBands.get(instance, task);
        const span = bands?.get(id);
        if (span) {
          bands!.delete(id);
          span.end = Math.max(span.start, t);
        }
        return;
      }
      case STREAM_READ:
      case STREAM_WRITE:
      case FUTURE_READ:
      case FUTURE_WRITE:
        this.#copy(i, k === STREAM_READ || k === STREAM_WRITE ? "stream" : "future", k === STREAM_WRITE || k === FUTURE_WRITE);
        return;
      case STREAM_DROP:
      case FUTURE_DROP:
        this.#marker("drop", t, instance, task, i);
        return;
    }
  }

  /**
   * An instance's name and parent: a root, or one named by a component-name section, is a lane
   * of its own (`router` in a composition); one the engine numbered (`instance 22`) draws in its
   * parent's lane.
   */
  #instance(instance: number, path: string | undefined, parent: number | undefined): void {
    const full = path ?? `instance ${instance}`;
    const own = full.slice(full.lastIndexOf("/") + 1);
    if (parent !== undefined && UNNAMED.test(own)) {
      this.#laneOf.set(instance, this.#laneOf.get(parent) ?? parent);
      return;
    }
    const named = { name: parent === undefined ? full : own, path: full };
    this.#instanceName.set(instance, named);
    Object.assign(this.lane(instance), named);
  }

  /** Where spans whose opening event was dropped begin: the oldest time kept. */
  #since(): number {
    return this.store.minT;
  }

  #span(kind: SpanKind, start: number, name: string, id: number, group: TaskGroup, row: number, event: number): Span {
    const span: Span = { kind, start, end: Infinity, name, id, group, row, event };
    this.spans.push(span);
    return span;
  }

  #close(span: Span, t: number, detail: string | undefined): void {
    span.end = Math.max(span.start, t);
    if (detail !== undefined) span.detail = detail;
  }

  #freeTracks(g: TaskGroup): FreeTracks {
    let f = this.#free.get(g);
    if (!f) this.#free.set(g, (f = new FreeTracks()));
    return f;
  }

  /**
   * The lowest closed track, else a new one. Events come in time order, so a closed track is free
   * at any later start; a span starting before it frees (out-of-order input) gets a new track.
   */
  #place(g: TaskGroup, span: Span): void {
    const free = this.#freeTracks(g);
    const lowest = free.peek();
    let row = -1;
    if (lowest !== undefined && g.tracks[lowest]!.freeAt <= span.start) row = free.pop()!;
    if (row < 0) {
      row = g.tracks.length;
      g.tracks.push({ spans: [], freeAt: Infinity });
      this.shape++;
    }
    const track = g.tracks[row]!;
    track.spans.push(span);
    track.freeAt = Infinity;
    span.row = row;
  }

  #marker(kind: MarkerKind, t: number, instance: number, task: number, event: number): Marker {
    const g = this.group(instance, task);
    const m: Marker = { kind, t, group: g, event };
    g.markers.push(m);
    return m;
  }

  /** A completed copy on one end; paired first-in first-out with the other end's copies. */
  #copy(i: number, family: "stream" | "future", write: boolean): void {
    const s = this.store;
    const id = s.id[i]!;
    const t = s.t[i]!;
    const instance = s.instance[i]!;
    const task = s.task[i]!;
    const g = this.group(instance, task);
    const count = Number.isNaN(s.count[i]) ? 1 : s.count[i]!;
    const marker = this.#marker(family, t, instance, task, i);
    // A copy that blocked moved nothing yet: a marker, paired with nothing (its completion is).
    if (s.detail[i]! >= 0 && s.detailOf(i) === "blocked") return;
    const pending = this.#pending[family === "stream" ? 0 : 1];
    let queue = pending.get(id);
    if (!queue) pending.set(id, (queue = []));
    if (queue.length > 0 && queue[0]!.write !== write) {
      const other = queue.shift()!;
      if (queue.length === 0) pending.delete(id);
      marker.paired = other.marker.paired = true;
      const here = { t, group: g, event: i };
      const w = write ? here : other;
      const r = write ? other : here;
      // engine/cm names only the host's end of a copy: either end may carry the label.
      const label = s.nameOf(i) ?? s.nameOf(other.event) ?? `${family} ${id}`;
      this.transfers.push({ kind: family, id, count: write ? other.count : count, label, from: { t: w.t, group: w.group, event: w.event }, to: { t: r.t, group: r.group, event: r.event } });
    } else {
      queue.push({ t, group: g, event: i, count, write, marker });
    }
  }
}
