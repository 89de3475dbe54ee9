import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { inspectComponent, worldImports } from "./inspect";

describe("worldImports", () => {
  it("lists interface and function imports of the world", () => {
    const wit = `package root:component;

world root {
  import wasi:cli/stdout@0.3.0;
  import wasi:io/poll@0.2.4;
  import log: func(msg: string);
  export wasi:cli/run@0.3.0;
}
`;
    expect(worldImports(wit)).toEqual(["wasi:cli/stdout@0.3.0", "wasi:io/poll@0.2.4", "log"]);
  });
});

describe("inspectComponent", () => {
  it("lists the functions of an exported interface whose body the printed WIT leaves out", async () => {
    const bytes = await parse(`(component
      (core module $m (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
      (core instance $i (instantiate $m))
      (func $double (param "x" u32) (result u32) (canon lift (core func $i "double")))
      (instance $math (export "double" (func $double)))
      (export "local:demo/math@0.1.0" (instance $math)))`);
    const info = await inspectComponent("math.wasm", bytes, "", () => null);
    expect(info.wit).not.toContain("double");
    expect(info.funcs).toEqual([{ iface: "local:demo/math@0.1.0", name: "double", isAsync: false, params: [{ name: "x", type: "u32" }], result: "u32" }]);
  });
});
