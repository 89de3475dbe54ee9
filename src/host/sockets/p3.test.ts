// wasi:sockets@0.3.0 over the virtual network (one hub, several run nodes, real MessageChannels)
// and through the real relay (wisp-js server) to real servers on 127.0.0.1.
import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startRelay } from "../../../server/relay";
import { parseRelayConfig } from "../../../server/relay-policy";
import { tcpServer } from "../../../server/tcp-server.fixture";
import { parseAllowList } from "../../base/allow-list";
import { SocketsCtx } from "./ctx";
import { socketsP3 } from "./p3";
import { NetHub } from "./vnet/hub";
import { webSocketTransport } from "./wisp/transport";

type Addr = { tag: "ipv4"; val: { port: number; address: [number, number, number, number] } };
const v4 = (port: number, address: [number, number, number, number] = [127, 0, 0, 1]): Addr => ({ tag: "ipv4", val: { port, address } });

interface Tcp {
  bind(a: Addr): void;
  connect(a: Addr): Promise<void>;
  listen(): ReadableStream<Tcp>;
  send(data: AsyncIterable<Uint8Array>): Promise<{ tag: string; val?: { tag: string } }>;
  receive(): [ReadableStream<Uint8Array>, Promise<{ tag: string; val?: { tag: string } }>];
  getLocalAddress(): Addr;
  getRemoteAddress(): Addr;
  [Symbol.dispose](): void;
}
interface Udp {
  bind(a: Addr): void;
  connect(a: Addr): void;
  send(data: Uint8Array, to: Addr | undefined): Promise<void>;
  receive(): Promise<[Uint8Array, Addr]>;
  getLocalAddress(): Addr;
}
interface Api {
  id: number;
  tcp(): Tcp;
  udp(): Udp;
  lookup(name: string): Promise<unknown[]>;
  ctx: SocketsCtx;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

let nextNode = 10;
function run(hub: NetHub, allow = "", component = `run${nextNode}`): Api {
  const id = nextNode++;
  const ctx = new SocketsCtx({ node: hub.attachLocal(id, component), allow: parseAllowList(allow).entries, component });
  cleanups.push(() => ctx.closeAll());
  const p3 = socketsP3(ctx);
  const types = p3["wasi:sockets/types@0.3.0"] as unknown as { TcpSocket: { create(f: string): Tcp }; UdpSocket: { create(f: string): Udp } };
  return {
    id,
    tcp: () => types.TcpSocket.create("ipv4"),
    udp: () => types.UdpSocket.create("ipv4"),
    lookup: (name) => p3["wasi:sockets/ip-name-lookup@0.3.0"].resolveAddresses(name),
    ctx,
  };
}

function hub(relayUrl?: string): NetHub {
  const h = new NetHub((url) => webSocketTransport(url, ["wisp-v2"], WebSocket));
  if (relayUrl) h.setRelay(relayUrl, []);
  return h;
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

async function textN(stream: ReadableStream<Uint8Array>, n: number): Promise<string> {
  const r = stream.getReader();
  let s = "";
  while (s.length < n) s += new TextDecoder().decode((await r.read()).value);
  r.releaseLock();
  return s;
}

async function next<T>(stream: ReadableStream<T>): Promise<T> {
  const r = stream.getReader();
  const { value } = await r.read();
  r.releaseLock();
  return value!;
}

const errTag = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return (e as { payload?: { tag: string } }).payload?.tag ?? String(e);
  }
  return "no error";
};

/** An echo server component: accepts one connection, echoes until FIN. */
async function echoOnce(listener: Tcp): Promise<void> {
  const conn = await next(listener.listen());
  const [rx, rxDone] = conn.receive();
  const sent = conn.send(rx as unknown as AsyncIterable<Uint8Array>);
  expect(await sent).toEqual({ tag: "ok", val: undefined });
  expect(await rxDone).toEqual({ tag: "ok", val: undefined });
}

describe("TCP on the virtual network", () => {
  it("connects, sends and receives inside one run", async () => {
    const api = run(hub());
    const listener = api.tcp();
    listener.bind(v4(0));
    const addr = listener.getLocalAddress();
    expect(addr.val.port).toBeGreaterThanOrEqual(49152);
    const server = echoOnce(listener);
    const client = api.tcp();
    await client.connect(addr);
    expect(client.getRemoteAddress()).toEqual(addr);
    const [rx] = client.receive();
    expect(await client.send(chunks("hello ", "virtual ", "network"))).toEqual({ tag: "ok", val: undefined });
    expect(await new Response(rx).text()).toBe("hello virtual network");
    await server;
  });

  it("connects components in different runs, and shares one port space", async () => {
    const h = hub();
    const a = run(h, "", "server");
    const b = run(h, "", "client");
    await Promise.all([a.ctx.node.ready, b.ctx.node.ready]);
    const listener = a.tcp();
    listener.bind(v4(7000));
    const server = echoOnce(listener);
    await new Promise((r) => setTimeout(r, 20)); // b learns of the binding
    expect(await errTag(() => b.tcp().bind(v4(7000)))).toBe("address-in-use");
    expect(await errTag(() => b.tcp().bind(v4(7000, [0, 0, 0, 0])))).toBe("address-in-use");
    const client = b.tcp();
    await client.connect(v4(7000));
    const [rx] = client.receive();
    await client.send(chunks("across ", "workers"));
    expect(await new Response(rx).text()).toBe("across workers");
    await server;
  });

  it("keeps listening after an accepted connection closes (it does not own the listener's port)", async () => {
    const h = hub();
    const a = run(h, "", "server");
    const b = run(h, "", "client");
    const listener = a.tcp();
    listener.bind(v4(7300));
    const connections = listener.listen().getReader();
    await new Promise((r) => setTimeout(r, 20));
    for (const word of ["first", "second"]) {
      const client = b.tcp();
      await client.connect(v4(7300));
      const conn = (await connections.read()).value!;
      const [rx] = client.receive();
      await conn.send(chunks(word));
      expect(await new Response(rx).text()).toBe(word);
      conn[Symbol.dispose]();
      client[Symbol.dispose]();
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it("refuses a connect where nobody listens, and a second connect", async () => {
    const api = run(hub());
    expect(await errTag(api.tcp().connect(v4(59999)))).toBe("connection-refused");
    const listener = api.tcp();
    listener.bind(v4(0));
    listener.listen();
    const client = api.tcp();
    await client.connect(listener.getLocalAddress());
    expect(await errTag(client.connect(listener.getLocalAddress()))).toBe("invalid-state");
  });

  it("fails the peer's send once the receiver dropped its read half", async () => {
    const api = run(hub());
    const listener = api.tcp();
    listener.bind(v4(0));
    const accepted = next(listener.listen());
    const client = api.tcp();
    await client.connect(listener.getLocalAddress());
    const server = await accepted;
    let dropped!: () => void;
    const afterDrop = new Promise<void>((r) => (dropped = r));
    async function* data() {
      yield new TextEncoder().encode("x");
      await afterDrop;
      yield new TextEncoder().encode("y");
    }
    const sent = server.send(data());
    const [rx, rxDone] = client.receive();
    expect(new TextDecoder().decode(await next(rx))).toBe("x");
    await rx.cancel();
    dropped();
    expect(await sent).toEqual({ tag: "err", val: { tag: "connection-broken" } });
    expect(await rxDone).toEqual({ tag: "ok", val: undefined });
    // send may be called once per socket.
    expect(await server.send(chunks("z"))).toEqual({ tag: "err", val: { tag: "invalid-state" } });
  });

  it("a socket dropped while its connect is under way does not come back connected: the peer sees the end", async () => {
    const api = run(hub());
    const listener = api.tcp();
    listener.bind(v4(0));
    const accepted = next(listener.listen());
    const client = api.tcp();
    const connecting = client.connect(listener.getLocalAddress());
    client[Symbol.dispose]();
    await connecting.catch(() => {});
    const [rx, rxDone] = (await accepted).receive();
    expect(await new Response(rx).text()).toBe("");
    expect(await rxDone).toEqual({ tag: "ok", val: undefined });
  });

  it("resets a connection when the other run is stopped", async () => {
    const h = hub();
    const a = run(h);
    const b = run(h);
    const listener = a.tcp();
    listener.bind(v4(7100));
    const accepted = next(listener.listen());
    await new Promise((r) => setTimeout(r, 20));
    const client = b.tcp();
    await client.connect(v4(7100));
    await accepted;
    const [, rxDone] = client.receive();
    h.detach(a.id); // a's worker was terminated
    expect(await rxDone).toEqual({ tag: "err", val: { tag: "connection-reset" } });
  });
});

describe("UDP on the virtual network", () => {
  it("round-trips datagrams between runs", async () => {
    const h = hub();
    const a = run(h);
    const b = run(h);
    const server = a.udp();
    server.bind(v4(5353));
    await new Promise((r) => setTimeout(r, 20));
    const client = b.udp();
    await client.send(new TextEncoder().encode("ping"), v4(5353));
    const [data, from] = await server.receive();
    expect(new TextDecoder().decode(data)).toBe("ping");
    expect(from).toEqual({ tag: "ipv4", val: { port: client.getLocalAddress().val.port, address: [127, 0, 0, 1] } });
    await server.send(new TextEncoder().encode("pong"), from);
    const [back] = await client.receive();
    expect(new TextDecoder().decode(back)).toBe("pong");
  });
});

describe("through the relay", () => {
  const echoServer = () => tcpServer((s) => s.pipe(s), cleanups);

  async function relay() {
    const r = await startRelay(parseRelayConfig({ hosts: ["127.0.0.1", "localhost"], ports: "*" }, "test"), { port: 0, logLevel: "none" });
    cleanups.push(() => r.close());
    return r;
  }

  it("reaches a real TCP server on the relay's machine when the allow-list has it", async () => {
    const echo = await echoServer();
    const api = run(hub((await relay()).url), `127.0.0.1:${echo.port}`);
    const client = api.tcp();
    await client.connect(v4(echo.port));
    const [rx] = client.receive();
    await client.send(chunks("through ", "wisp"));
    // Wisp cannot half-close: the echo server sees no end of stream, so read what came back.
    expect(await textN(rx, 12)).toBe("through wisp");
  });

  it("denies a destination not on the allow-list, and reports it", async () => {
    const h = hub((await relay()).url);
    const api = run(h, "example.com:443", "denied-run");
    const states: string[][] = [];
    h.subscribe((s) => states.push(s.denied.map((d) => `${d.component} ${d.target} ${d.reason}`)));
    expect(await errTag(api.tcp().connect(v4(80, [93, 184, 216, 34])))).toBe("access-denied");
    const [addr] = (await api.lookup("example.org")) as Array<{ tag: "ipv4"; val: [number, number, number, number] }>;
    expect(await errTag(api.tcp().connect(v4(443, addr!.val)))).toBe("access-denied");
    api.ctx.node.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(states.at(-1)).toEqual([
      "denied-run example.org:443 example.org:443 is not on this run's network allow-list",
      "denied-run 93.184.216.34:80 93.184.216.34:80 is not on this run's network allow-list",
    ]);
  });

  it("maps the relay's refusal to access-denied", async () => {
    const echo = await echoServer();
    const api = run(hub((await relay()).url), "127.0.0.2:*");
    expect(await errTag(api.tcp().connect(v4(echo.port, [127, 0, 0, 2])))).toBe("access-denied");
  });

  it("resolves names to synthetic addresses that the relay resolves", async () => {
    const echo = await echoServer();
    const api = run(hub((await relay()).url), `localhost:${echo.port}`);
    // `localhost` is the playground itself.
    expect(await api.lookup("localhost")).toEqual([
      { tag: "ipv4", val: [127, 0, 0, 1] },
      { tag: "ipv6", val: [0, 0, 0, 0, 0, 0, 0, 1] },
    ]);
    const addrs = (await api.lookup("Example.COM")) as Addr[];
    expect(addrs[0]).toEqual({ tag: "ipv4", val: [198, 18, 0, 1] });
    expect(await errTag(api.lookup("bad name"))).toBe("invalid-argument");
  });

  it("fails the guest's connection with connection-aborted when the relay dies mid-transfer", async () => {
    const echo = await echoServer();
    const r = await relay();
    const api = run(hub(r.url), `127.0.0.1:${echo.port}`);
    const client = api.tcp();
    await client.connect(v4(echo.port));
    const [rx, rxDone] = client.receive();
    const reader = rx.getReader();
    await client.send(chunks("before")).then(() => {});
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("before");
    await r.close();
    expect(await rxDone).toEqual({ tag: "err", val: { tag: "connection-aborted" } });
  });

  it("round-trips UDP datagrams with a real server", async () => {
    const udp = createSocket("udp4");
    udp.on("message", (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r()));
    cleanups.push(() => udp.close());
    const port = udp.address().port;
    const api = run(hub((await relay()).url), `127.0.0.1:${port}`);
    const sock = api.udp();
    await sock.send(new TextEncoder().encode("datagram"), v4(port));
    const [data, from] = await sock.receive();
    expect(new TextDecoder().decode(data)).toBe("datagram");
    expect(from).toEqual(v4(port));
  });
});
