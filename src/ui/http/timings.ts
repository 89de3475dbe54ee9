/** A request's timings as the panel shows them: head, first byte, each chunk with its gap, end. */
import type { PreviewTimings } from "../../client/PreviewClient";

export interface ChunkRow {
  /** ms from the request's start. */
  atMs: number;
  bytes: number;
  /** ms since the previous chunk (or the head, for the first). */
  gapMs: number;
}

export interface TimingSummary {
  headMs: number | null;
  firstByteMs: number | null;
  endMs: number | null;
  bytes: number;
  chunks: ChunkRow[];
  /** The body failed after the head (the stream broke): why. */
  error: string | null;
}

export function summarize(t: PreviewTimings): TimingSummary {
  let prev = t.headMs ?? 0;
  const chunks = t.chunks.map((c) => {
    const row = { atMs: c.atMs, bytes: c.bytes, gapMs: c.atMs - prev };
    prev = c.atMs;
    return row;
  });
  return {
    headMs: t.headMs,
    firstByteMs: t.chunks[0]?.atMs ?? null,
    endMs: t.endMs,
    bytes: t.chunks.reduce((n, c) => n + c.bytes, 0),
    chunks,
    error: t.error,
  };
}

/** `840 µs`, `12 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `512 B`, `1.5 KiB`, `2.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** One line: `head 12 ms · first byte 14 ms · 4 chunks, 48 B · end 1.21 s` (what is known so far). */
export function timingLine(s: TimingSummary): string {
  const parts: string[] = [];
  if (s.headMs !== null) parts.push(`head ${formatMs(s.headMs)}`);
  if (s.firstByteMs !== null) parts.push(`first byte ${formatMs(s.firstByteMs)}`);
  if (s.chunks.length > 0) parts.push(`${s.chunks.length} chunk${s.chunks.length === 1 ? "" : "s"}, ${formatBytes(s.bytes)}`);
  parts.push(s.endMs === null ? "streaming…" : `${s.error ? "failed" : "end"} ${formatMs(s.endMs)}`);
  return parts.join(" · ");
}
