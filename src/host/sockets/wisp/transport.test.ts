import { describe, expect, it } from "vitest";
import { SEND_HIGH_WATER, webSocketTransport, type WebSocketLike } from "./transport";

/** A WebSocket that opens at once and whose send queue the test sets. */
class QueueSocket implements WebSocketLike {
  static last: QueueSocket;
  binaryType = "blob";
  readyState = 0;
  bufferedAmount = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  constructor() {
    QueueSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(data: Uint8Array<ArrayBuffer>): void {
    this.bufferedAmount += data.length;
  }
  close(): void {
    this.readyState = 3;
  }
}

describe("webSocketTransport", () => {
  it("is ready to send while the socket's queue is under the mark, and waits while it is over", async () => {
    const t = await webSocketTransport("ws://relay.test/", [], QueueSocket);
    const ws = QueueSocket.last;
    await t.ready();
    t.send(new Uint8Array(SEND_HIGH_WATER));
    let ready = false;
    const waiting = t.ready().then(() => (ready = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(ready).toBe(false);
    ws.bufferedAmount = SEND_HIGH_WATER - 1;
    await waiting;
    expect(ready).toBe(true);
  });
});
