import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, summarize, timingLine } from "./timings";

describe("summarize", () => {
  it("gives the head, the first byte, each chunk with its gap, the total and the end", () => {
    const s = summarize({ headMs: 10, chunks: [{ atMs: 12, bytes: 5 }, { atMs: 412, bytes: 7 }, { atMs: 812.5, bytes: 1 }], endMs: 813, error: null });
    expect(s).toEqual({
      headMs: 10,
      firstByteMs: 12,
      endMs: 813,
      bytes: 13,
      chunks: [
        { atMs: 12, bytes: 5, gapMs: 2 },
        { atMs: 412, bytes: 7, gapMs: 400 },
        { atMs: 812.5, bytes: 1, gapMs: 400.5 },
      ],
      error: null,
    });
    expect(timingLine(s)).toBe("head 10 ms · first byte 12 ms · 3 chunks, 13 B · end 813 ms");
  });

  it("says what is known while the body streams, and when it failed", () => {
    expect(timingLine(summarize({ headMs: 3, chunks: [{ atMs: 4, bytes: 2048 }], endMs: null, error: null }))).toBe("head 3 ms · first byte 4 ms · 1 chunk, 2.0 KiB · streaming…");
    expect(timingLine(summarize({ headMs: 3, chunks: [], endMs: 1500, error: "network error" }))).toBe("head 3 ms · failed 1.50 s");
  });
});

describe("formats", () => {
  it("formats durations and sizes", () => {
    expect([formatMs(0.25), formatMs(12.4), formatMs(999.6), formatMs(1234)]).toEqual(["250 µs", "12 ms", "1000 ms", "1.23 s"]);
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(3 * 1024 * 1024)]).toEqual(["0 B", "1023 B", "1.5 KiB", "3.0 MiB"]);
  });
});
