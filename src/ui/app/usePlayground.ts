/** The playground's state: the loaded component, its inspection, the current run and its console. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { jspiAvailable } from "../../base/jspi";
import { PreviewClient } from "../../client/PreviewClient";
import { RuntimeClient, spawnRuntimeWorker, type ClientOutcome } from "../../client/RuntimeClient";
import { DEFAULT_WORKSPACE } from "../../protocol/fs";
import type { ComponentInfo, EngineName, PreopenSpec, RunEvent } from "../../protocol/runtime";
import { ConsoleModel } from "../console/consoleModel";
import { useFsClient } from "../files/FsContext";
import { useNetwork } from "../network/NetworkContext";
import { EMPTY_INPUTS, type RunInputs } from "../run/inputs";
import { commandLine, runManifest, type RunRequest } from "../run/manifest";
import type { RunFault } from "../run/guestError";
import { describeOutcome, outcomeSummary } from "../run/outcome";
import { servingLine, type Serving } from "../http/serving";
import { useTraceSession } from "../timeline/useTraceSession";

export interface LoadedComponent {
  name: string;
  bytes: Uint8Array;
  info: ComponentInfo | null;
  error: { message: string; hint?: string } | null;
  inspecting: boolean;
}

export interface RunState {
  running: boolean;
  startedAt: number;
  outcome: ClientOutcome | null;
  /** The JS guest's error when the run trapped on one (the authoring editor marks its line). */
  fault: RunFault | null;
}

/** What every run gets unless a project says otherwise: the workspace folder as `/` (the Files panel shows the same files). */
export const DEFAULT_PREOPENS: readonly PreopenSpec[] = [{ workspace: DEFAULT_WORKSPACE, guestPath: "/" }];

export function usePlayground() {
  const network = useNetwork();
  const files = useFsClient();
  // The preview Service Worker's page side: a served run answers at /preview/<id>/ (src/ui/http).
  const previews = useMemo(() => new PreviewClient(), []);
  const client = useMemo(() => new RuntimeClient(spawnRuntimeWorker, network.net, files, previews), [network.net, files, previews]);
  useEffect(() => () => client.dispose(), [client]);
  const [component, setComponent] = useState<LoadedComponent | null>(null);
  const [run, setRun] = useState<RunState>({ running: false, startedAt: 0, outcome: null, fault: null });
  const [serving, setServing] = useState<Serving | null>(null);
  // engine/cm by default (no transpile, exact traces); jco stays a choice as the reference engine
  // where the browser has JSPI, which jco needs for every component (the engine selector says so).
  const [jspi] = useState(jspiAvailable);
  const [engine, setEngineState] = useState<EngineName>(() => (jspi && localStorage.getItem("playground.engine") === "jco" ? "jco" : "cm"));
  const setEngine = useCallback((e: EngineName) => {
    localStorage.setItem("playground.engine", e);
    setEngineState(e);
  }, []);
  // The run panel's inputs, and the folders runs get: a link or a reload restores them (src/ui/share).
  const [inputs, setInputs] = useState<RunInputs>(EMPTY_INPUTS);
  const [preopens, setPreopens] = useState<readonly PreopenSpec[]>(DEFAULT_PREOPENS);
  // Why runs wait (a link's capabilities not yet accepted), or null: start, compare and background refuse meanwhile.
  const [hold, setHold] = useState<string | null>(null);
  const consoleRef = useRef(new ConsoleModel());
  const trace = useTraceSession();
  const [consoleVersion, setConsoleVersion] = useState(0);
  const bump = () => setConsoleVersion((v) => v + 1);
  // Output can come faster than the console can be drawn: it is drawn once a frame at most.
  const drawQueued = useRef(false);
  const bumpOncePerFrame = () => {
    if (drawQueued.current) return;
    drawQueued.current = true;
    requestAnimationFrame(() => {
      drawQueued.current = false;
      bump();
    });
  };

  // Another component starts with empty inputs, as a fresh run panel (a project restores its own after loading).
  const loadedName = useRef<string | null>(null);
  const load = useCallback(
    async (name: string, bytes: Uint8Array) => {
      if (loadedName.current !== name) setInputs(EMPTY_INPUTS);
      loadedName.current = name;
      // Loading the same component again keeps its run panel (and what was typed in it) mounted
      // until the new inspection arrives; Run waits for it.
      setComponent((cur) => ({ name, bytes, info: cur?.name === name ? cur.info : null, error: null, inspecting: true }));
      const result = await client.inspect(name, bytes);
      setComponent((cur) =>
        cur && cur.bytes === bytes
          ? { ...cur, inspecting: false, info: result.ok ? result.info : null, error: result.ok ? null : { message: result.message, hint: result.hint } }
          : cur,
      );
    },
    [client],
  );

  /** One run on one engine, its events going to `model`; returns the outcome and what it printed. */
  const runOnce = useCallback(
    async (req: RunRequest, eng: EngineName, model: ConsoleModel, onServing?: (e: Extract<RunEvent, { kind: "serving" }>) => void) => {
      if (!component || hold) return null;
      const startedAt = performance.now();
      // Traces are recorded only while the timeline panel is open.
      const tracing = trace.watching;
      if (tracing) trace.begin({ kind: "run", component: component.name, engine: eng });
      const outcome = await client.run(runManifest(component, req, { engine: eng, allow: network.allow, preopens, trace: tracing }), (events: RunEvent[]) => {
        if (consoleRef.current !== model) return;
        model.apply(events);
        for (const e of events) {
          if (e.kind === "trace") trace.append(e.chunk);
          else if (e.kind === "serving") onServing?.(e);
        }
        bumpOncePerFrame();
      });
      if (tracing && consoleRef.current === model) trace.end();
      return { outcome, elapsed: performance.now() - startedAt, startedAt };
    },
    [client, component, hold, network.allow, preopens, trace],
  );

  /** Runs `req` in the foreground; resolves with its outcome (null when another run took over). */
  const start = useCallback(
    async (req: RunRequest): Promise<ClientOutcome | null> => {
      if (!component || hold) return null;
      const model = new ConsoleModel();
      consoleRef.current = model;
      model.push("info", `$ ${commandLine(component.name, req)}\n`);
      bump();
      setRun({ running: true, startedAt: performance.now(), outcome: null, fault: null });
      const r = await runOnce(req, engine, model);
      if (!r || consoleRef.current !== model) return null;
      const error = describeOutcome(model, r.outcome, r.elapsed);
      bump();
      setRun({ running: false, startedAt: r.startedAt, outcome: r.outcome, fault: error && { bytes: component.bytes, error } });
      return r.outcome;
    },
    [component, engine, hold, runOnce],
  );

  /** Runs on both engines, one after the other, and says whether they agree. */
  const compare = useCallback(
    async (req: RunRequest) => {
      if (!component || hold) return;
      const model = new ConsoleModel();
      consoleRef.current = model;
      setRun({ running: true, startedAt: performance.now(), outcome: null, fault: null });
      // `output` is null where the run printed more than the console keeps: it cannot be compared.
      const results: Array<{ engine: EngineName; summary: string; output: string | null }> = [];
      let last: Awaited<ReturnType<typeof runOnce>> = null;
      let error: RunFault["error"] | null = null;
      for (const eng of ["jco", "cm"] as const) {
        model.push("info", `── engine/${eng} ──\n$ ${commandLine(component.name, req)}\n`);
        bump();
        const before = model.mark();
        const droppedBefore = model.droppedChars;
        last = await runOnce(req, eng, model);
        if (!last || consoleRef.current !== model) return;
        // What the guest printed (stdout and stderr, in order), not the engines' progress lines.
        const output = model
          .since(before)
          .filter((e) => e.kind === "stdout" || e.kind === "stderr")
          .map((e) => `${e.kind}:${e.text}`)
          .join("");
        error = describeOutcome(model, last.outcome, last.elapsed) ?? error;
        results.push({ engine: eng, summary: outcomeSummary(last.outcome), output: model.droppedChars > droppedBefore ? null : output });
        bump();
      }
      const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
      const outputsDiffer = a.output !== null && b.output !== null && a.output !== b.output;
      const agree = a.summary === b.summary && !outputsDiffer;
      const note = a.output === null || b.output === null ? " (output longer than the console keeps: not compared)" : "";
      model.push(agree ? "success" : "error", agree ? `engines agree: ${a.summary}${note}\n` : `engines differ: jco ${a.summary} · cm ${b.summary}${outputsDiffer ? " · output differs" : note}\n`);
      bump();
      setRun({ running: false, startedAt: last!.startedAt, outcome: last!.outcome, fault: error && { bytes: component.bytes, error } });
    },
    [component, hold, runOnce],
  );

  /** Serves the component's `wasi:http/handler` until Stop: the HTTP panel previews it and sends it requests. */
  const serve = useCallback(
    async (req: RunRequest) => {
      if (!component || hold) return;
      const model = new ConsoleModel();
      consoleRef.current = model;
      model.push("info", `$ serve ${commandLine(component.name, req)}\n`);
      bump();
      setRun({ running: true, startedAt: performance.now(), outcome: null, fault: null });
      const previewable = await previews.start().catch(() => false);
      if (consoleRef.current !== model) return;
      let mine: Serving | null = null;
      const r = await runOnce({ ...req, invoke: { kind: "serve" } }, engine, model, (e) => {
        mine = { component: component.name, handler: e.handler, listen: e.listen, preview: previewable ? (e.preview ?? null) : null, previewId: previewable ? (client.previewId ?? null) : null };
        setServing(mine);
        model.push("info", servingLine(mine));
      });
      // Ended, stopped or replaced by another run: it serves no more.
      setServing((cur) => (cur === mine ? null : cur));
      if (!r || consoleRef.current !== model) return;
      const error = describeOutcome(model, r.outcome, r.elapsed);
      bump();
      setRun({ running: false, startedAt: r.startedAt, outcome: r.outcome, fault: error && { bytes: component.bytes, error } });
    },
    [client, component, engine, hold, previews, runOnce],
  );

  const stop = useCallback(() => {
    setServing(null);
    client.stop();
  }, [client]);
  /** Nothing loaded (a project without a component was opened). */
  const unload = useCallback(() => {
    loadedName.current = null;
    setComponent(null);
  }, []);

  /** Starts the component as a background service (the Network panel lists it). */
  const background = useCallback(
    (req: RunRequest) => {
      // Traced (into the timeline's view, beside the foreground run) while the timeline is open.
      if (component && !hold) network.services.start(component.name, component.bytes, req, { engine, allow: network.allow, preopens }, files, trace.watching ? trace : undefined);
    },
    [component, hold, network, engine, preopens, files, trace],
  );

  /** For a `serve` run going on: a port its handler answers HTTP on, and a clean stop (exit 0). */
  const http = useMemo(() => ({ httpPort: () => client.httpPort(), shutdown: () => client.shutdown() }), [client]);

  return { component, load, unload, run, start, compare, serve, serving, previews, http, stop, background, engine, setEngine, jspi, inputs, setInputs, preopens, setPreopens, hold, setHold, console: consoleRef.current, consoleVersion, trace };
}

/** The playground's state and actions, as the panels get them. */
export type Playground = ReturnType<typeof usePlayground>;
