/**
 * wasi:sockets@0.2.x over the same cores, network and relay as 0.3. Every 0.2 sockets call answers
 * at once (start and finish calls, and `would-block`: the spec's non-blocking style); waiting happens in
 * wasi:io's `poll`/`block` on the pollables handed out here, which suspend the guest through JSPI
 * (io's declaration), so sockets declares no suspending functions of its own. A connection's bytes
 * are wasi:io 0.2 streams over the connection's pipe.
 */
import type * as Lookup from "../generated/host-p2/interfaces/wasi-sockets-ip-name-lookup.js";
import type * as Network from "../generated/host-p2/interfaces/wasi-sockets-network.js";
import type * as Tcp from "../generated/host-p2/interfaces/wasi-sockets-tcp.js";
import type * as Udp from "../generated/host-p2/interfaces/wasi-sockets-udp.js";
import { alwaysReady, type ByteSink, type ByteSource, type Readiness, type StreamFailure } from "../io/ctx";
import type { IoP2 } from "../io/p2";
import type { P2, PackageP2 } from "../types";
import { fromWit, ipToWit, toWit, type Family, type WitSocketAddress } from "./address";
import type { SocketsCtx } from "./ctx";
import { p2Code, SocketError, socketError } from "./errors";
import { TcpCore } from "./tcp";
import { UdpCore } from "./udp";
import { PipeError, type PipeEnd } from "./vnet/pipe";

/** Datagrams `check-send` permits at once. */
const SEND_PERMIT = 64n;

/** Runs a 0.2 call; a socket error leaves as the bare enum code jco lowers for `err`. */
function p2<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof SocketError || err instanceof PipeError) throw Object.assign(new Error(err.message), { payload: p2Code(err.code) });
    throw err;
  }
}

const failureOf = (pipe: PipeEnd, own: PipeError | null): StreamFailure | undefined => {
  const e = pipe.error ?? own;
  return e ? { message: `${e.code}: ${e.detail}` } : undefined;
};

/** A connection's receive side as a wasi:io input-stream's source. */
function pipeSource(pipe: PipeEnd): ByteSource {
  return {
    take: (max) => pipe.take(max),
    get isReady() {
      return pipe.readable;
    },
    ready: () => pipe.whenReadable(),
    get closed() {
      return pipe.ended;
    },
    get available() {
      return pipe.buffered;
    },
    get failure() {
      return failureOf(pipe, null);
    },
  };
}

/**
 * A connection's send side as a wasi:io output-stream's sink: writes queue and go out as the peer
 * grants credit; `drained` is what blocking flushes (and a polling guest) wait for.
 */
class PipeSink implements ByteSink {
  #queue: Uint8Array[] = [];
  #queued = 0;
  #pumping = false;
  #waiters: Array<() => void> = [];
  #error: PipeError | null = null;

  constructor(readonly pipe: PipeEnd) {}

  write(bytes: Uint8Array): void {
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    if (!this.#pumping) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#queue.length > 0 && !this.#error) {
      const bytes = this.#queue[0]!;
      try {
        await this.pipe.write(bytes);
      } catch (err) {
        this.#error = err instanceof PipeError ? err : new PipeError("connection-reset", String(err));
        break;
      }
      this.#queue.shift();
      this.#queued -= bytes.length;
    }
    if (this.#error) {
      this.#queue = [];
      this.#queued = 0;
    }
    this.#pumping = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  get queued(): number {
    return this.#queued;
  }
  drained(): Promise<void> {
    if (this.#queued === 0) return Promise.resolve();
    return new Promise((r) => this.#waiters.push(r));
  }
  get failure(): StreamFailure | undefined {
    return failureOf(this.pipe, this.#error);
  }
}

export function socketsP2(ctx: SocketsCtx, io: IoP2) {
  class NetworkResource implements P2<Network.Network> {}
  const network = new NetworkResource();
  const ready = (isReady: () => boolean, whenReady: () => Promise<void>): Readiness => ({ isReady, whenReady });

  type Phase = "idle" | "binding" | "listening-start";

  class TcpSocket implements P2<Tcp.TcpSocket> {
    #phase: Phase = "idle";
    #connect: { done: boolean; error: unknown; settled: Promise<void> } | null = null;
    #streams: { sink: PipeSink } | null = null;

    private constructor(readonly core: TcpCore) {}

    static create(family: Family): TcpSocket {
      return new TcpSocket(new TcpCore(ctx, family));
    }

    /** Dropping the socket: what was written still goes out, then FIN. */
    [Symbol.dispose](): void {
      const sink = this.#streams?.sink;
      if (sink?.queued) void sink.drained().then(() => this.core.close());
      else this.core.close();
    }

    #streamsOf(pipe: PipeEnd): [InstanceType<IoP2["InputStream"]>, InstanceType<IoP2["OutputStream"]>] {
      const sink = new PipeSink(pipe);
      this.#streams = { sink };
      return [new io.InputStream(pipeSource(pipe)), new io.OutputStream(sink)];
    }

    startBind(_network: NetworkResource, localAddress: WitSocketAddress): void {
      p2(() => {
        if (this.#phase !== "idle") socketError("concurrency-conflict", "another operation is in progress");
        this.core.bind(fromWit(localAddress));
        this.#phase = "binding";
      });
    }
    finishBind(): void {
      p2(() => {
        if (this.#phase !== "binding") socketError("not-in-progress", "no bind was started");
        this.#phase = "idle";
      });
    }

    startConnect(_network: NetworkResource, remoteAddress: WitSocketAddress): void {
      p2(() => {
        if (this.#phase !== "idle" || this.#connect) socketError("invalid-state", "a connect was already started");
        const c = { done: false, error: null as unknown, settled: Promise.resolve() };
        c.settled = this.core.startConnect(fromWit(remoteAddress)).then(
          () => void (c.done = true),
          (err: unknown) => {
            c.done = true;
            c.error = err;
          },
        );
        this.#connect = c;
      });
    }
    finishConnect(): [InstanceType<IoP2["InputStream"]>, InstanceType<IoP2["OutputStream"]>] {
      return p2(() => {
        const c = this.#connect;
        if (!c || this.#streams) socketError("not-in-progress", "no connect was started");
        if (!c!.done) socketError("would-block", "the connect has not finished");
        if (c!.error) {
          this.#connect = null;
          throw c!.error;
        }
        const st = this.core.state;
        if (st.s !== "connected") socketError("invalid-state", "the socket is not connected");
        return this.#streamsOf((st as { pipe: PipeEnd }).pipe);
      });
    }

    startListen(): void {
      p2(() => {
        if (this.core.state.s !== "bound") socketError("invalid-state", "the socket is not bound (0.2 needs bind before listen)");
        this.core.listen();
        this.#phase = "listening-start";
      });
    }
    finishListen(): void {
      p2(() => {
        if (this.#phase !== "listening-start") socketError("not-in-progress", "no listen was started");
        this.#phase = "idle";
      });
    }

    accept(): [TcpSocket, InstanceType<IoP2["InputStream"]>, InstanceType<IoP2["OutputStream"]>] {
      return p2(() => {
        if (this.core.state.s !== "listening") socketError("invalid-state", "the socket is not listening");
        const next = this.core.takeAccepted();
        if (!next) socketError("would-block", "no connection is waiting");
        const sock = new TcpSocket(next!);
        const [input, output] = sock.#streamsOf((next!.state as { pipe: PipeEnd }).pipe);
        return [sock, input, output];
      });
    }

    localAddress(): WitSocketAddress {
      return p2(() => toWit(this.core.localAddress()));
    }
    remoteAddress(): WitSocketAddress {
      return p2(() => toWit(this.core.remoteAddress()));
    }
    isListening(): boolean {
      return this.core.state.s === "listening";
    }
    addressFamily(): Family {
      return this.core.family;
    }
    setListenBacklogSize(value: bigint): void {
      p2(() => this.core.setListenBacklogSize(value));
    }
    keepAliveEnabled(): boolean {
      return this.core.opts.keepAlive;
    }
    setKeepAliveEnabled(value: boolean): void {
      this.core.opts.keepAlive = value;
    }
    keepAliveIdleTime(): bigint {
      return this.core.opts.keepAliveIdle;
    }
    setKeepAliveIdleTime(value: bigint): void {
      p2(() => this.core.setKeepAliveIdleTime(value));
    }
    keepAliveInterval(): bigint {
      return this.core.opts.keepAliveInterval;
    }
    setKeepAliveInterval(value: bigint): void {
      p2(() => this.core.setKeepAliveInterval(value));
    }
    keepAliveCount(): number {
      return this.core.opts.keepAliveCount;
    }
    setKeepAliveCount(value: number): void {
      p2(() => this.core.setKeepAliveCount(value));
    }
    hopLimit(): number {
      return this.core.opts.hopLimit;
    }
    setHopLimit(value: number): void {
      p2(() => this.core.setHopLimit(value));
    }
    receiveBufferSize(): bigint {
      return this.core.opts.receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      p2(() => this.core.setReceiveBufferSize(value));
    }
    sendBufferSize(): bigint {
      return this.core.opts.sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      p2(() => this.core.setSendBufferSize(value));
    }

    /** Ready when a started connect settled, or (listening) a connection is waiting. */
    subscribe(): InstanceType<IoP2["Pollable"]> {
      const c = this.#connect;
      if (c && !this.#streams) return new io.Pollable(ready(() => c.done, () => c.settled));
      if (this.core.state.s === "listening") return new io.Pollable(ready(() => this.core.acceptable, () => this.core.whenAcceptable()));
      return new io.Pollable(alwaysReady);
    }

    shutdown(how: "receive" | "send" | "both"): void {
      p2(() => {
        const st = this.core.state;
        if (st.s !== "connected") socketError("invalid-state", "the socket is not connected");
        const pipe = (st as { pipe: PipeEnd }).pipe;
        if (how !== "send") pipe.closeRead();
        if (how !== "receive") {
          const sink = this.#streams?.sink;
          if (sink?.queued) void sink.drained().then(() => pipe.finish());
          else pipe.finish();
        }
      });
    }
  }

  class IncomingDatagramStream implements P2<Udp.IncomingDatagramStream> {
    constructor(readonly socket: UdpSocket) {}
    receive(maxResults: bigint): Udp.IncomingDatagram[] {
      return p2(() => {
        const out: Udp.IncomingDatagram[] = [];
        while (BigInt(out.length) < maxResults && this.socket.current(this)) {
          const d = this.socket.core.take();
          if (!d) break;
          out.push({ data: d.bytes, remoteAddress: toWit(d.from) as Network.IpSocketAddress });
        }
        return out;
      });
    }
    subscribe(): InstanceType<IoP2["Pollable"]> {
      const core = this.socket.core;
      return new io.Pollable(ready(() => core.receivable, () => core.whenReceivable()));
    }
  }

  class OutgoingDatagramStream implements P2<Udp.OutgoingDatagramStream> {
    #permit = 0n;
    constructor(readonly socket: UdpSocket) {}
    checkSend(): bigint {
      this.#permit = SEND_PERMIT;
      return SEND_PERMIT;
    }
    /** Sends in order; stops at the first failure, reporting it only if nothing was sent. */
    send(datagrams: Udp.OutgoingDatagram[]): bigint {
      return p2(() => {
        if (BigInt(datagrams.length) > this.#permit) socketError("invalid-argument", `send of ${datagrams.length} datagrams, check-send permitted ${this.#permit}`);
        let sent = 0n;
        for (const d of datagrams) {
          try {
            const core = this.socket.core;
            const to = core.destination(d.data, d.remoteAddress ? fromWit(d.remoteAddress) : null);
            core.checkReachable(to);
            // A relayed flow opens asynchronously; its failures reach later sends.
            void core.send(d.data.slice(), to).catch(() => {});
          } catch (err) {
            if (sent > 0n) break;
            throw err;
          }
          sent++;
        }
        this.#permit -= sent;
        return sent;
      });
    }
    subscribe(): InstanceType<IoP2["Pollable"]> {
      return new io.Pollable(alwaysReady);
    }
  }

  class UdpSocket implements P2<Udp.UdpSocket> {
    #phase: "idle" | "binding" = "idle";
    #streams: IncomingDatagramStream | null = null;

    private constructor(readonly core: UdpCore) {}

    static create(family: Family): UdpSocket {
      return new UdpSocket(new UdpCore(ctx, family));
    }

    [Symbol.dispose](): void {
      this.core.close();
    }

    /** Whether `s` is this socket's latest incoming stream (a new `stream` call retires the old). */
    current(s: IncomingDatagramStream): boolean {
      return this.#streams === s;
    }

    startBind(_network: NetworkResource, localAddress: WitSocketAddress): void {
      p2(() => {
        if (this.#phase !== "idle") socketError("concurrency-conflict", "a bind is in progress");
        this.core.bind(fromWit(localAddress));
        this.#phase = "binding";
      });
    }
    finishBind(): void {
      p2(() => {
        if (this.#phase !== "binding") socketError("not-in-progress", "no bind was started");
        this.#phase = "idle";
      });
    }
    stream(remoteAddress: WitSocketAddress | undefined): [IncomingDatagramStream, OutgoingDatagramStream] {
      return p2(() => {
        if (!this.core.bound) socketError("invalid-state", "the socket is not bound");
        this.core.connect(remoteAddress ? fromWit(remoteAddress) : null);
        const incoming = new IncomingDatagramStream(this);
        this.#streams = incoming;
        return [incoming, new OutgoingDatagramStream(this)];
      });
    }
    localAddress(): WitSocketAddress {
      return p2(() => toWit(this.core.localAddress()));
    }
    remoteAddress(): WitSocketAddress {
      return p2(() => toWit(this.core.remoteAddress()));
    }
    addressFamily(): Family {
      return this.core.family;
    }
    unicastHopLimit(): number {
      return this.core.hopLimit;
    }
    setUnicastHopLimit(value: number): void {
      p2(() => this.core.setUnicastHopLimit(value));
    }
    receiveBufferSize(): bigint {
      return this.core.receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      p2(() => this.core.setReceiveBufferSize(value));
    }
    sendBufferSize(): bigint {
      return this.core.sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      p2(() => this.core.setSendBufferSize(value));
    }
    subscribe(): InstanceType<IoP2["Pollable"]> {
      return new io.Pollable(alwaysReady);
    }
  }

  /** Names resolve at once (synthetic addresses), so the stream is ready from the start. */
  class ResolveAddressStream implements P2<Lookup.ResolveAddressStream> {
    constructor(readonly addresses: Network.IpAddress[]) {}
    resolveNextAddress(): Network.IpAddress | undefined {
      return this.addresses.shift();
    }
    subscribe(): InstanceType<IoP2["Pollable"]> {
      return new io.Pollable(alwaysReady);
    }
  }

  return {
    "wasi:sockets/network@0.2.12": { Network: NetworkResource },
    "wasi:sockets/instance-network@0.2.12": { instanceNetwork: () => network },
    "wasi:sockets/tcp@0.2.12": { TcpSocket },
    "wasi:sockets/tcp-create-socket@0.2.12": { createTcpSocket: (family) => TcpSocket.create(family) },
    "wasi:sockets/udp@0.2.12": { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    "wasi:sockets/udp-create-socket@0.2.12": { createUdpSocket: (family) => UdpSocket.create(family) },
    "wasi:sockets/ip-name-lookup@0.2.12": {
      resolveAddresses: (_network, name) => p2(() => new ResolveAddressStream(ctx.resolve(name).map((a) => ipToWit(a.family, a.ip)) as Network.IpAddress[])),
      ResolveAddressStream,
    },
  } satisfies PackageP2<"wasi:sockets">;
}
