import { describe, expect, it } from "vitest";
import { describeGuestError, guestErrorDiagnostic, guestErrorOf } from "./guestError";

/** stderr of real componentize-qjs 0.4.5 guests run on engine/cm, as captured (e2e/guest-errors.spec.ts runs one). */
const PANIC = {
  thrown: `\nthread '<unnamed>' (1) panicked at crates/runtime/src/interpreter.rs:51:31:\nFailed to call 'greet': Exception(Exception { message: Some("boom \\"x\\""), stack: Some("    at greet (/guest.js:3:29)\\n") })\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace\n`,
  asyncThrown: `\nthread '<unnamed>' (1) panicked at crates/runtime/src/bindings.rs:416:30:\nCall failed 'async export': Value(Exception(\nException { message: Some("console is not defined"), stack: Some("    at wait (/guest.js:7:3)\\n") })\n)\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace\n`,
  bigint: `\nthread '<unnamed>' (1) panicked at crates/runtime/src/call.rs:88:36:\nexpected number: FromJs { from: "big_int", to: "f64", message: None }\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace\n`,
  missing: `\nthread '<unnamed>' (1) panicked at crates/runtime/src/interpreter.rs:172:37:\nFailed to call async 'wait': Error: Error converting from js 'undefined' into type 'function'\n\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace\n`,
};

describe("guestErrorOf", () => {
  it("a thrown error: its message, unescaped, at its place in the guest's source", () => {
    const e = guestErrorOf(`hello\n${PANIC.thrown}`)!;
    expect(e).toEqual({ message: 'boom "x"', at: { path: "guest.js", line: 3, column: 29 }, export: "greet", hint: null });
    expect(describeGuestError(e)).toBe('guest.js:3:29: boom "x" (in greet)');
  });

  it("an async export's error names the function from the stack", () => {
    expect(describeGuestError(guestErrorOf(PANIC.asyncThrown)!)).toBe("guest.js:7:3: console is not defined (in wait)");
  });

  it("a BigInt where componentize-qjs wants a number says to pass numbers", () => {
    const e = guestErrorOf(PANIC.bigint)!;
    expect(e.message).toBe("a value handed to the host was a JS BigInt where componentize-qjs expects a number (f64)");
    expect(e.hint).toContain("u64 and s64 too");
  });

  it("a missing export, in a component built before the build checked for it", () => {
    expect(guestErrorOf(PANIC.missing)).toMatchObject({ message: "the guest's module does not export a function 'wait' (it is undefined)", export: "wait" });
  });

  it("other panics keep their first line; stderr without one gives null", () => {
    expect(guestErrorOf("thread 'x' panicked at a.rs:1:2:\nsomething odd\nmore\n")).toEqual({ message: "something odd", at: null, export: null, hint: null });
    expect(guestErrorOf("an ordinary error line\n")).toBeNull();
  });
});

describe("guestErrorDiagnostic", () => {
  it("puts a thrown error on its line and column of the guest's source", () => {
    expect(guestErrorDiagnostic(guestErrorOf(PANIC.asyncThrown)!)).toEqual({ path: "guest.js", line: 7, column: 3, endLine: 7, endColumn: 3, message: "thrown when run: console is not defined (in wait)", severity: "error" });
  });

  it("an error without a place in the source gives none", () => {
    expect(guestErrorDiagnostic(guestErrorOf(PANIC.bigint)!)).toBeNull();
  });
});
