/**
 * One run's sockets state, shared by the 0.2 and 0.3 views: its node on the virtual network, its
 * network allow-list, the names ip-name-lookup handed out, and the routing rules for outbound
 * traffic:
 * - loopback (127.0.0.0/8, ::1) is the playground: a listener there takes the connection; with
 *   none, a loopback address:port on the allow-list goes to the relay's own machine, else refused;
 * - a synthetic address from ip-name-lookup goes to the relay by name, an IP literal by address,
 *   if the allow-list has it (else access-denied, shown in the Network panel).
 */
import { allows, type AllowEntry } from "../../base/allow-list";
import type { NetProto, SocketReport } from "../../protocol/net";
import { parseIp } from "../../base/ip";
import { formatSockAddr, isLoopback, isSynthetic, LOOPBACK, syntheticAddress, UNSPECIFIED, type Family, type SockAddr } from "./address";
import { SocketError } from "./errors";
import { privateNode } from "./vnet/hub";
import type { Binding, NetNode } from "./vnet/node";
import { PipeError, type PipeEnd } from "./vnet/pipe";

export interface SocketsInit {
  /** The run's node; without one, a private network is made on first use (loopback only). */
  node?: NetNode;
  /** Where this run may go through the relay; empty denies all outbound traffic. */
  allow: readonly AllowEntry[];
  component: string;
}

/** Something a run owns that must close when it ends. */
export interface Closable {
  close(): void;
}

/** Where an outbound destination goes. */
export type Route = { via: "virtual" } | { via: "relay"; host: string; shown: string };

const MAX_NAME = 253;
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;

export class SocketsCtx {
  #node: NetNode | undefined;
  readonly allow: readonly AllowEntry[];
  readonly component: string;
  #names = new Map<string, string>();
  #byName = new Map<string, number>();
  #nextSocket = 1;
  #live = new Set<Closable>();

  constructor(init: SocketsInit) {
    this.#node = init.node;
    this.allow = init.allow;
    this.component = init.component;
  }

  get node(): NetNode {
    this.#node ??= privateNode(this.component);
    return this.#node;
  }

  socketId(): string {
    return `s${this.#nextSocket++}`;
  }

  own(c: Closable): void {
    this.#live.add(c);
  }
  disown(c: Closable): void {
    this.#live.delete(c);
  }

  /** End of the run: every socket closes (FIN on connections), then the node says goodbye. */
  closeAll(): void {
    for (const c of [...this.#live]) c.close();
    this.#live.clear();
    this.#node?.close();
  }

  report(r: SocketReport): void {
    this.node.report(r);
  }

  /**
   * ip-name-lookup: IP literals and `localhost` resolve as usual; any other valid name gets a
   * synthetic IPv4 and IPv6 address remembered for this run (no DNS query leaves the browser).
   */
  resolve(name: string): Array<{ family: Family; ip: string }> {
    const literal = parseIp(name);
    if (literal) return [literal];
    const host = name.toLowerCase().replace(/\.$/, "");
    if (host.length === 0 || host.length > MAX_NAME || !host.split(".").every((l) => LABEL.test(l))) {
      throw new SocketError("invalid-argument", `'${name}' is not a valid host name`);
    }
    if (host === "localhost" || host.endsWith(".localhost")) return [{ family: "ipv4", ip: LOOPBACK.ipv4 }, { family: "ipv6", ip: LOOPBACK.ipv6 }];
    let n = this.#byName.get(host);
    if (n === undefined) {
      n = this.#byName.size + 1;
      this.#byName.set(host, n);
      this.#names.set(syntheticAddress("ipv4", n), host);
      this.#names.set(syntheticAddress("ipv6", n), host);
    }
    return [
      { family: "ipv4", ip: syntheticAddress("ipv4", n) },
      { family: "ipv6", ip: syntheticAddress("ipv6", n) },
    ];
  }

  /** The address a connect or send to `remote` comes from when the socket is not bound yet. */
  implicitLocal(family: Family, remote: SockAddr): SockAddr {
    return { family, ip: isLoopback(remote) ? remote.ip : UNSPECIFIED[family], port: 0 };
  }

  /**
   * Where traffic to `remote` (not loopback, or loopback with nothing listening) goes. Throws
   * access-denied (and reports it) when the allow-list does not have it.
   */
  outbound(proto: NetProto, remote: SockAddr): Route {
    let host = remote.ip;
    if (isSynthetic(remote)) {
      const name = this.#names.get(remote.ip);
      if (!name) throw new SocketError("remote-unreachable", `${remote.ip} is not an address ip-name-lookup gave this run`);
      host = name;
    }
    const shown = remote.family === "ipv6" && host === remote.ip ? `[${host}]:${remote.port}` : `${host}:${remote.port}`;
    if (!allows(this.allow, host, remote.port)) {
      const reason = `${shown} is not on this run's network allow-list`;
      this.node.denied({ proto, target: shown, reason });
      throw new SocketError("access-denied", `${this.component} may not reach ${shown} (${proto}): it is not on the run's network allow-list. Add it in the Network panel.`);
    }
    return { via: "relay", host, shown };
  }

  /** Whether a loopback address with nothing bound there goes to the relay's machine. */
  forwardsLoopback(remote: SockAddr): boolean {
    return allows(this.allow, remote.ip, remote.port);
  }

  /** TCP connect, routed as the header says; resolves once connected. */
  async connectTcp(local: Binding, remote: SockAddr): Promise<{ pipe: PipeEnd; via: "virtual" | "relay"; shown: string }> {
    if (isLoopback(remote)) {
      const pipe = await this.node.connect(local.addr, remote);
      if (pipe) return { pipe, via: "virtual", shown: formatSockAddr(remote) };
      if (!this.forwardsLoopback(remote)) {
        throw new SocketError("connection-refused", `nothing listens on ${formatSockAddr(remote)} in this playground`);
      }
    }
    const route = this.outbound("tcp", remote) as Extract<Route, { via: "relay" }>;
    const pipe = await this.node.relayTcp(route.host, remote.port, local.addr);
    try {
      await pipe.established;
    } catch (err) {
      if (err instanceof PipeError) {
        if (err.code === "access-denied") this.node.denied({ proto: "tcp", target: route.shown, reason: `refused by the relay: ${err.detail}` });
        throw new SocketError(err.code, `${route.shown} through the relay: ${err.detail}`);
      }
      throw err;
    }
    return { pipe, via: "relay", shown: route.shown };
  }
}
