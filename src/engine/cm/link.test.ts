/** Linking: two components joined at run time in one store, sharing a host interface. */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";

const wat = (name: string) => parse(readFileSync(new URL(`./testdata/${name}.wat`, import.meta.url), "utf8"));

/** Imports the world-level function `double: func(x: u32) -> u32` and exports `quad` built on it. */
const FUNC_IMPORT = `(component
  (import "double" (func $double (param "x" u32) (result u32)))
  (core func $double (canon lower (func $double)))
  (core module $m
    (import "" "double" (func $double (param i32) (result i32)))
    (func (export "quad") (param i32) (result i32) (call $double (call $double (local.get 0)))))
  (core instance $i (instantiate $m (with "" (instance (export "double" (func $double))))))
  (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $i "quad")))
)`;

describe("world-level function imports", () => {
  it("bind to a host function given as { default: fn } (jco's convention)", async () => {
    const engine = new CmEngine();
    const impl = { default: (x: number) => x * 2 };
    const inst = engine.instantiate(await engine.prepare(await parse(FUNC_IMPORT), "func-import"), { resolveImport: (name) => (name === "double" ? { name, impl } : undefined) }, "quad.wasm");
    expect(await inst.call(inst.func(null, "quad")!, [5])).toBe(20);
  });

  it("say how the host must provide them when it does not", async () => {
    const engine = new CmEngine();
    const prepared = await engine.prepare(await parse(FUNC_IMPORT), "func-import");
    expect(() => engine.instantiate(prepared, { resolveImport: (name) => ({ name, impl: {} }) }, "quad.wasm")).toThrow(/'double'.*\{ default: function \}/);
  });
});

describe("run-time linking", () => {
  it("a caller lends a host resource to its callee: both see the host's one resource type", async () => {
    const engine = new CmEngine();
    class R {
      get() {
        return 42;
      }
    }
    const host = { R };
    const callee = engine.instantiate(await engine.prepare(await wat("borrow-callee"), "borrow-callee"), { resolveImport: (name) => (name === "host" ? { name, impl: host } : undefined) }, "callee.wasm");
    const caller = engine.instantiate(
      await engine.prepare(await wat("borrow-caller"), "borrow-caller"),
      {
        resolveImport: (name) => {
          if (name === "host") return { name, impl: host };
          const exports = callee.exportsOf(name);
          return exports ? { name, exports } : undefined;
        },
      },
      "caller.wasm",
      null,
      callee.store,
    );
    expect(await caller.call(caller.func(null, "run")!, [])).toBe(42);
  });
});
