/**
 * What the reference tests' messages mean. They are Wasmtime's words (its runner checks that an
 * error contains them); engine/cm has words of its own, so a trap or a refusal matches an
 * expected message when both mean the same: the same {@link TrapKind} for traps, the same
 * {@link RefusalKind} for components refused as invalid or malformed. A message this file does
 * not know matches nothing of ours (only jco's wasm-tools, whose validator is Wasmtime's, can
 * then satisfy it word for word).
 */
import { DecodeError } from "../../../component/reader";
import { EncodeError } from "../../../component/encode";
import { WastSyntaxError, type SyntaxErrorKind } from "../../../component/wast/lexer";
import type { TrapKind } from "../trap";

/** Wasmtime's trap messages (without "wasm trap: "), by kind. */
const TRAP_MESSAGES: readonly [RegExp, TrapKind][] = [
  [/^cannot enter component instance$/, "cannot-enter"],
  [/^cannot leave component instance$/, "cannot-leave"],
  [/^cannot block a synchronous task before returning$/, "sync-task-may-not-block"],
  [/^unsupported callback code$/, "bad-callback-code"],
  [/^waitable cannot be used synchronously while added to a waitable set$/, "sync-op-on-joined-waitable"],
  [/^cannot drop a subtask which has not yet resolved$/, "drop-unresolved-subtask"],
  [/^cannot (drop|remove) busy stream$/, "drop-busy-end"],
  [/^cannot drop future write end without first writing a value$/, "future-dropped-unwritten"],
  [/^cannot drop waitable set with waiters$/, "drop-set-with-waiters"],
  [/^cannot have concurrent operations active on a future\/stream$/, "concurrent-copy"],
  [/^cannot read from (future after previous read succeeded|stream after being notified that the writable end dropped)$/, "read-after-done"],
  [/^cannot write to (future after previous write succeeded( or readable end dropped)?|stream after being notified that the readable end dropped)$/, "write-after-done"],
  [/^cannot lift (future after previous read succeeded|stream after being notified that the writable end dropped)$/, "lift-after-done"],
  [/^cannot lift (future|stream) while it's in a waitable set$/, "lift-joined-end"],
  [/^cannot read from and write to intra-component future$/, "intra-component-copy"],
  [/^deadlock detected: event loop cannot make further progress$/, "deadlock"],
  [/^handle index \d+ used with the wrong type/, "wrong-handle-type"],
  [/^unknown handle index \d+$/, "unknown-handle"],
  [/^cannot remove owned resource while borrowed$/, "owned-resource-lent"],
  [/^borrow handles still remain at the end of the call$/, "borrows-outstanding"],
  [/^(incomplete utf-8 byte sequence|invalid utf-8)/, "invalid-string"],
  [/^invalid `char` bit pattern$/, "invalid-char"],
  [/^invalid variant discriminant$/, "invalid-discriminant"],
  [/^(realloc return: beyond end of memory|(string|list) content out-of-bounds|string pointer\/length out of bounds of memory)$/, "out-of-bounds"],
  [/^(unaligned pointer|realloc return: result not aligned)$/, "unaligned-pointer"],
  [/^(unreachable|wasm `unreachable` instruction executed)$/, "unreachable"],
  [/^(uninitialized element|undefined element|indirect call type mismatch)$/, "core-indirect-call"],
];

/** The kind an expected trap message stands for (and the handle index it names), or null when unknown. */
export function expectedTrap(message: string): { kind: TrapKind; handle?: number } | null {
  const m = message.replace(/^wasm trap: /, "");
  const found = TRAP_MESSAGES.find(([re]) => re.test(m));
  if (!found) return null;
  const handle = /^(unknown handle index|handle index) (\d+)/.exec(m);
  return { kind: found[1], ...(handle ? { handle: Number(handle[2]) } : {}) };
}

/** Why a component was refused, by meaning. */
export type RefusalKind =
  | SyntaxErrorKind
  /** An index past the end of its index space. */
  | "index out of bounds"
  /** An outer alias that counts past the outermost enclosing scope. */
  | "outer alias count"
  /** A `resource` type defined inside a component or instance type. */
  | "resource outside component"
  /** A core module that core validation refuses. */
  | "invalid core module"
  /** Binary format errors. */
  | "unexpected end"
  | "integer too large"
  | "malformed utf-8"
  | "malformed section id"
  | "section out of order"
  | "bad header"
  | "invalid boolean"
  | "invalid leading byte"
  | "trailing bytes"
  /** Interface names in the gated nested syntax. */
  | "nested namespace"
  | "nested projection";

/** Wasmtime's validation and binary-reading messages that one of our refusals can stand for. */
const REFUSAL_MESSAGES: readonly [RegExp, RefusalKind][] = [
  [/index out of bounds|^unknown (module|component)$|^unknown tag \d+/, "index out of bounds"],
  [/is specified more than once|^canonical encoding option `[^`]+` conflicts with option/, "duplicate canonical option"],
  [/^invalid outer alias count/, "outer alias count"],
  [/^resources can only be defined within a concrete component$/, "resource outside component"],
  [/^type mismatch$/, "invalid core module"],
  [/^unexpected end-of-file$/, "unexpected end"],
  [/^integer too large$/, "integer too large"],
  [/^malformed UTF-8 encoding$/, "malformed utf-8"],
  [/^malformed section id$/, "malformed section id"],
  [/^section out of order$/, "section out of order"],
  [/^(expected a version header for a (component|module)|unknown binary version)$/, "bad header"],
  [/^invalid boolean value$/, "invalid boolean"],
  [/^invalid leading byte/, "invalid leading byte"],
  [/^invalid string escape$/, "invalid string escape"],
  [/^unexpected token$/, "unexpected token"],
  [/^outer item `[^`]+` is not a module, type, or component$/, "outer item not aliasable"],
  [/^expected `\/` after package name$/, "nested namespace"],
  [/^trailing characters found: `\//, "nested projection"],
];

export function expectedRefusal(message: string): RefusalKind | null {
  return REFUSAL_MESSAGES.find(([re]) => re.test(message))?.[1] ?? null;
}

/** Our decoder's reasons, by meaning. */
const DECODE_REASONS: readonly [RegExp, RefusalKind][] = [
  [/unexpected end of data|runs past the end|exceeds the \d+ bytes? left/, "unexpected end"],
  [/does not fit in \d+ bits|is longer than \d+ bytes/, "integer too large"],
  [/is not valid UTF-8/, "malformed utf-8"],
  [/^unknown section id/, "malformed section id"],
  [/magic bytes|WebAssembly layer|binary version|not a component|\(layer 0\)|expected \\0asm version 1/, "bad header"],
  [/^invalid (presence|async|cancellable) flag/, "invalid boolean"],
  [/unread bytes after its contents|^trailing bytes/, "trailing bytes"],
  [/has a nested namespace/, "nested namespace"],
  [/has a nested projection/, "nested projection"],
  [/^unknown |^invalid |is not a primitive value type|is not (outer|instance|a core module)|must (lift|lower) a/, "invalid leading byte"],
];

/** Our encoder's refusals that are validation rules, by meaning. */
const ENCODE_REASONS: readonly [RegExp, RefusalKind][] = [
  [/past the end of the .* index space/, "index out of bounds"],
  [/reaches past the outermost scope/, "outer alias count"],
  [/resource types may only be defined in a component/, "resource outside component"],
];

/** What one of our errors says about a refused component: its kind, when it has a known meaning. */
export function refusalOf(err: unknown): { kind: RefusalKind | null; by: string; message: string } {
  if (err instanceof WastSyntaxError) return { kind: err.kind, by: "our text parser", message: err.message };
  if (err instanceof EncodeError) return { kind: ENCODE_REASONS.find(([re]) => re.test(err.message))?.[1] ?? null, by: "our encoder", message: err.message };
  if (err instanceof WebAssembly.CompileError) return { kind: "invalid core module", by: "engine/cm (WebAssembly.compile)", message: err.message };
  if (err instanceof DecodeError) return { kind: DECODE_REASONS.find(([re]) => re.test(err.reason))?.[1] ?? null, by: "our decoder", message: err.message };
  return { kind: null, by: "engine/cm", message: err instanceof Error ? err.message : String(err) };
}
