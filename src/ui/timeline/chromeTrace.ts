/**
 * Chrome Trace Event JSON (the format Perfetto and chrome://tracing open) to and from our events.
 *
 * Export writes one trace event per line: each of our events becomes exactly one Chrome event
 * (async "b"/"e" pairs for tasks, subtasks, waits, host calls and backpressure, "i" instants for
 * the rest, "M" process names for instances) whose `args` carry the original fields, plus "s"/"f"
 * flow events drawing stream/future copies as arrows in Perfetto. `pid` is the instance, `tid` the
 * task, `ts` microseconds. Import reads those `args` back, so re-opening an export gives the same
 * events and the same picture; it parses line by line in slices, yielding between them.
 */
import type { TraceEvent, TraceFidelity, TraceKind } from "../../protocol/trace-events";
import { TRACE_KINDS } from "../../protocol/trace-events";
import { nanos } from "../../base/time";
import type { TimelineLayout } from "./layout";
import type { TraceStore } from "./traceStore";

/** One Chrome trace event as we write it (fields per the Trace Event Format document). */
export interface ChromeEvent {
  ph: string;
  name: string;
  cat?: string;
  pid: number;
  tid: number;
  ts: number;
  id?: string;
  s?: string;
  bp?: string;
  args?: Record<string, unknown>;
}

export const PRODUCER = "WASI Playground";

/** Which async pair an event belongs to, for "b"/"e": category and id. */
function asyncPair(e: TraceEvent): { ph: "b" | "e"; cat: string; id: string } | null {
  switch (e.kind) {
    case "task.start":
    case "task.end":
      return { ph: e.kind === "task.start" ? "b" : "e", cat: "task", id: `t${e.instance}.${e.task}` };
    case "subtask.start":
    case "subtask.resolve":
      return { ph: e.kind === "subtask.start" ? "b" : "e", cat: "subtask", id: `s${e.instance}.${e.id}` };
    case "host.begin":
    case "host.end":
      return { ph: e.kind === "host.begin" ? "b" : "e", cat: "host", id: `h${e.instance}.${e.id}` };
    case "wait.begin":
    case "wait.end":
      return { ph: e.kind === "wait.begin" ? "b" : "e", cat: "wait", id: `w${e.instance}.${e.task}` };
    case "backpressure.on":
    case "backpressure.off":
      return { ph: e.kind === "backpressure.on" ? "b" : "e", cat: "backpressure", id: `bp${e.instance}.${e.task}.${e.id}` };
    default:
      return null;
  }
}

const us = (ns: number | bigint) => Number(ns) / 1000;

/** Our event as one Chrome event; `args` holds every field so import can restore it exactly. */
export function toChrome(e: TraceEvent, taskNames: Map<string, string>): ChromeEvent {
  const args: Record<string, unknown> = { kind: e.kind, ns: Number(e.t) };
  if (e.id !== undefined) args.id = e.id;
  if (e.name !== undefined) args.name = e.name;
  if (e.count !== undefined) args.count = e.count;
  if (e.end !== undefined) args.end = e.end;
  if (e.detail !== undefined) args.detail = e.detail;
  const base = { pid: e.instance, tid: e.task, ts: us(e.t), args };
  if (e.kind === "instance") return { ...base, ph: "M", name: "process_name", tid: 0, args: { ...args, name: e.name ?? `instance ${e.instance}` } };
  const pair = asyncPair(e);
  const name = e.kind.startsWith("task.") ? (taskNames.get(`${e.instance}:${e.task}`) ?? `task ${e.task}`) : (e.name ?? e.kind);
  if (pair) return { ...base, ph: pair.ph, cat: pair.cat, id: pair.id, name };
  const label = e.count !== undefined ? `${e.kind} ${e.count}` : e.kind;
  return { ...base, ph: "i", s: "t", cat: e.kind.split(".")[0]!, name: label };
}

/** Our event back from a Chrome event written by `toChrome`; null for events we did not write. */
export function fromChrome(c: ChromeEvent): TraceEvent | null {
  const a = c.args;
  if (!a || typeof a.kind !== "string" || !(TRACE_KINDS as readonly string[]).includes(a.kind) || typeof a.ns !== "number") return null;
  const e: TraceEvent = { t: nanos(BigInt(a.ns)), kind: a.kind as TraceKind, instance: c.pid, task: a.kind === "instance" ? 0 : c.tid };
  if (typeof a.id === "number") e.id = a.id;
  if (typeof a.name === "string") e.name = a.name;
  if (typeof a.count === "number") e.count = a.count;
  if (a.end === "readable" || a.end === "writable") e.end = a.end;
  if (typeof a.detail === "string") e.detail = a.detail;
  return e;
}

/**
 * The whole trace as Chrome Trace Event JSON text, one event per line. Flow events ("s"/"f") for
 * the layout's stream/future transfers and thread names for tasks are added for Perfetto.
 */
export function exportChromeTrace(store: TraceStore, layout: TimelineLayout, meta: { component: string }): string {
  const taskNames = new Map<string, string>();
  const lines: string[] = [];
  for (const lane of layout.lanes) {
    for (const g of lane.groups) {
      taskNames.set(`${lane.instance}:${g.task}`, g.name);
      lines.push(JSON.stringify({ ph: "M", name: "thread_name", pid: lane.instance, tid: g.task, ts: 0, args: { name: g.task === 0 ? g.name : `${g.name} (task ${g.task})` } }));
    }
  }
  for (let i = 0; i < store.length; i++) lines.push(JSON.stringify(toChrome(store.event(i), taskNames)));
  layout.transfers.forEach((tr, n) => {
    const common = { cat: `${tr.kind}-copy`, name: `${tr.label}: ${tr.count}`, id: `c${n}` };
    lines.push(JSON.stringify({ ...common, ph: "s", pid: tr.from.group.lane.instance, tid: tr.from.group.task, ts: us(tr.from.t) }));
    lines.push(JSON.stringify({ ...common, ph: "f", bp: "e", pid: tr.to.group.lane.instance, tid: tr.to.group.task, ts: us(tr.to.t) }));
  });
  const header = JSON.stringify({
    displayTimeUnit: "ns",
    otherData: { producer: PRODUCER, component: meta.component, fidelity: store.fidelity ?? "host-boundary", dropped: store.dropped },
  });
  return `${header.slice(0, -1)},"traceEvents":[\n${lines.join(",\n")}\n]}\n`;
}

export interface ImportedTrace {
  fidelity: TraceFidelity;
  component: string;
  dropped: number;
}

export class TraceImportError extends Error {}

/**
 * Reads Chrome Trace Event JSON written by `exportChromeTrace`, handing events over in slices and
 * yielding to the event loop between them (`yieldNow`): a slice ends after `budgetMs` of work or
 * `slice` events, whichever comes first. Text laid out some other way (valid JSON nonetheless) is
 * parsed in one piece.
 */
export async function importChromeTrace(
  text: string,
  onEvents: (events: TraceEvent[], progress: number) => void,
  options: { slice?: number; budgetMs?: number; yieldNow?: () => Promise<void>; onMeta?: (meta: ImportedTrace) => void } = {},
): Promise<ImportedTrace> {
  const slice = options.slice ?? 20_000;
  const budgetMs = options.budgetMs ?? 8;
  const yieldNow = options.yieldNow ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  const firstBreak = text.indexOf("\n");
  const head = firstBreak < 0 ? "" : text.slice(0, firstBreak);
  let meta: { otherData?: { producer?: string; component?: string; fidelity?: TraceFidelity; dropped?: number } };
  // Yields each event with how far through the input it is (0..1).
  let body: () => Generator<[ChromeEvent, number]>;
  if (head.endsWith('"traceEvents":[')) {
    try {
      meta = JSON.parse(`${head}]}`);
    } catch {
      throw new TraceImportError("The file's first line is not the start of a Chrome trace.");
    }
    body = function* () {
      let at = firstBreak + 1;
      while (at < text.length) {
        let nl = text.indexOf("\n", at);
        if (nl < 0) nl = text.length;
        let line = text.slice(at, nl);
        at = nl + 1;
        if (line.startsWith("]")) return;
        if (line.endsWith(",")) line = line.slice(0, -1);
        yield [JSON.parse(line) as ChromeEvent, at / text.length];
      }
    };
  } else {
    let whole: { traceEvents?: ChromeEvent[]; otherData?: typeof meta.otherData } | ChromeEvent[];
    try {
      whole = JSON.parse(text);
    } catch (err) {
      throw new TraceImportError(`Not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = Array.isArray(whole) ? whole : whole.traceEvents;
    if (!Array.isArray(list)) throw new TraceImportError("Not a Chrome trace: no traceEvents array.");
    meta = Array.isArray(whole) ? {} : whole;
    body = function* () {
      for (let i = 0; i < list.length; i++) yield [list[i]!, (i + 1) / list.length];
    };
  }
  if (meta.otherData?.producer !== PRODUCER) {
    throw new TraceImportError(`This trace was not exported by the ${PRODUCER} (its events carry no playground fields); open it in Perfetto (ui.perfetto.dev) instead.`);
  }
  const imported: ImportedTrace = {
    fidelity: meta.otherData.fidelity ?? "host-boundary",
    component: meta.otherData.component ?? "imported trace",
    dropped: meta.otherData.dropped ?? 0,
  };
  options.onMeta?.(imported);
  let batch: TraceEvent[] = [];
  let sliceStart = performance.now();
  let n = 0;
  for (const [c, progress] of body()) {
    const e = fromChrome(c);
    if (e) batch.push(e);
    if (batch.length >= slice || ((++n & 255) === 0 && performance.now() - sliceStart > budgetMs)) {
      onEvents(batch, progress);
      batch = [];
      await yieldNow();
      sliceStart = performance.now();
    }
  }
  if (batch.length > 0) onEvents(batch, 1);
  return imported;
}
