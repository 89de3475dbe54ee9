import { describe, expect, it } from "vitest";
import { ConsoleModel } from "./consoleModel";

const out = (stream: "stdout" | "stderr", s: string) => ({ kind: "output" as const, stream, data: new TextEncoder().encode(s) });

describe("ConsoleModel", () => {
  it("interleaves streams in arrival order and merges runs of one stream", () => {
    const c = new ConsoleModel();
    c.apply([out("stdout", "a"), out("stdout", "b"), out("stderr", "E"), out("stdout", "c")]);
    expect(c.entries).toEqual([
      { kind: "stdout", text: "ab" },
      { kind: "stderr", text: "E" },
      { kind: "stdout", text: "c" },
    ]);
  });
  it("decodes UTF-8 split across chunks", () => {
    const c = new ConsoleModel();
    const bytes = new TextEncoder().encode("é");
    c.apply([{ kind: "output", stream: "stdout", data: bytes.subarray(0, 1) }]);
    c.apply([{ kind: "output", stream: "stdout", data: bytes.subarray(1) }]);
    expect(c.text("stdout")).toBe("é");
    expect(c.bytes.stdout).toBe(2);
  });

  it("keeps the last characters only, whole entries going first, and counts what went", () => {
    const c = new ConsoleModel(100);
    c.push("info", "x".repeat(10));
    c.apply([out("stdout", "a".repeat(60))]);
    const at = c.mark();
    c.apply([out("stderr", "b".repeat(20))]);
    expect(c.droppedChars).toBe(0);
    // 101 characters: down to three quarters (75), the info line and the front of stdout first.
    c.apply([out("stderr", "c".repeat(11))]);
    expect(c.droppedChars).toBe(26);
    expect(c.entries).toEqual([
      { kind: "stdout", text: "a".repeat(44) },
      { kind: "stderr", text: "b".repeat(20) + "c".repeat(11) },
    ]);
    expect(c.text().length).toBe(75);
    expect(c.bytes).toEqual({ stdout: 60, stderr: 31 });
    // A mark still finds what came after it once older entries are gone.
    expect(c.since(at)).toEqual([{ kind: "stderr", text: "b".repeat(20) + "c".repeat(11) }]);
    // Endless output stays bounded.
    for (let i = 0; i < 1000; i++) c.apply([out(i % 2 ? "stdout" : "stderr", "z".repeat(7))]);
    expect(c.text().length).toBeLessThanOrEqual(100);
    expect(c.entries.length).toBeLessThanOrEqual(100);
    expect(c.droppedChars + c.text().length).toBe(10 + 91 + 7000);
  });
});
