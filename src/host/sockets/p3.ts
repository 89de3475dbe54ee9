/**
 * wasi:sockets@0.3.0 (types: tcp-socket, udp-socket; ip-name-lookup) over the virtual network and
 * the relay. Each socket is an explicit state machine (`TcpState`); error codes follow the WIT
 * docs, where wasi-testsuite pins a choice we follow it (a UDP send to port 0 is
 * address-not-bindable).
 */
import type * as Lookup from "../generated/host-p3/interfaces/wasi-sockets-ip-name-lookup.js";
import type * as Types from "../generated/host-p3/interfaces/wasi-sockets-types.js";
import type { NetAddr, SocketReport, SocketState } from "../../protocol/net";
import { liftedBytesToReadable, type LiftedByteStream } from "../streams";
import {
  formatSockAddr,
  fromWit,
  ipToWit,
  isBroadcast,
  isIpv4Mapped,
  isLoopback,
  isMulticast,
  isUnspecified,
  toWit,
  type Family,
  type SockAddr,
  type WitSocketAddress,
} from "./address";
import type { SocketsCtx } from "./ctx";
import { SocketError, socketError } from "./errors";
import type { DgramEnd } from "./vnet/dgram";
import type { Binding, Incoming } from "./vnet/node";
import { PipeError, type PipeEnd } from "./vnet/pipe";

type Result = { tag: "ok"; val: undefined } | { tag: "err"; val: Types.ErrorCode };
const OK: Result = { tag: "ok", val: undefined };
const errResult = (err: unknown): Result => {
  if (err instanceof SocketError || err instanceof PipeError) return { tag: "err", val: { tag: err.code } as Types.ErrorCode };
  throw err;
};

/** Largest UDP payload: 65535 minus the IP and UDP headers. */
export const MAX_DATAGRAM: Record<Family, number> = { ipv4: 65507, ipv6: 65527 };
const DEFAULT_BUFFER = 65536n;
const DEFAULT_BACKLOG = 128;

/** Options every TCP socket has; an accepted socket inherits its listener's. */
interface TcpOptions {
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

/** tcp-socket states (wasi-sockets TcpSocketOperationalSemantics). */
export type TcpState =
  | { s: "unbound" }
  | { s: "bound"; binding: Binding }
  | { s: "listening"; binding: Binding }
  | { s: "connecting"; binding: Binding }
  | { s: "connected"; binding: Binding; pipe: PipeEnd; remote: SockAddr; local: SockAddr; via: "virtual" | "relay"; shown: string }
  | { s: "closed" };

function positive(value: bigint | number, what: string): void {
  if (value <= 0) socketError("invalid-argument", `${what} must be at least 1`);
}

/** Checks shared by bind (both protocols): the local address a socket of `family` may take. */
export function checkBindAddress(family: Family, a: SockAddr): void {
  if (a.family !== family) socketError("invalid-argument", `an ${family} socket cannot bind an ${a.family} address`);
  if (isIpv4Mapped(a)) socketError("invalid-argument", "IPv4-mapped IPv6 addresses are not supported (sockets are IPv6-only)");
  if (isMulticast(a) || isBroadcast(a)) socketError("invalid-argument", `${a.ip} is not a unicast address`);
  if (!isUnspecified(a) && !isLoopback(a)) socketError("address-not-bindable", `${a.ip} is not an address of this playground (bind the unspecified or a loopback address)`);
}

/** Checks shared by connect and send: a remote address a socket of `family` may talk to. */
export function checkRemoteAddress(family: Family, a: SockAddr): void {
  if (a.family !== family) socketError("invalid-argument", `an ${family} socket cannot reach an ${a.family} address`);
  if (isIpv4Mapped(a)) socketError("invalid-argument", "IPv4-mapped IPv6 addresses are not supported (sockets are IPv6-only)");
  if (isMulticast(a) || isBroadcast(a)) socketError("invalid-argument", `${a.ip} is not a unicast address`);
  if (isUnspecified(a)) socketError("invalid-argument", "the remote address is unspecified (0.0.0.0 or ::)");
}

export function socketsP3(ctx: SocketsCtx) {
  class TcpSocket {
    #state: TcpState = { s: "unbound" };
    #opts: TcpOptions;
    #backlog = DEFAULT_BACKLOG;
    #sending = false;
    #receiving = false;
    #accepted: Incoming[] = [];
    #acceptWaiter: (() => void) | undefined;
    readonly #id = ctx.socketId();
    #closeable = { close: () => this.#close() };

    private constructor(
      readonly family: Family,
      opts: TcpOptions,
    ) {
      this.#opts = opts;
      ctx.own(this.#closeable);
    }

    static create(addressFamily: Family): TcpSocket {
      return new TcpSocket(addressFamily, defaultTcpOptions());
    }

    /** A connection a listener accepted: connected from the start. */
    static accepted(family: Family, opts: TcpOptions, binding: Binding, inc: Incoming): TcpSocket {
      const sock = new TcpSocket(family, { ...opts });
      const local = { ...inc.local, port: binding.addr.port };
      sock.#setState({ s: "connected", binding, pipe: inc.pipe, remote: inc.remote, local, via: "virtual", shown: formatSockAddr(inc.remote) });
      return sock;
    }

    #setState(next: TcpState): void {
      this.#state = next;
      if (next.s === "connected") next.pipe.onChange = () => this.#report();
      this.#report();
    }

    #report(): void {
      const st = this.#state;
      if (st.s === "unbound") return;
      const pipe = st.s === "connected" ? st.pipe : null;
      const state: SocketState = pipe?.done ? "closed" : st.s;
      const r: SocketReport = {
        id: this.#id,
        proto: "tcp",
        state,
        via: st.s === "connected" ? st.via : st.s === "listening" ? "virtual" : null,
        local: st.s === "closed" ? null : st.s === "connected" ? formatSockAddr(st.local) : formatSockAddr(st.binding.addr),
        remote: st.s === "connected" ? st.shown : null,
        bytesIn: pipe?.stats.bytesIn ?? 0,
        bytesOut: pipe?.stats.bytesOut ?? 0,
        error: pipe?.error ? `${pipe.error.code}: ${pipe.error.detail}` : null,
      };
      ctx.report(r);
    }

    #close(): void {
      const st = this.#state;
      if (st.s === "closed") return;
      if (st.s === "connected") st.pipe.close();
      if (st.s !== "unbound") ctx.node.release(st.binding);
      for (const inc of this.#accepted.splice(0)) inc.pipe.abort("connection-reset", "the listener closed");
      this.#acceptWaiter?.();
      if (st.s === "connected") this.#report();
      this.#state = { s: "closed" };
      if (st.s !== "connected") ctx.node.forget(this.#id);
      ctx.disown(this.#closeable);
    }

    /** The guest dropped the socket. */
    [Symbol.dispose](): void {
      this.#close();
    }

    bind(localAddress: WitSocketAddress): void {
      if (this.#state.s !== "unbound") socketError("invalid-state", "the socket is already bound");
      const a = fromWit(localAddress);
      checkBindAddress(this.family, a);
      this.#setState({ s: "bound", binding: ctx.node.bind("tcp", a) });
    }

    async connect(remoteAddress: WitSocketAddress): Promise<void> {
      const st = this.#state;
      if (st.s === "listening") socketError("invalid-state", "the socket is listening");
      if (st.s === "connecting" || st.s === "connected") socketError("invalid-state", "the socket is already connected");
      if (st.s === "closed") socketError("invalid-state", "the socket is closed (a failed connect cannot be retried)");
      const remote = fromWit(remoteAddress);
      checkRemoteAddress(this.family, remote);
      if (remote.port === 0) socketError("invalid-argument", "the remote port is 0");
      const binding = st.s === "bound" ? st.binding : ctx.node.bind("tcp", ctx.implicitLocal(this.family, remote));
      this.#setState({ s: "connecting", binding });
      try {
        const { pipe, via, shown } = await ctx.connectTcp(binding, remote);
        const local = isLoopback(remote) && isUnspecified(binding.addr) ? { ...binding.addr, ip: remote.ip } : binding.addr;
        this.#setState({ s: "connected", binding, pipe, remote, local, via, shown });
      } catch (err) {
        ctx.node.release(binding);
        this.#state = { s: "closed" };
        ctx.node.forget(this.#id);
        throw err;
      }
    }

    listen(): ReadableStream<TcpSocket> {
      const st = this.#state;
      if (st.s === "listening") socketError("invalid-state", "the socket is already listening");
      if (st.s === "connecting" || st.s === "connected") socketError("invalid-state", "the socket is connected");
      if (st.s === "closed") socketError("invalid-state", "the socket is closed");
      const binding = st.s === "bound" ? st.binding : ctx.node.bind("tcp", { family: this.family, ip: this.family === "ipv4" ? "0.0.0.0" : "::", port: 0 });
      this.#setState({ s: "listening", binding });
      ctx.node.listen(binding, this.#backlog, (inc) => {
        if (this.#state.s !== "listening" || this.#accepted.length >= this.#backlog) return false;
        this.#accepted.push(inc);
        this.#acceptWaiter?.();
        this.#acceptWaiter = undefined;
        return true;
      });
      return new ReadableStream<TcpSocket>(
        {
          pull: async (controller) => {
            while (this.#accepted.length === 0 && this.#state.s === "listening") await new Promise<void>((r) => (this.#acceptWaiter = r));
            const inc = this.#accepted.shift();
            if (!inc) {
              controller.close();
              return;
            }
            controller.enqueue(TcpSocket.accepted(this.family, this.#opts, binding, inc));
          },
        },
        { highWaterMark: 0 },
      );
    }

    send(data: AsyncIterable<number>): Promise<Result> {
      const input = liftedBytesToReadable(data as LiftedByteStream);
      const st = this.#state;
      if (st.s !== "connected" || this.#sending) {
        void input.cancel();
        return Promise.resolve({ tag: "err", val: { tag: "invalid-state" } });
      }
      this.#sending = true;
      return (async (): Promise<Result> => {
        const reader = input.getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            await st.pipe.write(value);
          }
          st.pipe.finish();
          return OK;
        } catch (err) {
          void reader.cancel().catch(() => {});
          return errResult(err);
        } finally {
          this.#report();
        }
      })();
    }

    receive(): [ReadableStream<Uint8Array>, Promise<Result>] {
      const st = this.#state;
      let settle!: (r: Result) => void;
      const done = new Promise<Result>((r) => (settle = r));
      if (st.s !== "connected" || this.#receiving) {
        settle({ tag: "err", val: { tag: "invalid-state" } });
        return [new ReadableStream({ start: (c) => c.close() }), done];
      }
      this.#receiving = true;
      const pipe = st.pipe;
      // A failure settles the future even while nobody reads the stream.
      void pipe.whenFailed().then((e) => settle(errResult(e)));
      const stream = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            try {
              const chunk = await pipe.read();
              if (chunk) controller.enqueue(chunk);
              else {
                controller.close();
                settle(OK);
              }
            } catch (err) {
              controller.close();
              settle(errResult(err));
            }
          },
          cancel: () => {
            pipe.closeRead();
            settle(pipe.error ? errResult(pipe.error) : OK);
          },
        },
        { highWaterMark: 0 },
      );
      return [stream, done];
    }

    getLocalAddress(): WitSocketAddress {
      const st = this.#state;
      if (st.s === "connected") return toWit(st.local);
      if (st.s === "unbound" || st.s === "closed") socketError("invalid-state", "the socket is not bound");
      return toWit((st as { binding: Binding }).binding.addr);
    }
    getRemoteAddress(): WitSocketAddress {
      const st = this.#state;
      if (st.s !== "connected") socketError("invalid-state", "the socket is not connected");
      return toWit((st as { remote: SockAddr }).remote);
    }
    getIsListening(): boolean {
      return this.#state.s === "listening";
    }
    getAddressFamily(): Family {
      return this.family;
    }
    setListenBacklogSize(value: bigint): void {
      positive(value, "the listen backlog");
      if (this.#state.s === "connecting" || this.#state.s === "connected") socketError("invalid-state", "the socket is connected");
      this.#backlog = Number(value > 4096n ? 4096n : value);
    }
    getKeepAliveEnabled(): boolean {
      return this.#opts.keepAlive;
    }
    setKeepAliveEnabled(value: boolean): void {
      this.#opts.keepAlive = value;
    }
    getKeepAliveIdleTime(): bigint {
      return this.#opts.keepAliveIdle;
    }
    setKeepAliveIdleTime(value: bigint): void {
      positive(value, "keep-alive-idle-time");
      this.#opts.keepAliveIdle = value;
    }
    getKeepAliveInterval(): bigint {
      return this.#opts.keepAliveInterval;
    }
    setKeepAliveInterval(value: bigint): void {
      positive(value, "keep-alive-interval");
      this.#opts.keepAliveInterval = value;
    }
    getKeepAliveCount(): number {
      return this.#opts.keepAliveCount;
    }
    setKeepAliveCount(value: number): void {
      positive(value, "keep-alive-count");
      this.#opts.keepAliveCount = value;
    }
    getHopLimit(): number {
      return this.#opts.hopLimit;
    }
    setHopLimit(value: number): void {
      positive(value, "hop-limit");
      this.#opts.hopLimit = value;
    }
    getReceiveBufferSize(): bigint {
      return this.#opts.receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      positive(value, "receive-buffer-size");
      this.#opts.receiveBuffer = value;
    }
    getSendBufferSize(): bigint {
      return this.#opts.sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      positive(value, "send-buffer-size");
      this.#opts.sendBuffer = value;
    }
  }

  class UdpSocket {
    #binding: Binding | null = null;
    #remote: SockAddr | null = null;
    #inbox: Array<{ bytes: Uint8Array; from: SockAddr }> = [];
    #waiters: Array<() => void> = [];
    #flows = new Map<string, Promise<DgramEnd>>();
    #hopLimit = 64;
    #receiveBuffer = DEFAULT_BUFFER;
    #sendBuffer = DEFAULT_BUFFER;
    #closed = false;
    #bytesIn = 0;
    #bytesOut = 0;
    readonly #id = ctx.socketId();
    #closeable = { close: () => this.#close() };

    private constructor(readonly family: Family) {
      ctx.own(this.#closeable);
    }

    static create(addressFamily: Family): UdpSocket {
      return new UdpSocket(addressFamily);
    }

    #report(): void {
      if (!this.#binding) return;
      ctx.report({
        id: this.#id,
        proto: "udp",
        state: this.#closed ? "closed" : this.#remote ? "connected" : "bound",
        via: this.#flows.size > 0 ? "relay" : "virtual",
        local: formatSockAddr(this.#binding.addr),
        remote: this.#remote ? formatSockAddr(this.#remote) : null,
        bytesIn: this.#bytesIn,
        bytesOut: this.#bytesOut,
        error: null,
      });
    }

    #close(): void {
      if (this.#closed) return;
      this.#closed = true;
      if (this.#binding) ctx.node.release(this.#binding);
      for (const flow of this.#flows.values()) void flow.then((f) => f.abort("connection-reset", "the socket closed"), () => {});
      for (const w of this.#waiters.splice(0)) w();
      this.#report();
      ctx.disown(this.#closeable);
    }

    [Symbol.dispose](): void {
      this.#close();
    }

    #bindTo(a: SockAddr): void {
      const b = ctx.node.bind("udp", a);
      b.deliver = (from, _to, bytes) => this.#arrived(bytes, from);
      this.#binding = b;
      this.#report();
    }

    #arrived(bytes: Uint8Array, from: NetAddr): void {
      if (this.#closed) return;
      // A full receive buffer drops datagrams, as a kernel's would.
      let queued = 0;
      for (const d of this.#inbox) queued += d.bytes.length;
      if (queued + bytes.length > Number(this.#receiveBuffer > 1n << 24n ? 1n << 24n : this.#receiveBuffer) && this.#inbox.length > 0) return;
      this.#inbox.push({ bytes, from });
      this.#bytesIn += bytes.length;
      for (const w of this.#waiters.splice(0)) w();
      this.#report();
    }

    bind(localAddress: WitSocketAddress): void {
      if (this.#binding) socketError("invalid-state", "the socket is already bound");
      const a = fromWit(localAddress);
      checkBindAddress(this.family, a);
      this.#bindTo(a);
    }

    connect(remoteAddress: WitSocketAddress): void {
      const remote = fromWit(remoteAddress);
      checkRemoteAddress(this.family, remote);
      if (remote.port === 0) socketError("invalid-argument", "the remote port is 0");
      if (!this.#binding) this.#bindTo(ctx.implicitLocal(this.family, remote));
      this.#remote = remote;
      this.#report();
    }

    disconnect(): void {
      if (!this.#remote) socketError("invalid-state", "the socket is not connected");
      this.#remote = null;
      this.#report();
    }

    async send(data: Uint8Array, remoteAddress: WitSocketAddress | undefined): Promise<void> {
      let to: SockAddr;
      if (remoteAddress) {
        to = fromWit(remoteAddress);
        checkRemoteAddress(this.family, to);
        if (to.port === 0) socketError("address-not-bindable", "the remote port is 0");
        if (this.#remote && formatSockAddr(to) !== formatSockAddr(this.#remote)) socketError("invalid-argument", "the socket is connected to another address");
      } else {
        if (!this.#remote) socketError("invalid-argument", "the socket is not connected and no remote address was given");
        to = this.#remote!;
      }
      if (data.length > MAX_DATAGRAM[this.family]) socketError("datagram-too-large", `${data.length} bytes is more than a UDP datagram holds (${MAX_DATAGRAM[this.family]})`);
      if (!this.#binding) this.#bindTo(ctx.implicitLocal(this.family, to));
      const from = this.#binding!.addr;
      if (isLoopback(to) && (ctx.node.isBound("udp", to) || !ctx.forwardsLoopback(to))) {
        // Inside the playground; with nobody bound there the datagram is lost, as UDP's is.
        ctx.node.sendDatagram(isUnspecified(from) ? { ...from, ip: to.ip } : from, to, data);
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

    /** The relayed flow to `to` (one Wisp UDP stream per destination), opened on first use. */
    #flow(to: SockAddr): Promise<DgramEnd> {
      const key = formatSockAddr(to);
      let flow = this.#flows.get(key);
      if (!flow) {
        const route = ctx.outbound("udp", to) as { via: "relay"; host: string };
        flow = ctx.node.relayUdp(route.host, to.port, this.#binding!.addr).then((end) => {
          end.onDatagram = (bytes) => this.#arrived(bytes, to);
          end.onError = () => this.#flows.delete(key);
          return end;
        });
        this.#flows.set(key, flow);
      }
      return flow;
    }

    async receive(): Promise<[Uint8Array, WitSocketAddress]> {
      if (!this.#binding) socketError("invalid-state", "the socket is not bound");
      for (;;) {
        if (this.#closed) socketError("invalid-state", "the socket is closed");
        const i = this.#inbox.findIndex((d) => !this.#remote || formatSockAddr(d.from) === formatSockAddr(this.#remote));
        if (i >= 0) {
          const [d] = this.#inbox.splice(i, 1);
          return [d!.bytes, toWit(d!.from)];
        }
        await new Promise<void>((r) => this.#waiters.push(r));
      }
    }

    getLocalAddress(): WitSocketAddress {
      if (!this.#binding) socketError("invalid-state", "the socket is not bound");
      return toWit(this.#binding!.addr);
    }
    getRemoteAddress(): WitSocketAddress {
      if (!this.#remote) socketError("invalid-state", "the socket is not connected");
      return toWit(this.#remote!);
    }
    getAddressFamily(): Family {
      return this.family;
    }
    getUnicastHopLimit(): number {
      return this.#hopLimit;
    }
    setUnicastHopLimit(value: number): void {
      positive(value, "unicast-hop-limit");
      this.#hopLimit = value;
    }
    getReceiveBufferSize(): bigint {
      return this.#receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      positive(value, "receive-buffer-size");
      this.#receiveBuffer = value;
    }
    getSendBufferSize(): bigint {
      return this.#sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      positive(value, "send-buffer-size");
      this.#sendBuffer = value;
    }
  }

  return {
    "wasi:sockets/types@0.3.0": {
      TcpSocket: TcpSocket as unknown as typeof Types.TcpSocket,
      UdpSocket: UdpSocket as unknown as typeof Types.UdpSocket,
    } satisfies typeof Types,
    "wasi:sockets/ip-name-lookup@0.3.0": {
      async resolveAddresses(name: string): Promise<Types.IpAddress[]> {
        try {
          return ctx.resolve(name).map((a) => ipToWit(a.family, a.ip));
        } catch (err) {
          if (err instanceof SocketError) throw new LookupError("invalid-argument", err.detail);
          throw err;
        }
      },
    } satisfies typeof Lookup,
  };
}

/** ip-name-lookup's own error-code variant. */
class LookupError extends Error {
  override name = "LookupError";
  readonly payload: { tag: string };
  constructor(code: string, detail: string) {
    super(`${code}: ${detail}`);
    this.payload = { tag: code };
  }
}
