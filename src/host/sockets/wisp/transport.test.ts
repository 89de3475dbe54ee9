import { describe, expect, it } from "vitest";
import { SEND_HIGH_WATER, webSocketStreamTransport, webSocketTransport, type WebSocketLike } from "./transport";

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

describe("webSocketStreamTransport", () => {
  it("releases a message's buffer once its write settled, not before", async () => {
    const settle: Array<() => void> = [];
    const writable = new WritableStream<Uint8Array>({ write: () => new Promise<void>((r) => settle.push(r)) });
    class FakeStream {
      opened = Promise.resolve({ readable: new ReadableStream<ArrayBuffer>(), writable });
      closed = new Promise<{ closeCode: number; reason: string }>(() => {});
      close(): void {}
    }
    const t = await webSocketStreamTransport("ws://relay.test/", [], FakeStream);
    const released: number[] = [];
    t.send(new Uint8Array([1]), () => released.push(1));
    t.send(new Uint8Array([2]), () => released.push(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toEqual([]);
    settle.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toEqual([1]);
    settle.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toEqual([1, 2]);
  });
});
