/**
 * The Wisp relay: @mercuryworkshop/wisp-js's server on its own localhost port, configured from
 * one policy file. wisp-js speaks the protocol (handshake, CONNECT/DATA/CONTINUE/CLOSE, its
 * host/port allow-list and stream limits); the destination sockets it opens are ours, so that every
 * address the relay connects to passes `resolvedAllowed` (pinned: the address checked is the
 * address dialled), reads from the destination stop while the browser is not keeping up, and a
 * connected TCP stream starts with an empty DATA packet (the browser's connect acknowledgement).
 *
 * wisp-js keeps its options in one module-wide object, so a process runs one relay.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { lookup } from "node:dns/promises";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as tcpConnect, isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { logging, server as wisp, type WispDestinationSocket } from "@mercuryworkshop/wisp-js/server";
import { describePolicy, parseRelayConfig, resolvedAllowed, wispOptions, type RelayConfig } from "./relay-policy";

/** Chunks read from a destination and not yet sent to the browser before we stop reading it. */
const RECV_QUEUE = 64;

export function loadRelayConfig(path: string): RelayConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read the relay policy file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`the relay policy file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseRelayConfig(raw, path);
}

async function resolveChecked(config: RelayConfig, hostname: string): Promise<{ ip: string; family: 4 | 6 }> {
  const ip = isIP(hostname) ? hostname : (await lookup(hostname)).address;
  if (!resolvedAllowed(config, hostname, ip)) {
    throw new Error(`refused ${hostname}: it resolves to ${ip}, a loopback or private address the policy does not list`);
  }
  return { ip, family: isIP(ip) === 6 ? 6 : 4 };
}

/** A queue of received chunks that wakes one waiting reader; `null` marks the end. */
class Inbox {
  #items: Array<Uint8Array | null> = [];
  #wake: (() => void) | undefined;
  put(item: Uint8Array | null): void {
    this.#items.push(item);
    this.#wake?.();
    this.#wake = undefined;
  }
  get size(): number {
    return this.#items.length;
  }
  async take(): Promise<Uint8Array | null> {
    while (this.#items.length === 0) await new Promise<void>((r) => (this.#wake = r));
    const item = this.#items.shift()!;
    if (item === null) this.#items.unshift(null);
    return item;
  }
}

/** Open destination streams per host, for one Wisp connection (`streamsPerHost`). */
class HostCounts {
  #open = new Map<string, number>();
  constructor(private readonly limit: number) {}
  acquire(hostname: string): () => void {
    const key = hostname.toLowerCase();
    const n = this.#open.get(key) ?? 0;
    if (n >= this.limit) throw new Error(`refused ${hostname}: ${n} streams to it are open on this connection (limit ${this.limit})`);
    this.#open.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left === 0) this.#open.delete(key);
      else this.#open.set(key, left);
    };
  }
}

/** Destination socket classes for one Wisp connection. */
function socketClasses(config: RelayConfig) {
  const counts = new HostCounts(config.streamsPerHost);

  class PolicyTcpSocket implements WispDestinationSocket {
    #socket: Socket | undefined;
    #inbox = new Inbox();
    #release = () => {};
    constructor(
      readonly hostname: string,
      readonly port: number,
    ) {}

    async connect(): Promise<void> {
      this.#release = counts.acquire(this.hostname);
      try {
        await this.#connect();
      } catch (err) {
        this.#release();
        throw err;
      }
    }
    async #connect(): Promise<void> {
      const { ip } = await resolveChecked(config, this.hostname);
      const socket = tcpConnect({ host: ip, port: this.port });
      socket.setNoDelay(true);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      socket.removeAllListeners("error");
      socket.on("error", () => this.#inbox.put(null));
      socket.on("data", (data: Buffer) => {
        this.#inbox.put(data);
        if (this.#inbox.size >= RECV_QUEUE) socket.pause();
      });
      socket.on("close", () => {
        this.#release();
        this.#inbox.put(null);
      });
      this.#socket = socket;
      // Wisp has no connect acknowledgement; an empty DATA packet (valid Wisp) tells our client
      // the destination accepted, so its connect can succeed at once instead of after a guess.
      this.#inbox.put(new Uint8Array(0));
    }
    async recv(): Promise<Uint8Array | null> {
      const item = await this.#inbox.take();
      if (this.#inbox.size < RECV_QUEUE / 2) this.#socket?.resume();
      return item;
    }
    async send(data: Uint8Array): Promise<void> {
      const socket = this.#socket;
      if (!socket || socket.destroyed) throw new Error(`the connection to ${this.hostname}:${this.port} is closed`);
      if (!socket.write(data)) await Promise.race([once(socket, "drain"), once(socket, "close")]);
    }
    async close(): Promise<void> {
      this.#socket?.end();
      this.#socket = undefined;
    }
    // wisp-js pauses around each send to the browser; our inbox bounds what is read instead.
    pause(): void {}
    resume(): void {}
  }

  class PolicyUdpSocket implements WispDestinationSocket {
    #socket: UdpSocket | undefined;
    #inbox = new Inbox();
    #release = () => {};
    constructor(
      readonly hostname: string,
      readonly port: number,
    ) {}

    async connect(): Promise<void> {
      this.#release = counts.acquire(this.hostname);
      try {
        await this.#connect();
      } catch (err) {
        this.#release();
        throw err;
      }
    }
    async #connect(): Promise<void> {
      const { ip, family } = await resolveChecked(config, this.hostname);
      const socket = createSocket(family === 6 ? "udp6" : "udp4");
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.connect(this.port, ip, () => resolve());
      });
      socket.removeAllListeners("error");
      socket.on("error", () => this.#inbox.put(null));
      // Datagrams the browser has no room for are dropped, as a full socket buffer would.
      socket.on("message", (msg: Buffer) => {
        if (this.#inbox.size < RECV_QUEUE) this.#inbox.put(msg);
      });
      this.#socket = socket;
    }
    recv(): Promise<Uint8Array | null> {
      return this.#inbox.take();
    }
    async send(data: Uint8Array): Promise<void> {
      this.#socket?.send(data);
    }
    async close(): Promise<void> {
      this.#socket?.close();
      this.#socket = undefined;
      this.#release();
      this.#inbox.put(null);
    }
    pause(): void {}
    resume(): void {}
  }

  return { TCPSocket: PolicyTcpSocket, UDPSocket: PolicyUdpSocket };
}

export interface Relay {
  config: RelayConfig;
  port: number;
  /** The Wisp endpoint browsers connect to (ends with `/`, as Wisp requires). */
  url: string;
  close(): Promise<void>;
}

/** Starts the relay; `port` overrides the policy file's port (0: any free port). */
export async function startRelay(config: RelayConfig, opts: { port?: number; logLevel?: "info" | "warn" | "none" } = {}): Promise<Relay> {
  Object.assign(wisp.options, wispOptions(config));
  logging.set_level({ info: logging.INFO, warn: logging.WARN, none: logging.NONE }[opts.logLevel ?? "warn"]);
  const sockets = new Set<Duplex>();
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain; charset=utf-8", upgrade: "websocket" });
    res.end("This is the WASI Playground's Wisp relay: connect to it with a WebSocket (Wisp protocol).\n");
  });
  http.on("upgrade", (req, socket, head) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    wisp.routeRequest(req, socket, head, socketClasses(config));
  });
  http.listen(opts.port ?? config.port, config.host);
  await once(http, "listening");
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    config,
    port,
    url: `ws://${shownHost}:${port}/`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The start-up banner: where the relay is and what it lets through. */
export function relayBanner(relay: Relay, source: string): string {
  return [`Wisp relay: ${relay.url}  (policy: ${source})`, ...describePolicy(relay.config).map((l) => `  ${l}`)].join("\n");
}
