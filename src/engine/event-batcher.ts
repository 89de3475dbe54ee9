/**
 * A run's events on their way to the page: collected and sent in batches, so chatty guests do not
 * flood postMessage, and output held to a window, so a guest that prints faster than the page takes
 * it waits instead of piling its bytes up in this worker or in the page's message queue.
 */
import type { OutputSink } from "../host";
import type { RunEvent } from "../protocol/runtime";

/**
 * Output bytes a run may have on their way (pushed and not yet taken by the page) before its next
 * write waits. Past it a write is sent at once rather than at the next batch.
 */
export const OUTPUT_WINDOW = 1024 * 1024;

const BATCH_DELAY_MS = 8;

export class EventBatcher {
  #pending: RunEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSend: unknown;
  /** Output bytes pushed and not yet taken by the page (its `send` settled). */
  #outputOnTheWay = 0;
  #belowWindow: Array<() => void> = [];

  /** `send` may return a Promise that settles once the batch was delivered (a comlink proxy does). */
  constructor(private readonly send: (events: RunEvent[]) => unknown) {}

  push(e: RunEvent): void {
    this.#pending.push(e);
    if (e.kind === "output") this.#outputOnTheWay += e.data.length;
    this.#timer ??= setTimeout(() => this.flush(), BATCH_DELAY_MS);
  }

  /** Where a run's `stream` bytes go: a write answers a Promise while the window is full, and the guest's next write waits for it. */
  output(stream: "stdout" | "stderr"): OutputSink {
    return {
      write: (data) => {
        this.push({ kind: "output", stream, data });
        if (this.#outputOnTheWay <= OUTPUT_WINDOW) return;
        this.flush();
        return new Promise<void>((resolve) => this.#belowWindow.push(resolve));
      },
    };
  }

  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const output = batch.reduce((n, e) => n + (e.kind === "output" ? e.data.length : 0), 0);
    this.#lastSend = this.send(batch);
    if (output > 0) {
      // Taken or not (a page that went away takes nothing), the batch no longer counts once `send` settles.
      void Promise.resolve(this.#lastSend)
        .catch(() => undefined)
        .then(() => this.#taken(output));
    }
  }

  #taken(bytes: number): void {
    this.#outputOnTheWay -= bytes;
    if (this.#outputOnTheWay > OUTPUT_WINDOW) return;
    const waiting = this.#belowWindow;
    this.#belowWindow = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Flushes and waits until the last batch was delivered. Batches travel on the callback's own
   * channel, the run's outcome on the worker's: without this wait the outcome can overtake the
   * last output, and the client, which drops events of finished runs, loses it.
   */
  async drain(): Promise<void> {
    this.flush();
    await Promise.resolve(this.#lastSend).catch(() => undefined);
  }
}
