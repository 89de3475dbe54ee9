/** The playground's state: the loaded component, its inspection, the current run and its console. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { RuntimeClient, spawnRuntimeWorker, type ClientOutcome } from "../../client/RuntimeClient";
import { DEFAULT_WORKSPACE } from "../../protocol/fs";
import type { ComponentInfo, Invocation, RunEvent } from "../../protocol/runtime";
import { ConsoleModel } from "../console/consoleModel";

export interface LoadedComponent {
  name: string;
  bytes: Uint8Array;
  info: ComponentInfo | null;
  error: { message: string; hint?: string } | null;
  inspecting: boolean;
}

export interface RunRequest {
  args: string[];
  env: Array<[string, string]>;
  stdin: string;
  invoke: Invocation;
}

export interface RunState {
  running: boolean;
  startedAt: number;
  outcome: ClientOutcome | null;
}

export function usePlayground() {
  const client = useMemo(() => new RuntimeClient(spawnRuntimeWorker), []);
  useEffect(() => () => client.dispose(), [client]);
  const [component, setComponent] = useState<LoadedComponent | null>(null);
  const [run, setRun] = useState<RunState>({ running: false, startedAt: 0, outcome: null });
  const consoleRef = useRef(new ConsoleModel());
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

  const start = useCallback(
    async (req: RunRequest) => {
      if (!component) return;
      const model = new ConsoleModel();
      consoleRef.current = model;
      model.push("info", `$ ${[component.name, ...req.args].join(" ")}\n`);
      bump();
      const startedAt = performance.now();
      setRun({ running: true, startedAt, outcome: null });
      const outcome = await client.run(
        {
          componentName: component.name,
          bytes: component.bytes,
          args: [component.name, ...req.args],
          env: req.env,
          stdin: new TextEncoder().encode(req.stdin),
          invoke: req.invoke,
          engine: "jco",
          // The default run gets the workspace folder as `/` (the Files panel shows the same files).
          preopens: [{ workspace: DEFAULT_WORKSPACE, guestPath: "/" }],
        },
        (events: RunEvent[]) => {
          if (consoleRef.current !== model) return;
          model.apply(events);
          bump();
        },
      );
      if (consoleRef.current !== model) return;
      const elapsed = performance.now() - startedAt;
      describeOutcome(model, outcome, elapsed);
      bump();
      setRun({ running: false, startedAt, outcome });
    },
    [client, component],
  );

  const stop = useCallback(() => client.stop(), [client]);

  return { component, load, run, start, stop, console: consoleRef.current, consoleVersion };
}

function describeOutcome(model: ConsoleModel, o: ClientOutcome, elapsedMs: number): void {
  const ms = `${elapsedMs.toFixed(0)} ms`;
  if (!model.text().endsWith("\n") && model.entries.length > 0) model.push("info", "\n");
  switch (o.kind) {
    case "exit":
      model.push(o.code === 0 ? "success" : "error", `exit status ${o.code} · ${ms}${o.timings.prepareCached ? " · cached" : ""}\n`);
      break;
    case "returned":
      model.push("success", `returned ${o.value} · ${ms}\n`);
      break;
    case "trap":
      model.push("error", `trap: ${o.message} · ${ms}\n`);
      break;
    case "error":
      model.push("error", `error: ${o.message}\n${o.hint ? `hint: ${o.hint}\n` : ""}`);
      break;
    case "stopped":
      model.push("error", `stopped by user after ${ms}\n`);
      break;
  }
}
