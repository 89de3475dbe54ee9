/**
 * The hub's one Wisp connection to the relay, opened on demand (and when the relay is set, so the
 * Network panel shows whether it is up), and the bridges between run nodes' pipes and Wisp streams.
 */
import type { RelayStatus } from "../../../protocol/net";
import { closeReasonCode } from "../errors";
import { describeCloseReason, RELAY_LOST, WispConnection, WispStreamClosed, type WispStream } from "../wisp/connection";
import { CloseReason } from "../wisp/packet";
import type { WispTransport } from "../wisp/transport";
import type { DgramEnd } from "./dgram";
import type { PipeEnd } from "./pipe";

/**
 * Wisp has no connect acknowledgement: a refused destination shows up as a CLOSE. Our relay sends
 * an empty DATA packet once connected (`WispStream.opened`); with a relay that does not, a connect
 * succeeds after this long without a CLOSE, and a later refusal fails the first send or receive.
 */
export const CONNECT_SETTLE_MS = 500;

export type OpenTransport = (url: string) => Promise<WispTransport>;

export class RelayLink {
  #url: string | null = null;
  #policy: string[] = [];
  #conn: WispConnection | null = null;
  #opening: Promise<WispConnection> | null = null;
  #status: RelayStatus = { url: null, state: "none", detail: null, version: null, streams: 0, policy: [], aborted: 0 };

  constructor(
    private readonly open: OpenTransport,
    private readonly changed: () => void,
  ) {}

  get status(): RelayStatus {
    return { ...this.#status, streams: this.#conn?.streamCount ?? 0 };
  }

  set(url: string | null, policy: string[]): void {
    if (url === this.#url) {
      this.#policy = policy;
      this.#update({ policy });
      return;
    }
    this.#url = url;
    this.#policy = policy;
    this.#conn?.close();
    this.#conn = null;
    this.#opening = null;
    this.#update({ url, state: url ? "idle" : "none", detail: null, version: null, policy, aborted: 0 });
  }

  #update(patch: Partial<RelayStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.changed();
  }

  /** The open connection, connecting (or reconnecting after a loss) if needed. */
  connection(): Promise<WispConnection> {
    if (this.#conn && this.#conn.lost === null) return Promise.resolve(this.#conn);
    const url = this.#url;
    if (!url) return Promise.reject(new Error("no Wisp relay is configured for this playground (see the Network panel)"));
    if (this.#opening) return this.#opening;
    this.#update({ state: "connecting", detail: null });
    const opening: Promise<WispConnection> = (async () => {
      try {
        const conn = await WispConnection.open(await this.open(url));
        if (this.#url !== url) {
          conn.close();
          throw new Error("the relay address changed while connecting");
        }
        this.#conn = conn;
        this.#update({ state: "open", detail: conn.info.motd, version: conn.info.version, aborted: 0 });
        conn.onLost((detail) => {
          if (this.#conn !== conn) return;
          this.#update({ state: "lost", detail: `connection to the relay lost: ${detail}` });
        });
        return conn;
      } catch (err) {
        if (this.#url === url) this.#update({ state: "unreachable", detail: `cannot reach the relay at ${url}: ${err instanceof Error ? err.message : String(err)}` });
        throw err;
      } finally {
        queueMicrotask(() => {
          if (this.#opening === opening) this.#opening = null;
        });
      }
    })();
    this.#opening = opening;
    return opening;
  }

  /** A stream cut by the relay's loss, for the panel's count. */
  aborted(): void {
    this.#update({ aborted: this.#status.aborted + 1 });
  }
}

/**
 * Carries a node's relayed TCP connection over a Wisp stream. Wisp cannot half-close, so the
 * stream closes once the node is done both ways or the remote end closed it.
 */
export async function bridgeTcp(pipe: PipeEnd, stream: WispStream, onAbort: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = await Promise.race([stream.closed, stream.opened.then(() => null), new Promise<null>((r) => (timer = setTimeout(() => r(null), CONNECT_SETTLE_MS)))]);
  clearTimeout(timer);
  if (settle !== null && !stream.acknowledged) {
    pipe.abort(closeReasonCode(settle, false), describeCloseReason(settle));
    if (settle === RELAY_LOST) onAbort();
    return;
  }
  pipe.signalUp();
  let gotData = false;
  let nodeReading = true;
  const up = (async () => {
    try {
      for (let chunk = await pipe.read(); chunk; chunk = await pipe.read()) await stream.write(chunk);
    } catch (err) {
      if (err instanceof WispStreamClosed) {
        pipe.abort(err.reason === CloseReason.Voluntary ? "connection-reset" : closeReasonCode(err.reason, gotData), describeCloseReason(err.reason));
      } else stream.close(CloseReason.Voluntary);
    }
  })();
  const down = (async () => {
    for (let chunk = await stream.read(); chunk; chunk = await stream.read()) {
      gotData = true;
      if (!nodeReading) continue;
      try {
        await pipe.write(chunk, true); // A fresh copy out of the WebSocket message: handed over.
      } catch {
        nodeReading = false; // The node dropped its read half: drain and discard.
      }
    }
    const reason = stream.closeReason!;
    if (reason === CloseReason.Voluntary) pipe.finish();
    else {
      pipe.abort(closeReasonCode(reason, gotData), describeCloseReason(reason));
      if (reason === RELAY_LOST) onAbort();
    }
  })();
  await up;
  // The node finished sending; the stream stays open for the remote's reply until it closes
  // (down ends) or the node stops reading too.
  await Promise.race([down, pipe.whenPeerReadClosed()]);
  stream.close(CloseReason.Voluntary);
  await down;
}

/** Carries a node's relayed UDP flow: one Wisp DATA packet per datagram. */
export function bridgeUdp(end: DgramEnd, stream: WispStream, onAbort: () => void): void {
  end.onDatagram = (bytes) => void stream.write(bytes).catch(() => {});
  end.onError = () => stream.close(CloseReason.Voluntary);
  void (async () => {
    for (let d = await stream.read(); d; d = await stream.read()) {
      try {
        end.send(d);
      } catch {
        break;
      }
    }
    const reason = stream.closeReason!;
    end.abort(closeReasonCode(reason, true), describeCloseReason(reason));
    if (reason === RELAY_LOST) onAbort();
  })();
}
