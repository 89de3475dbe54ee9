/**
 * A Wisp client (MercuryWorkshop/wisp-protocol, protocol.md): many TCP/UDP streams over one
 * WebSocket. Send flow control follows CONTINUE credits (one DATA packet per credit, per TCP
 * stream) and the WebSocket's own send queue (credits alone do not bound what is in flight); the
 * receive side pulls the WebSocket only while no stream has more than `RECEIVE_HIGH_WATER` bytes
 * its reader has not taken, so a slow reader slows the relay (one stream's reader stalls the
 * others: Wisp has no per-stream receive window).
 */
import {
  CloseReason,
  decodePacket,
  encodeClose,
  encodeConnect,
  encodeData,
  encodeDataInto,
  encodeInfo,
  Extension,
  HEADER,
  PacketType,
  StreamType,
  WispProtocolError,
} from "./packet";
import { SEND_HIGH_WATER, type WispTransport } from "./transport";

/** Largest DATA payload we send: one credit carries this much. */
export const MAX_DATA = 64 * 1024;
/**
 * Packet buffers kept for reuse: as many as the transport's send queue holds (the most in use at
 * once), so up to that much (4 MiB) stays allocated while a stream is open.
 */
const SPARE_PACKETS = Math.ceil(SEND_HIGH_WATER / (HEADER + MAX_DATA));
/** Unread bytes per stream above which we stop reading the WebSocket. */
export const RECEIVE_HIGH_WATER = 4 * 1024 * 1024;
/** Not a Wisp reason: the WebSocket to the relay closed under the stream. */
export const RELAY_LOST = -1;

export type WispStreamKind = "tcp" | "udp";

export class WispStreamClosed extends Error {
  override name = "WispStreamClosed";
  constructor(readonly reason: number) {
    super(`the Wisp stream is closed (${describeCloseReason(reason)})`);
  }
}

export function describeCloseReason(reason: number): string {
  switch (reason) {
    case RELAY_LOST:
      return "the connection to the relay was lost";
    case CloseReason.Unknown:
      return "closed by the relay, reason unknown";
    case CloseReason.Voluntary:
      return "closed by the remote end";
    case CloseReason.NetworkError:
      return "the relay hit a network error (refused, unreachable or reset)";
    case CloseReason.InvalidInfo:
      return "the relay rejected the destination as invalid";
    case CloseReason.UnreachableHost:
      return "the relay could not reach the host";
    case CloseReason.NoResponse:
      return "the destination did not respond";
    case CloseReason.ConnRefused:
      return "the destination refused the connection";
    case CloseReason.TransferTimeout:
      return "the transfer timed out at the relay";
    case CloseReason.HostBlocked:
      return "the relay's policy blocks this destination";
    case CloseReason.ConnThrottled:
      return "the relay's stream limit was reached";
    default:
      return `close reason 0x${reason.toString(16)}`;
  }
}

export class WispStream {
  #inbox: Uint8Array[] = [];
  #unread = 0;
  #wakeReader: (() => void) | undefined;
  #credits: number;
  #wakeWriters: Array<() => void> = [];
  #reason: number | null = null;
  #closed: Promise<number>;
  #settleClosed!: (reason: number) => void;
  #acked = false;
  #opened: Promise<void>;
  #settleOpened!: () => void;

  constructor(
    readonly id: number,
    readonly kind: WispStreamKind,
    readonly host: string,
    readonly port: number,
    private readonly conn: WispConnection,
    credits: number,
  ) {
    this.#credits = credits;
    this.#closed = new Promise((r) => (this.#settleClosed = r));
    this.#opened = new Promise((r) => (this.#settleOpened = r));
  }

  /**
   * Resolves when the relay confirmed the destination accepted: data arrived, or (our relay) the
   * empty DATA packet it sends first. Relays that send nothing leave it pending until data.
   */
  get opened(): Promise<void> {
    return this.#opened;
  }
  get acknowledged(): boolean {
    return this.#acked;
  }

  /** The close reason once closed (a Wisp reason, or RELAY_LOST), else null. */
  get closeReason(): number | null {
    return this.#reason;
  }
  /** Resolves with the close reason. */
  get closed(): Promise<number> {
    return this.#closed;
  }
  get unread(): number {
    return this.#unread;
  }

  /** Next chunk (TCP) or datagram (UDP); null once the stream is closed and drained. */
  async read(): Promise<Uint8Array | null> {
    while (this.#inbox.length === 0 && this.#reason === null) await new Promise<void>((r) => (this.#wakeReader = r));
    const chunk = this.#inbox.shift();
    if (!chunk) return null;
    this.#unread -= chunk.length;
    this.conn.consumed();
    return chunk;
  }

  /**
   * Sends bytes: TCP splits them into DATA packets, each waiting for a credit; UDP sends one
   * datagram. Throws WispStreamClosed once the stream is closed.
   */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.kind === "udp") {
      await this.conn.sendReady();
      if (this.#reason !== null) throw new WispStreamClosed(this.#reason);
      this.conn.sendPacket(encodeData(this.id, bytes));
      return;
    }
    for (let at = 0; at < bytes.length; at += MAX_DATA) {
      while (this.#credits <= 0 && this.#reason === null) await new Promise<void>((r) => this.#wakeWriters.push(r));
      await this.conn.sendReady();
      if (this.#reason !== null) throw new WispStreamClosed(this.#reason);
      this.#credits--;
      this.conn.sendData(this.id, bytes.subarray(at, Math.min(bytes.length, at + MAX_DATA)));
    }
  }

  /** Closes the stream from our side (both directions: Wisp has no half-close). */
  close(reason: number = CloseReason.Voluntary): void {
    if (this.#reason !== null) return;
    this.conn.sendPacket(encodeClose(this.id, reason));
    this.closedBy(reason);
  }

  /** @internal */
  received(data: Uint8Array): void {
    if (this.#reason !== null) return;
    if (!this.#acked) {
      this.#acked = true;
      this.#settleOpened();
    }
    if (data.length === 0) return;
    this.#inbox.push(data);
    this.#unread += data.length;
    this.#wake();
  }
  /** @internal */
  credited(n: number): void {
    this.#credits = n;
    const w = this.#wakeWriters;
    this.#wakeWriters = [];
    for (const f of w) f();
  }
  /** @internal */
  closedBy(reason: number): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.conn.forget(this.id);
    this.#wake();
    this.credited(0);
    this.#settleClosed(reason);
  }
  #wake(): void {
    this.#wakeReader?.();
    this.#wakeReader = undefined;
  }
}

export interface WispConnectionInfo {
  /** Wisp major version in use (2 when the relay sent INFO). */
  version: number;
  udp: boolean;
  motd: string | null;
}

export class WispConnection {
  #streams = new Map<number, WispStream>();
  /** Packet buffers the transport gave back, for the next DATA packets. */
  #spare: Array<Uint8Array<ArrayBuffer>> = [];
  #nextId = 1;
  #initialCredits = 0;
  #paused: (() => void) | undefined;
  #lost: string | null = null;
  #onLost: Array<(detail: string) => void> = [];
  info: WispConnectionInfo = { version: 1, udp: true, motd: null };

  private constructor(private readonly transport: WispTransport) {}

  /**
   * Runs the handshake (server INFO answered with ours; ready at the stream-0 CONTINUE that
   * carries the per-stream buffer size) and starts reading.
   */
  static async open(transport: WispTransport, handshakeTimeoutMs = 10_000): Promise<WispConnection> {
    const conn = new WispConnection(transport);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WispProtocolError(`the relay did not finish the Wisp handshake within ${handshakeTimeoutMs} ms`)), handshakeTimeoutMs);
    });
    try {
      await Promise.race([conn.#handshake(), timeout]);
    } catch (err) {
      transport.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    void conn.#readLoop();
    return conn;
  }

  async #handshake(): Promise<void> {
    for (;;) {
      const bytes = await this.transport.next();
      if (bytes === null) throw new WispProtocolError(`the relay closed the connection during the handshake (${this.transport.closeDetail ?? "no reason"})`);
      const p = decodePacket(bytes);
      if (p.type === PacketType.INFO) {
        this.info = {
          version: p.major,
          udp: p.extensions.has(Extension.UDP),
          motd: p.extensions.has(Extension.MOTD) ? new TextDecoder().decode(p.extensions.get(Extension.MOTD)) : null,
        };
        this.transport.send(encodeInfo(2, 0, new Map([[Extension.UDP, new Uint8Array(0)]])));
      } else if (p.type === PacketType.CONTINUE && p.stream === 0) {
        this.#initialCredits = p.bufferRemaining;
        return;
      } else if (p.type === PacketType.CLOSE && p.stream === 0) {
        throw new WispProtocolError(`the relay refused the connection: ${describeCloseReason(p.reason)}`);
      }
    }
  }

  async #readLoop(): Promise<void> {
    for (;;) {
      while (this.#overHighWater()) await new Promise<void>((r) => (this.#paused = r));
      const bytes = await this.transport.next();
      if (bytes === null) break;
      let p;
      try {
        p = decodePacket(bytes);
      } catch {
        continue; // A packet we cannot parse names no stream we could fail; skip it.
      }
      const stream = this.#streams.get(p.stream);
      if (!stream) continue; // Late packets for a stream we already closed.
      // A view of the message's own buffer, which nothing else holds: no copy.
      if (p.type === PacketType.DATA) stream.received(p.data);
      else if (p.type === PacketType.CONTINUE) stream.credited(p.bufferRemaining);
      else if (p.type === PacketType.CLOSE) stream.closedBy(p.reason);
    }
    this.#lost = this.transport.closeDetail ?? "the WebSocket closed";
    for (const s of [...this.#streams.values()]) s.closedBy(RELAY_LOST);
    for (const f of this.#onLost) f(this.#lost);
  }

  #overHighWater(): boolean {
    for (const s of this.#streams.values()) if (s.unread > RECEIVE_HIGH_WATER) return true;
    return false;
  }

  /** Why the connection is gone, or null while it is up. */
  get lost(): string | null {
    return this.#lost;
  }

  onLost(f: (detail: string) => void): void {
    this.#onLost.push(f);
  }

  get streamCount(): number {
    return this.#streams.size;
  }

  /** Opens a stream; data may be written at once (the relay buffers it until connected). */
  openStream(kind: WispStreamKind, host: string, port: number): WispStream {
    const id = this.#nextId++;
    const stream = new WispStream(id, kind, host, port, this, this.#initialCredits);
    if (this.#lost !== null) {
      stream.closedBy(RELAY_LOST);
      return stream;
    }
    if (kind === "udp" && !this.info.udp) {
      stream.closedBy(CloseReason.InvalidInfo);
      return stream;
    }
    this.#streams.set(id, stream);
    this.sendPacket(encodeConnect(id, kind === "udp" ? StreamType.UDP : StreamType.TCP, port, host));
    return stream;
  }

  close(): void {
    this.transport.close();
  }

  /** @internal */
  sendPacket(bytes: Uint8Array<ArrayBuffer>): void {
    this.transport.send(bytes);
  }
  /**
   * @internal One TCP DATA packet, encoded into a buffer of the pool that the transport gives back
   * once sent: a fresh buffer per packet costs an allocation and, where memory is handed back to
   * the system eagerly, page faults on every packet.
   */
  sendData(stream: number, data: Uint8Array): void {
    const buffer = this.#spare.pop() ?? new Uint8Array(HEADER + MAX_DATA);
    this.transport.send(encodeDataInto(buffer, stream, data), () => {
      if (this.#streams.size > 0 && this.#spare.length < SPARE_PACKETS) this.#spare.push(buffer);
    });
  }
  /** @internal Resolves once the WebSocket has room for more DATA (its send queue is under its mark). */
  sendReady(): Promise<void> {
    return this.transport.ready();
  }
  /** @internal */
  forget(id: number): void {
    this.#streams.delete(id);
    // No stream left to send: the pool's buffers go back to the system.
    if (this.#streams.size === 0) this.#spare = [];
    this.consumed();
  }
  /** @internal A reader took data: resume reading the WebSocket if we had paused. */
  consumed(): void {
    if (this.#paused && !this.#overHighWater()) {
      const f = this.#paused;
      this.#paused = undefined;
      f();
    }
  }
}
