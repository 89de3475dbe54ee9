/**
 * The runtime worker's implementation of `RuntimeApi`: one run = one host + one instance.
 * Output is batched to the main thread; the run's outcome names the component and what happened.
 */
import { errorMessage } from "../base/assert";
import { createHost, ExitSignal, servedInterfaceFor, servedInterfaceNames, SocketsCtx, suspendingFunctions, type Host, type Preopen } from "../host";
import { parseAllowList } from "../base/allow-list";
import { NetNode } from "../host/sockets/vnet/node";
import { RemoteFs } from "../host/filesystem/remote";
import { seedWorkspace } from "../host/filesystem/workspace";
import { ROOT_INO } from "../host/filesystem/vfs";
import type { ComponentInfo, InspectResult, PreopenSpec, RunEvent, RunManifest, RunNetwork, RunOutcome, RuntimeApi } from "../protocol/runtime";
import type { RunFilesystem } from "../protocol/fs";
import { ArgumentError, parseArg, renderValue } from "../wit/values";
import { notAComponentMessage } from "./binary";
import { inspectComponent, NotAComponentError } from "./inspect";
import { indexedDbCache, sha256Hex, type TranspileCache } from "./jco/cache";
import { BoundaryTrace } from "./jco/boundary-trace";
import { JcoEngine, MissingImportsError, planTranspile } from "./jco/engine";
import { TraceRecorder } from "./trace";
import { CmEngine, jspiAvailable } from "./cm/engine";
import { LinkError } from "./cm/link";
import { DecodeError } from "../component/reader";
import { liftedBytesToReadable, type LiftedByteStream } from "../host/streams";

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function hasJspi(): boolean {
  return typeof (WebAssembly as unknown as { Suspending?: unknown }).Suspending === "function";
}

/** Collects events and sends them in batches, so chatty guests do not flood postMessage. */
class EventBatcher {
  #pending: RunEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSend: unknown;
  /** `send` may return a Promise that settles once the batch was delivered (a comlink proxy does). */
  constructor(private readonly send: (events: RunEvent[]) => unknown) {}
  push(e: RunEvent): void {
    this.#pending.push(e);
    this.#timer ??= setTimeout(() => this.flush(), 8);
  }
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#lastSend = this.send(batch);
  }
  /**
   * Flushes and waits until the last batch was delivered. Batches travel on the callback's own
   * channel, the run's outcome on the worker's: without this wait the outcome can overtake the
   * last output, and the client, which drops events of finished runs, loses it.
   */
  async drain(): Promise<void> {
    this.flush();
    await Promise.resolve(this.#lastSend).catch(() => undefined);
  }
}

function isStreamLike(v: unknown): v is LiftedByteStream | ReadableStream<Uint8Array> {
  return typeof v === "object" && v !== null && (v instanceof ReadableStream || Symbol.asyncIterator in v);
}

/** The thrown value of a `result` err from jco: a ComponentError carrying `payload`. */
function errPayload(err: unknown): { payload: unknown } | null {
  if (err instanceof Error && err.constructor.name === "ComponentError" && "payload" in err) return { payload: (err as { payload: unknown }).payload };
  return null;
}

function exitCodeOf(err: unknown, host: Host): number | undefined {
  if (host.cli.exitCode !== undefined) return host.cli.exitCode;
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof ExitSignal) return e.code;
  return undefined;
}

interface CallSpec {
  /** jco's property path to the export. */
  path: string[];
  args: unknown[];
  label: string;
  /** The export's WIT names: interface (null for a world-level function) and function. */
  iface: string | null;
  func: string;
}

/** Renders a returned value; a returned byte stream is drained to the console. */
async function renderReturned(value: unknown, events: EventBatcher): Promise<string> {
  if (!isStreamLike(value)) return renderValue(value);
  const readable = value instanceof ReadableStream ? value : liftedBytesToReadable(value);
  let total = 0;
  for await (const chunk of readable as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    events.push({ kind: "output", stream: "stdout", data: chunk });
  }
  return `stream<u8> of ${total} bytes (shown in the console)`;
}

export class RuntimeService implements RuntimeApi {
  readonly #engine: JcoEngine;
  readonly #cm = new CmEngine();
  readonly #info = new Map<string, Promise<ComponentInfo>>();

  constructor(cache: TranspileCache = indexedDbCache()) {
    this.#engine = new JcoEngine(cache);
  }

  async features() {
    return { jspi: hasJspi() };
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
    const events = new EventBatcher(onEvents);
    // Joined to the playground's network before anything can fail, so the hub hears goodbye.
    const sockets = new SocketsCtx({
      node: net ? new NetNode(net.port, m.componentName) : undefined,
      allow: parseAllowList((m.network?.allow ?? []).join("\n")).entries,
      component: m.componentName,
    });
    const phase = (p: RunEvent & { kind: "phase" }) => events.push(p);
    // Trace time zero is the run's start; events are posted every frame while it goes.
    const rec = m.trace ? new TraceRecorder({ fidelity: m.engine === "cm" ? "exact" : "host-boundary" }) : TraceRecorder.disabled();
    const stopTrace = rec.pump((chunk) => events.push({ kind: "trace", chunk }));
    // Closed when the run ends: the owner then lets go of its descriptors and write leases.
    const files = fs ? RemoteFs.connect(fs.port) : undefined;
    try {
      if (net) await sockets.node.ready;
      return await this.#run(m, events, phase, t0, rec, sockets, files);
    } finally {
      void files?.then((f) => f.close());
      sockets.closeAll();
      stopTrace();
      await events.drain();
    }
  }

  async #run(
    m: RunManifest,
    events: EventBatcher,
    phase: (p: RunEvent & { kind: "phase" }) => void,
    t0: number,
    rec: TraceRecorder,
    sockets: SocketsCtx,
    files: Promise<RemoteFs> | undefined,
  ): Promise<RunOutcome> {
    const bad = notAComponentMessage(m.componentName, m.bytes);
    if (bad) return { kind: "error", ...bad };
    if (m.engine === "jco" && !hasJspi()) {
      return {
        kind: "error",
        message: `The jco engine needs JSPI (WebAssembly.Suspending) to run async components, and this browser does not offer it.`,
        hint: "Use Chromium 137 or newer.",
      };
    }
    phase({ kind: "phase", phase: "decoding", atMs: 0 });
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

    // Resolve what to call and its arguments before doing any expensive work.
    let call: CallSpec | undefined;
    if (m.invoke.kind === "call") {
      const inv = m.invoke;
      const fn = info.funcs.find((f) => f.iface === inv.iface && f.name === inv.func);
      if (!fn) return { kind: "error", message: `Component '${m.componentName}' has no exported function '${inv.iface ? `${inv.iface}#` : ""}${inv.func}'.` };
      if (inv.args.length !== fn.params.length) return { kind: "error", message: `'${fn.name}' takes ${fn.params.length} argument(s), ${inv.args.length} given.` };
      try {
        const args = fn.params.map((p, i) => parseArg(p.name, p.type, inv.args[i]!));
        call = { path: inv.iface ? [inv.iface, camel(fn.name)] : [camel(fn.name)], args, label: `${inv.iface ? `${inv.iface}#` : ""}${fn.name}`, iface: inv.iface, func: fn.name };
      } catch (err) {
        if (err instanceof ArgumentError) return { kind: "error", message: err.message };
        throw err;
      }
    } else {
      const runExport = info.exports.find((e) => e.startsWith("wasi:cli/run@0.3")) ?? info.exports.find((e) => e.startsWith("wasi:cli/run@"));
      if (!runExport) {
        return {
          kind: "error",
          message: `Component '${m.componentName}' does not export wasi:cli/run, so it cannot be run as a command.`,
          hint: info.funcs.length > 0 ? `Pick one of its exported functions instead: ${info.funcs.map((f) => f.name).join(", ")}.` : undefined,
        };
      }
      call = { path: [runExport, "run"], args: [], label: `${runExport}#run`, iface: runExport, func: "run" };
    }

    let preopens: Preopen[];
    try {
      preopens = await this.#preopens(m.preopens ?? [], files);
    } catch (err) {
      return { kind: "error", message: `Could not open the workspace: ${errorMessage(err)}`, hint: "The Files panel says more; storage may be unavailable (private mode?)." };
    }
    const host = createHost({
      preopens,
      sockets,
      cli: {
        args: m.args,
        env: m.env,
        stdin: m.stdin,
        stdout: { write: (data) => events.push({ kind: "output", stream: "stdout", data }) },
        stderr: { write: (data) => events.push({ kind: "output", stream: "stderr", data }) },
      },
      // Both engines suspend the guest (JSPI) on the host functions `suspendingFunctions` names
      // (engine/jco through its transpile plan); without JSPI, engine/cm cannot, so a 0.2 call
      // that must wait fails there with NeedsJspiError.
      blocking: { canSuspend: m.engine === "jco" || jspiAvailable() },
    });
    if (m.engine === "cm") return this.#runCm(m, sha256, host, call, events, phase, t0, rec);

    const prepStart = performance.now();
    const plan = planTranspile(info, suspendingFunctions);
    const prepared = await this.#engine.prepare(m.bytes, sha256, plan, (p, detail) => phase({ kind: "phase", phase: p, detail, atMs: performance.now() - t0 }));
    const prepareMs = performance.now() - prepStart;
    phase({ kind: "phase", phase: "instantiating", atMs: performance.now() - t0 });
    const trace = rec.enabled ? new BoundaryTrace(rec, m.componentName) : undefined;
    const instStart = performance.now();
    let instance: Record<string, unknown>;
    try {
      instance = await this.#engine.instantiate(prepared, host, m.componentName, info.imports.map((i) => i.name), trace);
    } catch (err) {
      if (err instanceof MissingImportsError) return { kind: "error", message: err.message };
      const code = exitCodeOf(err, host);
      const timings = { engine: "jco" as const, prepareMs, prepareCached: prepared.cached, instantiateMs: performance.now() - instStart, runMs: 0, totalMs: performance.now() - t0 };
      if (code !== undefined) return { kind: "exit", code, timings };
      return { kind: "trap", message: `Component '${m.componentName}' failed while instantiating: ${errorMessage(err)}`, timings };
    }
    const instantiateMs = performance.now() - instStart;

    phase({ kind: "phase", phase: "running", detail: call.label, atMs: performance.now() - t0 });
    const runStart = performance.now();
    const timings = () => ({ engine: "jco" as const, prepareMs, prepareCached: prepared.cached, instantiateMs, runMs: performance.now() - runStart, totalMs: performance.now() - t0 });
    try {
      let target: unknown = instance;
      for (const key of call.path.slice(0, -1)) target = (target as Record<string, unknown>)[key];
      const fnName = call.path[call.path.length - 1]!;
      const fn = (target as Record<string, unknown> | undefined)?.[fnName];
      if (typeof fn !== "function") return { kind: "error", message: `jco exposes no function at ${call.path.join(".")} for '${call.label}'.` };
      const value = trace ? await trace.callExport(call.label, fn as (...a: unknown[]) => unknown, target, call.args) : await (fn as (...a: unknown[]) => unknown).apply(target, call.args);
      if (m.invoke.kind === "run") return { kind: "exit", code: host.cli.exitCode ?? 0, timings: timings() };
      return { kind: "returned", value: await renderReturned(value, events), timings: timings() };
    } catch (err) {
      const code = exitCodeOf(err, host);
      if (code !== undefined) return { kind: "exit", code, timings: timings() };
      const payload = errPayload(err);
      if (payload && m.invoke.kind === "run") return { kind: "exit", code: 1, timings: timings() };
      if (payload) return { kind: "returned", value: `err(${renderValue(payload.payload)})`, timings: timings() };
      return { kind: "trap", message: `Component '${m.componentName}' trapped in ${call.label}: ${errorMessage(err)}`, timings: timings() };
    }
  }

  /** engine/cm: decode, compile, link and call, with our own scheduler (no JSPI for callback lifts). */
  async #runCm(m: RunManifest, sha256: string, host: Host, call: CallSpec, events: EventBatcher, phase: (p: RunEvent & { kind: "phase" }) => void, t0: number, rec: TraceRecorder): Promise<RunOutcome> {
    const prepStart = performance.now();
    phase({ kind: "phase", phase: "compiling", detail: "engine/cm: decoding and compiling core modules", atMs: prepStart - t0 });
    let prepared;
    try {
      prepared = await this.#cm.prepare(m.bytes, sha256);
    } catch (err) {
      if (err instanceof DecodeError) return { kind: "error", message: `engine/cm could not decode '${m.componentName}': ${err.message}` };
      throw err;
    }
    const prepareMs = performance.now() - prepStart;
    phase({ kind: "phase", phase: "instantiating", atMs: performance.now() - t0 });
    const instStart = performance.now();
    let instance;
    try {
      instance = this.#cm.instantiate(prepared, { resolve: (n) => host.resolve(n), suspending: suspendingFunctions }, m.componentName, rec.enabled ? rec : null);
    } catch (err) {
      const code = exitCodeOf(err, host);
      const timings = { engine: "cm" as const, prepareMs, prepareCached: prepared.cached, instantiateMs: performance.now() - instStart, runMs: 0, totalMs: performance.now() - t0 };
      if (code !== undefined) return { kind: "exit", code, timings };
      if (err instanceof LinkError) return { kind: "error", message: err.message };
      return { kind: "trap", message: `Component '${m.componentName}' failed while instantiating: ${errorMessage(err)}`, timings };
    }
    const instantiateMs = performance.now() - instStart;
    const fn = instance.func(call.iface, call.func);
    if (!fn) return { kind: "error", message: `Component '${m.componentName}' exports no function '${call.label}'.` };
    instance.store.beforeResume = () => events.flush();
    phase({ kind: "phase", phase: "running", detail: call.label, atMs: performance.now() - t0 });
    const runStart = performance.now();
    const timings = () => ({ engine: "cm" as const, prepareMs, prepareCached: prepared.cached, instantiateMs, runMs: performance.now() - runStart, totalMs: performance.now() - t0 });
    try {
      const value = await instance.call(fn, call.args);
      const isResult = typeof fn.ft.result === "object" && fn.ft.result?.kind === "result";
      const r = value as { tag?: string; val?: unknown };
      if (m.invoke.kind === "run") return { kind: "exit", code: host.cli.exitCode ?? (isResult && r.tag === "err" ? 1 : 0), timings: timings() };
      if (isResult && r.tag === "err") return { kind: "returned", value: `err(${renderValue(r.val)})`, timings: timings() };
      return { kind: "returned", value: await renderReturned(isResult ? r.val : value, events), timings: timings() };
    } catch (err) {
      const code = exitCodeOf(err, host);
      if (code !== undefined) return { kind: "exit", code, timings: timings() };
      return { kind: "trap", message: `Component '${m.componentName}' trapped in ${call.label}: ${errorMessage(err)}`, timings: timings() };
    }
  }
}
