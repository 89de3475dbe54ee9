/** Canonical built-ins checked one rule at a time with tiny components written in component WAT. */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";

/** A callback-lifted export with a memory option whose `task.return` (`options`) returns `u32` 7. */
const taskReturnWat = (options: string) => `(component
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (core func $task_return (canon task.return (result u32) ${options}))
  (core module $m
    (import "" "task.return" (func $ret (param i32)))
    (func (export "f") (param i32) (result i32) (call $ret (i32.const 7)) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance (export "task.return" (func $task_return))))))
  (func (export "f") async (param "x" u32) (result u32)
    (canon lift (core func $i "f") async (memory $mem) (callback (core func $i "cb"))))
)`;

async function call(wat: string) {
  const engine = new CmEngine();
  const prepared = await engine.prepare(await parse(wat), wat);
  const inst = engine.instantiate(prepared, { resolveImport: () => undefined }, "task-return.wasm");
  return inst.call(inst.func(null, "f")!, [1]);
}

describe("task.return", () => {
  it("without a memory option matches a lift that has one (the result needs no memory)", async () => {
    expect(await call(taskReturnWat(""))).toBe(7);
  });

  it("with another string encoding than the lift's traps", async () => {
    await expect(call(taskReturnWat("string-encoding=utf16"))).rejects.toThrow(/task.return's options differ/);
  });
});
