/**
 * What a JS guest's failure was, read from the Rust panic componentize-qjs prints to stderr before
 * it traps (`unreachable`): the JS error's message and its place in the guest's source
 * (`guest.js:3:29`), or the value conversion that failed, with what to do about it.
 *
 * The panic names QuickJS's exception in Rust's debug notation, e.g.
 * `Failed to call 'greet': Exception(Exception { message: Some("boom"), stack: Some("    at greet (/guest.js:3:29)\n") })`.
 */
import type { SourceDiagnostic } from "../../protocol/authoring-api";

export interface GuestError {
  message: string;
  /** Where in the guest's source the error was thrown, when its stack says. */
  at: { path: string; line: number; column: number } | null;
  /** The export that was running, when the panic names it. */
  export: string | null;
  hint: string | null;
}

/** Undoes Rust's `{:?}` escaping of a string. */
function unescapeDebug(s: string): string {
  return s.replace(/\\(u\{([0-9a-fA-F]+)\}|.)/g, (_m, c: string, hex: string | undefined) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c === "0" ? "\0" : c;
  });
}

const debugString = (field: string, text: string): string | null => {
  const m = new RegExp(`${field}: Some\\("((?:[^"\\\\]|\\\\.)*)"\\)`).exec(text);
  return m ? unescapeDebug(m[1]!) : null;
};

/** JS type names as componentize-qjs's conversion errors spell them. */
const JS_TYPES: Record<string, string> = { big_int: "BigInt", int: "number", float: "number", string: "string", bool: "boolean", object: "object", array: "array", undefined: "undefined", null: "null" };

/** The guest error in `stderr` (the run's guest output), or null when it holds no componentize-qjs panic. */
export function guestErrorOf(stderr: string): GuestError | null {
  const panic = /panicked at [^\n]*:\n([\s\S]*?)(?:\nnote: run with `RUST_BACKTRACE|$)/.exec(stderr);
  if (!panic) return null;
  const text = panic[1]!.trim();
  const exp = /Failed to call (?:async )?'([^']+)'/.exec(text)?.[1] ?? null;

  const conversion = /expected (\w+): FromJs \{ from: "(\w+)", to: "(\w+)"/.exec(text);
  if (conversion) {
    const got = JS_TYPES[conversion[2]!] ?? conversion[2]!;
    const bigint = got === "BigInt";
    return {
      message: `a value handed to the host was a JS ${got} where componentize-qjs expects a ${conversion[1]} (${conversion[3]})`,
      at: null,
      export: exp,
      hint: bigint
        ? "componentize-qjs passes WIT integers as JS numbers, u64 and s64 too (exact up to 2^53): pass and return numbers, not BigInt (e.g. waitFor(ms * 1_000_000), not BigInt(ms) * 1000000n)."
        : `Check the types of what the guest returns or passes to imported functions against the world's WIT.`,
    };
  }

  const notFunction = /Error converting from js '(\w+)' into type 'function'/.exec(text);
  if (notFunction && exp) {
    return { message: `the guest's module does not export a function '${exp}' (it is ${notFunction[1]})`, at: null, export: exp, hint: "Export a function for every function the world exports; the build server checks this for builds made now." };
  }

  const message = debugString("message", text);
  if (message !== null) {
    const stack = debugString("stack", text) ?? "";
    const place = /at (?:([^\s(]+) \()?\/?([^\s():]+\.m?js):(\d+):(\d+)/.exec(stack);
    return {
      message,
      at: place ? { path: place[2]!, line: Number(place[3]), column: Number(place[4]) } : null,
      // An async export's panic does not name it; the innermost frame's function does.
      export: exp ?? place?.[1] ?? null,
      hint: null,
    };
  }
  return { message: text.split("\n")[0]!, at: null, export: exp, hint: null };
}

/** `guest.js:3:29: boom (in greet)`: the error as one line, its place first. */
export function describeGuestError(e: GuestError): string {
  const where = e.at ? `${e.at.path}:${e.at.line}:${e.at.column}: ` : "";
  return `${where}${e.message}${e.export ? ` (in ${e.export})` : ""}`;
}

/** A run's guest error, with the component bytes that ran (so the editor marks only its own build's source). */
export interface RunFault {
  bytes: Uint8Array;
  error: GuestError;
}

/** The error as a problem on its line of the guest's source (the editor marks it); null when its stack named no place. */
export function guestErrorDiagnostic(e: GuestError): SourceDiagnostic | null {
  if (!e.at) return null;
  const { path, line, column } = e.at;
  // An empty range: the editor marks the word the error was thrown at.
  return { path, line, column, endLine: line, endColumn: column, message: `thrown when run: ${e.message}${e.export ? ` (in ${e.export})` : ""}`, severity: "error" };
}
