import { describe, expect, it } from "vitest";
import type { ComponentInfo, FuncInfo } from "../../protocol/runtime";
import { callableFuncs, defaultTarget, internalExport, RUN } from "./exports";

/** componentize-qjs's own export, as `worldExports` reads it from every JS guest it builds. */
const INIT: FuncInfo = {
  iface: null,
  name: "init",
  isAsync: false,
  params: [
    { name: "shim", type: "string" },
    { name: "script", type: "string" },
    { name: "entry-path", type: "option<string>" },
    { name: "disable-gc", type: "bool" },
  ],
  result: "result<_, string>",
};
const fanout: FuncInfo = { iface: null, name: "fanout", isAsync: true, params: [{ name: "count", type: "u32" }], result: "u64" };
const run: FuncInfo = { iface: "wasi:cli/run@0.3.0", name: "run", isAsync: true, params: [], result: "result" };
const info = (funcs: FuncInfo[], isCommand = false): ComponentInfo => ({ name: "x.wasm", size: 1, sha256: "", wit: "", imports: [], exports: [], funcs, isCommand });

describe("the export picker", () => {
  it("recognises componentize-qjs's init by its signature, and only that", () => {
    expect(internalExport(INIT)).toBe("componentize-qjs");
    expect(internalExport({ ...INIT, params: [] })).toBeNull();
    expect(internalExport({ ...INIT, iface: "my:pkg/setup" })).toBeNull();
    expect(internalExport(fanout)).toBeNull();
  });

  it("hides internal exports unless asked, and always leaves wasi:cli/run to its own entry", () => {
    const i = info([INIT, fanout, run], true);
    expect(callableFuncs(i, false)).toEqual([fanout]);
    expect(callableFuncs(i, true)).toEqual([INIT, fanout]);
  });

  it("defaults to wasi:cli/run for a command, else the first own function, never init", () => {
    expect(defaultTarget(info([INIT, fanout, run], true))).toBe(RUN);
    expect(defaultTarget(info([INIT, fanout]))).toBe("#fanout");
    expect(defaultTarget(info([INIT]))).toBe(RUN);
  });
});
