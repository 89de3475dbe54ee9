/**
 * `serve` runs in Node 20 on engine/cm: the http-hello example and a wasi-testsuite service answer
 * requests over the runtime worker's HTTP port (`connectHttp`), concurrently in one instance, until
 * `shutdown` (exit 0) or a trap (the run's outcome, and every later request a 503).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PreviewPort } from "../protocol/preview";
import type { RunEvent, RunOutcome } from "../protocol/runtime";
import { memoryCache } from "./jco/cache";
import { RuntimeService } from "./runtime-service";

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/components/${name}.wasm`, import.meta.url)));
const suite = (name: string) => new Uint8Array(readFileSync(new URL(`../../../shared/conformance/wasi-testsuite/${name}.wasm`, import.meta.url)));

async function serve(name: string, bytes: Uint8Array, port?: number) {
  const service = new RuntimeService(memoryCache());
  const events: RunEvent[] = [];
  let up!: (e: Extract<RunEvent, { kind: "serving" }>) => void;
  const serving = new Promise<Extract<RunEvent, { kind: "serving" }>>((r) => (up = r));
  const outcome: Promise<RunOutcome> = service.run({ componentName: name, bytes, args: [name], env: [], stdin: new Uint8Array(), invoke: { kind: "serve", port }, engine: "cm" }, (batch) => {
    events.push(...batch);
    for (const e of batch) if (e.kind === "serving") up(e);
  });
  const ready = await Promise.race([serving, outcome.then((o) => Promise.reject(new Error(`ended: ${JSON.stringify(o)}`)))]);
  const { port1, port2 } = new MessageChannel();
  await service.connectHttp(port2);
  const http = new PreviewPort(port1);
  const request = async (method: string, path: string, body?: string) => {
    const r = await http.send({ method, path, scheme: "http", authority: "localhost", headers: [], body: body === undefined ? null : new Blob([body]).stream() }, 10_000);
    if (!r) throw new Error("no answer");
    return { status: r.status, headers: r.headers, text: r.body ? await new Response(r.body).text() : "" };
  };
  return { service, ready, outcome, request, close: () => port1.close() };
}

describe("serve runs on engine/cm", () => {
  it("answers many requests, concurrently, in one instance, until shutdown ends it with exit 0", async () => {
    const s = await serve("http-hello.wasm", example("http-hello"));
    expect(s.ready).toMatchObject({ handler: "wasi:http/handler@0.3.0#handle", listen: "localhost:8080" });
    expect(JSON.parse((await s.request("GET", "/")).text)).toMatchObject({ hello: "world", served: 1 });
    const t0 = performance.now();
    const many = await Promise.all(Array.from({ length: 20 }, () => s.request("GET", "/wait?ms=200")));
    expect(many.every((r) => r.status === 200)).toBe(true);
    // Twenty 200 ms waits at once take about one wait, not twenty.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await s.request("POST", "/echo", "streamed back")).toMatchObject({ status: 200, text: "streamed back" });
    await s.service.shutdown();
    expect(await s.outcome).toMatchObject({ kind: "exit", code: 0 });
    expect(await s.request("GET", "/")).toMatchObject({ status: 503 });
    s.close();
  });

  it("a handler that traps answers 500 and ends the run with the trap; later requests get 503", async () => {
    // http-service asserts that a request to / has an empty body: a body makes it panic.
    const s = await serve("http-service.wasm", suite("http-service"));
    expect(await s.request("GET", "/")).toMatchObject({ status: 200, text: "hey\n" });
    const trapped = await s.request("POST", "/", "not empty");
    expect(trapped.status).toBe(500);
    expect(trapped.text).toContain("The handler of http-service.wasm failed");
    expect(await s.outcome).toMatchObject({ kind: "trap", message: expect.stringContaining("trapped in wasi:http/handler@0.3.0#handle") });
    expect(await s.request("GET", "/")).toMatchObject({ status: 503 });
    s.close();
  });

  it("refuses to serve a component without a handler", async () => {
    const service = new RuntimeService(memoryCache());
    const bytes = example("hello");
    const o = await service.run({ componentName: "hello.wasm", bytes, args: ["hello"], env: [], stdin: new Uint8Array(), invoke: { kind: "serve" }, engine: "cm" }, () => {});
    expect(o).toMatchObject({ kind: "error", message: "Component 'hello.wasm' does not export wasi:http/handler@0.3, so it cannot serve HTTP." });
  });
});
