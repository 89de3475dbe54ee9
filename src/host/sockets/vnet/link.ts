/**
 * A Link carries one connection's PipeMsgs to the other end: a MessagePort between workers, or an
 * in-memory pair inside one worker (no structured clone, and the other end sees a message before
 * the sender's next task: a dropped read half is known before the peer's next send).
 */
import type { PipeMsg } from "../../../protocol/net";

export interface Link {
  post(msg: PipeMsg): void;
  /** Set once by the endpoint that owns this side. */
  onMessage: ((msg: PipeMsg) => void) | null;
  /** Stops delivering to this side; what this side already posted still arrives. */
  close(): void;
}

/** Two linked in-memory ends; delivery is a microtask later, in order. */
export function localLinkPair(): [Link, Link] {
  const make = (): Link & { peer?: Link; closed: boolean } => ({
    onMessage: null,
    closed: false,
    post(msg) {
      const peer = this.peer as (Link & { closed: boolean }) | undefined;
      if (this.closed || !peer || peer.closed) return;
      queueMicrotask(() => {
        if (!peer.closed) peer.onMessage?.(msg);
      });
    },
    close() {
      this.closed = true;
    },
  });
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** A Link over a MessagePort; data buffers are transferred, not copied. */
export function portLink(port: MessagePort): Link {
  const link: Link = {
    onMessage: null,
    post(msg) {
      if (msg.t === "data") port.postMessage(msg, [msg.bytes.buffer as ArrayBuffer]);
      else port.postMessage(msg);
    },
    close() {
      // Not port.close(): a message posted just before (fin, reset) must still reach the peer.
      port.onmessage = null;
    },
  };
  port.onmessage = (e: MessageEvent<PipeMsg>) => link.onMessage?.(e.data);
  return link;
}
