/**
 * One relayed UDP flow between a run's node and the hub's Wisp bridge: each message is one
 * datagram, never split or merged, and nothing waits for credit (UDP may drop; the relay bounds
 * its own queue).
 */
import type { NetErrorCode } from "../../../protocol/net";
import type { Link } from "./link";
import { PipeError } from "./pipe";

export class DgramEnd {
  #link: Link;
  #error: PipeError | null = null;
  #onDatagram: ((bytes: Uint8Array) => void) | null = null;
  /** What arrived before anyone listened (the relay bridge starts once the relay is open). */
  #early: Uint8Array[] = [];
  #onError: (e: PipeError) => void = () => {};
  readonly stats = { bytesIn: 0, bytesOut: 0 };

  constructor(link: Link) {
    this.#link = link;
    link.onMessage = (m) => {
      if (m.t === "data") {
        this.stats.bytesIn += m.bytes.length;
        if (this.#onDatagram) this.#onDatagram(m.bytes);
        else this.#early.push(m.bytes);
      } else if (m.t === "reset") this.#fail(new PipeError(m.code, m.detail));
    };
  }

  get error(): PipeError | null {
    return this.#error;
  }
  set onDatagram(f: (bytes: Uint8Array) => void) {
    this.#onDatagram = f;
    for (const d of this.#early.splice(0)) f(d);
  }
  set onError(f: (e: PipeError) => void) {
    this.#onError = f;
  }

  send(bytes: Uint8Array): void {
    if (this.#error) throw this.#error;
    this.stats.bytesOut += bytes.length;
    this.#link.post({ t: "data", bytes: bytes.slice() });
  }

  abort(code: NetErrorCode, detail: string): void {
    if (this.#error) return;
    this.#link.post({ t: "reset", code, detail });
    this.#fail(new PipeError(code, detail));
  }

  #fail(e: PipeError): void {
    if (this.#error) return;
    this.#error = e;
    this.#link.close();
    this.#onError(e);
  }
}
