/**
 * Background runs and reloads. A page's workers end with it, so a reload stops every background
 * run; the page cannot prevent that, but it must not happen silently. While runs go on, what
 * started each (component by sha256, request, settings) is written to sessionStorage; the next
 * page of this tab reads it, says which runs the reload stopped, and restarts them on request.
 * The list is read strictly: anything malformed is dropped, never run.
 */
import type { EngineName, Invocation, PreopenSpec } from "../../protocol/runtime";
import type { RunRequest } from "../run/manifest";

export const BACKGROUND_KEY = "wasi-playground:background-runs";

export interface StoppedRun {
  name: string;
  sha256: string;
  req: RunRequest;
  settings: { engine: EngineName; allow: string[]; preopens: PreopenSpec[] };
}

const isStr = (v: unknown): v is string => typeof v === "string";
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readInvocation(v: unknown): Invocation | null {
  if (!isObj(v)) return null;
  if (v.kind === "run") return { kind: "run" };
  if (v.kind === "call" && (v.iface === null || isStr(v.iface)) && isStr(v.func) && Array.isArray(v.args) && v.args.every(isStr)) return { kind: "call", iface: v.iface as string | null, func: v.func, args: v.args as string[] };
  return null;
}

function readRun(v: unknown): StoppedRun | null {
  if (!isObj(v) || !isStr(v.name) || !isStr(v.sha256) || !/^[0-9a-f]{64}$/.test(v.sha256) || !isObj(v.req) || !isObj(v.settings)) return null;
  const { req, settings } = v;
  const invoke = readInvocation(req.invoke);
  const env = Array.isArray(req.env) && req.env.every((p) => Array.isArray(p) && p.length === 2 && p.every(isStr)) ? (req.env as Array<[string, string]>) : null;
  if (!invoke || !env || !Array.isArray(req.args) || !req.args.every(isStr) || !isStr(req.stdin)) return null;
  const preopens = Array.isArray(settings.preopens) && settings.preopens.every((p) => isObj(p) && isStr(p.workspace) && isStr(p.guestPath)) ? (settings.preopens as PreopenSpec[]) : null;
  if ((settings.engine !== "cm" && settings.engine !== "jco") || !Array.isArray(settings.allow) || !settings.allow.every(isStr) || !preopens) return null;
  return {
    name: v.name,
    sha256: v.sha256,
    req: { args: req.args as string[], env, stdin: req.stdin, invoke },
    settings: { engine: settings.engine, allow: settings.allow as string[], preopens: preopens.map((p) => ({ workspace: p.workspace, guestPath: p.guestPath })) },
  };
}

/** The runs a previous page of this tab left running (malformed entries dropped). */
export function parseStoppedRuns(text: string | null): StoppedRun[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(readRun).filter((r): r is StoppedRun => r !== null) : [];
  } catch {
    return [];
  }
}

export function serializeRunning(runs: readonly StoppedRun[]): string {
  return JSON.stringify(runs);
}

/** "echo-server.wasm 7000 and net-client.wasm": what the notice names. */
export function describeRuns(runs: readonly StoppedRun[]): string {
  const names = runs.map((r) => [r.name, ...r.req.args].join(" "));
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
