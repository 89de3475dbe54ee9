/**
 * The Wisp relay: @mercuryworkshop/wisp-js's server on its own localhost port, configured from
 * one policy file. wisp-js speaks the protocol (handshake, CONNECT/DATA/CONTINUE/CLOSE, its
 * host/port allow-list and stream limits); the destination sockets it opens are ours, so that every
 * address the relay connects to passes `resolvedAllowed` (pinned: the address checked is the
 * address dialled), reads from the destination stop while the browser is not keeping up, and a
 * connected TCP stream starts with an empty DATA packet (the browser's connect acknowledgement).
 * Our own refusals close the stream with their Wisp reason (0x48 blocked, 0x49 throttled), where
 * wisp-js would report any failure to connect as a network error (0x03).
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
import { WebSocketServer } from "ws";
import { describePolicy, parseRelayConfig, resolvedAllowed, wispOptions, type RelayConfig } from "./relay-policy";

/** Wisp CLOSE reasons of the relay's own refusals (Wisp protocol.md, "CLOSE"). */
const HOST_BLOCKED = 0x48;
const CONN_THROTTLED = 0x49;

/** A destination the policy refuses: the stream closes with `reason`, not as a network error. */
class Refusal extends Error {
  override name = "Refusal";
  constructor(
    readonly reason: number,
    message: string,
  ) {
    super(message);
  }
}

/** How the relay reaches destinations: names, TCP and UDP. The real network, or a test's. */
export interface Dialer {
  lookup(hostname: string): Promise<string>;
  /** A socket connecting to `ip`. */
  tcp(ip: string, port: number): Socket;
  /** A socket of the family that the relay connects to `ip`. */
  udp(ip: string, family: 4 | 6): UdpSocket;
}

export const netDialer: Dialer = {
  lookup: async (hostname) => (await lookup(hostname)).address,
  tcp: (host, port) => tcpConnect({ host, port }),
  udp: (_ip, family) => createSocket(family === 6 ? "udp6" : "udp4"),
};

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

async function resolveChecked(config: RelayConfig, dialer: Dialer, hostname: string): Promise<{ ip: string; family: 4 | 6 }> {
  const ip = isIP(hostname) ? hostname : await dialer.lookup(hostname);
  if (!resolvedAllowed(config, hostname, ip)) {
    throw new Refusal(HOST_BLOCKED, `refused ${hostname}: it resolves to ${ip}, a loopback or private address the policy does not list`);
  }
  return { ip, family: isIP(ip) === 6 ? 6 : 4 };
}

/**
 * Resolves at the socket's next `drain` or `close`, leaving no listener behind (racing two
 * `events.once` left the loser's listeners on the socket: one more per wait, for the stream's life).
 */
function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
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
    if (n >= this.limit) throw new Refusal(CONN_THROTTLED, `refused ${hostname}: ${n} streams to it are open on this connection (limit ${this.limit})`);
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

/**
 * Opens a destination once the policy allows it; a refusal is remembered on the socket (`refusal`),
 * for `PolicyConnection` to close the stream with its reason.
 */
async function opened(socket: { refusal: number | null }, counts: HostCounts, hostname: string, open: () => Promise<void>): Promise<() => void> {
  let release = () => {};
  try {
    release = counts.acquire(hostname);
    await open();
    return release;
  } catch (err) {
    release();
    if (err instanceof Refusal) socket.refusal = err.reason;
    throw err;
  }
}

/** A Wisp connection whose streams the policy refused close with the refusal's reason. */
class PolicyConnection extends wisp.ServerConnection {
  override close_stream(streamId: number, reason: number | null = null, quiet = false): Promise<void> {
    const socket = this.streams[streamId]?.socket as { refusal?: number | null } | undefined;
    return super.close_stream(streamId, socket?.refusal ?? reason, quiet);
  }
}

/** Destination socket classes for one Wisp connection. */
function socketClasses(config: RelayConfig, dialer: Dialer) {
  const counts = new HostCounts(config.streamsPerHost);

  class PolicyTcpSocket implements WispDestinationSocket {
    #socket: Socket | undefined;
    #inbox = new Inbox();
    #release = () => {};
    refusal: number | null = null;
    constructor(
      readonly hostname: string,
      readonly port: number,
    ) {}

    async connect(): Promise<void> {
      this.#release = await opened(this, counts, this.hostname, () => this.#connect());
    }
    async #connect(): Promise<void> {
      const { ip } = await resolveChecked(config, dialer, this.hostname);
      const socket = dialer.tcp(ip, this.port);
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
      if (!socket.write(data)) await drainedOrClosed(socket);
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
    refusal: number | null = null;
    constructor(
      readonly hostname: string,
      readonly port: number,
    ) {}

    async connect(): Promise<void> {
      this.#release = await opened(this, counts, this.hostname, () => this.#connect());
    }
    async #connect(): Promise<void> {
      const { ip, family } = await resolveChecked(config, dialer, this.hostname);
      const socket = dialer.udp(ip, family);
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

/**
 * Starts the relay; `port` overrides the policy file's port (0: any free port); `dialer` is how it
 * reaches destinations (the real network unless a test gives its own).
 */
export async function startRelay(config: RelayConfig, opts: { port?: number; logLevel?: "info" | "warn" | "none"; dialer?: Dialer } = {}): Promise<Relay> {
  Object.assign(wisp.options, wispOptions(config));
  logging.set_level({ info: logging.INFO, warn: logging.WARN, none: logging.NONE }[opts.logLevel ?? "warn"]);
  const dialer = opts.dialer ?? netDialer;
  const sockets = new Set<Duplex>();
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain; charset=utf-8", upgrade: "websocket" });
    res.end("This is the WASI Playground's Wisp relay: connect to it with a WebSocket (Wisp protocol).\n");
  });
  // wisp-js's routeRequest, with our connection class: a Wisp endpoint ends with "/".
  const websockets = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (!req.url?.endsWith("/")) return void socket.destroy();
    websockets.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = "arraybuffer";
      const version = req.headers["sec-websocket-protocol"] && wisp.options.wisp_version === 2 ? 2 : 1;
      const conn = new PolicyConnection(ws, req.url!, { ...socketClasses(config, dialer), wisp_version: version });
      void (async () => {
        try {
          await conn.setup();
          await conn.run();
        } catch {
          ws.close();
        }
      })();
    });
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
