/** The console's text: stdout and stderr interleaved in arrival order, decoded incrementally. */
import type { RunEvent } from "../../protocol/runtime";

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

  push(kind: ConsoleKind, text: string): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.kind === kind && (kind === "stdout" || kind === "stderr")) last.text += text;
    else this.entries.push({ kind, text });
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
