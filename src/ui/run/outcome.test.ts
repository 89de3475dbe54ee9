import { describe, expect, it } from "vitest";
import type { RunTimings } from "../../protocol/runtime";
import { ConsoleModel } from "../console/consoleModel";
import { describeOutcome, outcomeSummary } from "./outcome";

const timings = (engine: "cm" | "jco", prepareCached = false): RunTimings => ({ engine, prepareMs: 1, prepareCached, instantiateMs: 1, runMs: 1, totalMs: 3 });

describe("describeOutcome", () => {
  it("ends unterminated output with a newline, then says how the run ended", () => {
    const model = new ConsoleModel();
    model.push("stdout", "no newline");
    describeOutcome(model, { kind: "exit", code: 0, timings: timings("cm", true) }, 12.4);
    expect(model.entries.slice(1)).toEqual([
      { kind: "info", text: "\n" },
      { kind: "success", text: "exit status 0 · 12 ms · engine/cm · cached\n" },
    ]);
  });

  it("marks failures as errors, with the hint when there is one and no engine when it never started", () => {
    const lines = (o: Parameters<typeof describeOutcome>[1]) => {
      const model = new ConsoleModel();
      describeOutcome(model, o, 5);
      return model.entries;
    };
    expect(lines({ kind: "exit", code: 3, timings: timings("jco") })).toEqual([{ kind: "error", text: "exit status 3 · 5 ms · engine/jco\n" }]);
    expect(lines({ kind: "returned", value: "42", timings: timings("cm") })).toEqual([{ kind: "success", text: "returned 42 · 5 ms · engine/cm\n" }]);
    expect(lines({ kind: "trap", message: "unreachable", timings: timings("cm") })).toEqual([{ kind: "error", text: "trap: unreachable · 5 ms · engine/cm\n" }]);
    expect(lines({ kind: "error", message: "not a component", hint: "build it with wasm-tools" })).toEqual([{ kind: "error", text: "error: not a component\nhint: build it with wasm-tools\n" }]);
    expect(lines({ kind: "stopped" })).toEqual([{ kind: "error", text: "stopped by user after 5 ms\n" }]);
  });

  it("a JS guest's trap names its error and line, read from the panic on its stderr", () => {
    const model = new ConsoleModel();
    model.push("stderr", "thread '<unnamed>' (1) panicked at crates/runtime/src/interpreter.rs:51:31:\nFailed to call 'greet': Exception(Exception { message: Some(\"boom\"), stack: Some(\"    at greet (/guest.js:3:29)\\n\") })\n");
    const error = describeOutcome(model, { kind: "trap", message: "component 'x.wasm' (greet): unreachable", timings: timings("cm") }, 5);
    expect(error?.at).toEqual({ path: "guest.js", line: 3, column: 29 });
    expect(model.entries.at(-1)).toEqual({ kind: "error", text: "trap: guest.js:3:29: boom (in greet) · 5 ms · engine/cm\n" });
  });
});

describe("outcomeSummary", () => {
  it("leaves timings and engine out, so two engines' equal results compare equal", () => {
    expect(outcomeSummary({ kind: "exit", code: 0, timings: timings("cm") })).toBe(outcomeSummary({ kind: "exit", code: 0, timings: timings("jco", true) }));
    expect(outcomeSummary({ kind: "returned", value: "7", timings: timings("cm") })).toBe("returned 7");
    expect(outcomeSummary({ kind: "trap", message: "a", timings: timings("cm") })).toBe("trap");
    expect(outcomeSummary({ kind: "error", message: "bad" })).toBe("error: bad");
    expect(outcomeSummary({ kind: "stopped" })).toBe("stopped");
  });
});
