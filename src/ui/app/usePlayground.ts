/** The playground's state: the loaded component, its inspection, the current run and its console. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { RuntimeClient, spawnRuntimeWorker, type ClientOutcome } from "../../client/RuntimeClient";
import type { ComponentInfo, EngineName, RunEvent } from "../../protocol/runtime";
import { ConsoleModel } from "../console/consoleModel";
import { useFsClient } from "../files/FsContext";
import { useNetwork } from "../network/NetworkContext";
import { commandLine, runManifest, type RunRequest } from "../run/manifest";
import type { RunFault } from "../run/guestError";
import { describeOutcome, outcomeSummary } from "../run/outcome";
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

export function usePlayground() {
  const network = useNetwork();
  const files = useFsClient();
  const client = useMemo(() => new RuntimeClient(spawnRuntimeWorker, network.net, files), [network.net, files]);
  useEffect(() => () => client.dispose(), [client]);
  const [component, setComponent] = useState<LoadedComponent | null>(null);
  const [run, setRun] = useState<RunState>({ running: false, startedAt: 0, outcome: null, fault: null });
  // engine/cm by default (no transpile, exact traces); jco stays a choice as the reference engine.
  const [engine, setEngineState] = useState<EngineName>(() => (localStorage.getItem("playground.engine") === "jco" ? "jco" : "cm"));
  const setEngine = useCallback((e: EngineName) => {
    localStorage.setItem("playground.engine", e);
    setEngineState(e);
  }, []);
  const consoleRef = useRef(new ConsoleModel());
  const trace = useTraceSession();
  const [consoleVersion, setConsoleVersion] = useState(0);
  const bump = () => setConsoleVersion((v) => v + 1);

  const load = useCallback(
    async (name: string, bytes: Uint8Array) => {
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
    async (req: RunRequest, eng: EngineName, model: ConsoleModel) => {
      if (!component) return null;
      const startedAt = performance.now();
      // Traces are recorded only while the timeline panel is open.
      const tracing = trace.watching;
      if (tracing) trace.begin({ kind: "run", component: component.name, engine: eng });
      const outcome = await client.run(runManifest(component, req, { engine: eng, allow: network.allow, trace: tracing }), (events: RunEvent[]) => {
        if (consoleRef.current !== model) return;
        model.apply(events);
        for (const e of events) if (e.kind === "trace") trace.append(e.chunk);
        bump();
      });
      if (tracing && consoleRef.current === model) trace.end();
      return { outcome, elapsed: performance.now() - startedAt, startedAt };
    },
    [client, component, network.allow, trace],
  );

  /** Runs `req` in the foreground; resolves with its outcome (null when another run took over). */
  const start = useCallback(
    async (req: RunRequest): Promise<ClientOutcome | null> => {
      if (!component) return null;
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
    [component, engine, runOnce],
  );

  /** Runs on both engines, one after the other, and says whether they agree. */
  const compare = useCallback(
    async (req: RunRequest) => {
      if (!component) return;
      const model = new ConsoleModel();
      consoleRef.current = model;
      setRun({ running: true, startedAt: performance.now(), outcome: null, fault: null });
      const results: Array<{ engine: EngineName; summary: string; output: string }> = [];
      let last: Awaited<ReturnType<typeof runOnce>> = null;
      let error: RunFault["error"] | null = null;
      for (const eng of ["jco", "cm"] as const) {
        model.push("info", `── engine/${eng} ──\n$ ${commandLine(component.name, req)}\n`);
        bump();
        const before = model.entries.length;
        last = await runOnce(req, eng, model);
        if (!last || consoleRef.current !== model) return;
        // What the guest printed (stdout and stderr, in order), not the engines' progress lines.
        const output = model.entries
          .slice(before)
          .filter((e) => e.kind === "stdout" || e.kind === "stderr")
          .map((e) => `${e.kind}:${e.text}`)
          .join("");
        error = describeOutcome(model, last.outcome, last.elapsed) ?? error;
        results.push({ engine: eng, summary: outcomeSummary(last.outcome), output });
        bump();
      }
      const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
      const agree = a.summary === b.summary && a.output === b.output;
      model.push(agree ? "success" : "error", agree ? `engines agree: ${a.summary}\n` : `engines differ: jco ${a.summary} · cm ${b.summary}${a.output !== b.output ? " · output differs" : ""}\n`);
      bump();
      setRun({ running: false, startedAt: last!.startedAt, outcome: last!.outcome, fault: error && { bytes: component.bytes, error } });
    },
    [component, runOnce],
  );

  const stop = useCallback(() => client.stop(), [client]);

  /** Starts the component as a background service (the Network panel lists it). */
  const background = useCallback(
    (req: RunRequest) => {
      // Traced (into the timeline's view, beside the foreground run) while the timeline is open.
      if (component) network.services.start(component.name, component.bytes, req, network.allow, engine, files, trace.watching ? trace : undefined);
    },
    [component, network, engine, files, trace],
  );

  /** For a `serve` run going on: a port its handler answers HTTP on, and a clean stop (exit 0). */
  const serving = useMemo(() => ({ httpPort: () => client.httpPort(), shutdown: () => client.shutdown() }), [client]);

  return { component, load, run, start, compare, stop, background, serving, engine, setEngine, console: consoleRef.current, consoleVersion, trace };
}

/** The playground's state and actions, as the panels get them. */
export type Playground = ReturnType<typeof usePlayground>;
