// Component WAT for every canon builtin, type constructor and section kind, with what each
// decodes to: shared by decode.test.ts (decoding) and encode.test.ts (encoding back); and a small
// runnable component for the builder's and composition's tests.
import type { Canon, DefType, PrimValType } from "./ast";

// Core funcs: realloc 0, cb 1, f 2, dtor 3, so the builtin under test is core func 4.
// Types: $r 0, $s 1, $fu 2, g's inline func type 3, $lifted 4; core types $ft 0, $sft 1. Memory 0, table 0.
export const PRELUDE = `
  (core module $m
    (memory (export "mem") 1)
    (table (export "tbl") 1 funcref)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "f") (param i32 i32) (result i32) unreachable)
    (func (export "dtor") (param i32)))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "tbl" (core table $tbl))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "cb" (core func $cb))
  (alias core export $i "f" (core func $f))
  (alias core export $i "dtor" (core func $dtor))
  (type $r (resource (rep i32) (dtor (core func $dtor))))
  (type $s (stream u8))
  (type $fu (future string))
  (core type $ft (func (param i32)))
  (core type $sft (shared (func (param i32))))
  (import "g" (func $g (param "x" string) (result string)))
  (type $lifted (func async (param "x" string) (result string)))
`;

const NO_OPTS = { async: false, gc: false };

/** A canon builtin after {@link PRELUDE}, and the canon it decodes to (the last definition). */
export const CANON_CASES: [string, Canon][] = [
  [
    "(func (type $lifted) (canon lift (core func $f) async (callback $cb) (memory $mem) (realloc $realloc) string-encoding=utf16))",
    { op: "lift", coreFunc: 2, type: 4, options: { async: true, gc: false, callback: 1, memory: 0, realloc: 0, stringEncoding: "utf16", order: ["async", "callback", "memory", "realloc", "string-encoding"] } },
  ],
  [
    "(func (type $lifted) (canon lift (core func $f) (memory $mem) string-encoding=latin1+utf16 (post-return $dtor)))",
    { op: "lift", coreFunc: 2, type: 4, options: { ...NO_OPTS, memory: 0, stringEncoding: "latin1+utf16", postReturn: 3 } },
  ],
  [
    "(core type $gt (func (param i32 i32) (result i32))) (func (type $lifted) (canon lift (core func $f) gc (core-type $gt)))",
    { op: "lift", coreFunc: 2, type: 4, options: { async: false, gc: true, coreType: 2, order: ["gc", "core-type"] } },
  ],
  [
    "(core func (canon lower (func $g) (memory $mem) (realloc $realloc) async string-encoding=utf8))",
    { op: "lower", func: 0, options: { async: true, gc: false, memory: 0, realloc: 0, stringEncoding: "utf8", order: ["memory", "realloc", "async", "string-encoding"] } },
  ],
  ["(core func (canon resource.new $r))", { op: "resource.new", resource: 0 }],
  ["(core func (canon resource.drop $r))", { op: "resource.drop", resource: 0, async: false }],
  ["(core func (canon resource.rep $r))", { op: "resource.rep", resource: 0 }],
  ["(core func (canon backpressure.inc))", { op: "backpressure.inc" }],
  ["(core func (canon backpressure.dec))", { op: "backpressure.dec" }],
  [
    "(core func (canon task.return (result string) (memory $mem) string-encoding=utf8))",
    { op: "task.return", result: "string", options: { ...NO_OPTS, memory: 0, stringEncoding: "utf8" } },
  ],
  ["(core func (canon task.return (result $s)))", { op: "task.return", result: 1, options: NO_OPTS }],
  ["(core func (canon task.return))", { op: "task.return", options: NO_OPTS }],
  ["(core func (canon task.cancel))", { op: "task.cancel" }],
  ["(core func (canon context.get i32 0))", { op: "context.get", type: "i32", slot: 0 }],
  ["(core func (canon context.set i32 1))", { op: "context.set", type: "i32", slot: 1 }],
  ["(core func (canon thread.yield))", { op: "thread.yield", cancellable: false }],
  ["(core func (canon subtask.cancel))", { op: "subtask.cancel", async: false }],
  ["(core func (canon subtask.cancel async))", { op: "subtask.cancel", async: true }],
  ["(core func (canon subtask.drop))", { op: "subtask.drop" }],
  ["(core func (canon stream.new $s))", { op: "stream.new", type: 1 }],
  ["(core func (canon stream.read $s (memory $mem)))", { op: "stream.read", type: 1, options: { ...NO_OPTS, memory: 0 } }],
  ["(core func (canon stream.write $s async (memory $mem)))", { op: "stream.write", type: 1, options: { ...NO_OPTS, async: true, memory: 0, order: ["async", "memory"] } }],
  ["(core func (canon stream.cancel-read $s))", { op: "stream.cancel-read", type: 1, async: false }],
  ["(core func (canon stream.cancel-write $s async))", { op: "stream.cancel-write", type: 1, async: true }],
  ["(core func (canon stream.drop-readable $s))", { op: "stream.drop-readable", type: 1 }],
  ["(core func (canon stream.drop-writable $s))", { op: "stream.drop-writable", type: 1 }],
  ["(core func (canon future.new $fu))", { op: "future.new", type: 2 }],
  [
    "(core func (canon future.read $fu (memory $mem) (realloc $realloc) string-encoding=utf16))",
    { op: "future.read", type: 2, options: { ...NO_OPTS, memory: 0, realloc: 0, stringEncoding: "utf16" } },
  ],
  ["(core func (canon future.write $fu (memory $mem)))", { op: "future.write", type: 2, options: { ...NO_OPTS, memory: 0 } }],
  ["(core func (canon future.cancel-read $fu async))", { op: "future.cancel-read", type: 2, async: true }],
  ["(core func (canon future.cancel-write $fu))", { op: "future.cancel-write", type: 2, async: false }],
  ["(core func (canon future.drop-readable $fu))", { op: "future.drop-readable", type: 2 }],
  ["(core func (canon future.drop-writable $fu))", { op: "future.drop-writable", type: 2 }],
  ["(core func (canon error-context.new (memory $mem)))", { op: "error-context.new", options: { ...NO_OPTS, memory: 0 } }],
  [
    "(core func (canon error-context.debug-message (memory $mem) (realloc $realloc)))",
    { op: "error-context.debug-message", options: { ...NO_OPTS, memory: 0, realloc: 0 } },
  ],
  ["(core func (canon error-context.drop))", { op: "error-context.drop" }],
  ["(core func (canon waitable-set.new))", { op: "waitable-set.new" }],
  ["(core func (canon waitable-set.wait (memory $mem)))", { op: "waitable-set.wait", cancellable: false, memory: 0 }],
  ["(core func (canon waitable-set.poll (memory $mem)))", { op: "waitable-set.poll", cancellable: false, memory: 0 }],
  ["(core func (canon waitable-set.drop))", { op: "waitable-set.drop" }],
  ["(core func (canon waitable.join))", { op: "waitable.join" }],
  ["(core func (canon thread.index))", { op: "thread.index" }],
  ["(core func (canon thread.new-indirect $ft $tbl))", { op: "thread.new-indirect", type: 0, table: 0 }],
  ["(core func (canon thread.resume-later))", { op: "thread.resume-later" }],
  ["(core func (canon thread.suspend))", { op: "thread.suspend", cancellable: false }],
  ["(core func (canon thread.suspend-then-resume))", { op: "thread.suspend-then-resume", cancellable: false }],
  ["(core func (canon thread.yield-then-resume))", { op: "thread.yield-then-resume", cancellable: false }],
  ["(core func (canon thread.suspend-then-promote))", { op: "thread.suspend-then-promote", cancellable: false }],
  ["(core func (canon thread.yield-then-promote))", { op: "thread.yield-then-promote", cancellable: false }],
  ["(core func (canon thread.spawn-ref $sft))", { op: "thread.spawn-ref", type: 1 }],
  ["(core func (canon thread.spawn-indirect $sft $tbl))", { op: "thread.spawn-indirect", type: 1, table: 0 }],
  ["(core func (canon thread.available_parallelism))", { op: "thread.available-parallelism" }],
];

export const PRIMITIVES: readonly Exclude<PrimValType, "error-context">[] = ["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string"];

/** A type (after a resource type `$r`, index 0) and what it decodes to. */
export const TYPE_CASES: [string, DefType][] = [
  ["error-context", { kind: "primitive", type: "error-context" }],
  ['(record (field "a" u8) (field "b-c" $r))', { kind: "record", fields: [{ label: "a", type: "u8" }, { label: "b-c", type: 0 }] }],
  ['(variant (case "a") (case "b" string))', { kind: "variant", cases: [{ label: "a" }, { label: "b", type: "string" }] }],
  ["(list u8 4)", { kind: "list", element: "u8", length: 4 }],
  ["(tuple u8 s64)", { kind: "tuple", types: ["u8", "s64"] }],
  ['(flags "a" "b" "c")', { kind: "flags", labels: ["a", "b", "c"] }],
  ['(enum "x" "y")', { kind: "enum", labels: ["x", "y"] }],
  ["(option char)", { kind: "option", type: "char" }],
  ["(result u8 (error string))", { kind: "result", ok: "u8", err: "string" }],
  ["(result (error string))", { kind: "result", err: "string" }],
  ["(result u32)", { kind: "result", ok: "u32" }],
  ["(result)", { kind: "result" }],
  ["(own $r)", { kind: "own", resource: 0 }],
  ["(borrow $r)", { kind: "borrow", resource: 0 }],
  ["(stream u8)", { kind: "stream", element: "u8" }],
  ["(stream)", { kind: "stream" }],
  ["(future string)", { kind: "future", element: "string" }],
  ["(future)", { kind: "future" }],
  ["(map string u32)", { kind: "map", key: "string", value: "u32" }],
  ['(func (param "a" u32) (result string))', { kind: "func", async: false, params: [{ label: "a", type: "u32" }], result: "string" }],
  ["(func)", { kind: "func", async: false, params: [] }],
];

/** Inline element types become definitions of their own. */
export const INLINE_TYPES = `(component (type $r (resource (rep i32))) (type (func async (param "s" (stream u8)) (result (own $r)))))`;

/** Component and instance types with their own scopes, outer aliases and a core module type. */
export const COMPONENT_TYPES = `(component
  (type $u u32)
  (type (component
    (import "r" (type $rr (sub resource)))
    (alias outer 1 $u (type $uu))
    (type $o (own $rr))
    (type $f (func (param "x" $o) (result $uu)))
    (type $it (instance (type (func)) (export "ready" (func (type 0)))))
    (import "wasi:io/poll@0.2.4" (instance (type $it)))
    (export "q" (func (type $f)))))
  (type (instance
    (type u8)
    (export "e" (type (eq 0)))
    (core type (func))
    (core type (module (import "a" "b" (func)) (export "m" (memory 1 2)) (alias outer 1 0 (type))))
    (export "r" (type (sub resource))))))`;

/** One definition of each section kind. */
export const SECTIONS = `(component
  (type $it (instance (export "f" (func))))
  (import "wasi:cli/stdout@0.3.0" (instance $io (type $it)))
  (core module $m (func (export "run")))
  (core instance $ci (instantiate $m))
  (core instance (export "run2" (func $ci "run")))
  (alias export $io "f" (func $f))
  (core func $lowered (canon lower (func $f)))
  (component $inner
    (import "x" (func))
    (core module))
  (instance $inst (instantiate $inner (with "x" (func $f))))
  (instance (export "f" (func $f)))
  (export "wasi:cli/run@0.3.0" (instance $inst))
  (export "g" (func $f) (func)))`;

/** An outer alias in a nested component, and a `component-name` section. */
export const OUTER_ALIASES = `(component $root
  (type $t u8)
  (component $c (alias outer $root $t (type)) (core module $cm))
  (core module $named))`;

/** An import name with the 0x02 `implements` option. */
export const IMPLEMENTS = `(component (import "store" (implements "wasi:keyvalue/store@0.2.0") (instance)))`;

/** A value import (🪙). */
export const VALUE_IMPORT = `(component (import "v" (value u32)))`;

/** Imports the interface `local:demo/math@0.1.0` (`double: func(x: u32) -> u32`); exports `quad` built on it. */
export const MATH_USER = `(component
  (import "local:demo/math@0.1.0" (instance $math (export "double" (func (param "x" u32) (result u32)))))
  (alias export $math "double" (func $double))
  (core func $double (canon lower (func $double)))
  (core module $m
    (import "" "double" (func $d (param i32) (result i32)))
    (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0)))))
  (core instance $i (instantiate $m (with "" (instance (export "double" (func $double))))))
  (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $i "quad"))))`;
