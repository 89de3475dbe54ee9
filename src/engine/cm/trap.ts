/**
 * What a trap means, independent of its wording: each kind is one rule of CanonicalABI.md (a
 * `trap_if`) or one core WebAssembly trap. engine/cm's messages are its own; the Component
 * Model's reference tests expect Wasmtime's words, and their runner (`wast/`) matches the two by
 * kind. The table in `wast/README.md` lists each kind with its rule and Wasmtime's message.
 */
import { Trap, type TrapSite } from "../../base/assert";

export type TrapKind =
  /** A call into an instance that may not be entered now: a re-entrant call, or one after the instance trapped. */
  | "cannot-enter"
  /** A call out of an instance (an import or built-in) while it may not leave: lifting, lowering, post-return. */
  | "cannot-leave"
  /** A task that may not block (synchronous, not yet returned; a start function) would block. */
  | "sync-task-may-not-block"
  /** An async callback returned a code other than EXIT, YIELD and WAIT. */
  | "bad-callback-code"
  /** A synchronous operation on a waitable that is joined to a waitable set. */
  | "sync-op-on-joined-waitable"
  | "drop-unresolved-subtask"
  /** A stream or future end dropped (or moved) while a copy on it is in progress. */
  | "drop-busy-end"
  /** A future's writable end dropped before a value was written. */
  | "future-dropped-unwritten"
  | "drop-set-with-waiters"
  /** A copy started on an end that is already copying. */
  | "concurrent-copy"
  /** A read or write on an end whose other side is done (or, for a future, after its value was copied). */
  | "read-after-done"
  | "write-after-done"
  /** Lifting (passing on) a readable end that is done. */
  | "lift-after-done"
  /** Lifting (passing on) an end that is joined to a waitable set. */
  | "lift-joined-end"
  /** Both ends of a future (or non-numeric stream) copied within one instance. */
  | "intra-component-copy"
  /** No task can make progress (the embedder's event loop is empty). */
  | "deadlock"
  /** A handle of the wrong type (a different resource, or not a resource). */
  | "wrong-handle-type"
  /** A handle index that is not in the instance's table. */
  | "unknown-handle"
  /** An owned resource dropped or moved while it is lent (borrowed). */
  | "owned-resource-lent"
  /** A task returned (or was cancelled) while borrowed handles it received are still alive. */
  | "borrows-outstanding"
  /** A string in guest memory that is not valid in its encoding. */
  | "invalid-string"
  | "invalid-char"
  | "invalid-discriminant"
  /** A pointer and length (or a `realloc` result) outside linear memory. */
  | "out-of-bounds"
  | "unaligned-pointer"
  /** Core WebAssembly traps. */
  | "unreachable"
  | "core-out-of-bounds"
  | "core-indirect-call"
  | "core-arithmetic";

/** A trap of engine/cm: a {@link Trap} that says what it means. */
export class CmTrap extends Trap {
  constructor(
    site: TrapSite,
    rule: string,
    readonly kind: TrapKind | null,
    /** The handle index a handle trap is about. */
    readonly handle?: number,
    /** The core trap this one reports (its stack names the core function and offset). */
    cause?: unknown,
  ) {
    super(site, rule);
    if (cause !== undefined) this.cause = cause;
  }
}

/** The kinds of the core traps V8 raises, by its messages (`WebAssembly.RuntimeError`). */
const CORE_TRAPS: readonly [RegExp, TrapKind][] = [
  [/^unreachable/, "unreachable"],
  [/memory access out of bounds|data segment .*out of bounds/, "core-out-of-bounds"],
  [/table index is out of bounds|null function|function signature mismatch/, "core-indirect-call"],
  [/divide by zero|remainder by zero|integer overflow|float unrepresentable/, "core-arithmetic"],
];

export function coreTrapKind(message: string): TrapKind | null {
  return CORE_TRAPS.find(([re]) => re.test(message))?.[1] ?? null;
}
