// The HTTP/1.1 client against real Node HTTP servers on 127.0.0.1, through the real Wisp relay
// (wisp-js server) and the playground's hub, as a run's requests travel in the browser.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startRelay } from "../../../server/relay";
import { parseRelayConfig } from "../../../server/relay-policy";
import { parseAllowList } from "../../base/allow-list";
import { SocketsCtx } from "../sockets/ctx";
import { NetHub } from "../sockets/vnet/hub";
import { webSocketTransport } from "../sockets/wisp/transport";
import { send, type Exchange } from "./outgoing";
import { HttpCtx } from "./ctx";
import { HttpError } from "./errors";
import { FieldList, fromLatin1 } from "./fields";
import { NO_TRAILERS, Transmission, type Body, type TrailersResult } from "./message";
import { pemTrust, type TrustStore } from "./tls";
import type { Method } from "./uri";

let relay: Awaited<ReturnType<typeof startRelay>>;
beforeAll(async () => {
  relay = await startRelay(parseRelayConfig({ hosts: ["127.0.0.1"], ports: "*" }, "test"), { port: 0, logLevel: "none" });
});
afterAll(async () => {
  await relay.close();
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

let nextNode = 100;
/** The test CA (testdata/tls): the only root the https tests trust. */
const tlsFile = (name: string) => readFileSync(new URL(`./testdata/tls/${name}`, import.meta.url), "utf8");
const TEST_TRUST = pemTrust("the test CA", tlsFile("ca.pem"));

/** A run's http state on a hub connected to the relay, allowed to reach `allow`. */
function run(allow: string, trust: TrustStore = TEST_TRUST): HttpCtx {
  const h = new NetHub((url) => webSocketTransport(url, ["wisp-v2"], WebSocket));
  h.setRelay(relay.url, []);
  const id = nextNode++;
  const sockets = new SocketsCtx({ node: h.attachLocal(id, `run${id}`), allow: parseAllowList(allow).entries, component: `run${id}` });
  cleanups.push(() => sockets.closeAll());
  return new HttpCtx({ sockets, trust });
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => handler(req, res, Buffer.concat(parts)));
  });
  server.on("connection", (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { port: (server.address() as AddressInfo).port, server, sockets };
}

const enc = new TextEncoder();
function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

function exchange(opts: { method?: Method; authority: string; path?: string; headers?: Array<[string, string]>; body?: Body; timeouts?: Exchange["head"]["timeouts"] }): Exchange {
  return {
    head: {
      method: opts.method ?? { tag: "get" },
      scheme: { tag: "HTTP" },
      authority: opts.authority,
      pathWithQuery: opts.path ?? "/",
      headers: new FieldList((opts.headers ?? []).map(([k, v]) => [k, fromLatin1(v)])),
      timeouts: opts.timeouts ?? {},
    },
    body: opts.body ?? { contents: null, trailers: Promise.resolve(NO_TRAILERS) },
    transmission: new Transmission(),
  };
}

async function read(body: Body): Promise<{ text: string; trailers: TrailersResult }> {
  const text = body.contents ? await new Response(body.contents).text() : "";
  return { text, trailers: await body.trailers };
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "no error";
  } catch (e) {
    return e instanceof HttpError ? e.payload.tag : `not an HttpError: ${String(e)}`;
  }
};

describe("the HTTP/1.1 client through the relay", () => {
  it("sends method, path, Host and fields, and reads a content-length response", async () => {
    const s = await serve((req, res) => res.writeHead(201, { "x-seen": `${req.method} ${req.url} host=${req.headers.host} a=${req.headers["x-a"]}`, "content-length": "5" }).end("hello"));
    const ctx = run(`127.0.0.1:${s.port}`);
    const ex = exchange({ method: { tag: "put" }, authority: `127.0.0.1:${s.port}`, path: "/p?q=1", headers: [["x-a", "1"]] });
    const got = await send(ctx, ex);
    expect(got.head.status).toBe(201);
    expect(got.head.headers.text("x-seen")).toBe(`PUT /p?q=1 host=127.0.0.1:${s.port} a=1`);
    expect(await read(got.body)).toEqual({ text: "hello", trailers: NO_TRAILERS });
    expect(await ex.transmission.done).toEqual({ tag: "ok", val: undefined });
  });

  it("streams a request body chunked with trailers, and reads a chunked response with trailers", async () => {
    const s = await serve((req, res, body) => {
      res.writeHead(200, { trailer: "x-sum" });
      res.write(`te=${req.headers["transfer-encoding"]} body=${body.toString()} `);
      res.write(`trailer=${req.trailers["x-check"]}`);
      res.addTrailers({ "x-sum": "42" });
      res.end();
    });
    const ctx = run(`127.0.0.1:${s.port}`);
    const trailers = Promise.resolve<TrailersResult>({ tag: "ok", val: new FieldList([["x-check", fromLatin1("abc")]]) });
    const got = await send(ctx, exchange({ method: { tag: "post" }, authority: `127.0.0.1:${s.port}`, body: { contents: streamOf("one", "two"), trailers } }));
    const r = await read(got.body);
    expect(r.text).toBe("te=chunked body=onetwo trailer=abc");
    expect(r.trailers.tag === "ok" && r.trailers.val?.text("x-sum")).toBe("42");
  });

  it("keeps the connection alive across requests of one run", async () => {
    const s = await serve((req, res) => res.writeHead(200, { "content-length": String(req.url!.length) }).end(req.url));
    const ctx = run(`127.0.0.1:${s.port}`);
    for (const path of ["/a", "/bb", "/ccc"]) {
      const got = await send(ctx, exchange({ authority: `127.0.0.1:${s.port}`, path }));
      expect((await read(got.body)).text).toBe(path);
    }
    expect(s.sockets.size).toBe(1);
  });

  it("sends the guest's content-length as is, and fails a body longer than it says", async () => {
    const s = await serve((req, res, body) => res.writeHead(200).end(`${req.headers["content-length"]}:${body.toString()}`));
    const ctx = run(`127.0.0.1:${s.port}`);
    const ok = await send(ctx, exchange({ method: { tag: "post" }, authority: `127.0.0.1:${s.port}`, headers: [["content-length", "4"]], body: { contents: streamOf("pi", "ng"), trailers: Promise.resolve(NO_TRAILERS) } }));
    expect((await read(ok.body)).text).toBe("4:ping");
    const ex = exchange({ method: { tag: "post" }, authority: `127.0.0.1:${s.port}`, headers: [["content-length", "2"]], body: { contents: streamOf("toolong"), trailers: Promise.resolve(NO_TRAILERS) } });
    const sent = send(ctx, ex).then((r) => read(r.body));
    expect(await ex.transmission.done).toMatchObject({ tag: "err", val: { tag: "HTTP-request-body-size" } });
    await sent.catch(() => {});
  });

  it("a request whose trailers fail gets no response", async () => {
    const s = await serve((_req, res, body) => res.writeHead(200).end(body));
    const ctx = run(`127.0.0.1:${s.port}`);
    const ex = exchange({ method: { tag: "post" }, authority: `127.0.0.1:${s.port}`, body: { contents: streamOf("partial"), trailers: Promise.resolve({ tag: "err", val: { tag: "internal-error", val: undefined } }) } });
    expect(await codeOf(send(ctx, ex))).toBe("internal-error");
    expect(await ex.transmission.done).toMatchObject({ tag: "err" });
  });

  it("maps failures to error-codes: refused, denied, timeouts, incomplete and malformed responses", async () => {
    // A port nothing listens on.
    const dead = await serve(() => {});
    const deadPort = dead.port;
    await cleanups.pop()!();
    const ctx = run(`127.0.0.1:*`);
    expect(await codeOf(send(ctx, exchange({ authority: `127.0.0.1:${deadPort}` })))).toBe("connection-refused");

    const denied = run("");
    const ex = exchange({ authority: "example.com:80" });
    expect(await codeOf(send(denied, ex))).toBe("HTTP-request-denied");
    expect(await ex.transmission.done).toMatchObject({ tag: "err", val: { tag: "HTTP-request-denied" } });
    expect(await codeOf(send(denied, exchange({ authority: "bad name!:80" })))).toBe("HTTP-request-URI-invalid");

    const slow = await serve(() => {});
    expect(await codeOf(send(ctx, exchange({ authority: `127.0.0.1:${slow.port}`, timeouts: { firstByte: 200_000_000n } })))).toBe("connection-read-timeout");

    const stalls = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "10" });
      res.write("12345");
    });
    const partial = await send(ctx, exchange({ authority: `127.0.0.1:${stalls.port}`, timeouts: { betweenBytes: 200_000_000n } }));
    await expect(read(partial.body)).rejects.toThrow("connection-read-timeout");

    const raw = createTcpServer((sock) => sock.once("data", () => sock.end("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort")));
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => raw.close(() => r())));
    const cut = await send(ctx, exchange({ authority: `127.0.0.1:${(raw.address() as AddressInfo).port}` }));
    await expect(read(cut.body)).rejects.toThrow("HTTP-response-incomplete");

    const garbage = createTcpServer((sock) => sock.once("data", () => sock.end("SMTP ready\r\n\r\n")));
    await new Promise<void>((r) => garbage.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => garbage.close(() => r())));
    expect(await codeOf(send(ctx, exchange({ authority: `127.0.0.1:${(garbage.address() as AddressInfo).port}` })))).toBe("HTTP-protocol-error");
  });

  it("a run set to fetch sends with the given fetch, and a failed fetch says it may be CORS", async () => {
    const s = await serve((req, res) => res.writeHead(200, { "x-m": req.method ?? "", "content-length": "2" }).end("ok"));
    const sockets = new SocketsCtx({ allow: [], component: "fetcher" });
    cleanups.push(() => sockets.closeAll());
    const ctx = new HttpCtx({ sockets, via: "fetch", fetch: globalThis.fetch });
    const got = await send(ctx, exchange({ method: { tag: "delete" }, authority: `127.0.0.1:${s.port}` }));
    expect([got.head.status, got.head.headers.text("x-m"), (await read(got.body)).text]).toEqual([200, "DELETE", "ok"]);
    const failing = new HttpCtx({ sockets, via: "fetch", fetch: () => Promise.reject(new TypeError("Failed to fetch")) });
    const err = await send(failing, exchange({ authority: "example.com" })).catch((e: HttpError) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toContain("CORS");
  });
});

/** A real HTTPS server on 127.0.0.1 with a certificate for `localhost` (testdata/tls). */
async function serveTls(opts: { cert?: string; maxVersion?: "TLSv1.2" | "TLSv1.3" }, handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  const sockets = new Set<Socket>();
  const server = createHttpsServer({ key: tlsFile("localhost.key"), cert: tlsFile(opts.cert ?? "localhost.pem"), maxVersion: opts.maxVersion }, (req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => handler(req, res, Buffer.concat(parts)));
  });
  server.on("secureConnection", (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { port: (server.address() as AddressInfo).port, sockets };
}

const https = (opts: Parameters<typeof exchange>[0]) => {
  const ex = exchange(opts);
  ex.head.scheme = { tag: "HTTPS" };
  return ex;
};

describe("https: TLS in the page over the relay", () => {
  it("verifies the server against the trusted CA, streams both ways encrypted, and keeps the connection alive", async () => {
    const s = await serveTls({}, (req, res, body) => {
      res.writeHead(200, { "x-proto": (req.socket as import("node:tls").TLSSocket).getProtocol() ?? "" });
      res.end(`${req.method} ${req.url} ${body.toString()}`);
    });
    // localhost with nothing of the playground listening there: the relay's machine, as its
    // loopback address is on the allow-list.
    const ctx = run(`127.0.0.1:${s.port}`);
    const first = await send(ctx, https({ authority: `localhost:${s.port}`, path: "/secret" }));
    expect(first.head.status).toBe(200);
    expect(first.head.headers.text("x-proto")).toBe("TLSv1.3");
    expect((await read(first.body)).text).toBe("GET /secret ");
    const big = "x".repeat(100_000);
    const second = await send(ctx, https({ method: { tag: "post" }, authority: `localhost:${s.port}`, path: "/echo", body: { contents: streamOf(big.slice(0, 50_000), big.slice(50_000)), trailers: Promise.resolve(NO_TRAILERS) } }));
    expect((await read(second.body)).text).toBe(`POST /echo ${big}`);
    expect(s.sockets.size).toBe(1);
  });

  it("refuses a certificate no trusted root signed, a server without TLS 1.3, an IP address, and an unloadable root store", async () => {
    const other = await serveTls({ cert: "localhost-other-ca.pem" }, (_req, res) => res.end("should not be read"));
    const ctx = run("127.0.0.1:*");
    const err = await send(ctx, https({ authority: `localhost:${other.port}` })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).payload.tag).toBe("TLS-certificate-error");
    expect((err as HttpError).message).toContain("localhost's certificate is not trusted");

    const old = await serveTls({ maxVersion: "TLSv1.2" }, (_req, res) => res.end("should not be read"));
    const refused = await send(ctx, https({ authority: `localhost:${old.port}` })).catch((e: unknown) => e);
    expect((refused as HttpError).payload.tag).toBe("TLS-alert-received");
    expect((refused as HttpError).message).toContain("TLS 1.3");

    expect(await codeOf(send(ctx, https({ authority: `127.0.0.1:${other.port}` })))).toBe("TLS-certificate-error");

    const broken = run("127.0.0.1:*", pemTrust("a root store", () => Promise.reject(new Error("404"))));
    await expect(send(broken, https({ authority: `localhost:${other.port}` }))).rejects.toThrow("a root store could not be loaded: 404");
  });
});
