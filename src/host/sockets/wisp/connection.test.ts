// The Wisp client against the real relay (wisp-js server, our policy) and real TCP/UDP servers on
// 127.0.0.1, in Node with the `ws` package's WebSocket.
import { createSocket } from "node:dgram";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startRelay, type Relay } from "../../../../server/relay";
import { parseRelayConfig } from "../../../../server/relay-policy";
import { tcpServer as tcpServerOn } from "../../../../server/tcp-server.fixture";
import { MAX_DATA, RELAY_LOST, WispConnection, type WispStream } from "./connection";
import { CloseReason } from "./packet";
import { webSocketTransport, type WispTransport } from "./transport";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const tcpServer = (onSocket: (s: Socket) => void) => tcpServerOn(onSocket, cleanups);

async function relay(hosts: string[] = ["127.0.0.1"]): Promise<Relay> {
  const r = await startRelay(parseRelayConfig({ hosts, ports: "*" }, "test policy"), { port: 0, logLevel: "none" });
  cleanups.push(() => r.close());
  return r;
}

/** A transport that counts the DATA bytes it sends. */
async function connect(url: string): Promise<{ conn: WispConnection; sent: () => number }> {
  const inner = await webSocketTransport(url, ["wisp-v2"], WebSocket);
  let sent = 0;
  const counting: WispTransport = {
    next: () => inner.next(),
    send(bytes) {
      if (bytes[0] === 0x02) sent += bytes.length - 5;
      inner.send(bytes);
    },
    ready: () => inner.ready(),
    close: () => inner.close(),
    get closeDetail() {
      return inner.closeDetail;
    },
  };
  const conn = await WispConnection.open(counting);
  cleanups.push(() => conn.close());
  return { conn, sent: () => sent };
}

async function readN(stream: WispStream, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const chunk = await stream.read();
    if (!chunk) throw new Error(`stream closed after ${got} of ${n} bytes (reason ${stream.closeReason})`);
    out.set(chunk, got);
    got += chunk.length;
  }
  return out;
}

describe("WispConnection through the wisp-js relay", () => {
  it("negotiates Wisp v2 with UDP and echoes TCP bytes from a real server", async () => {
    const echo = await tcpServer((s) => s.pipe(s));
    const r = await relay();
    const { conn } = await connect(r.url);
    expect(conn.info.version).toBe(2);
    expect(conn.info.udp).toBe(true);
    const stream = conn.openStream("tcp", "127.0.0.1", echo.port);
    const message = new TextEncoder().encode("hello through the relay");
    await stream.write(message);
    expect(new TextDecoder().decode(await readN(stream, message.length))).toBe("hello through the relay");
    stream.close();
    expect(await stream.closed).toBe(CloseReason.Voluntary);
  });

  it("learns that the destination accepted before any data (the relay's empty DATA packet)", async () => {
    const silent = await tcpServer(() => {});
    const { conn } = await connect((await relay()).url);
    const stream = conn.openStream("tcp", "127.0.0.1", silent.port);
    await stream.opened;
    expect(stream.acknowledged).toBe(true);
    expect(stream.closeReason).toBeNull();
    expect(stream.unread).toBe(0);
  });

  it("moves 8 MiB each way intact", async () => {
    const echo = await tcpServer((s) => s.pipe(s));
    const { conn } = await connect((await relay()).url);
    const stream = conn.openStream("tcp", "127.0.0.1", echo.port);
    const data = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const [, back] = await Promise.all([stream.write(data), readN(stream, data.length)]);
    expect(back.every((b, i) => b === data[i])).toBe(true);
  });

  it("stops sending when the relay's CONTINUE credits run out", async () => {
    // A destination that never reads: the relay's buffer fills and it stops granting credits.
    const stalled = await tcpServer((s) => s.pause());
    const { conn, sent } = await connect((await relay()).url);
    const stream = conn.openStream("tcp", "127.0.0.1", stalled.port);
    let done = false;
    void stream.write(new Uint8Array(64 * 1024 * 1024)).then(() => (done = true), () => {});
    await new Promise((r) => setTimeout(r, 1500));
    expect(done).toBe(false);
    // At most the relay's buffer (128 packets) plus what it already handed to TCP got out.
    expect(sent()).toBeLessThan(40 * 1024 * 1024);
    expect(sent()).toBeGreaterThanOrEqual(128 * MAX_DATA);
  });

  it("reports the relay's refusals as close reasons", async () => {
    const { conn } = await connect((await relay(["127.0.0.1"])).url);
    const blocked = conn.openStream("tcp", "127.0.0.2", 9);
    expect(await blocked.closed).toBe(CloseReason.HostBlocked);
    expect(await blocked.read()).toBeNull();
    const closedPort = await tcpServer(() => {});
    await new Promise<void>((r) => closedPort.server.close(() => r()));
    const refused = conn.openStream("tcp", "127.0.0.1", closedPort.port);
    expect(await refused.closed).toBe(CloseReason.NetworkError);
  });

  it("refuses loopback unless the policy lists it", async () => {
    const echo = await tcpServer((s) => s.pipe(s));
    const { conn } = await connect((await relay(["*"])).url);
    expect(await conn.openStream("tcp", "127.0.0.1", echo.port).closed).toBe(CloseReason.HostBlocked);
    expect(await conn.openStream("tcp", "localhost", echo.port).closed).toBe(CloseReason.HostBlocked);
  });

  it("does not let a name reach loopback when only the literal is listed", async () => {
    const echo = await tcpServer((s) => s.pipe(s));
    const { conn } = await connect((await relay(["*", "127.0.0.1"])).url);
    // wisp-js lets it through (loopback is on for the literal); the relay's own check blocks it.
    expect(await conn.openStream("tcp", "localhost", echo.port).closed).toBe(CloseReason.HostBlocked);
    const literal = conn.openStream("tcp", "127.0.0.1", echo.port);
    await literal.write(new Uint8Array([42]));
    expect(await readN(literal, 1)).toEqual(new Uint8Array([42]));
  });

  it("closes every stream with RELAY_LOST when the relay goes away", async () => {
    const echo = await tcpServer((s) => s.pipe(s));
    const r = await relay();
    const { conn } = await connect(r.url);
    const lost = new Promise<string>((res) => conn.onLost(res));
    const stream = conn.openStream("tcp", "127.0.0.1", echo.port);
    await stream.write(new Uint8Array([1, 2, 3]));
    await readN(stream, 3);
    await r.close();
    expect(await stream.closed).toBe(RELAY_LOST);
    expect(await lost).toMatch(/WebSocket closed/);
    await expect(stream.write(new Uint8Array([4]))).rejects.toThrow(/connection to the relay was lost/);
    expect(conn.openStream("tcp", "127.0.0.1", echo.port).closeReason).toBe(RELAY_LOST);
  });

  it("round-trips UDP datagrams one packet each", async () => {
    const udp = createSocket("udp4");
    udp.on("message", (msg, rinfo) => udp.send(Buffer.concat([Buffer.from("echo:"), msg]), rinfo.port, rinfo.address));
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r()));
    cleanups.push(() => udp.close());
    const { conn } = await connect((await relay()).url);
    const stream = conn.openStream("udp", "127.0.0.1", udp.address().port);
    await stream.write(new TextEncoder().encode("one"));
    expect(new TextDecoder().decode((await stream.read())!)).toBe("echo:one");
    await stream.write(new TextEncoder().encode("two"));
    expect(new TextDecoder().decode((await stream.read())!)).toBe("echo:two");
  });
});

/** A transport the test scripts: messages it delivers, and the packets sent with their `release`. */
function scriptedTransport() {
  const inbox: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  const sent: Array<{ bytes: Uint8Array; release?: () => void }> = [];
  const transport: WispTransport = {
    async next() {
      while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
      return inbox.shift()!;
    },
    send: (bytes, release) => void sent.push({ bytes, release }),
    ready: () => Promise.resolve(),
    close: () => {},
    closeDetail: null,
  };
  const deliver = (bytes: Uint8Array) => {
    inbox.push(bytes);
    wake?.();
  };
  // The relay's handshake: stream 0's CONTINUE with 128 credits per stream.
  const credits = new Uint8Array(9);
  new DataView(credits.buffer).setUint8(0, 0x03);
  new DataView(credits.buffer).setUint32(5, 128, true);
  deliver(credits);
  return { transport, deliver, sent, data: () => sent.filter((p) => p.bytes[0] === 0x02) };
}

describe("WispConnection's buffers", () => {
  it("hands out a received payload as a view of its message, not a copy", async () => {
    const t = scriptedTransport();
    const conn = await WispConnection.open(t.transport);
    const stream = conn.openStream("tcp", "example.test", 80);
    const message = new Uint8Array([0x02, 1, 0, 0, 0, 7, 8, 9]);
    t.deliver(message);
    const chunk = (await stream.read())!;
    expect(chunk).toEqual(new Uint8Array([7, 8, 9]));
    expect(chunk.buffer).toBe(message.buffer);
  });

  it("reuses a packet's buffer once the transport released it, and never before", async () => {
    const t = scriptedTransport();
    const conn = await WispConnection.open(t.transport);
    const stream = conn.openStream("tcp", "example.test", 80);
    await stream.write(new Uint8Array(MAX_DATA).fill(1));
    await stream.write(new Uint8Array(MAX_DATA).fill(2));
    const [first, second] = t.data();
    expect(second!.bytes.buffer).not.toBe(first!.bytes.buffer);
    expect(first!.bytes.subarray(5).every((b) => b === 1)).toBe(true);
    first!.release!();
    await stream.write(new Uint8Array([3, 3]));
    const third = t.data()[2]!;
    expect(third.bytes.buffer).toBe(first!.bytes.buffer);
    expect(third.bytes).toEqual(new Uint8Array([0x02, 1, 0, 0, 0, 3, 3]));
    expect(second!.bytes.subarray(5).every((b) => b === 2)).toBe(true);
  });

  it("lets its spare buffers go once no stream is open", async () => {
    const t = scriptedTransport();
    const conn = await WispConnection.open(t.transport);
    const one = conn.openStream("tcp", "example.test", 80);
    await one.write(new Uint8Array([1]));
    t.data()[0]!.release!();
    one.close();
    const two = conn.openStream("tcp", "example.test", 80);
    await two.write(new Uint8Array([2]));
    expect(t.data()[1]!.bytes.buffer).not.toBe(t.data()[0]!.bytes.buffer);
  });
});
