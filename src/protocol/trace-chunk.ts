/**
 * Converts between a `TraceBatch` (an object per event: tests, export/import) and a `TraceChunk`
 * (columns: what crosses from the worker). Both sides of the wire use this one codec.
 */
import { nanos } from "../base/time";
import { TRACE_ENDS, TRACE_KINDS, type TraceBatch, type TraceChunk, type TraceEvent, type TraceKind } from "./trace-events";

const KIND_CODE = new Map<TraceKind, number>(TRACE_KINDS.map((k, i) => [k, i]));

/** The events of a chunk as objects, in order. */
export function chunkToBatch(c: TraceChunk): TraceBatch {
  const events: TraceEvent[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const e: TraceEvent = { t: nanos(BigInt(c.t[i]!)), kind: TRACE_KINDS[c.kind[i]!]!, instance: c.instance[i]!, task: c.task[i]! };
    if (!Number.isNaN(c.id[i])) e.id = c.id[i]!;
    if (c.name[i]! >= 0) e.name = c.strings[c.name[i]!]!;
    if (!Number.isNaN(c.count[i])) e.count = c.count[i]!;
    const end = TRACE_ENDS[c.end[i]!];
    if (end) e.end = end;
    if (c.detail[i]! >= 0) e.detail = c.strings[c.detail[i]!]!;
    events[i] = e;
  }
  return { fidelity: c.fidelity, events, dropped: c.dropped };
}

/** Interns strings into a chunk's table. */
export class StringTable {
  readonly strings: string[] = [];
  readonly #index = new Map<string, number>();
  // Runs of one name (a hundred `wait-for` calls) skip the map.
  #last: string | undefined;
  #lastIndex = -1;
  intern(s: string | undefined): number {
    if (s === undefined) return -1;
    if (s === this.#last) return this.#lastIndex;
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.#index.set(s, i);
    }
    this.#last = s;
    this.#lastIndex = i;
    return i;
  }
}

/** An empty chunk with room for `length` events. */
export function allocChunk(fidelity: TraceChunk["fidelity"], length: number, dropped: number): TraceChunk {
  return {
    fidelity,
    dropped,
    length,
    t: new Float64Array(length),
    kind: new Uint8Array(length),
    instance: new Uint32Array(length),
    task: new Uint32Array(length),
    id: new Float64Array(length),
    count: new Float64Array(length),
    end: new Uint8Array(length),
    name: new Int32Array(length),
    detail: new Int32Array(length),
    strings: [],
  };
}

/** The events of a batch as columns. */
export function batchToChunk(b: TraceBatch): TraceChunk {
  const c = allocChunk(b.fidelity, b.events.length, b.dropped);
  const strings = new StringTable();
  b.events.forEach((e, i) => {
    c.t[i] = Number(e.t);
    c.kind[i] = KIND_CODE.get(e.kind)!;
    c.instance[i] = e.instance;
    c.task[i] = e.task;
    c.id[i] = e.id ?? NaN;
    c.count[i] = e.count ?? NaN;
    c.end[i] = e.end === undefined ? 0 : TRACE_ENDS.indexOf(e.end);
    c.name[i] = strings.intern(e.name);
    c.detail[i] = strings.intern(e.detail);
  });
  c.strings = strings.strings;
  return c;
}
