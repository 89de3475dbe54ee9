/**
 * One end of a TCP connection on the virtual network (or of a relayed stream, bridged to Wisp in
 * the hub). Flow control mirrors Wisp's: the sender spends credit (bytes here, packets there) and
 * waits when it runs out; the receiver grants credit as its reader takes data. So a guest that
 * stops reading its receive stream stops the peer's send, across workers as through the relay.
 *
 * Half-closes follow TCP: `finish` (FIN) ends the peer's reads after the data already sent;
 * `closeRead` (SHUT_RD) drops what arrives and makes the peer's further sends fail.
 */
import type { NetErrorCode, PipeMsg } from "../../../protocol/net";
import type { Link } from "./link";

/**
 * Bytes a sender may have in flight before the receiver's reader takes some. Between workers a
 * window is spent in about one MessagePort round trip, so it sets the throughput (window / RTT);
 * it is also the most a connection holds in the receiver's inbox.
 */
export const DEFAULT_WINDOW = 1024 * 1024;
/** Largest data message; bigger writes are split. */
export const MAX_CHUNK = 256 * 1024;

export class PipeError extends Error {
  override name = "PipeError";
  constructor(
    readonly code: NetErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface PipeStats {
  bytesIn: number;
  bytesOut: number;
}

export class PipeEnd {
  #link: Link;
  #window: number;
  // receive side
  #inbox: Uint8Array[] = [];
  #eof = false;
  #readClosed = false;
  #ungranted = 0;
  #readers: Array<() => void> = [];
  // send side
  #credit: number;
  #finished = false;
  #peerReadClosed = false;
  #writers: Array<() => void> = [];
  // both
  #error: PipeError | null = null;
  #failed: Array<(e: PipeError) => void> = [];
  #up: Promise<void>;
  #settleUp!: { resolve: () => void; reject: (e: PipeError) => void };
  #onChange: () => void = () => {};
  readonly stats: PipeStats = { bytesIn: 0, bytesOut: 0 };

  /**
   * `relayed`: the far end is the relay bridge, which says `up` once the destination was not
   * refused; until then `established` is pending. Virtual connections are up at once.
   */
  constructor(link: Link, opts: { window?: number; relayed?: boolean } = {}) {
    this.#link = link;
    this.#window = opts.window ?? DEFAULT_WINDOW;
    this.#credit = DEFAULT_WINDOW;
    this.#up = new Promise((resolve, reject) => (this.#settleUp = { resolve, reject }));
    this.#up.catch(() => {});
    if (!opts.relayed) this.#settleUp.resolve();
    link.onMessage = (m) => this.#receive(m);
  }

  /** Resolves once the connection is usable; rejects if the relay refused it. */
  get established(): Promise<void> {
    return this.#up;
  }
  get error(): PipeError | null {
    return this.#error;
  }
  /** True once both directions are over (or it failed). */
  get done(): boolean {
    return this.#error !== null || ((this.#eof || this.#readClosed) && (this.#finished || this.#peerReadClosed));
  }
  /** Called after anything the Network panel shows changes. */
  set onChange(f: () => void) {
    this.#onChange = f;
  }

  /** Next chunk; null at end of stream (the peer finished). Throws PipeError if it failed. */
  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#error) throw this.#error;
      const chunk = this.#inbox.shift();
      if (chunk) {
        this.#grant(chunk.length);
        return chunk;
      }
      if (this.#eof || this.#readClosed) return null;
      await new Promise<void>((r) => this.#readers.push(r));
    }
  }

  /** Up to `max` bytes that are here now, without waiting (0.2's non-blocking read). */
  take(max: number): Uint8Array {
    const first = this.#inbox[0];
    if (!first || max <= 0) return new Uint8Array(0);
    if (first.length <= max) {
      this.#inbox.shift();
      this.#grant(first.length);
      return first;
    }
    this.#inbox[0] = first.subarray(max);
    this.#grant(max);
    return first.subarray(0, max);
  }

  /** The receive side is over: the peer finished, or we stopped reading. */
  get ended(): boolean {
    return this.#eof || this.#readClosed;
  }

  /** Whether `read` would return at once. */
  get readable(): boolean {
    return this.#inbox.length > 0 || this.#eof || this.#readClosed || this.#error !== null;
  }
  /** Bytes received and not read yet. */
  get buffered(): number {
    let n = 0;
    for (const c of this.#inbox) n += c.length;
    return n;
  }
  /** Whether `write` of `n` bytes would not wait (n = 1 asks: any room at all?). */
  writable(n = 1): boolean {
    return this.#error !== null || this.#peerReadClosed || this.#credit >= Math.min(n, MAX_CHUNK);
  }
  /** Resolves when `readable` may have changed. */
  whenReadable(): Promise<void> {
    if (this.readable) return Promise.resolve();
    return new Promise((r) => this.#readers.push(r));
  }
  /** Resolves when `writable()` may have changed. */
  whenWritable(): Promise<void> {
    if (this.writable()) return Promise.resolve();
    return new Promise((r) => this.#writers.push(r));
  }

  /** Resolves with the error once the connection fails (never, if it does not). */
  whenFailed(): Promise<PipeError> {
    if (this.#error) return Promise.resolve(this.#error);
    return new Promise((r) => this.#failed.push(r));
  }

  /** Resolves once the peer dropped its read half or the connection failed. */
  async whenPeerReadClosed(): Promise<void> {
    while (!this.#peerReadClosed && !this.#error) await new Promise<void>((r) => this.#writers.push(r));
  }

  /**
   * Sends all of `bytes`, waiting for credit. Copies, so the caller may reuse its buffer, unless
   * `owned` says the caller hands over `bytes.buffer`, all of it: then bytes that go out in one
   * message are sent as they are (between workers the buffer is transferred, with whatever else it
   * holds, and `bytes` is detached). So pass `owned` only for a buffer that is (nearly) all
   * `bytes`, such as a received message's payload after its header.
   */
  async write(bytes: Uint8Array, owned = false): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      this.#checkWritable();
      if (this.#credit <= 0) {
        await new Promise<void>((r) => this.#writers.push(r));
        continue;
      }
      const n = Math.min(bytes.length - at, this.#credit, MAX_CHUNK);
      this.#credit -= n;
      this.stats.bytesOut += n;
      this.#link.post({ t: "data", bytes: owned && n === bytes.length ? bytes : bytes.slice(at, at + n) });
      at += n;
      this.#onChange();
    }
    this.#checkWritable();
  }

  /** Sends what fits in the credit now (possibly nothing); returns how many bytes were taken. */
  tryWrite(bytes: Uint8Array): number {
    this.#checkWritable();
    let at = 0;
    while (at < bytes.length && this.#credit > 0) {
      const n = Math.min(bytes.length - at, this.#credit, MAX_CHUNK);
      this.#credit -= n;
      this.stats.bytesOut += n;
      this.#link.post({ t: "data", bytes: bytes.slice(at, at + n) });
      at += n;
    }
    if (at > 0) this.#onChange();
    return at;
  }

  #checkWritable(): void {
    if (this.#error) throw this.#error;
    if (this.#finished) throw new PipeError("connection-broken", "the send side was already shut down");
    if (this.#peerReadClosed) throw new PipeError("connection-broken", "the peer shut down its receive side");
  }

  /** Our side sends no more (FIN). */
  finish(): void {
    if (this.#finished || this.#error) return;
    this.#finished = true;
    this.#link.post({ t: "fin" });
    this.#settled();
  }

  /** Our side reads no more (SHUT_RD): queued data is dropped and the peer's sends fail. */
  closeRead(): void {
    if (this.#readClosed || this.#error) return;
    this.#readClosed = true;
    this.#inbox = [];
    this.#link.post({ t: "rd-closed" });
    this.#wake();
    this.#settled();
  }

  /** Both directions, like close(2): FIN after what was sent, and no more reading. */
  close(): void {
    this.finish();
    this.closeRead();
  }

  /** Relay bridge: tells the node's end that the destination was not refused. */
  signalUp(): void {
    this.#link.post({ t: "up" });
  }

  /** Fails the connection at both ends (RST). */
  abort(code: NetErrorCode, detail: string): void {
    if (this.#error) return;
    this.#link.post({ t: "reset", code, detail });
    this.#fail(new PipeError(code, detail));
  }

  /** The other end vanished (its worker ended): fail without telling it. */
  lost(code: NetErrorCode, detail: string): void {
    this.#fail(new PipeError(code, detail));
  }

  #receive(m: PipeMsg): void {
    switch (m.t) {
      case "data":
        if (this.#readClosed || this.#error) {
          // Dropped, but credited so the sender learns of rd-closed rather than stalling.
          this.#link.post({ t: "credit", n: m.bytes.length });
          return;
        }
        this.stats.bytesIn += m.bytes.length;
        this.#inbox.push(m.bytes);
        break;
      case "credit":
        this.#credit += m.n;
        break;
      case "fin":
        this.#eof = true;
        break;
      case "rd-closed":
        this.#peerReadClosed = true;
        break;
      case "up":
        this.#settleUp.resolve();
        break;
      case "reset":
        this.#fail(new PipeError(m.code, m.detail));
        return;
    }
    this.#wake();
    this.#settled();
    this.#onChange();
  }

  #grant(n: number): void {
    this.#ungranted += n;
    // Grant in batches of a quarter window: a sender can only be waiting for credit while the
    // rest of its window (three quarters or more) is on its way here, so reading it grants again.
    // (A sender starts with DEFAULT_WINDOW of credit, so a batch is never more than a quarter of it.)
    if (this.#ungranted >= Math.min(this.#window, DEFAULT_WINDOW) / 4) {
      this.#link.post({ t: "credit", n: this.#ungranted });
      this.#ungranted = 0;
    }
  }

  #fail(e: PipeError): void {
    if (this.#error) return;
    this.#error = e;
    this.#inbox = [];
    this.#settleUp.reject(e);
    for (const f of this.#failed.splice(0)) f(e);
    this.#wake();
    this.#link.close();
    this.#onChange();
  }

  #settled(): void {
    if (this.done && !this.#error) this.#link.close();
  }

  #wake(): void {
    const waiters = [...this.#readers, ...this.#writers];
    this.#readers = [];
    this.#writers = [];
    for (const f of waiters) f();
  }
}
