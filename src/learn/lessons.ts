/**
 * The lessons, in order: from a first component through tasks, waiting, streams, futures,
 * cancellation and errors to HTTP handler concurrency and composition across async boundaries.
 * Each exercise is a JS guest (built with componentize-qjs) with a starter whose check fails and a
 * reference solution whose check passes (src/learn/lessons.test.ts runs both on engine/cm).
 */
import type { Invocation } from "../protocol/runtime";
import type { TraceEvent } from "../protocol/trace-events";
import type { CheckResult, Lesson, LessonComposition, LessonRun } from "./lesson";
import { maxConcurrency } from "../base/intervals";
import { callsNamed, tasksNamed } from "./measure";

const pass = (message: string): CheckResult => ({ pass: true, message });
const fail = (message: string): CheckResult => ({ pass: false, message });

/** The outcome as one line, for messages. */
function outcomeText(run: LessonRun): string {
  const o = run.outcome;
  if (o === null) return "the run did not finish";
  if (o.kind === "returned") return `it returned ${o.value}`;
  if (o.kind === "exit") return `it exited with code ${o.code}`;
  return `it ended with ${o.kind === "trap" ? "a trap" : "an error"}: ${o.message}`;
}

/** A failed run is what to fix first, before anything the trace says. */
function ranToEnd(run: LessonRun): CheckResult | null {
  const o = run.outcome;
  if (o === null || o.kind === "trap" || o.kind === "error") return fail(`The run has to finish first: ${outcomeText(run)}.`);
  return null;
}

const copiesOf = (events: readonly TraceEvent[], kind: TraceEvent["kind"]) => events.filter((e) => e.kind === kind && e.instance !== 0 && (e.count ?? 0) > 0);

const CLOCK = 'import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";\n\nconst NS_PER_MS = 1_000_000; // durations are nanoseconds (a u64, a JS number here)\n';

const UTF8 = `// QuickJS has no TextEncoder: UTF-8 by hand.
function utf8(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}
`;

const first: Lesson = {
  id: "first-component",
  title: "Your first component",
  text: `A component is a WebAssembly module wrapped with a typed interface written in WIT. The world below exports one function, \`greet\`; the guest (JavaScript, compiled with componentize-qjs) implements it.

When the host calls an export, the Component Model starts a **task** for the call: it lifts the arguments into the guest, runs the function and lowers the result back. A synchronous function like \`greet\` runs its task start to end without waiting.`,
  lookFor: "One lane (the component) with one task bar, `greet`, and its return marker.",
  emphasis: { kinds: ["task", "task.return"] },
  exercise: {
    goal: "Make `greet(\"Ada\")` return `Hello, Ada!`.",
    wit: `package learn:first;

world first {
  /// Returns a greeting for \`name\`.
  export greet: func(name: string) -> string;
}
`,
    starter: { guest: `export function greet(name) {\n  return "";\n}\n`, invoke: { kind: "call", iface: null, func: "greet", args: ["Ada"] } },
    solution: { guest: "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n", invoke: { kind: "call", iface: null, func: "greet", args: ["Ada"] } },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const tasks = tasksNamed(run.trace.tasks, "greet");
    if (tasks.length === 0) return fail("The timeline shows no `greet` task: run the exercise with the timeline open.");
    const value = run.outcome?.kind === "returned" ? run.outcome.value : "";
    if (!value.includes("Hello, Ada!")) return fail(`\`greet\` ran as a task, but ${outcomeText(run)}: it should return "Hello, Ada!".`);
    return pass("`greet` ran as one task and returned the greeting.");
  },
};

const tasks: Lesson = {
  id: "tasks-and-subtasks",
  title: "Tasks and subtasks",
  text: `An \`async func\` export runs as a task that may wait. Each call it makes to an async import (here \`wait-for\` from \`wasi:clocks/monotonic-clock\`) is a **subtask**: the callee's own work, which the caller can wait on.

In JS, calling an async import returns a promise; \`await\` hands control back to the host until the subtask resolves.`,
  lookFor: "The `steps` task and, under it, one subtask row per `wait-for` call.",
  emphasis: { kinds: ["task", "subtask", "host"] },
  exercise: {
    goal: "`steps(count)` should take `count` steps: one 10 ms `wait-for` each (the run calls `steps(3)`).",
    wit: `package learn:tasks;

world tasks {
  import wasi:clocks/monotonic-clock@0.3.0;

  /// Takes \`count\` steps of 10 ms; returns how many it took.
  export steps: async func(count: u32) -> u32;
}
`,
    starter: {
      guest: `${CLOCK}
export async function steps(count) {
  await waitFor(10 * NS_PER_MS);
  return 1;
}
`,
      invoke: { kind: "call", iface: null, func: "steps", args: ["3"] },
    },
    solution: {
      guest: `${CLOCK}
export async function steps(count) {
  for (let i = 0; i < count; i++) await waitFor(10 * NS_PER_MS);
  return count;
}
`,
      invoke: { kind: "call", iface: null, func: "steps", args: ["3"] },
    },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const task = tasksNamed(run.trace.tasks, "steps")[0];
    if (!task) return fail("The timeline shows no `steps` task: run the exercise with the timeline open.");
    const waits = callsNamed([task], "wait-for").length;
    if (waits < 3) return fail(`The \`steps\` task made ${waits} \`wait-for\` subtask${waits === 1 ? "" : "s"}; \`steps(3)\` should make 3.`);
    return pass(`The \`steps\` task made ${waits} \`wait-for\` subtasks, one per step.`);
  },
};

const waiting: Lesson = {
  id: "waiting",
  title: "Waiting: make these waits overlap",
  text: `A task that awaits one subtask at a time waits for each in turn. A task can instead start several subtasks and wait for all of them: the guest puts them in a **waitable set** and calls \`waitable-set.wait\`, which returns whenever any of them has news.

In JS, \`Promise.all\` over several async import calls does exactly that: componentize-qjs starts them all, then waits on the set.`,
  lookFor: "The `wait-for` subtasks of `waits`: one after another in the starter, side by side once they overlap.",
  emphasis: { kinds: ["subtask", "host", "wait"] },
  exercise: {
    goal: "`waits(3, 50)` waits three times 50 ms, one after another (about 150 ms). Make the three waits overlap (about 50 ms in all).",
    wit: `package learn:waiting;

world waiting {
  import wasi:clocks/monotonic-clock@0.3.0;

  /// Waits \`count\` times \`millis\` ms; returns the nanoseconds it took.
  export waits: async func(count: u32, millis: u32) -> u64;
}
`,
    starter: {
      guest: `${CLOCK}import { now } from "wasi:clocks/monotonic-clock@0.3.0";

export async function waits(count, millis) {
  const start = now();
  for (let i = 0; i < count; i++) await waitFor(millis * NS_PER_MS);
  return now() - start;
}
`,
      invoke: { kind: "call", iface: null, func: "waits", args: ["3", "50"] },
    },
    solution: {
      guest: `${CLOCK}import { now } from "wasi:clocks/monotonic-clock@0.3.0";

export async function waits(count, millis) {
  const start = now();
  const all = [];
  for (let i = 0; i < count; i++) all.push(waitFor(millis * NS_PER_MS));
  await Promise.all(all);
  return now() - start;
}
`,
      invoke: { kind: "call", iface: null, func: "waits", args: ["3", "50"] },
    },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const calls = callsNamed(tasksNamed(run.trace.tasks, "waits"), "wait-for");
    if (calls.length < 3) return fail(`\`waits(3, 50)\` made ${calls.length} \`wait-for\` calls; it should make 3.`);
    const peak = maxConcurrency(calls);
    if (peak < 3) return fail(`At most ${peak} of the 3 waits ran at once: start them all before awaiting any (Promise.all).`);
    return pass("All 3 waits overlapped: the task waited on them together.");
  },
};

const streams: Lesson = {
  id: "streams",
  title: "Streams and backpressure",
  text: `A \`stream<u8>\` carries bytes from a writer to a reader, copy by copy. The writer's copy completes only when the reader reads: a writer that gets ahead waits (**backpressure**), so neither side buffers without bound.

In JS, returning an async generator from an export lowers it to a stream: each \`yield\` is one write, and the generator resumes only when the host has taken the bytes.`,
  lookFor: "The `stream` copy markers of `lines`, and any backpressure band where the writer waited for the host.",
  emphasis: { kinds: ["stream", "backpressure"] },
  exercise: {
    goal: "`lines(5)` sends its 5 lines as one write. Send them as they are made: one write per line, 20 ms apart.",
    wit: `package learn:streams;

world streams {
  import wasi:clocks/monotonic-clock@0.3.0;

  /// \`n\` lines of text, as a stream of bytes.
  export lines: async func(n: u32) -> stream<u8>;
}
`,
    starter: {
      guest: `${CLOCK}
${UTF8}
export async function lines(n) {
  let text = "";
  for (let i = 1; i <= n; i++) {
    await waitFor(20 * NS_PER_MS); // making a line takes a while
    text += \`line \${i} of \${n}\\n\`;
  }
  return [utf8(text)];
}
`,
      invoke: { kind: "call", iface: null, func: "lines", args: ["5"] },
    },
    solution: {
      guest: `${CLOCK}
${UTF8}
async function* produce(n) {
  for (let i = 1; i <= n; i++) {
    await waitFor(20 * NS_PER_MS); // making a line takes a while
    yield utf8(\`line \${i} of \${n}\\n\`);
  }
}

export async function lines(n) {
  return produce(n);
}
`,
      invoke: { kind: "call", iface: null, func: "lines", args: ["5"] },
    },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const writes = copiesOf(run.events, "stream.write");
    if (writes.length < 5) return fail(`The guest wrote the stream in ${writes.length} cop${writes.length === 1 ? "y" : "ies"}; write each of the 5 lines as it is made (yield from an async generator).`);
    return pass(`The guest wrote ${writes.length} copies to the stream: the host read each line as it came.`);
  },
};

const futures: Lesson = {
  id: "futures",
  title: "Futures",
  text: `A \`future<T>\` is a single value that arrives later. \`wasi:cli/stdout\`'s \`write-via-stream\` takes a stream of bytes and returns a \`future<result<_, error-code>>\`: it resolves when the host has written everything, or failed to.

A guest that never reads that future cannot know whether its output arrived. In JS a future is not a promise: call \`read()\` on it and await that.`,
  lookFor: "The `future` markers of `say`: the host writing the result and the guest reading it.",
  emphasis: { kinds: ["future", "stream"] },
  exercise: {
    goal: "`say(text)` writes to stdout but never learns whether it worked. Read the future `writeViaStream` returns, and fail if it reports an error.",
    wit: `package learn:futures;

world futures {
  import wasi:cli/stdout@0.3.0;

  /// Writes \`text\` and a newline to stdout.
  export say: async func(text: string);
}
`,
    starter: {
      guest: `import { writeViaStream } from "wasi:cli/stdout@0.3.0";

${UTF8}
export async function say(text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  writeViaStream(readable);
  await writable.writeAll(utf8(text + "\\n"));
  writable.drop();
}
`,
      invoke: { kind: "call", iface: null, func: "say", args: ["hello, future"] },
    },
    solution: {
      guest: `import { writeViaStream } from "wasi:cli/stdout@0.3.0";

${UTF8}
export async function say(text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = writeViaStream(readable);
  await writable.writeAll(utf8(text + "\\n"));
  writable.drop();
  const result = await done.read();
  if (result && result.tag === "err") throw new Error(\`stdout: \${result.val}\`);
}
`,
      invoke: { kind: "call", iface: null, func: "say", args: ["hello, future"] },
    },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const reads = copiesOf(run.events, "future.read");
    if (reads.length === 0) return fail("The guest never read a future: keep what `writeViaStream` returns and `await done.read()` after dropping the writer.");
    return pass("The guest read the completion future: it knows its output arrived.");
  },
};

const cancellation: Lesson = {
  id: "cancellation",
  title: "Cancellation: stop waiting for what you no longer need",
  text: `A caller may give up on a subtask: \`subtask.cancel\` asks the callee to stop, and the callee sees a \`task-cancelled\` event in its next wait. Either way, the caller does not have to wait for it.

A JS guest cannot cancel its import calls by hand; it can still stop waiting. Race the slow call against a timeout: the task returns when the timeout fires, and the slow subtask ends on its own later.`,
  lookFor: "The `fetch` task's return marker, before the slow `wait-for` ends.",
  emphasis: { kinds: ["task.return", "task.cancel", "subtask", "host"] },
  exercise: {
    goal: "`fetch(300, 50)` waits 300 ms for a slow answer. Give up after the limit (50 ms) and return `timed out` instead.",
    wit: `package learn:cancel;

world cancel {
  import wasi:clocks/monotonic-clock@0.3.0;

  /// A slow answer (\`slow-ms\`), unless it takes longer than \`limit-ms\`.
  export fetch: async func(slow-ms: u32, limit-ms: u32) -> string;
}
`,
    starter: {
      guest: `${CLOCK}
export async function fetch(slowMs, limitMs) {
  await waitFor(slowMs * NS_PER_MS);
  return "done";
}
`,
      invoke: { kind: "call", iface: null, func: "fetch", args: ["300", "50"] },
    },
    solution: {
      guest: `${CLOCK}
export async function fetch(slowMs, limitMs) {
  const slow = waitFor(slowMs * NS_PER_MS).then(() => "done");
  const limit = waitFor(limitMs * NS_PER_MS).then(() => "timed out");
  return Promise.race([slow, limit]);
}
`,
      invoke: { kind: "call", iface: null, func: "fetch", args: ["300", "50"] },
    },
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const task = tasksNamed(run.trace.tasks, "fetch")[0];
    if (!task) return fail("The timeline shows no `fetch` task: run the exercise with the timeline open.");
    const returned = run.events.find((e) => e.kind === "task.return" && e.task === task.id);
    const slowest = callsNamed([task], "wait-for").reduce((a, c) => Math.max(a, c.end), -Infinity);
    if (!returned) return fail("`fetch` never returned.");
    if (!(Number(returned.t) < slowest)) return fail(`\`fetch\` returned only after its slowest wait ended (${outcomeText(run)}): return when the limit passes (Promise.race).`);
    if (slowest === Infinity) return pass("`fetch` returned while its slow call was still waiting: it did not wait for what it no longer needed.");
    return pass(`\`fetch\` returned ${Math.round((slowest - Number(returned.t)) / 1e6)} ms before its slow call ended.`);
  },
};

const portWorld = (result: string) => `package learn:errors;

world errors {
  /// The port number in \`text\`.
  export parse-port: func(text: string) -> ${result};
}
`;

const errors: Lesson = {
  id: "errors-and-traps",
  title: "Errors and traps",
  text: `Two kinds of failure. An **error** is a value the interface declares: a function returning \`result<u16, string>\` returns \`err(reason)\`, the caller handles it and everything goes on. A **trap** is the guest breaking off: an uncaught exception where the interface declares no error, a value that does not fit its type. The call fails and the instance may not be used again.

In componentize-qjs, a function whose WIT result is a \`result\` turns a thrown exception into \`err\`; any other function that throws traps.`,
  lookFor: "The `parse-port` task: it fails (a trap) in the starter, and returns in the solution.",
  emphasis: { kinds: ["task", "task.return"] },
  exercise: {
    goal: "`parse-port(\"http\")` traps. Declare the failure in the WIT (`-> result<u16, string>`) so the caller gets `err(reason)` instead.",
    wit: portWorld("u16"),
    starter: {
      guest: `export function parsePort(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(\`not a port: \${text}\`);
  return n;
}
`,
      invoke: { kind: "call", iface: null, func: "parse-port", args: ["http"] },
    },
    solution: {
      wit: portWorld("result<u16, string>"),
      guest: `export function parsePort(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw \`not a port: \${text}\`;
  return n;
}
`,
      invoke: { kind: "call", iface: null, func: "parse-port", args: ["http"] },
    },
  },
  check(run) {
    const o = run.outcome;
    if (o?.kind === "trap") return fail(`The call trapped (${o.message}): make the function return a result<u16, string> in the WIT, so a bad port is an err.`);
    const failed = ranToEnd(run);
    if (failed) return failed;
    if (o?.kind !== "returned" || !o.value.startsWith("err(")) return fail(`${outcomeText(run)}: "http" is not a port, so the result should be err(reason).`);
    return pass(`The call returned ${o.value}: an error the caller can handle, not a trap.`);
  },
};

const HTTP_WIT = `package learn:http;

world server {
  import wasi:clocks/monotonic-clock@0.3.0;

  /// Answers HTTP requests: one task per request.
  export wasi:http/handler@0.3.0;
}
`;

const httpGuest = (spin: boolean) => `import { Fields, Response } from "wasi:http/types@0.3.0";
import { now, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

const WORK_NS = 100_000_000; // 100 ms (a duration is a u64 of nanoseconds, a JS number here)

${UTF8}
/** A response: status, headers, and a body that is any iterable of byte chunks (a stream<u8>). */
function respond(status, headers, chunks) {
  const fields = Fields.fromList(headers.map(([k, v]) => [k, utf8(v)]));
  const trailers = wit.Future.from(Promise.resolve({ tag: "ok", val: undefined }), wit.Future.RESULT_OPTION_OTHER_ERROR_CODE).readable;
  const [response] = Response.new(fields, chunks, trailers);
  response.setStatusCode(status);
  return response;
}
${
  spin
    ? `
export const handler = {
  async handle(request) {
    // The work: 100 ms of computing. The thread is busy; no other request gets in.
    const until = now() + WORK_NS;
    let sum = 0;
    while (now() < until) for (let i = 0; i < 10_000; i++) sum += i; // a look at the clock now and then
    return respond(200, [["content-type", "text/plain"]], [utf8("work done\\n")]);
  },
};
`
    : `
export const handler = {
  async handle(request) {
    await waitFor(WORK_NS);
    return respond(200, [["content-type", "text/plain"]], [utf8("work done\\n")]);
  },
};
`
}`;

const http: Lesson = {
  id: "http-concurrency",
  title: "HTTP handler concurrency",
  text: `A component that exports \`wasi:http/handler\` answers each request in a task of its own, all in one instance. While one request's task waits, another's can run: a handler serves many requests at once without threads.

The lesson serves the component in the page and sends it 3 requests at once. Each does 100 ms of (waiting) work.`,
  lookFor: "The `handle` tasks, one per request, and their `wait-for` calls: in a row in the starter, side by side once they overlap.",
  emphasis: { kinds: ["task", "subtask", "host"] },
  exercise: {
    goal: "The handler computes through its 100 ms of work, so the 3 requests are handled one after another (about 300 ms). Wait for the time to pass instead (`wait-for`), so they overlap.",
    wit: HTTP_WIT,
    starter: { guest: httpGuest(true), invoke: { kind: "serve" } },
    solution: { guest: httpGuest(false), invoke: { kind: "serve" } },
    requests: { method: "GET", path: "/work", count: 3 },
  },
  check(run) {
    const handles = tasksNamed(run.trace.tasks, "handle");
    if (handles.length < 3) return fail(`The trace shows ${handles.length} \`handle\` task${handles.length === 1 ? "" : "s"}; the lesson sends 3 requests.`);
    const peak = maxConcurrency(handles);
    if (peak < 3) return fail(`At most ${peak} of the 3 requests were handled at a time: a handler that computes holds the instance, so the next request cannot start. Wait with \`wait-for\` instead.`);
    return pass("The 3 requests' work overlapped in one instance.");
  },
};

const UPSTREAM_WIT = `package playground:gateway@0.1.0;

/// A backend service: the gateway's router imports it twice, as \`users\` and as \`orders\`.
interface upstream {
  /// The resource at \`path\`: ok(JSON body) or err("404 ..." reason).
  fetch: async func(path: string) -> result<string, string>;
}

world upstream-service {
  import wasi:clocks/monotonic-clock@0.3.0;

  export upstream;
}
`;

const upstreamGuest = (blocking: boolean) => `import { now, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

const NS_PER_MS = 1_000_000; // durations are nanoseconds (a u64, a JS number here)

/** path -> [latency in ms, JSON body]. */
const RESOURCES = new Map([
  ["/users/alice", [40, '{"name":"Alice","plan":"pro"}']],
  ["/orders/alice", [40, '[{"id":1041,"item":"teapot"}]']],
]);
${
  blocking
    ? `
/** Computes for \`ms\`: the whole thread is busy, nothing else runs meanwhile. */
function busy(ms) {
  const until = now() + ms * NS_PER_MS;
  let sum = 0;
  while (now() < until) for (let i = 0; i < 10_000; i++) sum += i; // a look at the clock now and then
}

export const upstream = {
  // result<string, string>: return the body, throw the reason.
  async fetch(path) {
    const found = RESOURCES.get(path);
    busy(found ? found[0] : 2);
    if (!found) throw \`404 nothing at \${path}\`;
    return found[1];
  },
};
`
    : `
export const upstream = {
  // result<string, string>: return the body, throw the reason.
  async fetch(path) {
    const found = RESOURCES.get(path);
    await waitFor((found ? found[0] : 2) * NS_PER_MS);
    if (!found) throw \`404 nothing at \${path}\`;
    return found[1];
  },
};
`
}`;

const gw = (name: string) => `playground:gateway/${name}@0.1.0`;

/** examples/gateway's graph (src/examples/graphs.ts), the learner's backend as `users` and `orders`. */
const GATEWAY: LessonComposition = {
  name: "gateway",
  parts: [
    { instance: "keys", component: "gateway-keys" },
    { instance: "auth", component: "gateway-auth" },
    { instance: "rate-limiter", component: "gateway-rate-limiter" },
    { instance: "users", component: null },
    { instance: "orders", component: null },
    { instance: "router", component: "gateway-router" },
  ],
  wires: [
    { importer: "auth", name: gw("keys"), exporter: "keys", export: gw("keys") },
    { importer: "router", name: gw("limits"), exporter: "rate-limiter", export: gw("limits") },
    { importer: "router", name: gw("auth"), exporter: "auth", export: gw("auth") },
    { importer: "router", name: gw("users"), exporter: "users", export: gw("upstream") },
    { importer: "router", name: gw("orders"), exporter: "orders", export: gw("upstream") },
  ],
  export: { instance: "router", name: gw("api") },
};

const GATEWAY_HANDLE: Invocation = { kind: "call", iface: gw("api"), func: "handle", args: ["10.0.0.1", "tok_alice_7f3a", "/me"] };

const compose: Lesson = {
  id: "composition",
  title: "Composition across async boundaries",
  text: `Components compose: one component's imports are wired to another's exports, and each runs as an **instance** of its own (a lane in the timeline). A call across instances is a subtask in the caller and a task in the callee, async on both sides.

The gateway's router answers \`/me\` by calling two backends at once: \`users\` and \`orders\`, two instances of one backend component. You write that backend; the lesson composes it into the gateway (keys, auth, rate-limiter, router from the examples) and calls \`handle(.., "/me")\`. Calls overlap only if the callee waits without holding the thread.`,
  lookFor: "The `users` and `orders` lanes: their `fetch` tasks busy one after the other while the backend computes; their `wait-for` calls side by side once it waits.",
  emphasis: { kinds: ["task", "subtask", "host", "wait"], instances: ["users", "orders"] },
  exercise: {
    goal: "The backend computes through its latency, so the router's two calls run one after the other. Make it wait instead (`wait-for`), so `users` and `orders` answer at the same time.",
    wit: UPSTREAM_WIT,
    starter: { guest: upstreamGuest(true), invoke: GATEWAY_HANDLE },
    solution: { guest: upstreamGuest(false), invoke: GATEWAY_HANDLE },
    composeInto: GATEWAY,
  },
  check(run) {
    const failed = ranToEnd(run);
    if (failed) return failed;
    const users = run.trace.tasks.filter((t) => t.instance === "users");
    const orders = run.trace.tasks.filter((t) => t.instance === "orders");
    if (users.length === 0 || orders.length === 0) return fail(`The trace should show a \`fetch\` task in both the \`users\` and the \`orders\` instance (${outcomeText(run)}).`);
    // Their latencies, not their task bars: a callee's bar stays open past its return until its
    // task exits, so the bars of two calls made one after the other still overlap.
    if (maxConcurrency(callsNamed([...users, ...orders], "wait-for")) < 2) return fail("`users` and `orders` never waited at the same time: a backend that computes through its latency holds the thread, so the second answer only starts after the first. Wait with `wait-for` instead.");
    return pass("`users` and `orders` waited out their latencies at the same time: the calls overlapped across the composition.");
  },
};

/** Every lesson, in the order they are taught. */
export const LESSONS: readonly Lesson[] = [first, tasks, waiting, streams, futures, cancellation, errors, http, compose];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
