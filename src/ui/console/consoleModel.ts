/**
 * The console's text: stdout and stderr interleaved in arrival order, decoded incrementally. It
 * keeps the last `CONSOLE_KEEP_CHARS` characters: a guest that prints without end costs the page a
 * bounded amount, and what went is counted.
 */
import type { RunEvent } from "../../protocol/runtime";

/** Characters the console keeps (about 2 MiB of text); past it the oldest go, down to three quarters of it. */
export const CONSOLE_KEEP_CHARS = 128 * 1024;

export type ConsoleKind = "stdout" | "stderr" | "info" | "error" | "success";

export interface ConsoleEntry {
  kind: ConsoleKind;
  text: string;
}

/** Appends events to entries; consecutive text of one stream merges into one entry. */
export class ConsoleModel {
  entries: ConsoleEntry[] = [];
  #decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  /** Raw bytes seen per stream, for tests and byte counts. */
  bytes = { stdout: 0, stderr: 0 };
  /** Characters no longer kept, the oldest first. */
  droppedChars = 0;
  #droppedEntries = 0;
  #chars = 0;

  constructor(readonly keepChars = CONSOLE_KEEP_CHARS) {}

  push(kind: ConsoleKind, text: string): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.kind === kind && (kind === "stdout" || kind === "stderr")) last.text += text;
    else this.entries.push({ kind, text });
    this.#chars += text.length;
    if (this.#chars > this.keepChars) this.#dropOldest(this.#chars - Math.floor((this.keepChars * 3) / 4));
  }

  /** Lets the oldest `n` characters go: whole entries first, then the front of the next. */
  #dropOldest(n: number): void {
    let gone = 0;
    while (n > 0) {
      const first = this.entries[gone]!;
      if (first.text.length <= n) {
        n -= first.text.length;
        this.droppedChars += first.text.length;
        this.#chars -= first.text.length;
        gone++;
      } else {
        first.text = first.text.slice(n);
        this.droppedChars += n;
        this.#chars -= n;
        n = 0;
      }
    }
    this.entries.splice(0, gone);
    this.#droppedEntries += gone;
  }

  /** Where the console is now, for `since`: counts entries ever pushed, kept or not. */
  mark(): number {
    return this.#droppedEntries + this.entries.length;
  }

  /** The entries pushed after `mark()` gave `at` that are still kept. */
  since(at: number): ConsoleEntry[] {
    return this.entries.slice(Math.max(0, at - this.#droppedEntries));
  }

  apply(events: RunEvent[]): void {
    for (const e of events) {
      if (e.kind === "output") {
        this.bytes[e.stream] += e.data.length;
        this.push(e.stream, this.#decoders[e.stream].decode(e.data, { stream: true }));
      } else if (e.kind === "phase") {
        this.push("info", `· ${e.phase}${e.detail ? `: ${e.detail}` : ""}\n`);
      }
    }
  }

  text(kind?: ConsoleKind): string {
    return this.entries
      .filter((e) => !kind || e.kind === kind)
      .map((e) => e.text)
      .join("");
  }
}
