/** Linking: two components joined at run time in one store, sharing a host interface. */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";

const wat = (name: string) => parse(readFileSync(new URL(`./testdata/${name}.wat`, import.meta.url), "utf8"));

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
