/**
 * What engine/cm needs from a trace recorder (src/engine/trace.ts implements it): one method per
 * event kind of protocol/trace-events.ts, taking that kind's fields. Every method takes the
 * instance (its lane; 0 is the host) and the task (0 when none) first.
 */
export interface TraceSink {
  readonly enabled: boolean;
  /**
   * Guest code is about to run (an entry, or a stack resumed): the recorder may post what it has,
   * since the guest may never give the host's event loop a turn again (a loop that never ends).
   */
  entering(): void;
  /**
   * Instance `instance` is the component `name`: a path from the root (`app.wasm/router`, the
   * nested instance's name from the component-name section); `parent` is the instance it was
   * instantiated in (absent for a root), so a composition's nested instances group under theirs.
   */
  instance(instance: number, name: string, parent?: number): void;
  /**
   * The task of export `name` starts; `caller` is the guest caller's subtask (unique in the run,
   * so it names the caller's instance and task too), absent when the host called.
   */
  taskStart(instance: number, task: number, name: string, caller?: number): void;
  taskReturn(instance: number, task: number, name: string): void;
  taskCancel(instance: number, task: number, name: string): void;
  /** The task's code finished; `outcome` says how when it did not return normally (e.g. "failed"). */
  taskEnd(instance: number, task: number, name: string, outcome?: string): void;
  /** A task calls `callee`, as `subtask`. */
  subtaskStart(instance: number, task: number, subtask: number, callee: string): void;
  subtaskResolve(instance: number, task: number, subtask: number, callee: string, state: "returned" | "cancelled"): void;
  /** A task blocks: on the waitable `set` with `count` members, or on `what` (a blocked stack). */
  waitBegin(instance: number, task: number, what: string | undefined, set?: number, count?: number): void;
  /** The wait ends, with `event` delivered from `set`, or `what` ready. */
  waitEnd(instance: number, task: number, what: string | undefined, set?: number, event?: string): void;
  /** A task waiting on `set` is woken (an event arrived); it is scheduled until its `waitEnd`. */
  taskWake(instance: number, task: number, set: number): void;
  /** A task yields; `set` is what its callback returned with the code. */
  yield(instance: number, task: number, set?: number): void;
  /**
   * A read on a stream's readable end moved `count` elements (a write, on its writable end);
   * `name` is the host function on a host edge, `result` how the copy ended ("completed",
   * "dropped", "cancelled"), or "blocked" (count 0) when the copy could not finish at once: it
   * is recorded again when it does.
   */
  streamRead(instance: number, task: number, stream: number, count: number, name?: string, result?: string): void;
  streamWrite(instance: number, task: number, stream: number, count: number, name?: string, result?: string): void;
  streamDrop(instance: number, task: number, stream: number, end: "readable" | "writable", name?: string): void;
  futureRead(instance: number, task: number, future: number, count: number, name?: string, result?: string): void;
  futureWrite(instance: number, task: number, future: number, count: number, name?: string, result?: string): void;
  futureDrop(instance: number, task: number, future: number, end: "readable" | "writable", name?: string): void;
  /** Backpressure goes on or off: of an instance (`name`: the export kept waiting), or of a writer on `stream`. */
  backpressure(on: boolean, instance: number, task: number, stream?: number, name?: string): void;
  /** A host import call `name` begins; `call` pairs it with its end. */
  hostBegin(instance: number, task: number, call: number, name: string): void;
  /** `outcome` when it did not return normally: "err" (a `result` error) or "threw". */
  hostEnd(instance: number, task: number, call: number, name: string, outcome?: string): void;
}
