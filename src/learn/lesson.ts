/**
 * What a lesson is: text, an exercise (a JS guest with its WIT, a starter and a reference
 * solution, and how to run it), what the timeline should stress, and a check that reads the run's
 * trace. Pure data and functions: the UI and the tests run the exercise and hand the check what
 * came out.
 */
import type { Invocation, RunOutcome } from "../protocol/runtime";
import type { TraceEvent } from "../protocol/trace-events";

/** The timeline's emphasis as data (the UI turns it into the timeline's own `Emphasis`). */
export interface LessonEmphasis {
  /** Span or marker kinds: `task`, `subtask`, `host`, `wait`, `backpressure`, `task.return`, `stream`, `future`... */
  kinds?: string[];
  /** Lane names, e.g. `router`. */
  instances?: string[];
}

/** One way to run the exercise: the guest source (and its WIT, where it differs) and what to invoke. */
export interface Attempt {
  guest: string;
  /** The world, when this attempt changes the exercise's. */
  wit?: string;
  invoke: Invocation;
}

/** For `serve` lessons: the requests the lesson sends at once to the served handler (method, path). */
export interface LessonRequests {
  method: string;
  path: string;
  count: number;
}

export interface Exercise {
  /** What to change, in a sentence or two. */
  goal: string;
  wit: string;
  starter: Attempt;
  solution: Attempt;
  /** Sent concurrently once the component serves (serve lessons only). */
  requests?: LessonRequests;
  /** Runs inside a composition, the built guest as one of its parts; the run invokes its export. */
  composeInto?: LessonComposition;
}

/**
 * A composition of built examples (`component`: a file name in public/components without `.wasm`)
 * and the learner's guest (`component` null), wired export to import, with one export.
 */
export interface LessonComposition {
  name: string;
  parts: Array<{ instance: string; component: string | null }>;
  wires: Array<{ importer: string; name: string; exporter: string; export: string }>;
  export: { instance: string; name: string };
}

/**
 * The part of the timeline's trace query a check reads (`queryTrace` in src/ui/timeline returns a
 * superset): tasks per lane, with their host and subtask calls and waits.
 */
export interface TraceFacts {
  instances: string[];
  tasks: FactTask[];
}

export interface FactInterval {
  start: number;
  end: number;
}

export interface FactTask extends FactInterval {
  id: number;
  name: string;
  instance: string;
  outcome: "returned" | "cancelled" | "failed" | "running";
  calls: Array<FactInterval & { kind: "subtask" | "host"; name: string }>;
  waits: FactInterval[];
}

/** One run of the exercise as the check sees it. */
export interface LessonRun {
  outcome: RunOutcome | null;
  trace: TraceFacts;
  /** The raw events, for what the task model leaves out (stream and future copies, returns). */
  events: readonly TraceEvent[];
}

export interface CheckResult {
  pass: boolean;
  /** What the learner sees: what passed, or what is still wrong and what to try. */
  message: string;
}

export interface Lesson {
  id: string;
  title: string;
  /** Short text, paragraphs separated by blank lines; `code` in backticks. */
  text: string;
  /** What to look for in the timeline (the emphasis stresses exactly that). */
  lookFor: string;
  emphasis: LessonEmphasis;
  exercise: Exercise;
  check: (run: LessonRun) => CheckResult;
}
