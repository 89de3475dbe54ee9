/**
 * The gateway as an HTTP service (examples/gateway-http): the gateway's five parts and the `front`
 * composed by src/compose into ONE component that exports wasi:http/handler, served in Node 20 on
 * engine/cm (no JSPI) by the runtime service as the page serves it, and asked over its HTTP port
 * (`connectHttp`) as the preview Service Worker asks it.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { Catalog, MemoryLibrary } from "../compose/catalog";
import { encodeGraph } from "../compose/encode";
import { memoryCache } from "../engine/jco/cache";
import { RuntimeService } from "../engine/runtime-service";
import { PreviewPort } from "../protocol/preview";
import type { RunEvent } from "../protocol/runtime";
import { chunkToBatch } from "../protocol/trace-chunk";
import type { TraceEvent } from "../protocol/trace-events";
import { exampleGraph, fileOf } from "./graphs";

const HANDLER = "wasi:http/handler@0.3.0";
const ALICE_ME = { user: { name: "Alice", plan: "pro" }, orders: [{ id: 1041, item: "teapot" }, { id: 1077, item: "cups" }] };

const built = (file: string) => new URL(`../../public/components/${file}`, import.meta.url);
const INDEX = JSON.parse(await readFile(built("index.json"), "utf8"));
const GRAPH = exampleGraph(JSON.parse(await readFile(built("graphs.json"), "utf8")), "gateway-http");

async function compose() {
  const library = new MemoryLibrary();
  for (const node of GRAPH.instances) await library.add(fileOf(INDEX, node), new Uint8Array(await readFile(built(fileOf(INDEX, node)))));
  return encodeGraph(new Catalog(library), GRAPH, { name: "gateway-http" });
}

/** The composition served on engine/cm; `get` asks it as a browser would, with these headers. */
async function serve() {
  const service = new RuntimeService(memoryCache());
  const trace: TraceEvent[] = [];
  let up!: () => void;
  const serving = new Promise<void>((r) => (up = r));
  const onEvents = (batch: RunEvent[]) => {
    for (const e of batch) {
      if (e.kind === "serving") up();
      if (e.kind === "trace") trace.push(...chunkToBatch(e.chunk).events);
    }
  };
  const run = { componentName: "gateway-http.wasm", bytes: (await compose()).bytes, args: [], env: [], stdin: new Uint8Array(), invoke: { kind: "serve" as const }, engine: "cm" as const, trace: true };
  const outcome = service.run(run, onEvents);
  await Promise.race([serving, outcome.then((o) => Promise.reject(new Error(`the run ended: ${JSON.stringify(o)}`)))]);
  const { port1, port2 } = new MessageChannel();
  await service.connectHttp(port2);
  const http = new PreviewPort(port1);
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await http.send({ method: "GET", path, scheme: "http", authority: "localhost", headers: Object.entries(headers), body: null }, 10_000);
    if (!r) throw new Error(`no answer to GET ${path}`);
    const type = r.headers.find(([k]) => k === "content-type")?.[1];
    return { status: r.status, type, text: r.body ? await new Response(r.body).text() : "" };
  };
  const stop = async () => {
    await service.shutdown();
    port1.close();
    return outcome;
  };
  return { get, trace, stop };
}

const as = (client: string, token?: string) => ({ "x-client": client, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) });

/** The tasks of `func` in the instance whose path ends with `/name`, as positions in the trace. */
function spans(trace: TraceEvent[], name: string, func: string) {
  const ids = new Set(trace.filter((e) => e.kind === "instance" && e.name?.endsWith(`/${name}`)).map((e) => e.instance));
  const at = (start: TraceEvent, kind: TraceEvent["kind"]) => trace.findIndex((e) => e.kind === kind && e.task === start.task && e.instance === start.instance);
  return trace
    .filter((e) => e.kind === "task.start" && e.name === func && ids.has(e.instance))
    .map((start) => ({ start: trace.indexOf(start), end: at(start, "task.return"), over: at(start, "task.end") }));
}

describe("the gateway as an HTTP service", () => {
  it("composes into one component that imports only WASI and exports wasi:http/handler", async () => {
    const composed = await compose();
    expect(composed.exports).toEqual([HANDLER]);
    expect(composed.imports.every((name) => name.startsWith("wasi:"))).toBe(true);
    expect(composed.imports).toContain("wasi:http/types@0.3.0");
  });

  it("answers requests on engine/cm: the router's ok as JSON, its errors as their status", async () => {
    const s = await serve();
    expect(await s.get("/me", as("10.0.0.1", "tok_alice_7f3a"))).toEqual({ status: 200, type: "application/json", text: JSON.stringify(ALICE_ME) });
    expect(JSON.parse((await s.get("/users/bob", as("10.0.0.2", "tok_bob_91c2"))).text)).toEqual({ name: "Bob", plan: "free" });
    // The scheme's case does not matter.
    expect((await s.get("/orders/bob", { "x-client": "10.0.0.2", authorization: "bearer tok_bob_91c2" })).text).toBe("[]");
    const text = "text/plain; charset=utf-8";
    expect(await s.get("/me", as("10.0.0.3", "tok_carol_5d10"))).toEqual({ status: 401, type: text, text: "unknown or revoked token" });
    expect(await s.get("/me", as("10.0.0.3"))).toEqual({ status: 401, type: text, text: "missing token" });
    expect(await s.get("/me", { "x-client": "10.0.0.3", authorization: "Basic YWxpY2U6" })).toMatchObject({ status: 401, text: "malformed token: expected tok_..." });
    expect(await s.get("/admin?x=1", as("10.0.0.4", "tok_alice_7f3a"))).toEqual({ status: 404, type: text, text: "no route for /admin?x=1" });
    expect(await s.get("/users/zed", as("10.0.0.4", "tok_alice_7f3a"))).toMatchObject({ status: 404, text: "nothing at /users/zed" });
    expect(await s.stop()).toMatchObject({ kind: "exit", code: 0 });
  });

  it("refuses the sixth request from one client in 10 s with 429; without x-client all share one limit", async () => {
    const s = await serve();
    for (let i = 0; i < 5; i++) expect((await s.get("/me", as("10.0.0.1", "tok_alice_7f3a"))).status).toBe(200);
    expect(await s.get("/me", as("10.0.0.1", "tok_alice_7f3a"))).toEqual({
      status: 429,
      type: "text/plain; charset=utf-8",
      text: expect.stringMatching(/^rate limited: 5 requests from 10\.0\.0\.1 in the last 10 s; retry in \d+ ms$/),
    });
    expect((await s.get("/me", as("10.0.0.2", "tok_alice_7f3a"))).status).toBe(200);
    const anonymous = [];
    for (let i = 0; i < 6; i++) anonymous.push(await s.get("/me", { authorization: "Bearer tok_alice_7f3a" }));
    expect(anonymous.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(anonymous[5]!.text).toContain("from anonymous");
    await s.stop();
  });

  it("serves concurrent requests in one instance of each part: their tasks overlap in the front and in the router", async () => {
    const s = await serve();
    const replies = await Promise.all([
      s.get("/me", as("10.0.0.1", "tok_alice_7f3a")),
      s.get("/me", as("10.0.0.2", "tok_bob_91c2")),
      s.get("/users/bob", as("10.0.0.3", "tok_bob_91c2")),
      s.get("/me", as("10.0.0.4", "tok_nobody")),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 401]);
    expect(JSON.parse(replies[1]!.text)).toEqual({ user: { name: "Bob", plan: "free" }, orders: [] });
    await s.stop();
    // All four tasks started in the front (and in the router it calls) before the first returned.
    for (const [part, func] of [["front", "handle"], ["router", "handle"]] as const) {
      const tasks = spans(s.trace, part, func);
      expect(tasks, part).toHaveLength(4);
      expect(Math.max(...tasks.map((t) => t.start))).toBeLessThan(Math.min(...tasks.map((t) => t.end)));
    }
    // Each front task went on after returning its response (writing the body and the trailers) and then ended.
    for (const t of spans(s.trace, "front", "handle")) expect(t.over).toBeGreaterThan(t.end);
  });
});
