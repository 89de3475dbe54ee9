/**
 * Step mode: the trace event by event, each named as the Component Model step it records
 * (CanonicalABI.md: `canon lift`, `canon lower`, `task.return`, `waitable-set.wait`,
 * `stream.read` BLOCKED then COMPLETED, ...). Pure, over the stored events.
 */
import type { TraceEvent } from "../../protocol/trace-events";
import { formatNs } from "./TimeScale";
import type { TraceStore } from "./traceStore";

export interface Step {
  /** Store index of the event. */
  event: number;
  t: number;
  /** The spec step, e.g. `stream.read BLOCKED`. */
  step: string;
  /** What it did, in a sentence. */
  text: string;
}

const UPPER = (s: string | undefined) => (s ?? "").toUpperCase();

/** Event `i` of the store as a step. */
export function stepAt(store: TraceStore, i: number): Step {
  const e = store.event(i);
  const [step, text] = describe(e);
  return { event: i, t: Number(e.t), step, text };
}

/** The step's one line for the step bar: `#12 · 3.2 ms · stream.read BLOCKED: ...`. */
export function stepLine(store: TraceStore, i: number): string {
  const s = stepAt(store, i);
  return `#${i + 1} of ${store.length} · ${formatNs(s.t)} · ${s.step}: ${s.text}`;
}

function describe(e: TraceEvent): [string, string] {
  const task = `task ${e.task}`;
  switch (e.kind) {
    case "instance":
      return ["instantiate", `component instance ${e.instance} is ${e.name ?? "created"}`];
    case "task.start":
      return ["canon lift", `a call to '${e.name}' starts ${task}${e.id !== undefined ? `, for subtask ${e.id} of its caller` : ", called by the host"}`];
    case "task.return":
      return ["task.return", `${task} ('${e.name}') hands its result to its caller`];
    case "task.cancel":
      return ["task.cancel", `${task} ('${e.name}') acknowledges its cancellation`];
    case "task.end":
      return ["task exit", `${task} ('${e.name}') finishes${e.detail ? ` (${e.detail})` : ": its callback returned EXIT"}`];
    case "subtask.start":
      return ["canon lower", `${task} calls '${e.name}' as subtask ${e.id}`];
    case "subtask.resolve":
      return [`subtask ${UPPER(e.detail)}`, `subtask ${e.id} ('${e.name}') of ${task} is ${e.detail}`];
    case "wait.begin":
      return e.name !== undefined
        ? [e.name, `${task}'s core stack blocks in ${e.name} (suspended)`]
        : ["waitable-set.wait", `${task}'s callback returned WAIT on waitable set ${e.id}${e.count !== undefined ? ` (${e.count} waitable${e.count === 1 ? "" : "s"})` : ""}: it is idle until an event arrives`];
    case "task.wake":
      return ["event delivered", `an event reached waitable set ${e.id}: ${task} is woken and scheduled, waiting for its turn to run`];
    case "wait.end":
      return e.name !== undefined ? [`${e.name} returns`, `${task}'s stack resumes`] : ["callback", `${task}'s callback runs with event ${e.detail ?? "none"}`];
    case "yield":
      return ["thread.yield", `${task}'s callback returned YIELD: it lets other tasks run and stays scheduled`];
    case "stream.read":
    case "stream.write":
    case "future.read":
    case "future.write":
      return copy(e, task);
    case "stream.drop":
    case "future.drop":
      return [`${e.kind}-${e.end ?? "end"}`, `${e.name ?? task} drops the ${e.end ?? ""} end of ${e.kind.split(".")[0]} ${e.id}`];
    case "backpressure.on":
      return e.id !== undefined
        ? [`stream.write BLOCKED`, `no reader is reading stream ${e.id}: ${task}'s write waits (backpressure)`]
        : ["backpressure.inc", `instance ${e.instance} refuses new tasks${e.name ? `; '${e.name}' waits to enter` : ""}`];
    case "backpressure.off":
      return e.id !== undefined ? ["backpressure off", `a reader took from stream ${e.id}: ${task}'s write can complete`] : ["backpressure.dec", `instance ${e.instance} takes new tasks again`];
    case "host.begin":
      return ["host call", `the host runs ${e.name} for ${task}`];
    case "host.end":
      return ["host call returns", `${e.name} ${e.detail ? `ended: ${e.detail}` : "returned"}`];
  }
}

function copy(e: TraceEvent, task: string): [string, string] {
  const [family, op] = e.kind.split(".") as [string, string];
  const who = e.name ?? task;
  const what = `${family} ${e.id}`;
  switch (e.detail) {
    case "blocked":
      return [`${e.kind} BLOCKED`, `${who}'s ${op} on ${what} cannot finish yet: ${op === "read" ? "nothing was written" : "nobody reads"}; it returns BLOCKED and completes later`];
    case "dropped":
      return [`${e.kind} DROPPED`, `${who}'s ${op} on ${what} ends after ${e.count ?? 0} element(s): the other end was dropped`];
    case "cancelled":
      return [`${e.kind} CANCELLED`, `${who}'s ${op} on ${what} was cancelled after ${e.count ?? 0} element(s)`];
    default:
      return [`${e.kind} COMPLETED`, `${who} ${op === "read" ? "read" : "wrote"} ${e.count ?? 0} element(s) ${op === "read" ? "from" : "to"} ${what}`];
  }
}
