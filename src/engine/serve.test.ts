/**
 * `serve` runs in Node 20 on engine/cm: the http-hello example and a wasi-testsuite service answer
 * requests over the runtime worker's HTTP port (`connectHttp`), concurrently in one instance, until
 * `shutdown` (exit 0) or a trap (the run's outcome, and every later request a 503).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NetHub } from "../host/sockets/vnet/hub";
import { webSocketTransport } from "../host/sockets/wisp/transport";
import { PreviewPort } from "../protocol/preview";
import type { RunEvent, RunOutcome } from "../protocol/runtime";
import { memoryCache } from "./jco/cache";
import { RuntimeService } from "./runtime-service";

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/components/${name}.wasm`, import.meta.url)));
const suite = (name: string) => new Uint8Array(readFileSync(new URL(`../../../shared/conformance/wasi-testsuite/${name}.wasm`, import.meta.url)));

/** A place for a run on `hub`'s virtual network (as the page gives each runtime worker one). */
function onHub(hub: NetHub, node: number, name: string) {
  const { port1, port2 } = new MessageChannel();
  hub.attach(node, name, port1);
  return { node, port: port2 };
}

async function serve(name: string, bytes: Uint8Array, port?: number, hub?: NetHub) {
  const service = new RuntimeService(memoryCache());
  const events: RunEvent[] = [];
  let up!: (e: Extract<RunEvent, { kind: "serving" }>) => void;
  const serving = new Promise<Extract<RunEvent, { kind: "serving" }>>((r) => (up = r));
  const outcome: Promise<RunOutcome> = service.run({ componentName: name, bytes, args: [name], env: [], stdin: new Uint8Array(), invoke: { kind: "serve", port }, engine: "cm" }, (batch) => {
    events.push(...batch);
    for (const e of batch) if (e.kind === "serving") up(e);
  }, hub && onHub(hub, 1, name));
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

  it("the http-client example reaches http-hello by name on the virtual network and prints its streamed answer", async () => {
    const hub = new NetHub((url) => webSocketTransport(url, ["wisp-v2"], WebSocket));
    const s = await serve("http-hello.wasm", example("http-hello"), 8080, hub);
    const client = async (...args: string[]) => {
      const out = { stdout: "", stderr: "", ticksAt: [] as number[] };
      const dec = new TextDecoder();
      const outcome = await new RuntimeService(memoryCache()).run(
        { componentName: "http-client.wasm", bytes: example("http-client"), args: ["http-client", ...args], env: [], stdin: new Uint8Array(), invoke: { kind: "run" }, engine: "cm", network: { allow: [] } },
        (batch) => {
          for (const e of batch) {
            if (e.kind !== "output") continue;
            const text = dec.decode(e.data);
            out[e.stream] += text;
            for (const _ of text.matchAll(/tick/g)) out.ticksAt.push(performance.now());
          }
        },
        onHub(hub, 2 + client.calls++, "http-client.wasm"),
      );
      return { ...out, outcome };
    };
    client.calls = 0;
    const json = await client();
    expect(json.outcome).toMatchObject({ kind: "exit", code: 0 });
    expect(json.stdout).toMatch(/^> GET http:\/\/http-hello\.localhost:8080\/\n< 200\n< content-type: application\/json\n< content-length: \d+\n\n\{/);
    expect(JSON.parse(json.stdout.slice(json.stdout.indexOf("{")))).toMatchObject({ hello: "world", path: "/" });
    const ticks = await client("http://any-name.localhost:8080/stream?n=3&ms=300");
    expect(ticks.stdout).toBe("> GET http://any-name.localhost:8080/stream?n=3&ms=300\n< 200\n< content-type: text/plain; charset=utf-8\n\ntick 1 of 3\ntick 2 of 3\ntick 3 of 3\n");
    // Each tick reached stdout as the served component wrote it, not all at the end.
    expect(ticks.ticksAt).toHaveLength(3);
    expect(ticks.ticksAt[2]! - ticks.ticksAt[0]!).toBeGreaterThan(450);
    const denied = await client("http://example.com/");
    expect(denied).toMatchObject({ stdout: "", stderr: "http-client: GET http://example.com/ failed: HTTP-request-denied\n", outcome: { kind: "exit", code: 1 } });
    const broken = await client("http://http-hello.localhost:8080/fail");
    // A body that fails mid-way: the part before it is printed, the trailers future names the
    // failure (over HTTP/1.1 the server can only cut the connection), and the run does not trap.
    expect(broken).toMatchObject({ stderr: "http-client: the body broke off: connection-terminated\n", outcome: { kind: "exit", code: 1 } });
    expect(broken.stdout).toContain("\n\nthe first part arrives, then the body fails\n");
    const bad = await client("ftp://x/");
    expect(bad).toMatchObject({ stdout: "", stderr: expect.stringContaining("give an http:// or https:// URL"), outcome: { kind: "exit", code: 1 } });
    await s.service.shutdown();
    s.close();
  });
});
