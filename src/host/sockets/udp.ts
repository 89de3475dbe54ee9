/**
 * A UDP socket of either WASI view: binding, "connected" peer, the datagrams that arrived, sends
 * inside the playground or through one relayed flow per destination, and its Network panel row.
 */
import type { NetAddr } from "../../protocol/net";
import { formatSockAddr, isLoopback, routeLocal, type Family, type SockAddr } from "./address";
import type { SocketsCtx } from "./ctx";
import { SocketError, socketError } from "./errors";
import { checkBindAddress, checkRemoteAddress, DEFAULT_BUFFER, positive } from "./tcp";
import type { DgramEnd } from "./vnet/dgram";
import type { Binding } from "./vnet/node";
import { PipeError } from "./vnet/pipe";

/** Largest UDP payload: 65535 minus the IP and UDP headers. */
export const MAX_DATAGRAM: Record<Family, number> = { ipv4: 65507, ipv6: 65527 };
/** What a receive queue holds at most, whatever receive-buffer-size says. */
const MAX_QUEUED = 16 * 1024 * 1024;

export interface Datagram {
  bytes: Uint8Array;
  from: SockAddr;
}

export class UdpCore {
  #binding: Binding | null = null;
  #remote: SockAddr | null = null;
  #inbox: Datagram[] = [];
  #waiters: Array<() => void> = [];
  #flows = new Map<string, Promise<DgramEnd>>();
  hopLimit = 64;
  receiveBuffer = DEFAULT_BUFFER;
  sendBuffer = DEFAULT_BUFFER;
  #closed = false;
  #bytesIn = 0;
  #bytesOut = 0;
  readonly #id: string;
  #closeable = { close: () => this.close() };

  constructor(
    private readonly ctx: SocketsCtx,
    readonly family: Family,
  ) {
    this.#id = ctx.socketId();
    ctx.own(this.#closeable);
  }

  get bound(): boolean {
    return this.#binding !== null;
  }
  get remote(): SockAddr | null {
    return this.#remote;
  }
  get closed(): boolean {
    return this.#closed;
  }

  #report(): void {
    if (!this.#binding) return;
    this.ctx.report({
      id: this.#id,
      proto: "udp",
      state: this.#closed ? "closed" : this.#remote ? "connected" : "bound",
      via: this.#flows.size > 0 ? "relay" : "virtual",
      local: formatSockAddr(this.localAddress()),
      remote: this.#remote ? formatSockAddr(this.#remote) : null,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      error: null,
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#binding) this.ctx.node.release(this.#binding);
    for (const flow of this.#flows.values()) void flow.then((f) => f.abort("connection-reset", "the socket closed"), () => {});
    this.#wake();
    this.#report();
    this.ctx.disown(this.#closeable);
  }

  #bindTo(a: SockAddr): void {
    const b = this.ctx.node.bind("udp", a);
    b.deliver = (from, _to, bytes) => this.#arrived(bytes, from);
    this.#binding = b;
    this.#report();
  }

  #arrived(bytes: Uint8Array, from: NetAddr): void {
    if (this.#closed) return;
    // A full receive buffer drops datagrams, as a kernel's would.
    const limit = Math.min(MAX_QUEUED, Number(this.receiveBuffer > BigInt(MAX_QUEUED) ? BigInt(MAX_QUEUED) : this.receiveBuffer));
    const queued = this.#inbox.reduce((n, d) => n + d.bytes.length, 0);
    if (this.#inbox.length > 0 && queued + bytes.length > limit) return;
    this.#inbox.push({ bytes, from });
    this.#bytesIn += bytes.length;
    this.#wake();
    this.#report();
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  bind(a: SockAddr): void {
    if (this.#binding) socketError("invalid-state", "the socket is already bound");
    checkBindAddress(this.family, a);
    this.#bindTo(a);
  }

  /** Sets (or with null clears) the peer; binds an ephemeral port first if unbound. */
  connect(remote: SockAddr | null): void {
    if (remote) {
      checkRemoteAddress(this.family, remote);
      if (remote.port === 0) socketError("invalid-argument", "the remote port is 0");
      if (!this.#binding) this.#bindTo(this.ctx.implicitLocal(this.family, remote));
    }
    this.#remote = remote;
    this.#report();
  }

  /** Checks a datagram and where it goes; returns the destination (the peer when `to` is null). */
  destination(data: Uint8Array, to: SockAddr | null): SockAddr {
    if (to) {
      checkRemoteAddress(this.family, to);
      if (to.port === 0) socketError("address-not-bindable", "the remote port is 0");
      if (this.#remote && formatSockAddr(to) !== formatSockAddr(this.#remote)) socketError("invalid-argument", "the socket is connected to another address");
    } else if (!this.#remote) socketError("invalid-argument", "the socket is not connected and no remote address was given");
    if (data.length > MAX_DATAGRAM[this.family]) socketError("datagram-too-large", `${data.length} bytes is more than a UDP datagram holds (${MAX_DATAGRAM[this.family]})`);
    return to ?? this.#remote!;
  }

  /**
   * Sends one datagram to a checked destination. Inside the playground it is delivered (or lost,
   * if nobody is bound there) at once; through the relay it waits for the flow to open.
   */
  async send(data: Uint8Array, to: SockAddr): Promise<void> {
    if (!this.#binding) this.#bindTo(this.ctx.implicitLocal(this.family, to));
    if (isLoopback(to) && (this.ctx.node.isBound("udp", to) || !this.ctx.forwardsLoopback(to))) {
      this.ctx.node.sendDatagram(routeLocal(this.#binding!.addr, to), to, data);
    } else {
      const flow = await this.#flow(to);
      try {
        flow.send(data);
      } catch (err) {
        this.#flows.delete(formatSockAddr(to));
        throw err instanceof PipeError ? new SocketError(err.code, err.detail) : err;
      }
    }
    this.#bytesOut += data.length;
    this.#report();
  }

  /** Throws access-denied now (not when the flow opens) for a destination the run may not reach. */
  checkReachable(to: SockAddr): void {
    if (isLoopback(to) && (this.ctx.node.isBound("udp", to) || !this.ctx.forwardsLoopback(to))) return;
    if (!this.#flows.has(formatSockAddr(to))) this.ctx.outbound("udp", to);
  }

  /** The relayed flow to `to` (one Wisp UDP stream per destination), opened on first use. */
  #flow(to: SockAddr): Promise<DgramEnd> {
    const key = formatSockAddr(to);
    let flow = this.#flows.get(key);
    if (!flow) {
      const route = this.ctx.outbound("udp", to) as { via: "relay"; host: string };
      flow = this.ctx.node.relayUdp(route.host, to.port, this.#binding!.addr).then((end) => {
        end.onDatagram = (bytes) => this.#arrived(bytes, to);
        end.onError = () => this.#flows.delete(key);
        return end;
      });
      this.#flows.set(key, flow);
    }
    return flow;
  }

  /** The next datagram from the peer (any sender when not connected), without waiting. */
  take(): Datagram | null {
    const i = this.#inbox.findIndex((d) => !this.#remote || formatSockAddr(d.from) === formatSockAddr(this.#remote));
    return i < 0 ? null : this.#inbox.splice(i, 1)[0]!;
  }

  get receivable(): boolean {
    return this.#closed || this.#inbox.some((d) => !this.#remote || formatSockAddr(d.from) === formatSockAddr(this.#remote));
  }

  whenReceivable(): Promise<void> {
    if (this.receivable) return Promise.resolve();
    return new Promise((r) => this.#waiters.push(r));
  }

  /** The binding's address; once connected, the address the route to the peer uses. */
  localAddress(): SockAddr {
    if (!this.#binding) socketError("invalid-state", "the socket is not bound");
    return this.#remote ? routeLocal(this.#binding!.addr, this.#remote) : this.#binding!.addr;
  }

  remoteAddress(): SockAddr {
    if (!this.#remote) socketError("invalid-state", "the socket is not connected");
    return this.#remote!;
  }

  setUnicastHopLimit(value: number): void {
    positive(value, "unicast-hop-limit");
    this.hopLimit = value;
  }
  setReceiveBufferSize(value: bigint): void {
    positive(value, "receive-buffer-size");
    this.receiveBuffer = value;
  }
  setSendBufferSize(value: bigint): void {
    positive(value, "send-buffer-size");
    this.sendBuffer = value;
  }
}
