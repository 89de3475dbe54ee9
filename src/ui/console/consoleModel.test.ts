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
});
