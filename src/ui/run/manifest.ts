/**
 * The one place a run's manifest is built, for a foreground run (`usePlayground`) and a background
 * service (`network/services.ts`) alike: the same argv, stdin, preopens and network for both.
 */
import type { EngineName, Invocation, PreopenSpec, RunManifest } from "../../protocol/runtime";

/** What the run panel asks for: the arguments after the program name, env, stdin, the export to call. */
export interface RunRequest {
  args: string[];
  env: Array<[string, string]>;
  stdin: string;
  invoke: Invocation;
  /** For a function export: how many calls to start at once (1 when absent). */
  calls?: number;
}

/** Where and how it runs: the engine, the network allow-list, the folders it gets, whether to record a trace. */
export interface RunSettings {
  engine: EngineName;
  allow: string[];
  preopens: readonly PreopenSpec[];
  trace: boolean;
}

export function runManifest(component: { name: string; bytes: Uint8Array }, req: RunRequest, settings: RunSettings): RunManifest {
  return {
    componentName: component.name,
    bytes: component.bytes,
    args: [component.name, ...req.args],
    env: req.env,
    stdin: new TextEncoder().encode(req.stdin),
    invoke: req.invoke,
    ...(req.calls !== undefined && req.calls > 1 ? { calls: req.calls } : {}),
    engine: settings.engine,
    preopens: settings.preopens.map((p) => ({ ...p })),
    network: { allow: settings.allow },
    trace: settings.trace,
  };
}

/** The command line the console echoes before a run's output. */
export function commandLine(componentName: string, req: RunRequest): string {
  return [componentName, ...req.args].join(" ") + (req.calls !== undefined && req.calls > 1 ? ` (${req.calls} concurrent calls)` : "");
}
