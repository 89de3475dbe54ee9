// Serving: a handler answering on the playground's network (server.ts) and through serveOne, with
// a client in another run reaching it by a `.localhost` name. The handlers here are host code that
// builds responses with the run's own resources, as a guest would through the engine.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { SocketsCtx } from "../sockets/ctx";
import { NetHub } from "../sockets/vnet/hub";
import { DEFAULT_WINDOW } from "../sockets/vnet/pipe";
import { webSocketTransport } from "../sockets/wisp/transport";
import { send } from "./outgoing";
import { HttpCtx } from "./ctx";
import { HttpError } from "./errors";
import { FieldList, fromLatin1 } from "./fields";
import { NO_TRAILERS, Transmission } from "./message";
import { httpP3 } from "./p3";
import { errorAnswer, serveOne, type HandlerCall } from "./serve";
import { listenHttp } from "./server";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

let nextNode = 200;
function run(hub: NetHub, name: string) {
  const id = nextNode++;
  const sockets = new SocketsCtx({ node: hub.attachLocal(id, name), allow: [], component: name });
  cleanups.push(() => sockets.closeAll());
  const http = new HttpCtx({ sockets });
  const types = httpP3(http)["wasi:http/types@0.3.0"];
  return { http, types };
}

type Types = ReturnType<typeof run>["types"];
const enc = new TextEncoder();
const ok = <T>(val: T) => ({ tag: "ok" as const, val });

/** A response with `parts` as its body, made as a guest makes one. */
function respond(types: Types, status: number, parts: AsyncIterable<Uint8Array>, headers: Array<[string, string]> = []) {
  const [res] = types.Response.new(new types.Fields(new FieldList(headers.map(([k, v]) => [k, fromLatin1(v)]))), parts as unknown as AsyncIterable<number>, Promise.resolve(ok(undefined)));
  res.setStatusCode(status);
  return res;
}

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield enc.encode(p);
}

function get(http: HttpCtx, authority: string, path = "/") {
  return send(http, {
    head: { method: { tag: "get" }, scheme: { tag: "HTTP" }, authority, pathWithQuery: path, headers: new FieldList(), timeouts: {} },
    body: { contents: null, trailers: Promise.resolve(NO_TRAILERS) },
    transmission: new Transmission(),
  });
}

const hub = () => new NetHub((url) => webSocketTransport(url, ["wisp-v2"], WebSocket));

describe("a handler served on the playground's network", () => {
  it("answers another run at NAME.localhost:PORT, with keep-alive, and sees the request as sent", async () => {
    const h = hub();
    const server = run(h, "server");
    const client = run(h, "client");
    await Promise.all([server.http.sockets.node.ready, client.http.sockets.node.ready]);
    let calls = 0;
    const handler: HandlerCall = async (req) => {
      calls++;
      const r = req as InstanceType<Types["Request"]>;
      const text = `${r.getMethod().tag} ${r.getPathWithQuery()} ${r.getAuthority()}`;
      return { kind: "value", value: respond(server.types, 200, bytes(text), [["content-length", String(text.length)]]) };
    };
    const listener = listenHttp(server.http, 8080, handler);
    cleanups.push(() => listener.close());
    await new Promise((r) => setTimeout(r, 20));
    for (const path of ["/a?x=1", "/b"]) {
      const got = await get(client.http, "api.localhost:8080", path);
      expect(got.head.status).toBe(200);
      expect(await new Response(got.body.contents).text()).toBe(`get ${path} api.localhost:8080`);
    }
    expect(calls).toBe(2);
  });

  it("streams a response chunked, and a reader that stops pulling stops the handler's writes", async () => {
    const h = hub();
    const server = run(h, "server");
    const client = run(h, "client");
    await Promise.all([server.http.sockets.node.ready, client.http.sockets.node.ready]);
    let produced = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        produced += 16 * 1024;
        yield new Uint8Array(16 * 1024);
      }
    }
    const listener = listenHttp(server.http, 0, async () => ({ kind: "value", value: respond(server.types, 200, endless()) }));
    cleanups.push(() => listener.close());
    await new Promise((r) => setTimeout(r, 20));
    const got = await get(client.http, `localhost:${listener.port}`);
    const reader = got.body.contents!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 100));
    const held = produced;
    await new Promise((r) => setTimeout(r, 200));
    expect(produced).toBe(held);
    // Only the windows along the way (the pipe's, a few chunks in flight) were written ahead.
    expect(held).toBeLessThan(DEFAULT_WINDOW + 1024 * 1024);
    // Reading on grants credit again (in quarter windows), and the handler goes on.
    for (let taken = 0; taken < DEFAULT_WINDOW / 2; ) taken += (await reader.read()).value!.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBeGreaterThan(held);
    await reader.cancel();
  });

  it("a handler that fails mid-body breaks the response: the client gets an error", async () => {
    const h = hub();
    const server = run(h, "server");
    const client = run(h, "client");
    await Promise.all([server.http.sockets.node.ready, client.http.sockets.node.ready]);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield enc.encode("first part");
      throw new Error("the guest trapped");
    }
    const listener = listenHttp(server.http, 0, async () => ({ kind: "value", value: respond(server.types, 200, failing()) }));
    cleanups.push(() => listener.close());
    await new Promise((r) => setTimeout(r, 20));
    const got = await get(client.http, `localhost:${listener.port}`);
    await expect(new Response(got.body.contents).text()).rejects.toThrow();
  });
});

describe("serveOne", () => {
  const incoming = { method: "POST", path: "/x", scheme: "http" as const, authority: "localhost", headers: [["x-a", "1"], ["connection", "close"], ["bad name", "v"]] as Array<[string, string]>, body: null };

  it("hands the handler its request (connection-level fields dropped) and streams the answer", async () => {
    const { http, types } = run(hub(), "svc");
    let seen: Array<[string, Uint8Array]> = [];
    const answer = await serveOne(http, async (req) => {
      seen = (req as InstanceType<Types["Request"]>).getHeaders().copyAll();
      return { kind: "value", value: respond(types, 201, bytes("a", "b")) };
    }, incoming);
    expect(seen.map(([k]) => k)).toEqual(["x-a"]);
    expect(answer.status).toBe(201);
    expect(await new Response(answer.body).text()).toBe("ab");
  });

  it("says what went wrong: an error result, a trap, no answer in time", async () => {
    const { http } = run(hub(), "svc");
    const err = await serveOne(http, async () => ({ kind: "err", payload: { tag: "HTTP-request-denied" } }), incoming);
    expect([err.status, await new Response(err.body).text()]).toEqual([500, "The handler of svc returned an error: HTTP-request-denied\n"]);
    const trap = await serveOne(http, () => Promise.reject(new Error("unreachable")), incoming);
    expect([trap.status, await new Response(trap.body).text()]).toEqual([500, "The handler of svc failed: unreachable\n"]);
    const slow = await serveOne(http, () => new Promise(() => {}), incoming, 50);
    expect([slow.status, await new Response(slow.body).text()]).toEqual([504, "The handler of svc did not answer within 0.05 s.\n"]);
    const odd = await serveOne(http, async () => ({ kind: "value", value: {} }), incoming);
    expect(odd.status).toBe(500);
  });

  it("settles the response's transmission future with how its body went", async () => {
    const { http, types } = run(hub(), "svc");
    const [res, sent] = types.Response.new(new types.Fields(), bytes("x") as unknown as AsyncIterable<number>, Promise.resolve({ tag: "err", val: { tag: "internal-error", val: "bad trailers" } }));
    const answer = await serveOne(http, async () => ({ kind: "value", value: res }), incoming);
    await expect(new Response(answer.body).text()).rejects.toThrow("internal-error: bad trailers");
    expect(await sent).toMatchObject({ tag: "err" });
  });

  it("errorAnswer is plain text with its length", async () => {
    const a = errorAnswer(503, "gone");
    expect(a.headers).toEqual([["content-type", "text/plain; charset=utf-8"], ["content-length", "5"]]);
    expect(await new Response(a.body).text()).toBe("gone\n");
    expect(new HttpError({ tag: "HTTP-protocol-error" }, "x").message).toBe("HTTP-protocol-error: x");
  });
});
