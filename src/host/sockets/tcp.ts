/**
 * A TCP socket of either WASI view (0.3 `p3.ts`, 0.2 `p2.ts`): its state machine (wasi-sockets
 * TcpSocketOperationalSemantics), options, binding, connection and accept queue, and what the
 * Network panel shows of it. The views add only their calling conventions.
 */
import type { SocketReport, SocketState } from "../../protocol/net";
import { formatSockAddr, isBroadcast, isIpv4Mapped, isLoopback, isMulticast, isUnspecified, routeLocal, UNSPECIFIED, type Family, type SockAddr } from "./address";
import type { SocketsCtx } from "./ctx";
import { socketError } from "./errors";
import type { Binding, Incoming } from "./vnet/node";
import type { PipeEnd } from "./vnet/pipe";

export const DEFAULT_BUFFER = 65536n;
export const DEFAULT_BACKLOG = 128;
const MAX_BACKLOG = 4096n;

/** Options every TCP socket has; an accepted socket inherits its listener's. */
export interface TcpOptions {
  keepAlive: boolean;
  keepAliveIdle: bigint;
  keepAliveInterval: bigint;
  keepAliveCount: number;
  hopLimit: number;
  receiveBuffer: bigint;
  sendBuffer: bigint;
}

const defaultTcpOptions = (): TcpOptions => ({
  keepAlive: false,
  keepAliveIdle: 7200n * 1_000_000_000n,
  keepAliveInterval: 75n * 1_000_000_000n,
  keepAliveCount: 9,
  hopLimit: 64,
  receiveBuffer: DEFAULT_BUFFER,
  sendBuffer: DEFAULT_BUFFER,
});

export type TcpState =
  | { s: "unbound" }
  | { s: "bound"; binding: Binding }
  | { s: "listening"; binding: Binding }
  | { s: "connecting"; binding: Binding }
  | { s: "connected"; binding: Binding; pipe: PipeEnd; remote: SockAddr; local: SockAddr; via: "virtual" | "relay"; shown: string }
  | { s: "closed" };

export function positive(value: bigint | number, what: string): void {
  if (value <= 0) socketError("invalid-argument", `${what} must be at least 1`);
}

/** The local address a socket of `family` may bind (both protocols). */
export function checkBindAddress(family: Family, a: SockAddr): void {
  if (a.family !== family) socketError("invalid-argument", `an ${family} socket cannot bind an ${a.family} address`);
  if (isIpv4Mapped(a)) socketError("invalid-argument", "IPv4-mapped IPv6 addresses are not supported (sockets are IPv6-only)");
  if (isMulticast(a) || isBroadcast(a)) socketError("invalid-argument", `${a.ip} is not a unicast address`);
  if (!isUnspecified(a) && !isLoopback(a)) socketError("address-not-bindable", `${a.ip} is not an address of this playground (bind the unspecified or a loopback address)`);
}

/** A remote address a socket of `family` may talk to (connect, send). */
export function checkRemoteAddress(family: Family, a: SockAddr): void {
  if (a.family !== family) socketError("invalid-argument", `an ${family} socket cannot reach an ${a.family} address`);
  if (isIpv4Mapped(a)) socketError("invalid-argument", "IPv4-mapped IPv6 addresses are not supported (sockets are IPv6-only)");
  if (isMulticast(a) || isBroadcast(a)) socketError("invalid-argument", `${a.ip} is not a unicast address`);
  if (isUnspecified(a)) socketError("invalid-argument", "the remote address is unspecified (0.0.0.0 or ::)");
}

export class TcpCore {
  #state: TcpState = { s: "unbound" };
  readonly opts: TcpOptions;
  #backlog = DEFAULT_BACKLOG;
  #accepted: Incoming[] = [];
  #acceptWaiters: Array<() => void> = [];
  readonly #id: string;
  #closeable = { close: () => this.close() };
  /** False for an accepted connection: its address is the listener's binding, which stays. */
  #ownsBinding = true;

  constructor(
    private readonly ctx: SocketsCtx,
    readonly family: Family,
    opts: TcpOptions = defaultTcpOptions(),
  ) {
    this.opts = { ...opts };
    this.#id = ctx.socketId();
    ctx.own(this.#closeable);
  }

  /** A connection a listener accepted: connected from the start, with the listener's options. */
  static accepted(ctx: SocketsCtx, listener: TcpCore, binding: Binding, inc: Incoming): TcpCore {
    const core = new TcpCore(ctx, listener.family, listener.opts);
    core.#ownsBinding = false;
    const local = { ...inc.local, port: binding.addr.port };
    core.#set({ s: "connected", binding, pipe: inc.pipe, remote: inc.remote, local, via: "virtual", shown: formatSockAddr(inc.remote) });
    return core;
  }

  get state(): TcpState {
    return this.#state;
  }

  #set(next: TcpState): void {
    this.#state = next;
    if (next.s === "connected") next.pipe.onChange = () => this.report();
    this.report();
  }

  /** Tells the Network panel where this socket is (sent in batches). */
  report(): void {
    const st = this.#state;
    if (st.s === "unbound" || st.s === "closed") return;
    const pipe = st.s === "connected" ? st.pipe : null;
    const state: SocketState = pipe?.done ? "closed" : st.s;
    const r: SocketReport = {
      id: this.#id,
      proto: "tcp",
      state,
      via: st.s === "connected" ? st.via : st.s === "listening" ? "virtual" : null,
      local: formatSockAddr(st.s === "connected" ? st.local : st.binding.addr),
      remote: st.s === "connected" ? st.shown : null,
      bytesIn: pipe?.stats.bytesIn ?? 0,
      bytesOut: pipe?.stats.bytesOut ?? 0,
      error: pipe?.error ? `${pipe.error.code}: ${pipe.error.detail}` : null,
    };
    this.ctx.report(r);
  }

  /** Like close(2): FIN on a connection, the binding freed, queued connections refused. */
  close(): void {
    const st = this.#state;
    if (st.s === "closed") return;
    if (st.s === "connected") st.pipe.close();
    if (st.s !== "unbound" && this.#ownsBinding) this.ctx.node.release(st.binding);
    for (const inc of this.#accepted.splice(0)) inc.pipe.abort("connection-reset", "the listener closed");
    this.#wakeAccept();
    if (st.s === "connected") this.report();
    else this.ctx.node.forget(this.#id);
    this.#state = { s: "closed" };
    this.ctx.disown(this.#closeable);
  }

  bind(a: SockAddr): void {
    if (this.#state.s !== "unbound") socketError("invalid-state", "the socket is already bound");
    checkBindAddress(this.family, a);
    this.#set({ s: "bound", binding: this.ctx.node.bind("tcp", a) });
  }

  /**
   * Checks and starts a connect (synchronously: errors are thrown here), returning the Promise
   * that settles when it is connected or failed (after a failure the socket is closed).
   */
  startConnect(remote: SockAddr): Promise<void> {
    const st = this.#state;
    if (st.s === "listening") socketError("invalid-state", "the socket is listening");
    if (st.s === "connecting" || st.s === "connected") socketError("invalid-state", "the socket is already connected");
    if (st.s === "closed") socketError("invalid-state", "the socket is closed (a failed connect cannot be retried)");
    checkRemoteAddress(this.family, remote);
    if (remote.port === 0) socketError("invalid-argument", "the remote port is 0");
    const binding = st.s === "bound" ? st.binding : this.ctx.node.bind("tcp", this.ctx.implicitLocal(this.family, remote));
    this.#set({ s: "connecting", binding });
    return (async () => {
      try {
        const { pipe, via, shown } = await this.ctx.connectTcp(binding, remote);
        // Dropped while connecting (close() already let go of the binding): close(2) ends the
        // connection that came up, rather than the socket coming back connected.
        if (this.#state.s === "closed") return pipe.close();
        this.#set({ s: "connected", binding, pipe, remote, local: routeLocal(binding.addr, remote), via, shown });
      } catch (err) {
        this.ctx.node.release(binding);
        this.ctx.node.forget(this.#id);
        this.#state = { s: "closed" };
        throw err;
      }
    })();
  }

  /** Starts listening (binding an ephemeral port first if unbound). */
  listen(): void {
    const st = this.#state;
    if (st.s === "listening") socketError("invalid-state", "the socket is already listening");
    if (st.s === "connecting" || st.s === "connected") socketError("invalid-state", "the socket is connected");
    if (st.s === "closed") socketError("invalid-state", "the socket is closed");
    const binding = st.s === "bound" ? st.binding : this.ctx.node.bind("tcp", { family: this.family, ip: UNSPECIFIED[this.family], port: 0 });
    this.#set({ s: "listening", binding });
    this.ctx.node.listen(binding, this.#backlog, (inc) => {
      if (this.#state.s !== "listening" || this.#accepted.length >= this.#backlog) return false;
      this.#accepted.push(inc);
      this.#wakeAccept();
      return true;
    });
  }

  /** The next accepted connection, if one is queued. */
  takeAccepted(): TcpCore | null {
    const st = this.#state;
    const inc = this.#accepted.shift();
    if (!inc || st.s !== "listening") return null;
    return TcpCore.accepted(this.ctx, this, st.binding, inc);
  }

  get acceptable(): boolean {
    return this.#accepted.length > 0 || this.#state.s !== "listening";
  }

  /** Resolves when a connection is queued (or the socket stopped listening). */
  whenAcceptable(): Promise<void> {
    if (this.acceptable) return Promise.resolve();
    return new Promise((r) => this.#acceptWaiters.push(r));
  }

  #wakeAccept(): void {
    for (const w of this.#acceptWaiters.splice(0)) w();
  }

  localAddress(): SockAddr {
    const st = this.#state;
    if (st.s === "connected") return st.local;
    if (st.s === "unbound" || st.s === "closed") socketError("invalid-state", "the socket is not bound");
    return (st as { binding: Binding }).binding.addr;
  }

  remoteAddress(): SockAddr {
    const st = this.#state;
    if (st.s !== "connected") socketError("invalid-state", "the socket is not connected");
    return (st as { remote: SockAddr }).remote;
  }

  setListenBacklogSize(value: bigint): void {
    positive(value, "the listen backlog");
    if (this.#state.s === "connecting" || this.#state.s === "connected") socketError("invalid-state", "the socket is connected");
    this.#backlog = Number(value > MAX_BACKLOG ? MAX_BACKLOG : value);
  }

  setKeepAliveIdleTime(value: bigint): void {
    positive(value, "keep-alive-idle-time");
    this.opts.keepAliveIdle = value;
  }
  setKeepAliveInterval(value: bigint): void {
    positive(value, "keep-alive-interval");
    this.opts.keepAliveInterval = value;
  }
  setKeepAliveCount(value: number): void {
    positive(value, "keep-alive-count");
    this.opts.keepAliveCount = value;
  }
  setHopLimit(value: number): void {
    positive(value, "hop-limit");
    this.opts.hopLimit = value;
  }
  setReceiveBufferSize(value: bigint): void {
    positive(value, "receive-buffer-size");
    this.opts.receiveBuffer = value;
  }
  setSendBufferSize(value: bigint): void {
    positive(value, "send-buffer-size");
    this.opts.sendBuffer = value;
  }
}
