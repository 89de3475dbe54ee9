/**
 * Runs every component-model-async scenario on engine/jco and engine/cm, compares each with the
 * expected behaviour and with the other engine, and leaves the results on `window.__cmAsync` for
 * e2e/cm-async.spec.ts. `?only=text` runs the scenarios whose id contains `text`.
 */
import { errorMessage } from "../../src/base/assert";
import { Fixtures, link, type EngineName } from "./engines";
import { normalise, scenarios, type Scenario } from "./scenarios";

export type Outcome = { ok: true; value: unknown } | { ok: false; phase: "prepare" | "link" | "run"; message: string };

export interface ScenarioResult {
  id: string;
  source: string;
  expected: Scenario["expected"];
  jco: Outcome & { ms: number; matches: boolean };
  cm: Outcome & { ms: number; matches: boolean };
  /** Both engines did the same: equal values, or both failed in the same phase. */
  agree: boolean;
}

declare global {
  interface Window {
    __cmAsync?: { done: boolean; results: ScenarioResult[]; error?: string };
  }
}

/** A guest that never finishes must not stall the page: each run gets this long. */
const RUN_TIMEOUT_MS = 5_000;

const state: NonNullable<Window["__cmAsync"]> = { done: false, results: [] };
window.__cmAsync = state;
const out = document.getElementById("out")!;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not finish within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

async function settle(done: () => boolean): Promise<void> {
  const until = performance.now() + 2000;
  while (!done() && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
}

async function runOn(engine: EngineName, fx: Fixtures, s: Scenario): Promise<Outcome> {
  try {
    await (engine === "jco" ? fx.jco(s.chain) : fx.cm(s.chain));
  } catch (err) {
    return { ok: false, phase: "prepare", message: errorMessage(err) };
  }
  const host = s.host?.() ?? { imports: {} };
  let linked;
  try {
    linked = await link(engine, fx, s.chain, host.imports);
  } catch (err) {
    return { ok: false, phase: "link", message: errorMessage(err) };
  }
  try {
    const result = await withTimeout(s.run(linked), `${s.id} on ${engine}`);
    if (host.settled) await settle(host.settled);
    // A task may keep running after its export returned; a trap there still fails the run.
    await new Promise((r) => setTimeout(r, 10));
    const late = linked.lateFailure();
    if (late !== undefined) return { ok: false, phase: "run", message: `trapped after returning: ${errorMessage(late)}` };
    return { ok: true, value: normalise(host.seen ? { result: result ?? null, host: host.seen() } : result) };
  } catch (err) {
    const guestOutput = linked.output().trim();
    return { ok: false, phase: "run", message: errorMessage(err) + (new URLSearchParams(location.search).has("stack") && err instanceof Error ? `\n${err.stack}` : "") + (guestOutput ? `\nguest output: ${guestOutput.slice(-2000)}` : "") };
  }
}

function matches(engine: EngineName, o: Outcome, e: Scenario["expected"]): boolean {
  if ("fails" in e) return !o.ok && o.phase === e.fails && e.trap[engine].test(o.message);
  return o.ok && JSON.stringify(o.value) === JSON.stringify(normalise(e.value));
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return JSON.stringify(a.value) === JSON.stringify(b.value);
  return !a.ok && !b.ok && a.phase === b.phase;
}

function show(r: ScenarioResult): string {
  const o = (x: ScenarioResult["jco"]) => `${x.ok ? "ok" : `fails (${x.phase})`}${x.matches ? "" : " UNEXPECTED"} ${x.ms.toFixed(0)} ms${x.ok ? "" : `: ${x.message.split("\n")[0]}`}`;
  return `${r.agree ? "agree " : "DIFFER"} ${r.id}\n    jco: ${o(r.jco)}\n    cm:  ${o(r.cm)}`;
}

try {
  const only = new URLSearchParams(location.search).get("only");
  const only1 = new URLSearchParams(location.search).get("engine");
  const fx = new Fixtures();
  for (const s of scenarios.filter((x) => !only || x.id.includes(only))) {
    const timed = async (engine: EngineName) => {
      const t0 = performance.now();
      const o = await runOn(engine, fx, s);
      return { ...o, ms: performance.now() - t0, matches: matches(engine, o, s.expected) };
    };
    const skip = { ok: false as const, phase: "run" as const, message: "not run (?engine=)", ms: 0, matches: false };
    const cm = only1 === "jco" ? skip : await timed("cm");
    const jco = only1 === "cm" ? skip : await timed("jco");
    state.results.push({ id: s.id, source: s.source, expected: s.expected, jco, cm, agree: sameOutcome(jco, cm) });
    out.textContent = state.results.map(show).join("\n");
  }
} catch (err) {
  state.error = errorMessage(err);
  out.textContent += `\nerror: ${state.error}`;
}
state.done = true;
