/**
 * wasi-testsuite manifests (see ../shared/conformance/README.md): a list of operations. We run the
 * component once with everything the operations feed it (args, env, stdin), then check what they
 * expect (exit code, stdout/stderr in order). Operations this runner cannot perform make the test
 * fail with a reason instead of being skipped silently.
 */

export type Operation =
  | { type: "run"; args?: string[]; env?: Record<string, string>; root?: string }
  | { type: "wait"; exit_code?: number }
  | { type: "read"; id: "stdout" | "stderr"; payload: string }
  | { type: "write"; id: "stdin"; payload: string }
  | { type: "connect"; id: string; protocol_type?: "tcp" | "udp" }
  | { type: "send" | "recv"; id: string; payload: string }
  | ({ type: "request" } & HttpExchange)
  | { type: "kill"; signal?: string }
  | { type: string; [k: string]: unknown };

/** A `request` operation: what the runner sends to the served handler and what it must answer. */
export interface HttpExchange {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  response: { status: number; headers?: Record<string, string>; body?: string };
}

/** What the handler answered. */
export interface HttpAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** A socket step the runner takes while the component runs (its `connect`/`send`/`recv`). */
export type NetStep = { op: "connect"; id: string } | { op: "send" | "recv"; id: string; payload: string };

export interface TestManifest {
  operations?: Operation[];
  /** A folder preopened as the guest's `/`. */
  root?: string;
  proposals?: string[];
  world?: string;
  /** HTTP servers to start for the test (their JSON as the manifest has it; see server/http-fixtures.ts). */
  servers?: Array<{ name: string; [k: string]: unknown }>;
}

export interface TestPlan {
  /** Folder (in the suite) to preopen as the guest's `/`, freshly copied for this test. */
  root: string | null;
  args: string[];
  env: Array<[string, string]>;
  stdin: string;
  /** Socket steps, in order: connect to the address the guest prints, then send and expect. */
  net: NetStep[];
  /** The `wasi:http/service` world: serve the handler, send it `requests` in order, then end it. */
  serve: boolean;
  requests: HttpExchange[];
  /** Why this runner cannot perform the test, if it cannot. */
  unsupported: string | null;
}

export interface Observed {
  exitCode: number | null;
  /** Set when the run did not end in an exit status (trap, load error, timeout). */
  failure: string | null;
  stdout: string;
  stderr: string;
}

/** A manifest that is not what wasi-testsuite's runner reads; names the test and the JSON path. */
export class ManifestError extends Error {
  override name = "ManifestError";
  constructor(
    readonly test: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${test}.json: ${path}: ${problem}`);
  }
}

type Json = Record<string, unknown>;

/** Checks a parsed manifest (`raw`, the JSON of `<testName>.json`) against the shapes above. */
export function parseManifest(testName: string, raw: unknown): TestManifest {
  const fail = (path: string, problem: string): never => {
    throw new ManifestError(testName, path, problem);
  };
  const object = (v: unknown, path: string): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : fail(path, "expected an object"));
  const optional = <T>(o: Json, key: string, path: string, check: (v: unknown, at: string) => T): T | undefined => (o[key] === undefined ? undefined : check(o[key], `${path}.${key}`));
  const string = (v: unknown, path: string): string => (typeof v === "string" ? v : fail(path, "expected a string"));
  const integer = (v: unknown, path: string): number => (Number.isInteger(v) ? (v as number) : fail(path, "expected a whole number"));
  const strings = (v: unknown, path: string): string[] => (Array.isArray(v) ? v.map((x, i) => string(x, `${path}[${i}]`)) : fail(path, "expected a list of strings"));
  const record = (v: unknown, path: string): Record<string, string> => {
    const o = object(v, path);
    for (const [k, x] of Object.entries(o)) string(x, `${path}.${k}`);
    return o as Record<string, string>;
  };
  const top = object(raw, "$");
  for (const key of ["root", "world"]) optional(top, key, "$", string);
  optional(top, "proposals", "$", strings);
  optional(top, "servers", "$", (v, at) => (Array.isArray(v) ? v.forEach((x, i) => string(object(x, `${at}[${i}]`).name, `${at}[${i}].name`)) : fail(at, "expected a list")));
  optional(top, "operations", "$", (v, at) => {
    if (!Array.isArray(v)) return fail(at, "expected a list of operations");
    v.forEach((x, i) => {
      const path = `${at}[${i}]`;
      const op = object(x, path);
      const type = string(op.type, `${path}.type`);
      const need = (key: string, check: (v: unknown, at: string) => unknown) => check(op[key], `${path}.${key}`);
      if (type === "run") {
        optional(op, "args", path, strings);
        optional(op, "env", path, record);
        optional(op, "root", path, string);
      } else if (type === "wait") optional(op, "exit_code", path, integer);
      else if (type === "read") {
        if (op.id !== "stdout" && op.id !== "stderr") fail(`${path}.id`, 'expected "stdout" or "stderr"');
        need("payload", string);
      } else if (type === "write" || type === "send" || type === "recv") {
        need("id", string);
        need("payload", string);
      } else if (type === "connect") {
        need("id", string);
        optional(op, "protocol_type", path, string);
      } else if (type === "request") {
        need("method", string);
        need("path", string);
        optional(op, "headers", path, record);
        optional(op, "body", path, string);
        const response = object(op.response, `${path}.response`);
        integer(response.status, `${path}.response.status`);
        optional(response, "headers", `${path}.response`, record);
        optional(response, "body", `${path}.response`, string);
      } else if (type === "kill") optional(op, "signal", path, string);
    });
  });
  return top as TestManifest;
}

export function plan(testName: string, manifest: TestManifest): TestPlan {
  const ops = manifest.operations ?? [{ type: "run" }, { type: "wait" }];
  const p: TestPlan = { root: manifest.root ?? null, args: [`${testName}.wasm`], env: [], stdin: "", net: [], serve: manifest.world === "wasi:http/service", requests: [], unsupported: null };
  if (manifest.world && manifest.world !== "wasi:cli/command" && !p.serve) p.unsupported = `world ${manifest.world} is not run by this runner`;
  for (const op of ops) {
    if (op.type === "run") {
      const run = op as Extract<Operation, { type: "run" }>;
      p.args.push(...(run.args ?? []));
      p.env = Object.entries(run.env ?? {});
      if (run.root) p.root = run.root;
    } else if (op.type === "write") {
      const w = op as Extract<Operation, { type: "write" }>;
      if (w.id !== "stdin") p.unsupported ??= `cannot write to '${String(w.id)}'`;
      p.stdin += w.payload;
    } else if (op.type === "connect") {
      const c = op as Extract<Operation, { type: "connect" }>;
      if ((c.protocol_type ?? "tcp") !== "tcp") p.unsupported ??= `connect over ${String(c.protocol_type)} is not supported by this runner yet`;
      p.net.push({ op: "connect", id: c.id });
    } else if (op.type === "send" || op.type === "recv") {
      const x = op as { type: "send" | "recv"; id: string; payload: string };
      if (!p.net.some((n) => n.op === "connect" && n.id === x.id)) p.unsupported ??= `'${x.type}' on '${x.id}' before any connect to it`;
      p.net.push({ op: x.type, id: x.id, payload: x.payload });
    } else if (op.type === "request") {
      if (!p.serve) p.unsupported ??= "'request' outside the wasi:http/service world";
      p.requests.push(op as HttpExchange);
    } else if (op.type === "kill") {
      if (!p.serve) p.unsupported ??= "'kill' of a command (only a served handler is killed)";
    } else if (op.type !== "wait" && op.type !== "read") {
      p.unsupported ??= `operation '${op.type}' is not supported by this runner yet`;
    }
  }
  return p;
}

/** Null when the observed run meets every expectation, else the first mismatch. */
export function check(manifest: TestManifest, seen: Observed): string | null {
  if (seen.failure) return seen.failure;
  const ops = manifest.operations ?? [{ type: "run" }, { type: "wait" }];
  const cursor = { stdout: 0, stderr: 0 };
  let expectedExit = 0;
  for (const op of ops) {
    if (op.type === "read") {
      const r = op as Extract<Operation, { type: "read" }>;
      const text = seen[r.id];
      const got = text.slice(cursor[r.id], cursor[r.id] + r.payload.length);
      if (got !== r.payload) return `${r.id}: expected ${JSON.stringify(r.payload)}, got ${JSON.stringify(got)}`;
      cursor[r.id] += r.payload.length;
    } else if (op.type === "wait") {
      expectedExit = (op as Extract<Operation, { type: "wait" }>).exit_code ?? 0;
    }
  }
  if (seen.exitCode !== expectedExit) return `expected exit code ${expectedExit}, got ${seen.exitCode}`;
  return null;
}

/** Null when the handler's answer is what the `request` operation expects, else the first mismatch. */
export function checkAnswer(ex: HttpExchange, got: HttpAnswer): string | null {
  const what = `${ex.method} ${ex.path}`;
  if (got.status !== ex.response.status) return `${what}: expected status ${ex.response.status}, got ${got.status}${got.body ? ` (${JSON.stringify(got.body.slice(0, 200))})` : ""}`;
  for (const [name, value] of Object.entries(ex.response.headers ?? {})) {
    const seen = got.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    if (!seen.includes(value)) return `${what}: expected header ${name}: ${value}, got ${seen.length ? seen.join(", ") : "none"}`;
  }
  if (ex.response.body !== undefined && got.body !== ex.response.body) return `${what}: expected body ${JSON.stringify(ex.response.body)}, got ${JSON.stringify(got.body.slice(0, 200))}`;
  return null;
}

/** Which WASI interface family a test belongs to, for the report card. */
export function family(testName: string): string {
  if (testName === "monotonic-clock" || testName === "wall-clock") return "clocks";
  if (testName === "run-with-err") return "cli";
  return testName.split("-")[0]!;
}
