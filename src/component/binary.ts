/**
 * The byte values of the component binary format (component-model `design/mvp/Binary.md`,
 * `CanonicalABI.md` for the builtins), shared by the decoder and the encoder so that each code
 * is written down once. Tables map AST names to bytes; {@link invert} gives the decoder's view.
 */
import type { CanonOp, CoreSort, CoreValType, Definition, PrimValType, StringEncoding } from "./ast";

export const MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;
/** The pre-standard version this layer reads and writes (Binary.md "Component Definitions"). */
export const COMPONENT_VERSION = 0x0d;
/** The `layer` field of the preamble: 1 for components (0 is a core module). */
export const COMPONENT_LAYER = 1;

/** Section ids by the kind of definition the section holds (0 is a custom section). */
export const SECTION_IDS: Record<Definition["kind"], number> = {
  "core module": 1,
  "core instance": 2,
  "core type": 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
};

export const SECTION_NAMES: Record<number, string> = {
  0: "custom section (0)",
  1: "core module section (1)",
  2: "core instance section (2)",
  3: "core type section (3)",
  4: "component section (4)",
  5: "instance section (5)",
  6: "alias section (6)",
  7: "type section (7)",
  8: "canon section (8)",
  9: "start section (9)",
  10: "import section (10)",
  11: "export section (11)",
  12: "value section (12)",
};

/** `core:sort`. */
export const CORE_SORTS: Record<CoreSort, number> = {
  func: 0x00,
  table: 0x01,
  memory: 0x02,
  global: 0x03,
  tag: 0x04,
  type: 0x10,
  module: 0x11,
  instance: 0x12,
};

/** `sort` other than `core` (0x00, followed by a `core:sort`). */
export const SORTS = { func: 0x01, value: 0x02, type: 0x03, component: 0x04, instance: 0x05 } as const;

/** `primvaltype` (one byte, a negative s33). */
export const PRIM_VAL_TYPES: Record<PrimValType, number> = {
  bool: 0x7f,
  s8: 0x7e,
  u8: 0x7d,
  s16: 0x7c,
  u16: 0x7b,
  s32: 0x7a,
  u32: 0x79,
  s64: 0x78,
  u64: 0x77,
  f32: 0x76,
  f64: 0x75,
  char: 0x74,
  string: 0x73,
  "error-context": 0x64,
};

/** Core number and vector types. */
export const CORE_NUM_TYPES: Record<Extract<CoreValType, string>, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Abstract heap types (one byte, a negative s33); each is also the shorthand for its nullable reference (`funcref` = 0x70). */
export const HEAP_TYPES: Record<string, number> = {
  nofunc: 0x73,
  noextern: 0x72,
  none: 0x71,
  func: 0x70,
  extern: 0x6f,
  any: 0x6e,
  eq: 0x6d,
  i31: 0x6c,
  struct: 0x6b,
  array: 0x6a,
  exn: 0x69,
  noexn: 0x74,
  cont: 0x68,
  nocont: 0x75,
};

/** `canonopt` string encodings, by their option byte (0x00-0x02). */
export const STRING_ENCODINGS: readonly StringEncoding[] = ["utf8", "utf16", "latin1+utf16"];

/**
 * Canon opcodes. `resource.drop` is 0x03 (its `async` form 0x07); the `stream.*` and `future.*`
 * families are consecutive, in the order listed.
 */
export const CANON_OPCODES: Record<CanonOp, number> = {
  lift: 0x00,
  lower: 0x01,
  "resource.new": 0x02,
  "resource.drop": 0x03,
  "resource.rep": 0x04,
  "task.cancel": 0x05,
  "subtask.cancel": 0x06,
  "backpressure.set": 0x08,
  "task.return": 0x09,
  "context.get": 0x0a,
  "context.set": 0x0b,
  "thread.yield": 0x0c,
  "subtask.drop": 0x0d,
  "stream.new": 0x0e,
  "stream.read": 0x0f,
  "stream.write": 0x10,
  "stream.cancel-read": 0x11,
  "stream.cancel-write": 0x12,
  "stream.drop-readable": 0x13,
  "stream.drop-writable": 0x14,
  "future.new": 0x15,
  "future.read": 0x16,
  "future.write": 0x17,
  "future.cancel-read": 0x18,
  "future.cancel-write": 0x19,
  "future.drop-readable": 0x1a,
  "future.drop-writable": 0x1b,
  "error-context.new": 0x1c,
  "error-context.debug-message": 0x1d,
  "error-context.drop": 0x1e,
  "waitable-set.new": 0x1f,
  "waitable-set.wait": 0x20,
  "waitable-set.poll": 0x21,
  "waitable-set.drop": 0x22,
  "waitable.join": 0x23,
  "backpressure.inc": 0x24,
  "backpressure.dec": 0x25,
  "thread.index": 0x26,
  "thread.new-indirect": 0x27,
  "thread.resume-later": 0x28,
  "thread.suspend": 0x29,
  "thread.suspend-then-resume": 0x2a,
  "thread.yield-then-resume": 0x2b,
  "thread.suspend-then-promote": 0x2c,
  "thread.yield-then-promote": 0x2d,
  "stream.forward": 0x2e,
  "future.forward": 0x2f,
  "thread.spawn-ref": 0x40,
  "thread.spawn-indirect": 0x41,
  "thread.available-parallelism": 0x42,
};
/** The `resource.drop rt async` form. */
export const RESOURCE_DROP_ASYNC = 0x07;

/**
 * Builtins whose first immediate is the `cancel?` flag (0x00, or 0x01 for `cancellable`).
 * component-model#716 once removed it (leaving a reserved 0x00); the spec has it again.
 */
export const CANCELLABLE_OPS: ReadonlySet<CanonOp> = new Set<CanonOp>([
  "thread.yield",
  "waitable-set.wait",
  "waitable-set.poll",
  "thread.suspend",
  "thread.suspend-then-resume",
  "thread.yield-then-resume",
  "thread.suspend-then-promote",
  "thread.yield-then-promote",
]);

/** A byte-to-name table from a name-to-byte one. */
export function invert<K extends string>(table: Readonly<Record<K, number>>): Readonly<Record<number, K>> {
  const out: Record<number, K> = {};
  for (const [k, v] of Object.entries(table) as [K, number][]) out[v] = k;
  return out;
}
