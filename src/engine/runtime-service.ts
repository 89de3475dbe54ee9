/**
 * The runtime worker's implementation of `RuntimeApi`: one run = one host + one instance.
 * Output is batched to the main thread; the run's outcome names the component and what happened.
 * Both engines run through one path (`Engine`, engine.ts): timings, exit codes, traps and
 * refusals are mapped here, once.
 */
import { errorMessage } from "../base/assert";
import { jspiAvailable } from "../base/jspi";
import { chunksOf } from "../base/streams";
import { createHost, ExitSignal, servedInterfaceFor, servedInterfaceNames, SocketsCtx, type Host, type Preopen } from "../host";
import { parseAllowList } from "../base/allow-list";
import { NetNode } from "../host/sockets/vnet/node";
import { RemoteFs } from "../host/filesystem/remote";
import { seedWorkspace } from "../host/filesystem/workspace";
import { ROOT_INO } from "../host/filesystem/vfs";
import type { ComponentInfo, EngineName, FuncInfo, InspectResult, PreopenSpec, RunEvent, RunManifest, RunNetwork, RunOutcome, RunPhase, RunTimings, RuntimeApi } from "../protocol/runtime";
import type { RunFilesystem } from "../protocol/fs";
import { ValueFormatter } from "../wit/format";
import { ArgumentError, parseArg } from "../wit/values";
import { notAComponentMessage } from "./binary";
import { isRefusal, type CallResult, type Engine, type EngineInstance, type ExportRef, type Refusal } from "./engine";
import { inspectComponent, NotAComponentError } from "./inspect";
import { indexedDbCache, sha256Hex, type TranspileCache } from "./jco/cache";
import { JcoRunEngine, MissingImportsError } from "./jco/engine";
import { TraceRecorder } from "./trace";
import { EventBatcher } from "./event-batcher";
import { CmRunEngine } from "./cm/engine";
import { liftedBytesToReadable, type LiftedByteStream } from "../host/streams";
import type { HttpCtx } from "../host/http/ctx";
import { listenHttp, type HttpListener } from "../host/http/server";
import { errorAnswer, serveOne, type HandlerCall } from "../host/http/serve";
import { SocketError } from "../host/sockets/errors";
import type { PreviewRequest, PreviewResponse } from "../protocol/preview";

function isStreamLike(v: unknown): v is LiftedByteStream | ReadableStream<Uint8Array> {
  return typeof v === "object" && v !== null && (v instanceof ReadableStream || Symbol.asyncIterator in v);
}

function exitCodeOf(err: unknown, host: Host): number | undefined {
  if (host.cli.exitCode !== undefined) return host.cli.exitCode;
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof ExitSignal) return e.code;
  return undefined;
}

/** Renders a returned value by its WIT type; a returned byte stream is drained to the console. */
async function renderReturned(value: unknown, events: EventBatcher, format: (v: unknown) => string): Promise<string> {
  if (!isStreamLike(value)) return format(value);
  const stdout = events.output("stdout");
  let total = 0;
  for await (const chunk of chunksOf(value instanceof ReadableStream ? value : liftedBytesToReadable(value))) {
    total += chunk.length;
    await stdout.write(chunk);
  }
  return `stream<u8> of ${total} bytes (shown in the console)`;
}

/** The `serve` run going on in this worker: where requests go, and how it ends. */
interface Serving {
  http: HttpCtx;
  handle: HandlerCall;
  /** Ends the run (shutdown: exit 0; a trap: the trap). */
  end(outcome?: RunOutcome): void;
}

/** The most calls one run may start at once (`RunManifest.calls`). */
export const MAX_CONCURRENT_CALLS = 1000;

/** The port on the playground's network a `serve` run listens on when the manifest names none. */
export const DEFAULT_SERVE_PORT = 8080;

export class RuntimeService implements RuntimeApi {
  readonly #engines: { readonly [E in EngineName]: Engine & { readonly name: E } };
  readonly #info = new Map<string, Promise<ComponentInfo>>();
  #serving: Serving | undefined;

  constructor(cache: TranspileCache = indexedDbCache()) {
    this.#engines = { jco: new JcoRunEngine(cache), cm: new CmRunEngine() };
  }

  async features() {
    return { jspi: jspiAvailable() };
  }

  async connectHttp(port: MessagePort): Promise<void> {
    port.onmessage = async (e: MessageEvent<PreviewRequest>) => {
      const req = e.data;
      const s = this.#serving;
      const answer = s ? await serveOne(s.http, s.handle, req) : errorAnswer(503, "Nothing is serving here: the run has ended. Run the component again.");
      const reply: PreviewResponse = { t: "response", id: req.id, status: answer.status, headers: answer.headers, body: answer.body };
      port.postMessage(reply, answer.body ? [answer.body as unknown as Transferable] : []);
    };
  }

  async shutdown(): Promise<void> {
    this.#serving?.end();
  }

  async inspect(name: string, bytes: Uint8Array): Promise<InspectResult> {
    try {
      return { ok: true, info: await this.#inspect(name, bytes, await sha256Hex(bytes)) };
    } catch (err) {
      if (err instanceof NotAComponentError) return { ok: false, message: err.message, hint: err.hint };
      return { ok: false, message: `Could not inspect '${name}': ${errorMessage(err)}` };
    }
  }

  /** Inspection by content: the same bytes are decoded once per worker. */
  #inspect(name: string, bytes: Uint8Array, sha256: string): Promise<ComponentInfo> {
    const key = `${name}:${sha256}`;
    let info = this.#info.get(key);
    if (!info) {
      info = inspectComponent(name, bytes, sha256, servedInterfaceFor);
      this.#info.set(key, info);
      info.catch(() => this.#info.delete(key));
    }
    return info;
  }

  /** The run's sessions on its workspaces, through the fs-owner (`files`). */
  async #preopens(specs: PreopenSpec[], files: Promise<RemoteFs> | undefined): Promise<Preopen[]> {
    if (specs.length === 0) return [];
    if (!files) throw new Error("this run has no connection to the fs-owner worker");
    const remote = await files;
    const out: Preopen[] = [];
    for (const spec of specs) {
      const fs = remote.session(spec.workspace);
      if (spec.reset) {
        await fs.reset();
        await seedWorkspace(fs, spec.reset.files);
      } else {
        // Opens the workspace now, so a damaged one fails the run before it starts.
        await fs.id();
      }
      out.push({ fs, ino: ROOT_INO, guestPath: spec.guestPath, readOnly: Boolean(spec.readOnly) });
    }
    return out;
  }

  async run(m: RunManifest, onEvents: (events: RunEvent[]) => void, net?: RunNetwork, fs?: RunFilesystem): Promise<RunOutcome> {
    const t0 = performance.now();
    const engine = this.#engines[m.engine];
    const events = new EventBatcher(onEvents);
    // Joined to the playground's network before anything can fail, so the hub hears goodbye.
    const sockets = new SocketsCtx({
      node: net ? new NetNode(net.port, m.componentName) : undefined,
      allow: parseAllowList((m.network?.allow ?? []).join("\n")).entries,
      component: m.componentName,
    });
    // Trace time zero is the run's start; events are posted every frame while it goes.
    const rec = m.trace ? new TraceRecorder({ fidelity: engine.fidelity }) : TraceRecorder.disabled();
    const stopTrace = rec.pump((chunk) => events.push({ kind: "trace", chunk }));
    // Closed when the run ends: the owner then lets go of its descriptors and write leases.
    const files = fs ? RemoteFs.connect(fs.port) : undefined;
    const phase = (p: RunPhase, detail?: string) => events.push({ kind: "phase", phase: p, detail, atMs: performance.now() - t0 });
    try {
      if (net) await sockets.node.ready;
      return await this.#run({ m, engine, events, phase, t0, rec, sockets, files });
    } finally {
      void files?.then((f) => f.close());
      sockets.closeAll();
      stopTrace();
      await events.drain();
    }
  }

  /** Decides what to call before any expensive work, then prepares, instantiates and calls. */
  async #run(run: Run): Promise<RunOutcome> {
    const { m, engine } = run;
    const bad = notAComponentMessage(m.componentName, m.bytes);
    if (bad) return { kind: "error", ...bad };
    const unavailable = engine.unavailable();
    if (unavailable) return unavailable;
    run.phase("decoding");
    const sha256 = await sha256Hex(m.bytes);
    let info: ComponentInfo;
    try {
      info = await this.#inspect(m.componentName, m.bytes, sha256);
    } catch (err) {
      if (err instanceof NotAComponentError) return { kind: "error", message: err.message, hint: err.hint };
      throw err;
    }
    const missing = info.imports.filter((i) => !i.providedBy).map((i) => i.name);
    if (missing.length > 0) {
      const e = new MissingImportsError(m.componentName, missing, servedInterfaceNames());
      return { kind: "error", message: e.message, hint: "Compose it with a component that exports those interfaces, or build it without them." };
    }
    const call = callOf(m, info);
    if (isRefusal(call)) return call;

    let preopens: Preopen[];
    try {
      preopens = await this.#preopens(m.preopens ?? [], run.files);
    } catch (err) {
      return { kind: "error", message: `Could not open the workspace: ${errorMessage(err)}`, hint: "The Files panel says more; storage may be unavailable (private mode?)." };
    }
    const host = createHost({
      preopens,
      sockets: run.sockets,
      cli: {
        args: m.args,
        env: m.env,
        stdin: m.stdin,
        stdout: run.events.output("stdout"),
        stderr: run.events.output("stderr"),
      },
      // Both engines suspend the guest (JSPI) on the host functions `suspendingFunctions` names
      // (engine/jco through its transpile plan); without JSPI, engine/cm cannot, so a 0.2 call
      // that must wait fails there with NeedsJspiError.
      blocking: { canSuspend: engine.canSuspend() },
      http: { via: m.network?.http ?? "network", fetch: typeof fetch === "function" ? fetch.bind(globalThis) : undefined },
    });
    return this.#prepareAndCall(run, info, sha256, host, call);
  }

  async #prepareAndCall(run: Run, info: ComponentInfo, sha256: string, host: Host, call: Call): Promise<RunOutcome> {
    const { m, engine, t0 } = run;
    const name = m.componentName;
    const prepStart = performance.now();
    const prepared = await engine.prepare(m.bytes, { componentName: name, sha256, info, onPhase: run.phase });
    if (isRefusal(prepared)) return prepared;
    const prepareMs = performance.now() - prepStart;
    const timings = (instantiateMs: number, runMs: number): RunTimings => ({ engine: engine.name, prepareMs, prepareCached: prepared.cached, instantiateMs, runMs, totalMs: performance.now() - t0 });
    /** A thrown trap, or the guest's exit, as the outcome. */
    const failed = (err: unknown, where: string, t: () => RunTimings): RunOutcome => {
      const code = exitCodeOf(err, host);
      if (code !== undefined) return { kind: "exit", code, timings: t() };
      return { kind: "trap", message: `Component '${name}' ${where}: ${errorMessage(err)}`, timings: t() };
    };

    run.phase("instantiating");
    const instStart = performance.now();
    let instance: EngineInstance | Refusal;
    try {
      instance = await prepared.instantiate({ componentName: name, info, host, trace: run.rec.enabled ? run.rec : null, beforeResume: () => run.events.flush() });
    } catch (err) {
      return failed(err, "failed while instantiating", () => timings(performance.now() - instStart, 0));
    }
    if (isRefusal(instance)) return instance;
    const instantiateMs = performance.now() - instStart;
    const fn = instance.func(call.exp);
    if (isRefusal(fn)) return fn;

    run.phase("running", call.exp.label);
    const runStart = performance.now();
    const ran = () => timings(instantiateMs, performance.now() - runStart);
    if (m.invoke.kind === "serve") {
      const trapped = (err: unknown) => failed(err, `trapped in ${call.exp.label}`, ran);
      return this.#serve(run, host, fn, call.exp.label, m.invoke.port, trapped, ran, instance);
    }
    if (m.invoke.kind === "call" && (m.calls ?? 1) > 1) return this.#concurrent(run, fn, call, m.calls!, new ValueFormatter(info.wit), (err) => failed(err, `trapped in ${call.exp.label}`, ran), ran);
    let result: CallResult;
    try {
      result = await fn(call.args);
    } catch (err) {
      return failed(err, `trapped in ${call.exp.label}`, ran);
    }
    // A command ends with the code the guest exited with, else 1 for a `result` error, else 0;
    // a function's `result` error after the guest asked to exit is that exit.
    const code = host.cli.exitCode;
    if (m.invoke.kind === "run") return { kind: "exit", code: code ?? (result.kind === "err" ? 1 : 0), timings: ran() };
    const values = new ValueFormatter(info.wit);
    if (result.kind === "err") {
      if (code !== undefined) return { kind: "exit", code, timings: ran() };
      return { kind: "returned", value: values.error(result.payload, call.fn!), timings: ran() };
    }
    return { kind: "returned", value: await renderReturned(result.value, run.events, (v) => values.result(v, call.fn!)), timings: ran() };
  }

  /**
   * `count` calls of one function export started at once on the one instance (so their tasks
   * overlap), each result printed in call order once all have settled; a trap in any is the run's.
   */
  async #concurrent(run: Run, fn: (args: unknown[]) => Promise<CallResult>, call: Call, count: number, values: ValueFormatter, trapped: (err: unknown) => RunOutcome, ran: () => RunTimings): Promise<RunOutcome> {
    const settled = await Promise.allSettled(Array.from({ length: count }, () => fn(call.args)));
    const failure = settled.find((s) => s.status === "rejected");
    if (failure) return trapped(failure.reason);
    const results = settled.map((s) => (s as PromiseFulfilledResult<CallResult>).value);
    let text = "";
    for (const [i, r] of results.entries()) text += `call ${i + 1} of ${count}: ${r.kind === "err" ? values.error(r.payload, call.fn!) : await renderReturned(r.value, run.events, (v) => values.result(v, call.fn!))}\n`;
    run.events.push({ kind: "output", stream: "stdout", data: new TextEncoder().encode(text) });
    const errs = results.filter((r) => r.kind === "err").length;
    return { kind: "returned", value: `${count} concurrent calls: ${count - errs} ok, ${errs} err`, timings: ran() };
  }

  /**
   * A `serve` run: the handler answers every request that reaches the run (concurrent calls in
   * one instance) until `shutdown()`, or until a call traps, which ends the run with that trap.
   */
  async #serve(run: Run, host: Host, fn: (args: unknown[]) => Promise<CallResult>, label: string, port: number | undefined, trapped: (err: unknown) => RunOutcome, ran: () => RunTimings, instance: EngineInstance): Promise<RunOutcome> {
    let end!: (o: RunOutcome) => void;
    const ended = new Promise<RunOutcome>((resolve) => (end = resolve));
    instance.onTrap?.((err) => end(trapped(err)));
    const serving: Serving = {
      http: host.http,
      handle: async (request) => {
        try {
          return await fn([request]);
        } catch (err) {
          end(trapped(err));
          throw err;
        }
      },
      end: (o) => end(o ?? { kind: "exit", code: 0, timings: ran() }),
    };
    let listener: HttpListener;
    try {
      listener = listenHttp(host.http, port ?? DEFAULT_SERVE_PORT, serving.handle);
    } catch (err) {
      if (!(err instanceof SocketError && err.code === "address-in-use")) throw err;
      if (port !== undefined) return { kind: "error", message: `Cannot serve on port ${port}: ${err.detail}.`, hint: "Pick another port, or leave it empty for any free one." };
      listener = listenHttp(host.http, 0, serving.handle);
    }
    this.#serving = serving;
    run.events.push({ kind: "serving", handler: label, listen: `localhost:${listener.port}` });
    try {
      return await ended;
    } finally {
      if (this.#serving === serving) this.#serving = undefined;
      listener.close();
    }
  }
}

/** One run's parts, as `run` sets them up for `#run`. */
interface Run {
  m: RunManifest;
  engine: Engine;
  events: EventBatcher;
  phase(p: RunPhase, detail?: string): void;
  t0: number;
  rec: TraceRecorder;
  sockets: SocketsCtx;
  files: Promise<RemoteFs> | undefined;
}

/** What a run calls: the export and its arguments, parsed from the manifest's text. */
interface Call {
  exp: ExportRef;
  args: unknown[];
  /** The function's signature (for a `call`; a command's `run` has none). */
  fn?: FuncInfo;
}

/** The export the manifest asks for, with its arguments parsed; a refusal when there is none. */
function callOf(m: RunManifest, info: ComponentInfo): Call | Refusal {
  if (m.calls !== undefined && (!Number.isInteger(m.calls) || m.calls < 1 || m.calls > MAX_CONCURRENT_CALLS)) {
    return { kind: "error", message: `Concurrent calls must be a whole number from 1 to ${MAX_CONCURRENT_CALLS}, not ${m.calls}.` };
  }
  if (m.invoke.kind === "call") {
    const inv = m.invoke;
    const fn = info.funcs.find((f) => f.iface === inv.iface && f.name === inv.func);
    if (!fn) return { kind: "error", message: `Component '${m.componentName}' has no exported function '${inv.iface ? `${inv.iface}#` : ""}${inv.func}'.` };
    if (inv.args.length !== fn.params.length) return { kind: "error", message: `'${fn.name}' takes ${fn.params.length} argument(s), ${inv.args.length} given.` };
    try {
      const args = fn.params.map((p, i) => parseArg(p.name, p.type, inv.args[i]!));
      return { exp: { iface: inv.iface, func: fn.name, label: `${inv.iface ? `${inv.iface}#` : ""}${fn.name}` }, args, fn };
    } catch (err) {
      if (err instanceof ArgumentError) return { kind: "error", message: err.message };
      throw err;
    }
  }
  if (m.invoke.kind === "serve") {
    const handler = info.exports.find((e) => e.startsWith("wasi:http/handler@0.3"));
    if (!handler) return { kind: "error", message: `Component '${m.componentName}' does not export wasi:http/handler@0.3, so it cannot serve HTTP.`, hint: info.isCommand ? "Run it as a command instead." : undefined };
    return { exp: { iface: handler, func: "handle", label: `${handler}#handle` }, args: [] };
  }
  const runExport = info.exports.find((e) => e.startsWith("wasi:cli/run@0.3")) ?? info.exports.find((e) => e.startsWith("wasi:cli/run@"));
  if (!runExport) {
    return {
      kind: "error",
      message: `Component '${m.componentName}' does not export wasi:cli/run, so it cannot be run as a command.`,
      hint: info.funcs.length > 0 ? `Pick one of its exported functions instead: ${info.funcs.map((f) => f.name).join(", ")}.` : undefined,
    };
  }
  return { exp: { iface: runExport, func: "run", label: `${runExport}#run` }, args: [] };
}
