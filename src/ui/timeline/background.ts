/**
 * Background runs in the foreground's view: each background run's trace is its own (time zero at
 * its start; instance, task, subtask and stream ids counted from 1), so its chunks are rebased
 * before they join the session's store: times onto the session's clock, ids into a range of their
 * own (`key` * BACKGROUND_STRIDE), so its lanes, tasks and copies never mix with the foreground's.
 * The host's lane (instance 0) is shared. Pure.
 */
import { TRACE_KINDS, type TraceChunk } from "../../protocol/trace-events";

/** Ids of background run `key` start at `key * BACKGROUND_STRIDE`. */
export const BACKGROUND_STRIDE = 1_000_000;

const K = (k: (typeof TRACE_KINDS)[number]) => TRACE_KINDS.indexOf(k);
/** Kinds whose `id` is unique in the run (subtasks, streams, futures, host calls): rebased too. Waitable-set handles are per instance: kept. */
const RUN_IDS = new Set(
  (["task.start", "subtask.start", "subtask.resolve", "stream.read", "stream.write", "stream.drop", "future.read", "future.write", "future.drop", "backpressure.on", "backpressure.off", "host.begin", "host.end"] as const).map(K),
);
const INSTANCE = K("instance");
/** A path ending in an instance the engine numbered (layout.ts folds those into their parent's lane). */
const NUMBERED = /(^|\/)instance \d+$/;

/**
 * `chunk` of background run `key` moved onto the session's clock (`offsetNs`: when the run
 * started, in session time) with its ids rebased; its instances are labelled `(background)`.
 * Events from before the session began (negative time) are left out.
 */
export function rebaseBackground(chunk: TraceChunk, key: number, offsetNs: number): TraceChunk {
  const base = key * BACKGROUND_STRIDE;
  const keep: number[] = [];
  for (let i = 0; i < chunk.length; i++) if (chunk.t[i]! + offsetNs >= 0 || chunk.kind[i] === INSTANCE) keep.push(i);
  const strings = [...chunk.strings];
  const pick = <A extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: A, make: (n: number) => A, f: (v: number, i: number) => number = (v) => v): A => {
    const out = make(keep.length);
    keep.forEach((i, k) => (out[k] = f(a[i]!, i)));
    return out;
  };
  const rebased = (v: number) => (v === 0 ? 0 : v + base);
  return {
    fidelity: chunk.fidelity,
    dropped: chunk.dropped,
    length: keep.length,
    // An instance named before the session began is still named in it, at its start.
    t: pick(chunk.t, (n) => new Float64Array(n), (v) => Math.max(0, v + offsetNs)),
    kind: pick(chunk.kind, (n) => new Uint8Array(n)),
    instance: pick(chunk.instance, (n) => new Uint32Array(n), rebased),
    task: pick(chunk.task, (n) => new Uint32Array(n), rebased),
    id: pick(chunk.id, (n) => new Float64Array(n), (v, i) => (Number.isNaN(v) ? v : chunk.kind[i] === INSTANCE || RUN_IDS.has(chunk.kind[i]!) ? rebased(v) : v)),
    count: pick(chunk.count, (n) => new Float64Array(n)),
    end: pick(chunk.end, (n) => new Uint8Array(n)),
    name: pick(chunk.name, (n) => new Int32Array(n), (v, i) => {
      // Its lanes say they run in the background (numbered instances draw in their parent's lane).
      if (chunk.kind[i] !== INSTANCE || v < 0 || NUMBERED.test(chunk.strings[v]!)) return v;
      strings.push(`${chunk.strings[v]} (background)`);
      return strings.length - 1;
    }),
    detail: pick(chunk.detail, (n) => new Int32Array(n)),
    strings,
  };
}
