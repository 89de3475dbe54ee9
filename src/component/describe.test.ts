import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { describe as suite, expect, it } from "vitest";
import type { Canon, DefType } from "./ast";
import { decode } from "./decode";
import { describe, describeCanon, describeDefinition, describeType } from "./describe";

suite("describeType", () => {
  it.each<[DefType, string]>([
    [{ kind: "primitive", type: "string" }, "string"],
    [{ kind: "record", fields: [{ label: "a", type: "u8" }, { label: "b", type: 3 }] }, "record { a: u8, b: type 3 }"],
    [{ kind: "variant", cases: [{ label: "none" }, { label: "some", type: "u32" }] }, "variant { none, some(u32) }"],
    [{ kind: "list", element: "u8" }, "list<u8>"],
    [{ kind: "list", element: 2, length: 4 }, "list<type 2, 4>"],
    [{ kind: "tuple", types: ["u8", "s64"] }, "tuple<u8, s64>"],
    [{ kind: "flags", labels: ["r", "w"] }, "flags { r, w }"],
    [{ kind: "enum", labels: ["a"] }, "enum { a }"],
    [{ kind: "option", type: "char" }, "option<char>"],
    [{ kind: "result" }, "result"],
    [{ kind: "result", err: "string" }, "result<_, string>"],
    [{ kind: "result", ok: 1, err: 2 }, "result<type 1, type 2>"],
    [{ kind: "own", resource: 0 }, "own<type 0>"],
    [{ kind: "borrow", resource: 5 }, "borrow<type 5>"],
    [{ kind: "stream", element: "u8" }, "stream<u8>"],
    [{ kind: "future" }, "future"],
    [{ kind: "map", key: "string", value: "u32" }, "map<string, u32>"],
    [{ kind: "func", async: true, params: [{ label: "x", type: "string" }], result: 4 }, "func async (x: string) -> type 4"],
    [{ kind: "func", async: false, params: [] }, "func ()"],
    [{ kind: "instance", decls: [] }, "instance (0 declarators)"],
    [{ kind: "resource", rep: "i32", dtorAsync: false }, "resource"],
    [{ kind: "resource", rep: "i32", dtor: 3, dtorAsync: true, dtorCallback: 4 }, "resource (dtor async core func 3 (callback core func 4))"],
  ])("%j", (type, text) => {
    expect(describeType(type)).toBe(text);
  });
});

suite("describeCanon", () => {
  const NO = { async: false, gc: false };
  it.each<[Canon, string]>([
    [{ op: "lift", coreFunc: 7, type: 3, options: { ...NO, async: true, callback: 8, memory: 0, realloc: 2, stringEncoding: "utf8" } }, "canon lift core func 7 async (callback core func 8) string-encoding=utf8 (memory 0) (realloc core func 2) (type 3)"],
    [{ op: "lower", func: 3, options: { ...NO, async: true, memory: 0 } }, "canon lower func 3 async (memory 0)"],
    [{ op: "resource.drop", resource: 2, async: true }, "canon resource.drop type 2 async"],
    [{ op: "task.return", result: "u32", options: NO }, "canon task.return (result u32)"],
    [{ op: "context.get", type: "i32", slot: 0 }, "canon context.get i32 0"],
    [{ op: "stream.read", type: 7, options: { ...NO, memory: 0 } }, "canon stream.read type 7 (memory 0)"],
    [{ op: "future.cancel-write", type: 2, async: true }, "canon future.cancel-write type 2 async"],
    [{ op: "stream.drop-readable", type: 1 }, "canon stream.drop-readable type 1"],
    [{ op: "waitable-set.wait", cancellable: false, memory: 0 }, "canon waitable-set.wait (memory 0)"],
    [{ op: "waitable-set.poll", cancellable: true, memory: 0 }, "canon waitable-set.poll cancellable (memory 0)"],
    [{ op: "thread.new-indirect", type: 1, table: 0 }, "canon thread.new-indirect core type 1 (table 0)"],
    [{ op: "subtask.cancel", async: true }, "canon subtask.cancel async"],
    [{ op: "thread.yield", cancellable: false }, "canon thread.yield"],
    [{ op: "thread.yield", cancellable: true }, "canon thread.yield cancellable"],
  ])("%s", (canon, text) => {
    expect(describeCanon(canon)).toBe(text);
  });
});

suite("describe", () => {
  it("summarizes a component and lists definitions with their index-space slots", async () => {
    const ast = decode(
      await parse(`(component $app
        (type $it (instance (export "f" (func))))
        (import "wasi:cli/stdout@0.3.0" (instance $io (type $it)))
        (alias export $io "f" (func $f))
        (core func (canon lower (func $f)))
        (component $inner (import "x" (func)) (component $deeper))
        (instance $made (instantiate $inner (with "x" (func $f))))
        (export "run" (func $f)))`),
    );
    expect(ast.definitions.map(describeDefinition)).toEqual([
      "type 0 = type instance (2 declarators)",
      'instance 0 = import "wasi:cli/stdout@0.3.0" instance (type 0)',
      'func 0 = alias export of instance 0 "f"',
      "core func 0 = canon lower func 0",
      'component 0 = component "inner" (3 definitions)',
      'instance 1 = instantiate component 0 (with "x" func 0)',
      'func 1 = export "run" func 0',
    ]);
    const text = describe(ast, { depth: 1 });
    expect(text.split("\n")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^component "app": \d+ B, version 0x0d, 7 definitions$/),
        "  index spaces: core func 1, func 2, type 1, component 1, instance 2",
        "  imports (1):",
        '    instance 0 = import "wasi:cli/stdout@0.3.0" instance (type 0)',
        "  exports (1):",
        '    func 1 = export "run" func 0',
        "  canon: lower",
        expect.stringMatching(/^  component 0 "inner": \d+ B, version 0x0d, 3 definitions$/),
        "    1 nested component (not shown)",
      ]),
    );
    expect(describe(ast, { definitions: true })).toContain("  definitions:\n    type 0 = type instance (2 declarators)");
    expect(describe(ast)).toMatch(/\n    component 0 "deeper": /);
  });

  it("describes a real conformance component: producers, imports, exports and builtins", () => {
    const path = new URL("../../../shared/conformance/component-model-async/streams/async-read-resource-stream.wasm", import.meta.url);
    const text = describe(decode(readFileSync(path)));
    expect(text).toMatch(/^component: 3\.\d MiB, version 0x0d, \d+ definitions\n  producers: processed-by wit-component /);
    expect(text).toContain('instance 0 = import "local:local/resource-stream" instance (type 0)');
    expect(text).toMatch(/export "wasi:cli\/run@0\.2\.6" instance \d+/);
    expect(text).toMatch(/canon: .*stream\.read x2.*lift x2/);
  });
});
