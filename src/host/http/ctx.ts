/**
 * One run's wasi:http state: how its outgoing requests travel (HTTP/1.1 over the playground's
 * network and the relay, or the browser's `fetch` where the run says so), its idle keep-alive
 * connections, the default timeouts, and the bridge between the host's messages and the run's
 * `request`/`response` resources (set when `p3.ts` makes them).
 */
import type { SocketsCtx } from "../sockets/ctx";
import { socketConnector } from "./connect";
import type { Conn, Connector } from "./conn";
import type { Body, RequestHead, ResponseHead, Transmission } from "./message";
import { webTrust, type TrustStore } from "./tls";

/** Timers the client waits on (connect, first byte, between bytes); cancellable. */
export interface Timers {
  after(ms: number, f: () => void): () => void;
}

export const realTimers: Timers = {
  after(ms, f) {
    const t = setTimeout(f, ms);
    return () => clearTimeout(t);
  },
};

/** How a run's outgoing requests go: HTTP/1.1 through the network, or the browser's fetch (CORS). */
export type HttpVia = "network" | "fetch";

export interface HttpInit {
  sockets: SocketsCtx;
  via?: HttpVia;
  connector?: Connector;
  timers?: Timers;
  /** The browser's fetch, for `via: "fetch"`. */
  fetch?: typeof fetch;
  /** The roots https trusts; by default the web's (`tls.ts`), fetched from the page's origin. */
  trust?: TrustStore;
}

/** Default timeouts (ms) when `request-options` leaves one unset. */
export const DEFAULT_TIMEOUTS = { connect: 30_000, firstByte: 120_000, betweenBytes: 120_000 };

/** What `p3.ts` lends the serving side: the run's own resources made from host messages and back. */
export interface HttpBridge {
  /** A `request` resource for the guest's handler. */
  incoming(head: RequestHead, body: Body): object;
  /** The host's view of a `response` resource the guest returned; null if it is not one. */
  outgoing(response: unknown): { head: ResponseHead; body: Body; transmission: Transmission } | null;
}

export class HttpCtx {
  readonly sockets: SocketsCtx;
  readonly via: HttpVia;
  readonly connector: Connector;
  readonly timers: Timers;
  readonly fetch: typeof fetch | undefined;
  #idle = new Map<string, Conn[]>();
  #bridge: HttpBridge | undefined;

  constructor(init: HttpInit) {
    this.sockets = init.sockets;
    this.via = init.via ?? "network";
    this.connector = init.connector ?? socketConnector(init.sockets, init.trust ?? webTrust());
    this.timers = init.timers ?? realTimers;
    this.fetch = init.fetch;
  }

  get component(): string {
    return this.sockets.component;
  }

  set bridge(b: HttpBridge) {
    this.#bridge = b;
  }
  get bridge(): HttpBridge {
    if (!this.#bridge) throw new Error("wasi:http's resources were not made for this run");
    return this.#bridge;
  }

  /** An idle keep-alive connection to `key` (`scheme://host:port`), if one is open. */
  takeIdle(key: string): Conn | undefined {
    const list = this.#idle.get(key);
    while (list && list.length > 0) {
      const conn = list.pop()!;
      if (!conn.ended) return conn;
    }
    return undefined;
  }

  /** Keeps a connection whose last exchange ended cleanly, for the next request to `key`. */
  putIdle(key: string, conn: Conn): void {
    if (conn.ended) return;
    const list = this.#idle.get(key) ?? [];
    list.push(conn);
    this.#idle.set(key, list);
  }

  /** End of the run: idle connections close. */
  closeAll(): void {
    for (const list of this.#idle.values()) for (const c of list) c.close();
    this.#idle.clear();
  }
}
