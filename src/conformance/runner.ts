/** Runs the wasi-testsuite in the page through a RuntimeClient, one test at a time. */
import type { NetClient } from "../client/NetClient";
import type { RuntimeClient } from "../client/RuntimeClient";
import { PreviewPort } from "../protocol/preview";
import type { EngineName, RunEvent } from "../protocol/runtime";
import expectations from "./expectations.json";
import { check, checkAnswer, family, parseManifest, plan, type HttpExchange, type NetStep, type TestManifest } from "./manifest";

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
  const suite = (await r.json()) as { tests: Array<{ name: string; manifest: unknown }>; roots: Suite["roots"] };
  return { ...suite, tests: suite.tests.map((t) => ({ name: t.name, manifest: parseManifest(t.name, t.manifest) })) };
}

/** The files of a root folder, fetched to seed a fresh workspace. */
async function rootFiles(suite: Suite, root: string): Promise<Array<[string, Uint8Array]>> {
  const files = suite.roots[root];
  if (!files) throw new Error(`the suite has no folder '${root}'`);
  return Promise.all(files.map(async (f) => [f, new Uint8Array(await (await fetch(`${SUITE_BASE}${root}/${f}`)).arrayBuffer())] as [string, Uint8Array]));
}

/** Workspace the conformance tests run in; emptied and re-seeded before each test. */
export const CONFORMANCE_WORKSPACE = "conformance";

/** How long the runner waits for the guest to print the address it listens on, and for replies. */
const NET_WAIT_MS = 20_000;

/** The first `a.b.c.d:port` the guest printed (what wasi-testsuite's runner connects to). */
export function printedAddress(stdout: string): { ip: string; port: number } | null {
  const m = /(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b/.exec(stdout);
  return m ? { ip: m[1]!, port: Number(m[2]) } : null;
}

/**
 * The manifest's connect/send/recv, performed over the playground's virtual network while the
 * component runs; resolves with a failure reason, or null when every step went as expected.
 */
async function converse(net: NetClient, steps: NetStep[], stdout: () => string): Promise<string | null> {
  const conns = new Map<string, number>();
  try {
    for (const step of steps) {
      if (step.op === "connect") {
        const deadline = Date.now() + NET_WAIT_MS;
        let last = "the component printed no address to connect to";
        for (;;) {
          const addr = printedAddress(stdout());
          if (addr) {
            const r = await net.api.dial({ family: "ipv4", ip: addr.ip, port: addr.port });
            if (r.ok) {
              conns.set(step.id, r.id);
              break;
            }
            last = r.error;
          }
          if (Date.now() > deadline) return `connect '${step.id}': ${last}`;
          await new Promise((r) => setTimeout(r, 50));
        }
      } else {
        const id = conns.get(step.id)!;
        const bytes = new TextEncoder().encode(step.payload);
        if (step.op === "send") await net.api.send(id, bytes);
        else {
          const got = new TextDecoder().decode(await net.api.recv(id, bytes.length, NET_WAIT_MS));
          if (got !== step.payload) return `recv '${step.id}': expected ${JSON.stringify(step.payload)}, got ${JSON.stringify(got)}`;
        }
      }
    }
    return null;
  } catch (err) {
    return `socket steps failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    for (const id of conns.values()) void net.api.hangup(id);
  }
}

/** Test servers the app server started for a manifest's `servers` (server/http-fixtures.ts). */
interface Fixtures {
  /** `HTTP_SERVER_<NAME>` for each server: `127.0.0.1:port`. */
  env: Array<[string, string]>;
  allow: string[];
  stop(): Promise<void>;
}

async function startServers(servers: NonNullable<TestManifest["servers"]>): Promise<Fixtures> {
  const r = await fetch("/api/conformance/servers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(servers) });
  const body = (await r.json()) as { id: string; addresses: Record<string, string>; error?: string };
  if (!r.ok) throw new Error(`the app server could not start the test's HTTP servers: ${body.error ?? r.status}`);
  const addrs = Object.entries(body.addresses);
  return {
    env: addrs.map(([name, addr]) => [`HTTP_SERVER_${name.toUpperCase()}`, addr]),
    allow: addrs.map(([, addr]) => addr),
    stop: async () => void (await fetch(`/api/conformance/servers/${body.id}`, { method: "DELETE" })),
  };
}

/** The manifest's requests, sent in order to the served handler; the first mismatch, or null. */
async function exchange(client: RuntimeClient, requests: HttpExchange[]): Promise<string | null> {
  const port = new PreviewPort(client.httpPort());
  try {
    for (const ex of requests) {
      const body = ex.body === undefined || ex.method === "GET" || ex.method === "HEAD" ? null : new Blob([ex.body]).stream();
      const reply = await port.send({ method: ex.method, path: ex.path, scheme: "http", authority: "localhost", headers: Object.entries(ex.headers ?? {}), body }, TEST_TIMEOUT_MS);
      if (!reply) return `${ex.method} ${ex.path}: no answer from the served handler`;
      const text = reply.body ? await new Response(reply.body).text() : "";
      const bad = checkAnswer(ex, { status: reply.status, headers: reply.headers, body: text });
      if (bad) return bad;
    }
    return null;
  } finally {
    port.port.close();
  }
}

export async function runTest(
  client: RuntimeClient,
  suite: Suite,
  name: string,
  manifest: TestManifest,
  engine: EngineName = "jco",
  net: NetClient | null = null,
): Promise<TestResult> {
  const t0 = performance.now();
  const p = plan(name, manifest);
  let reason: string | null;
  if (p.unsupported) {
    reason = p.unsupported;
  } else {
    const bytes = new Uint8Array(await (await fetch(`${SUITE_BASE}${name}.wasm`)).arrayBuffer());
    const out = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
    const text = (chunks: Uint8Array[]) => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    const fixtures = manifest.servers ? await startServers(manifest.servers) : null;
    const timer = setTimeout(() => client.stop(), TEST_TIMEOUT_MS);
    let talk: Promise<string | null> = Promise.resolve(null);
    let serving!: (up: boolean) => void;
    const ready = new Promise<boolean>((r) => (serving = r));
    if (p.serve) {
      // The service world: once it serves, the requests go in; then it is ended like SIGINT.
      talk = ready.then((up) => (up ? exchange(client, p.requests).finally(() => client.shutdown()) : null));
    }
    if (p.net.length > 0) {
      talk = net ? converse(net, p.net, () => text(out.stdout)) : Promise.resolve("this runner has no network to connect with");
      // A conversation that went wrong leaves the guest waiting: stop it.
      void talk.then((failed) => failed && client.stop());
    }
    const outcome = await client.run(
      {
        componentName: `${name}.wasm`,
        bytes,
        args: p.args,
        env: [...p.env, ...(fixtures?.env ?? [])],
        stdin: new TextEncoder().encode(p.stdin),
        invoke: p.serve ? { kind: "serve" } : { kind: "run" },
        engine,
        network: fixtures ? { allow: fixtures.allow } : undefined,
        preopens: p.root ? [{ workspace: CONFORMANCE_WORKSPACE, guestPath: "/", reset: { files: await rootFiles(suite, p.root) } }] : [],
      },
      (events: RunEvent[]) => {
        for (const e of events) {
          if (e.kind === "output") out[e.stream].push(e.data);
          else if (e.kind === "serving") serving(true);
        }
      },
    );
    clearTimeout(timer);
    // A served handler that never started serving has nothing to talk to.
    serving(false);
    const talkFailed = await talk;
    await fixtures?.stop();
    const failure =
      outcome.kind === "exit"
        ? null
        : outcome.kind === "stopped"
          ? `timed out after ${TEST_TIMEOUT_MS / 1000} s`
          : outcome.kind === "returned"
            ? "run returned a value instead of an exit status"
            : `${outcome.kind}: ${outcome.message}`;
    const stderr = text(out.stderr);
    reason = talkFailed ?? check(manifest, { exitCode: outcome.kind === "exit" ? outcome.code : null, failure, stdout: text(out.stdout), stderr });
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
