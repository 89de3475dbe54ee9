/**
 * The relay's policy, probed through the real relay (wisp-js server and our policy, in-process on
 * 127.0.0.1) with our Wisp client: every refused range, mapped and NAT64 spellings, a name that
 * resolves to loopback, and both stream limits, each by its own Wisp CLOSE reason. The relay dials
 * through a dialer that reaches loopback only and records any other address: a broken policy
 * shows up as a dial (and a network-error close), never as traffic leaving the machine.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WispConnection, type WispStream } from "../src/host/sockets/wisp/connection";
import { CloseReason } from "../src/host/sockets/wisp/packet";
import { webSocketTransport } from "../src/host/sockets/wisp/transport";
import { netDialer, startRelay, type Dialer } from "./relay";
import { isLoopback, parseRelayConfig } from "./relay-policy";
import { tcpServer } from "./tcp-server.fixture";
import type { Socket } from "node:net";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Dials loopback for real; anything else is recorded and fails (no packet leaves the machine). */
function loopbackOnly(): { dialer: Dialer; dialled: string[] } {
  const dialled: string[] = [];
  const guard = (ip: string) => {
    if (isLoopback(ip)) return;
    dialled.push(ip);
    throw new Error(`the test dialer does not reach ${ip}`);
  };
  return {
    dialled,
    dialer: {
      lookup: (name) => netDialer.lookup(name).then((ip) => (guard(ip), ip)),
      tcp: (ip, port) => (guard(ip), netDialer.tcp(ip, port)),
      udp: (ip, family) => (guard(ip), netDialer.udp(ip, family)),
    },
  };
}

const echoServer = async () => (await tcpServer((s) => s.pipe(s), cleanups)).port;

/** A relay with `policy` (hosts etc.) and a client connected to it. */
async function relayWith(policy: object) {
  const { dialer, dialled } = loopbackOnly();
  const relay = await startRelay(parseRelayConfig({ ports: "*", ...policy }, "probe policy"), { port: 0, logLevel: "none", dialer });
  cleanups.push(() => relay.close());
  const conn = await WispConnection.open(await webSocketTransport(relay.url, ["wisp-v2"], WebSocket));
  cleanups.push(() => conn.close());
  return { conn, dialled };
}

/** Resolves once the stream is up (the relay's empty DATA packet) or closed; returns its close reason or "open". */
async function outcome(stream: WispStream): Promise<number | "open"> {
  return Promise.race([stream.closed, stream.opened.then(() => "open" as const)]);
}

const REFUSED: Array<[string, string]> = [
  ["0.0.0.0/8", "0.1.2.3"],
  ["10.0.0.0/8", "10.1.2.3"],
  ["100.64.0.0/10", "100.100.1.1"],
  ["127.0.0.0/8", "127.0.0.2"],
  ["169.254.0.0/16", "169.254.169.254"],
  ["172.16.0.0/12", "172.31.255.1"],
  ["192.0.0.0/24", "192.0.0.9"],
  ["192.168.0.0/16", "192.168.1.1"],
  ["198.18.0.0/15", "198.19.0.1"],
  ["224.0.0.0/4 (multicast)", "239.255.255.250"],
  ["240.0.0.0/4", "250.1.1.1"],
  ["::1", "::1"],
  ["::", "::"],
  ["fc00::/7", "fd12:3456::1"],
  ["fe80::/10", "fe80::1"],
  ["ff00::/8 (multicast)", "ff02::1"],
  ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
  ["IPv4-mapped loopback, hex", "::ffff:7f00:1"],
  ["IPv4-mapped private", "::ffff:192.168.0.1"],
  ["IPv4-compatible loopback", "::127.0.0.1"],
  ["NAT64 loopback", "64:ff9b::7f00:1"],
  ["NAT64 link-local", "64:ff9b::a9fe:a9fe"],
  ["local-use NAT64", "64:ff9b:1::a00:1"],
];

/**
 * Two policies: the default (`*`), where wisp-js's own address switches are off too, and one that
 * lists a loopback and a private literal, which turns those switches on, so that the relay's own
 * check of the address it dials is all that stands between a client and every other such address.
 */
const POLICIES: Array<[string, string[]]> = [
  ["hosts *", ["*"]],
  ["hosts * with literals listed", ["*", "127.0.0.1", "10.9.9.9"]],
];

describe.each(POLICIES)("the relay with %s", (_name, hosts) => {
  it.each(REFUSED)("blocks %s (%s) with CLOSE 0x48 and dials nothing", async (_range, ip) => {
    const { conn, dialled } = await relayWith({ hosts });
    expect(await outcome(conn.openStream("tcp", ip, 80))).toBe(CloseReason.HostBlocked);
    expect(await outcome(conn.openStream("udp", ip, 53))).toBe(CloseReason.HostBlocked);
    expect(dialled).toEqual([]);
  });

  it("blocks a name that resolves to loopback (localhost, not listed) with CLOSE 0x48", async () => {
    const { conn, dialled } = await relayWith({ hosts });
    expect(await outcome(conn.openStream("tcp", "localhost", await echoServer()))).toBe(CloseReason.HostBlocked);
    expect(dialled).toEqual([]);
  });
});

describe("the relay's allowed destinations and limits", () => {
  it("reaches a listed loopback literal (the probes above are refusals, not a broken relay)", async () => {
    const { conn } = await relayWith({ hosts: ["*", "127.0.0.1", "10.9.9.9"] });
    expect(await outcome(conn.openStream("tcp", "127.0.0.1", await echoServer()))).toBe("open");
  });

  it("throttles the stream past streamsPerHost to one host with CLOSE 0x49, and not another host", async () => {
    const port = await echoServer();
    const { conn } = await relayWith({ hosts: ["127.0.0.1", "localhost"], streamsPerHost: 2, streamsPerConnection: 10 });
    for (let i = 0; i < 2; i++) expect(await outcome(conn.openStream("tcp", "127.0.0.1", port))).toBe("open");
    expect(await outcome(conn.openStream("tcp", "127.0.0.1", port))).toBe(CloseReason.ConnThrottled);
    expect(await outcome(conn.openStream("tcp", "localhost", port))).toBe("open");
  });

  it("throttles the stream past streamsPerConnection with CLOSE 0x49", async () => {
    const port = await echoServer();
    const { conn } = await relayWith({ hosts: ["127.0.0.1", "localhost"], streamsPerHost: 10, streamsPerConnection: 2 });
    expect(await outcome(conn.openStream("tcp", "127.0.0.1", port))).toBe("open");
    expect(await outcome(conn.openStream("tcp", "localhost", port))).toBe("open");
    expect(await outcome(conn.openStream("tcp", "localhost", port))).toBe(CloseReason.ConnThrottled);
  });
});

describe("the relay's buffers", () => {
  it("waits for a slow destination without leaving a listener per wait on its socket", async () => {
    // A destination that takes one chunk at a time: the relay's writes wait for drain again and again.
    let received = 0;
    const { port } = await tcpServer((s) => {
      s.on("data", (d: Buffer) => {
        received += d.length;
        s.pause();
        setTimeout(() => s.resume(), 1);
      });
    }, cleanups);
    const dialled: Socket[] = [];
    const dialer: Dialer = { ...netDialer, tcp: (ip, p) => (dialled.push(netDialer.tcp(ip, p)), dialled.at(-1)!) };
    const relay = await startRelay(parseRelayConfig({ hosts: ["127.0.0.1"], ports: "*" }, "test policy"), { port: 0, logLevel: "none", dialer });
    cleanups.push(() => relay.close());
    const conn = await WispConnection.open(await webSocketTransport(relay.url, ["wisp-v2"], WebSocket));
    cleanups.push(() => conn.close());
    const stream = conn.openStream("tcp", "127.0.0.1", port);
    const total = 16 * 1024 * 1024;
    await stream.write(new Uint8Array(total));
    await expect.poll(() => received, { timeout: 20_000 }).toBe(total);
    expect(dialled).toHaveLength(1);
    expect(dialled[0]!.listenerCount("close")).toBeLessThan(5);
  });
});
