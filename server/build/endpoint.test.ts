/** The build endpoint over real HTTP, building with the real componentize-qjs in a child process. */
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsBuildRequestBody, JsBuildStreamEvent } from "../../src/protocol/authoring-api";
import { createBuildEndpoint, parseBuildBody, type BuildEndpointOptions } from "./endpoint";

const depsDir = new URL("../../wit/deps", import.meta.url).pathname;
const WIT = "package demo:greeter;\nworld greeter {\n  export greet: func(name: string) -> string;\n}\n";
const body = (js: string, wit = WIT): JsBuildRequestBody => ({ files: [{ path: "wit/world.wit", text: wit }, { path: "guest.js", text: js }], entry: "guest.js", world: null });

async function serve(opts: Partial<BuildEndpointOptions>) {
  const cacheDir = mkdtempSync(join(tmpdir(), "build-cache-test-"));
  const endpoint = createBuildEndpoint({ cacheDir, depsDir, timeoutMs: 60_000, concurrency: 1, maxWaiting: 4, ...opts });
  const server: Server = createServer((req, res) => {
    if (!endpoint.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const build = async (b: unknown): Promise<{ status: number; events: JsBuildStreamEvent[]; json?: { message: string } }> => {
    const res = await fetch(`${base}/api/build`, { method: "POST", body: JSON.stringify(b) });
    const text = await res.text();
    if (res.headers.get("content-type")?.startsWith("application/json")) return { status: res.status, events: [], json: JSON.parse(text) };
    return { status: res.status, events: text.trim().split("\n").map((l) => JSON.parse(l) as JsBuildStreamEvent) };
  };
  const close = () => {
    endpoint.dispose();
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  };
  return { base, build, close };
}

const doneOf = (events: JsBuildStreamEvent[]) => events.find((e): e is Extract<JsBuildStreamEvent, { type: "done" }> => e.type === "done")!;

describe("POST /api/build", () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve({});
  });
  afterAll(() => s.close());

  it("builds, queues a concurrent build behind it, caches by content", async () => {
    const [a, b] = await Promise.all([s.build(body("export function greet(n) { return `A ${n}`; }")), s.build(body("export function greet(n) { return `B ${n}`; }"))]);
    const [da, db] = [doneOf(a.events), doneOf(b.events)];
    expect(da).toMatchObject({ ok: true, cached: false });
    expect(db).toMatchObject({ ok: true, cached: false });
    // Exactly one of the two waited behind the other.
    const queued = [a, b].filter((r) => r.events.some((e) => e.type === "queued" && e.position === 1));
    expect(queued).toHaveLength(1);
    expect(a.events.filter((e) => e.type === "log").map((e) => (e as { line: string }).line).join("\n")).toMatch(/componentize-qjs@.*guest\.js[\s\S]*built in/);

    if (!da.ok) return;
    const wasm = new Uint8Array(await (await fetch(`${s.base}/api/build/${da.hash}.wasm`)).arrayBuffer());
    expect(wasm.length).toBe(da.size);
    expect(await componentWit(wasm)).toContain("export greet: func(name: string) -> string;");

    const again = doneOf((await s.build(body("export function greet(n) { return `A ${n}`; }"))).events);
    expect(again).toMatchObject({ ok: true, cached: true, hash: da.hash });
  }, 120_000);

  it("a JS syntax error comes back at its line", async () => {
    const d = doneOf((await s.build(body("export function greet(n) {\n  const x = ;\n  return n;\n}\n"))).events);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.diagnostics).toEqual([expect.objectContaining({ path: "guest.js", line: 2 })]);
    expect(d.message).toMatch(/^guest\.js:2:\d+: /);
  }, 60_000);

  it("refuses bad requests with a reason", async () => {
    expect(await s.build({ files: [] })).toMatchObject({ status: 400, json: { message: expect.stringContaining("entry") } });
    expect((await s.build({ ...body("x"), files: [{ path: "../etc/passwd.js", text: "" }, { path: "guest.js", text: "" }] })).json?.message).toContain("is not a WIT file");
    expect(parseBuildBody("{")).toBe("the body is not JSON");
    expect((await fetch(`${s.base}/api/build/${"0".repeat(64)}.wasm`)).status).toBe(404);
  });
});

describe("a build that runs too long", () => {
  it("is stopped with a message", async () => {
    const s = await serve({ timeoutMs: 3_000 });
    try {
      const d = doneOf((await s.build(body("while (true) {}\nexport function greet(n) { return n; }\n"))).events);
      expect(d).toMatchObject({ ok: false, timedOut: true, message: expect.stringContaining("longer than 3 s and was stopped") });
    } finally {
      s.close();
    }
  }, 60_000);
});
