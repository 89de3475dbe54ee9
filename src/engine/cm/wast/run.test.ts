// The runner in Node, on the reference tests that need no JSPI (and none of the core features Node 20
// lacks: multiple memories, exception handling), and on small scripts for its own rules: how it
// matches traps and refusals, and what it does after a command fails. The whole suite runs in
// Chromium (e2e/wast.spec.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SUITE } from "../../../component/wast/suite.fixture";
import expectations from "./expectations.json";
import { failures, nodeHost as host, runWast as run } from "./node-host.fixture";
import { runScript } from "./run";

/** The scripts engine/cm passes without JSPI: the async ones here use callback lifts only. */
const NODE_SCRIPTS = [
  "async/builtin-trap-poisons-instance.wast",
  "async/cancel-stream.wast",
  "async/closed-stream.wast",
  "async/cross-abi-calls.wast",
  "async/cross-task-future.wast",
  "async/dont-block-start.wast",
  "async/drop-stream.wast",
  "async/drop-waitable-set.wast",
  "async/futures-must-write.wast",
  "async/passing-resources.wast",
  "async/same-component-stream-future.wast",
  "async/trap-if-done.wast",
  "async/trap-if-transfer-in-waitable-set.wast",
  "async/trap-on-reenter.wast",
  "async/validate-no-async-abi-for-sync-type.wast",
  "async/validate-no-stream-char.wast",
  "async/wait-during-callback.wast",
  "binary/binary.wast",
  "linking/link-time-virtualization.wast",
  "linking/shared-everything-dynamic-linking.wast",
  "resources/borrows.wast",
  "resources/handle-table.wast",
  "resources/multiple-resources.wast",
  "validation/abi.wast",
  "validation/annotated-names.wast",
  "validation/attributes.wast",
  "validation/core-modules.wast",
  "validation/defined-types.wast",
  "validation/external-visibility.wast",
  "validation/indicies.wast",
  "validation/kebab.wast",
  "validation/max-value-size.wast",
  "validation/outer-alias.wast",
  "validation/resources.wast",
  "values/alignment.wast",
  "values/concat.wast",
  "values/numerics.wast",
  "values/post-return.wast",
  "values/realloc.wast",
  "values/strings.wast",
  "values/transcode.wast",
];

describe("the reference tests engine/cm passes without JSPI", () => {
  it.each(NODE_SCRIPTS)("%s", async (name) => {
    expect(name in expectations, `${name} is listed as failing in expectations.json`).toBe(false);
    const r = await runScript(readFileSync(join(SUITE, name), "utf8"), host, { name });
    expect(r.error).toBeNull();
    expect(failures(r)).toEqual([]);
    expect(r.commands.length).toBeGreaterThan(0);
  });
});

/** A component exporting `f` (returns 42), `boom` (unreachable) and `bad-char` (lifts 0xd800 as a char). */
const COMPONENT = `(component
  (core module $M
    (func (export "f") (result i32) i32.const 42)
    (func (export "boom") unreachable)
    (func (export "bad-char") (result i32) i32.const 0xd800))
  (core instance $m (instantiate $M))
  (func (export "f") (result u32) (canon lift (core func $m "f")))
  (func (export "boom") (canon lift (core func $m "boom")))
  (func (export "bad-char") (result char) (canon lift (core func $m "bad-char"))))`;

describe("the runner's rules", () => {
  it("checks results and traps by meaning, and says what differed", async () => {
    // A trapped instance stays trapped: each trap gets a fresh one.
    const r = await run(`${COMPONENT.replace("(component", "(component definition $C")}
      (component instance $C)
      (assert_return (invoke "f") (u32.const 42))
      (assert_return (invoke "f") (u32.const 43))
      (assert_trap (invoke "f") "unaligned pointer")
      (assert_trap (invoke "boom") "wasm trap: wasm \`unreachable\` instruction executed")
      (component instance $C)
      (assert_trap (invoke "bad-char") "invalid \`char\` bit pattern")
      (component instance $C)
      (assert_trap (invoke "bad-char") "unreachable")
      (component instance $C)
      (assert_trap (invoke "boom") "a message nobody knows")`);
    expect(r.commands.map((c) => c.ok)).toEqual([true, true, true, false, false, true, true, true, true, false, true, false]);
    expect(r.commands[3]!.detail).toBe("returned (u32.const 42), expected (u32.const 43)");
    expect(r.commands[4]!.detail).toBe('returned, expected the trap "unaligned pointer"');
    expect(r.commands[5]!.detail).toMatch(/^trapped: component 'test\.wast:\d+' \(func 1\): unreachable \(in M at 0x[0-9a-f]+\)$/);
    expect(r.commands[9]!.detail).toMatch(/^trapped with invalid-char, expected unreachable: component 'test\.wast:\d+': 55296 is not a Unicode scalar value/);
    expect(r.commands[11]!.detail).toMatch(/has no known meaning/);
    expect(r.pass).toBe(false);
  });

  it("instantiates definitions on demand, and invokes the newest instance (or a named one)", async () => {
    const r = await run(`(component definition $D
        (core module $M (global $n (mut i32) (i32.const 0)) (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
        (core instance $m (instantiate $M))
        (func (export "next") (result u32) (canon lift (core func $m "next"))))
      (component instance $a $D)
      (assert_return (invoke "next") (u32.const 1))
      (component instance $b $D)
      (assert_return (invoke "next") (u32.const 1))
      (assert_return (invoke $a "next") (u32.const 2))
      (assert_return (invoke "next") (u32.const 2))`);
    expect(failures(r)).toEqual([]);
  });

  it("fails the invokes after a component that failed, instead of calling the one before it", async () => {
    const r = await run(`${COMPONENT}
      (component (import "missing" (func)))
      (assert_return (invoke "f") (u32.const 42))`);
    expect(r.commands.map((c) => c.ok)).toEqual([true, false, false]);
    expect(r.commands[1]!.detail).toMatch(/^engine\/cm cannot instantiate it: .*imports 'missing'/);
    expect(r.commands[2]!.detail).toBe("no instance to invoke (the component before failed?)");
  });

  it("gives up on a call that never finishes, and on that instance after it", async () => {
    const r = await run(
      `(component
        (core func $new (canon waitable-set.new))
        (core module $M
          (import "" "new" (func $new (result i32)))
          ;; YIELD (1) for ever: the task never returns (and is no deadlock).
          (func (export "f") (result i32) (i32.const 1))
          (func (export "cb") (param i32 i32 i32) (result i32) (i32.const 1)))
        (core instance $m (instantiate $M (with "" (instance (export "new" (func $new))))))
        (func (export "f") async (canon lift (core func $m "f") async (callback (core func $m "cb")))))
      (assert_return (invoke "f"))
      (assert_return (invoke "f"))`,
      200,
    );
    expect(r.commands.map((c) => c.detail)).toEqual([null, "did not return within 0.2 s", "not run: an earlier call on this instance never finished"]);
  });

  it("takes a refusal by jco's wasm-tools in Wasmtime's words, or one of ours of the same kind", async () => {
    const r = await run(`
      (assert_invalid (component (type (enum))) "enum type must have at least one variant")
      (assert_invalid (component (type (enum))) "type index out of bounds")
      (assert_invalid (component (type (list 5))) "type index out of bounds")
      (assert_invalid (component (canon lower (func 0) (memory 0) (memory 0) (core func))) "\`memory\` is specified more than once")
      (assert_malformed (component quote "(type (enum \\"\\\\zz\\"))") "invalid string escape")
      (assert_malformed (component binary "\\00asm" "\\0d\\00\\01\\00" "\\08\\02\\01\\2e") "invalid leading byte (0x2e) for canonical function")
      (assert_malformed (component binary "\\00asm" "\\0d\\00\\01\\00" "\\08\\02\\01\\2e") "invalid leading byte (0x2f) for canonical function")`);
    expect(r.commands.map((c) => c.ok)).toEqual([true, false, true, true, true, true, false]);
    expect(r.commands[0]!.detail).toMatch(/^refused by jco's wasm-tools: enum type must have at least one variant/);
    expect(r.commands[1]!.detail).toMatch(/engine\/cm runs it/);
    expect(r.commands[2]!.detail).toMatch(/^refused by our encoder: .*past the end of the type index space/);
    expect(r.commands[3]!.detail).toMatch(/^refused by our text parser: canonical option `memory` is given more than once/);
    expect(r.commands[4]!.detail).toMatch(/^refused by our text parser: invalid string escape/);
  });

  it("reports a script that does not parse", async () => {
    const r = await run(`(component (core module $M)`);
    expect(r.pass).toBe(false);
    expect(r.error).toMatch(/^the script does not parse: unclosed `\(`/);
  });
});
