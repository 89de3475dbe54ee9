/**
 * wasi:sockets@0.3.0 (types: tcp-socket, udp-socket; ip-name-lookup) over the virtual network and
 * the relay: the 0.3 calling conventions (async functions, stream<u8> and stream<tcp-socket>,
 * futures) over the shared cores in `tcp.ts` and `udp.ts`. Where wasi-testsuite pins an error code
 * the WIT leaves open we follow it (a UDP send to port 0 is address-not-bindable).
 */
import type * as Types from "../generated/host-p3/interfaces/wasi-sockets-types.js";
import { drainBytes, refuseBytes, streamWithCompletion, type Completion, type LiftedByteStream } from "../streams";
import type { P3, PackageP3 } from "../types";
import { fromWit, ipToWit, toWit, type Family, type WitSocketAddress } from "./address";
import type { SocketsCtx } from "./ctx";
import { SocketError, socketError } from "./errors";
import { TcpCore } from "./tcp";
import { UdpCore } from "./udp";
import { PipeError } from "./vnet/pipe";

type Result = Completion<Types.ErrorCode>;

/** A failure's error-code; anything else is our bug and goes on. */
function errorCode(err: unknown): Types.ErrorCode {
  if (err instanceof SocketError || err instanceof PipeError) return { tag: err.code } as Types.ErrorCode;
  throw err;
}

export function socketsP3(ctx: SocketsCtx) {
  class TcpSocket implements P3<Types.TcpSocket> {
    #sending = false;
    #receiving = false;
    /** The `send` in progress: stopped and awaited before a dropped socket sends FIN. */
    #send: { stop: AbortController; settled: boolean; sent: Promise<Result> } | null = null;

    private constructor(readonly core: TcpCore) {}

    static create(addressFamily: Family): TcpSocket {
      return new TcpSocket(new TcpCore(ctx, addressFamily));
    }

    /**
     * The guest dropped the socket: like close(2) after write(2), what its `send` stream already
     * handed over still goes out, then FIN. The bytes of a write the guest saw complete reach the
     * drain through promise callbacks, so they are in the pipe one task later; then the send stops.
     */
    [Symbol.dispose](): void {
      const send = this.#send;
      if (!send || send.settled) return this.core.close();
      setTimeout(() => {
        send.stop.abort();
        void send.sent.finally(() => this.core.close());
      }, 0);
    }

    bind(localAddress: WitSocketAddress): void {
      this.core.bind(fromWit(localAddress));
    }

    async connect(remoteAddress: WitSocketAddress): Promise<void> {
      await this.core.startConnect(fromWit(remoteAddress));
    }

    listen(): ReadableStream<TcpSocket> {
      this.core.listen();
      return new ReadableStream<TcpSocket>(
        {
          pull: async (controller) => {
            for (;;) {
              const next = this.core.takeAccepted();
              if (next) return controller.enqueue(new TcpSocket(next));
              if (this.core.state.s !== "listening") return controller.close();
              await this.core.whenAcceptable();
            }
          },
        },
        { highWaterMark: 0 },
      );
    }

    send(data: LiftedByteStream): Promise<Result> {
      const st = this.core.state;
      if (st.s !== "connected" || this.#sending) {
        refuseBytes(data);
        return Promise.resolve({ tag: "err", val: { tag: "invalid-state" } });
      }
      this.#sending = true;
      const pipe = st.pipe;
      const stop = new AbortController();
      const sent = drainBytes(data, { write: (chunk) => pipe.write(chunk), close: () => pipe.finish(), errorCode }, stop.signal);
      const send = { stop, settled: false, sent };
      this.#send = send;
      return sent.finally(() => {
        send.settled = true;
        this.core.report();
      });
    }

    receive(): [ReadableStream<Uint8Array>, Promise<Result>] {
      const st = this.core.state;
      if (st.s !== "connected" || this.#receiving) {
        return [new ReadableStream({ start: (c) => c.close() }), Promise.resolve({ tag: "err", val: { tag: "invalid-state" } })];
      }
      this.#receiving = true;
      const pipe = st.pipe;
      return streamWithCompletion({
        next: async () => (await pipe.read()) ?? undefined,
        errorCode,
        cancel: () => {
          pipe.closeRead();
          return pipe.error;
        },
        // A failure settles the future even while nobody reads the stream.
        failed: pipe.whenFailed(),
      });
    }

    getLocalAddress(): WitSocketAddress {
      return toWit(this.core.localAddress());
    }
    getRemoteAddress(): WitSocketAddress {
      return toWit(this.core.remoteAddress());
    }
    getIsListening(): boolean {
      return this.core.state.s === "listening";
    }
    getAddressFamily(): Family {
      return this.core.family;
    }
    setListenBacklogSize(value: bigint): void {
      this.core.setListenBacklogSize(value);
    }
    getKeepAliveEnabled(): boolean {
      return this.core.opts.keepAlive;
    }
    setKeepAliveEnabled(value: boolean): void {
      this.core.opts.keepAlive = value;
    }
    getKeepAliveIdleTime(): bigint {
      return this.core.opts.keepAliveIdle;
    }
    setKeepAliveIdleTime(value: bigint): void {
      this.core.setKeepAliveIdleTime(value);
    }
    getKeepAliveInterval(): bigint {
      return this.core.opts.keepAliveInterval;
    }
    setKeepAliveInterval(value: bigint): void {
      this.core.setKeepAliveInterval(value);
    }
    getKeepAliveCount(): number {
      return this.core.opts.keepAliveCount;
    }
    setKeepAliveCount(value: number): void {
      this.core.setKeepAliveCount(value);
    }
    getHopLimit(): number {
      return this.core.opts.hopLimit;
    }
    setHopLimit(value: number): void {
      this.core.setHopLimit(value);
    }
    getReceiveBufferSize(): bigint {
      return this.core.opts.receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      this.core.setReceiveBufferSize(value);
    }
    getSendBufferSize(): bigint {
      return this.core.opts.sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      this.core.setSendBufferSize(value);
    }
  }

  class UdpSocket implements P3<Types.UdpSocket> {
    private constructor(readonly core: UdpCore) {}

    static create(addressFamily: Family): UdpSocket {
      return new UdpSocket(new UdpCore(ctx, addressFamily));
    }

    [Symbol.dispose](): void {
      this.core.close();
    }

    bind(localAddress: WitSocketAddress): void {
      this.core.bind(fromWit(localAddress));
    }
    connect(remoteAddress: WitSocketAddress): void {
      this.core.connect(fromWit(remoteAddress));
    }
    disconnect(): void {
      if (!this.core.remote) socketError("invalid-state", "the socket is not connected");
      this.core.connect(null);
    }
    async send(data: Uint8Array, remoteAddress: WitSocketAddress | undefined): Promise<void> {
      await this.core.send(data, this.core.destination(data, remoteAddress ? fromWit(remoteAddress) : null));
    }
    async receive(): Promise<[Uint8Array, WitSocketAddress]> {
      if (!this.core.bound) socketError("invalid-state", "the socket is not bound");
      for (;;) {
        if (this.core.closed) socketError("invalid-state", "the socket is closed");
        const d = this.core.take();
        if (d) return [d.bytes, toWit(d.from)];
        await this.core.whenReceivable();
      }
    }
    getLocalAddress(): WitSocketAddress {
      return toWit(this.core.localAddress());
    }
    getRemoteAddress(): WitSocketAddress {
      return toWit(this.core.remoteAddress());
    }
    getAddressFamily(): Family {
      return this.core.family;
    }
    getUnicastHopLimit(): number {
      return this.core.hopLimit;
    }
    setUnicastHopLimit(value: number): void {
      this.core.setUnicastHopLimit(value);
    }
    getReceiveBufferSize(): bigint {
      return this.core.receiveBuffer;
    }
    setReceiveBufferSize(value: bigint): void {
      this.core.setReceiveBufferSize(value);
    }
    getSendBufferSize(): bigint {
      return this.core.sendBuffer;
    }
    setSendBufferSize(value: bigint): void {
      this.core.setSendBufferSize(value);
    }
  }

  return {
    "wasi:sockets/types@0.3.0": { TcpSocket, UdpSocket },
    "wasi:sockets/ip-name-lookup@0.3.0": {
      async resolveAddresses(name: string): Promise<Types.IpAddress[]> {
        try {
          return ctx.resolve(name).map((a) => ipToWit(a.family, a.ip));
        } catch (err) {
          if (err instanceof SocketError) throw new LookupError("invalid-argument", err.detail);
          throw err;
        }
      },
    },
  } satisfies PackageP3<"wasi:sockets">;
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
