/** Runs the wasi-testsuite in the page through a RuntimeClient, one test at a time. */
import type { RuntimeClient } from "../client/RuntimeClient";
import type { EngineName, RunEvent } from "../protocol/runtime";
import expectations from "./expectations.json";
import { check, family, plan, type TestManifest } from "./manifest";

export const SUITE_BASE = "conformance/wasi-testsuite/";
/** A test that runs longer than this is stopped and fails. */
export const TEST_TIMEOUT_MS = 60_000;

export type Verdict = "pass" | "fail" | "expected-fail";

export interface TestResult {
  name: string;
  family: string;
  /** What happened: pass or fail. */
  actual: "pass" | "fail";
  verdict: Verdict;
  /** True when the outcome differs from expectations.json (an unexpected pass or fail). */
  unexpected: boolean;
  reason: string | null;
  ms: number;
}

const expected = expectations as Record<string, string>;

export interface Suite {
  tests: Array<{ name: string; manifest: TestManifest }>;
  /** Files of each preopened root folder, relative to it. */
  roots: Record<string, string[]>;
}

export async function loadSuite(): Promise<Suite> {
  const r = await fetch(`${SUITE_BASE}index.json`);
  if (!r.ok) throw new Error(`could not list the conformance suite: HTTP ${r.status} (is ../shared/conformance present?)`);
  return r.json();
}

/** The files of a root folder, fetched to seed a fresh workspace. */
async function rootFiles(suite: Suite, root: string): Promise<Array<[string, Uint8Array]>> {
  const files = suite.roots[root];
  if (!files) throw new Error(`the suite has no folder '${root}'`);
  return Promise.all(files.map(async (f) => [f, new Uint8Array(await (await fetch(`${SUITE_BASE}${root}/${f}`)).arrayBuffer())] as [string, Uint8Array]));
}

/** Workspace the conformance tests run in; emptied and re-seeded before each test. */
export const CONFORMANCE_WORKSPACE = "conformance";

export async function runTest(client: RuntimeClient, suite: Suite, name: string, manifest: TestManifest, engine: EngineName = "jco"): Promise<TestResult> {
  const t0 = performance.now();
  const p = plan(name, manifest);
  let reason: string | null;
  if (p.unsupported) {
    reason = p.unsupported;
  } else {
    const bytes = new Uint8Array(await (await fetch(`${SUITE_BASE}${name}.wasm`)).arrayBuffer());
    const out = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
    const timer = setTimeout(() => client.stop(), TEST_TIMEOUT_MS);
    const outcome = await client.run(
      {
        componentName: `${name}.wasm`,
        bytes,
        args: p.args,
        env: p.env,
        stdin: new TextEncoder().encode(p.stdin),
        invoke: { kind: "run" },
        engine,
        preopens: p.root ? [{ workspace: CONFORMANCE_WORKSPACE, guestPath: "/", reset: { files: await rootFiles(suite, p.root) } }] : [],
      },
      (events: RunEvent[]) => {
        for (const e of events) if (e.kind === "output") out[e.stream].push(e.data);
      },
    );
    clearTimeout(timer);
    const text = (chunks: Uint8Array[]) => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    const failure =
      outcome.kind === "exit"
        ? null
        : outcome.kind === "stopped"
          ? `timed out after ${TEST_TIMEOUT_MS / 1000} s`
          : outcome.kind === "returned"
            ? "run returned a value instead of an exit status"
            : `${outcome.kind}: ${outcome.message}`;
    const stderr = text(out.stderr);
    reason = check(manifest, { exitCode: outcome.kind === "exit" ? outcome.code : null, failure, stdout: text(out.stdout), stderr });
    // A guest's own explanation (a Rust panic message, say) is the most useful part of a failure.
    if (reason && stderr.trim()) reason += ` | stderr: ${stderr.trim().slice(-400)}`;
  }
  const actual = reason === null ? "pass" : "fail";
  const expectFail = name in expected;
  return {
    name,
    family: family(name),
    actual,
    verdict: actual === "pass" ? "pass" : expectFail ? "expected-fail" : "fail",
    unexpected: (actual === "pass") === expectFail,
    reason: reason ?? (expectFail ? `unexpected pass; expected to fail because: ${expected[name]}` : null),
    ms: performance.now() - t0,
  };
}

export interface ReportCard {
  families: Array<{ family: string; pass: number; expectedFail: number; fail: number }>;
  unexpected: TestResult[];
}

export function reportCard(results: TestResult[]): ReportCard {
  const by = new Map<string, { family: string; pass: number; expectedFail: number; fail: number }>();
  for (const r of results) {
    const f = by.get(r.family) ?? { family: r.family, pass: 0, expectedFail: 0, fail: 0 };
    if (r.verdict === "pass") f.pass++;
    else if (r.verdict === "expected-fail") f.expectedFail++;
    else f.fail++;
    by.set(r.family, f);
  }
  return { families: [...by.values()].sort((a, b) => a.family.localeCompare(b.family)), unexpected: results.filter((r) => r.unexpected) };
}
