/**
 * The WebSocket under a Wisp connection, read on demand. With `WebSocketStream` (Chromium) not
 * reading means the browser stops reading the TCP connection, so the relay's send buffer fills and
 * it pauses the destination: receive backpressure reaches the remote server. With a plain
 * `WebSocket` messages still arrive as fast as they come and wait here.
 */

/**
 * Bytes sent and not yet handed to the network above which `ready` waits. Wisp's credits do not
 * bound what is in flight (a CONTINUE counts the relay's queue, not what is on the way to it), so
 * without this a sender faster than the relay piles its packets up in the socket's send queue.
 */
export const SEND_HIGH_WATER = 4 * 1024 * 1024;

export interface WispTransport {
  /** The next binary message, or null once the socket has closed. */
  next(): Promise<Uint8Array | null>;
  /**
   * Sends one message. `release`, if given, is called once the transport no longer reads `bytes`,
   * so the caller may reuse its buffer; a transport that cannot tell never calls it.
   */
  send(bytes: Uint8Array<ArrayBuffer>, release?: () => void): void;
  /** Resolves once what was sent and not yet handed to the network is under `SEND_HIGH_WATER` (or the socket closed). */
  ready(): Promise<void>;
  close(): void;
  /** Why the socket closed, once it has (for messages). */
  readonly closeDetail: string | null;
}

/**
 * An event handler that takes the event we read: compared both ways, as methods are, so the
 * browser's handlers (typed for its own Event classes) and `ws`'s fit.
 */
type Handler<E> = { handle(ev: E): void }["handle"];

/** The parts of the WebSocket API we use; browsers' WebSocket and the `ws` package both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  /** Bytes queued by `send` and not yet sent. */
  readonly bufferedAmount: number;
  close(): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const toBytes = (data: unknown): Uint8Array | null =>
  data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;

/** Opens `url` with a WebSocket constructor; resolves once open, rejects if it never opens. */
export function webSocketTransport(url: string, protocols: string[], Ctor: WebSocketConstructor): Promise<WispTransport> {
  return new Promise((resolve, reject) => {
    const ws = new Ctor(url, protocols);
    ws.binaryType = "arraybuffer";
    const queue: Array<Uint8Array | null> = [];
    let wake: (() => void) | undefined;
    let opened = false;
    let closeDetail: string | null = null;
    const push = (m: Uint8Array | null) => {
      queue.push(m);
      wake?.();
      wake = undefined;
    };
    ws.onmessage = (ev) => {
      const bytes = toBytes(ev.data);
      if (bytes) push(bytes);
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      closeDetail = `WebSocket closed (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ""})`;
      if (!opened) reject(new Error(`could not open a WebSocket to ${url} (code ${ev.code})`));
      push(null);
    };
    ws.onopen = () => {
      opened = true;
      resolve({
        async next() {
          while (queue.length === 0) await new Promise<void>((r) => (wake = r));
          const m = queue.shift()!;
          if (m === null) queue.unshift(null);
          return m;
        },
        // No `release`: browsers copy a message at send(), but `ws` may keep a reference to it
        // (a frame whose random mask came out zero is sent unmasked, straight from our buffer).
        send: (bytes) => {
          if (ws.readyState === 1) ws.send(bytes);
        },
        // WebSocket has no event for its send queue draining: poll while it is over the mark.
        async ready() {
          while (ws.readyState === 1 && ws.bufferedAmount >= SEND_HIGH_WATER) await new Promise((r) => setTimeout(r, 2));
        },
        close: () => ws.close(),
        get closeDetail() {
          return closeDetail;
        },
      });
    };
  });
}

interface WebSocketStreamLike {
  opened: Promise<{ readable: ReadableStream<ArrayBuffer | string>; writable: WritableStream<Uint8Array> }>;
  closed: Promise<{ closeCode: number; reason: string }>;
  close(info?: { closeCode?: number; reason?: string }): void;
}
type WebSocketStreamConstructor = new (url: string, opts?: { protocols?: string[] }) => WebSocketStreamLike;

/** `WebSocketStream` where the browser has it, else null. */
export function webSocketStreamConstructor(): WebSocketStreamConstructor | null {
  const ctor = (globalThis as { WebSocketStream?: WebSocketStreamConstructor }).WebSocketStream;
  return typeof ctor === "function" ? ctor : null;
}

export async function webSocketStreamTransport(url: string, protocols: string[], Ctor: WebSocketStreamConstructor): Promise<WispTransport> {
  const wss = new Ctor(url, { protocols });
  let closeDetail: string | null = null;
  wss.closed.then(
    (c) => (closeDetail = `WebSocket closed (code ${c.closeCode}${c.reason ? `: ${c.reason}` : ""})`),
    (err: unknown) => (closeDetail = `WebSocket failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  let streams: Awaited<WebSocketStreamLike["opened"]>;
  try {
    streams = await wss.opened;
  } catch (err) {
    throw new Error(`could not open a WebSocket to ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const reader = streams.readable.getReader();
  const writer = streams.writable.getWriter();
  let done = false;
  // Bytes given to `writer` whose write has not settled (settled: handed to the network, or failed).
  let queued = 0;
  let drained: Array<() => void> = [];
  return {
    async next() {
      while (!done) {
        let r: ReadableStreamReadResult<ArrayBuffer | string>;
        try {
          r = await reader.read();
        } catch {
          closeDetail ??= "WebSocket failed";
          done = true;
          break;
        }
        if (r.done) {
          done = true;
          break;
        }
        const bytes = toBytes(r.value);
        if (bytes) return bytes;
      }
      return null;
    },
    send(bytes, release) {
      // A write error shows up as the read side ending.
      queued += bytes.length;
      void writer
        .write(bytes)
        .catch(() => {})
        .finally(() => {
          // Settled: the stream has let go of the chunk.
          release?.();
          queued -= bytes.length;
          if (queued >= SEND_HIGH_WATER) return;
          const wake = drained;
          drained = [];
          for (const f of wake) f();
        });
    },
    ready() {
      return queued < SEND_HIGH_WATER ? Promise.resolve() : new Promise((r) => drained.push(r));
    },
    close() {
      try {
        wss.close();
      } catch {
        // Already closed.
      }
    },
    get closeDetail() {
      return closeDetail;
    },
  };
}

/** The browser's best transport: WebSocketStream (receive backpressure) where present. */
export function openBrowserTransport(url: string): Promise<WispTransport> {
  const protocols = ["wisp-v2"];
  const stream = webSocketStreamConstructor();
  if (stream) return webSocketStreamTransport(url, protocols, stream);
  return webSocketTransport(url, protocols, WebSocket);
}
