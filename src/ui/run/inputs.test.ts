import { describe, expect, it } from "vitest";
import type { ComponentInfo, FuncInfo } from "../../protocol/runtime";
import { RUN } from "./exports";
import { EMPTY_INPUTS, inspectedInputs } from "./inputs";

const fanout: FuncInfo = { iface: null, name: "fanout", isAsync: true, params: [{ name: "count", type: "u32" }], result: "u64" };
const run: FuncInfo = { iface: "wasi:cli/run@0.3.0", name: "run", isAsync: true, params: [], result: "result" };
const info = (funcs: FuncInfo[], isCommand = false): ComponentInfo => ({ name: "x.wasm", size: 1, sha256: "", wit: "", imports: [], exports: [], funcs, isCommand });

describe("the inputs for a newly inspected component", () => {
  it("keep the export asked for, and its arguments, when the component has it", () => {
    const picked = { ...EMPTY_INPUTS, target: "#fanout", fnArgs: { count: "5" } };
    expect(inspectedInputs(info([fanout, run], true), picked)).toBe(picked);
  });

  it("fall back to the component's default, without typed arguments, when it lacks the export", () => {
    const picked = { ...EMPTY_INPUTS, target: "#gone", args: "a b", fnArgs: { count: "5" } };
    expect(inspectedInputs(info([fanout, run], true), picked)).toEqual({ ...EMPTY_INPUTS, target: RUN, args: "a b" });
    expect(inspectedInputs(info([fanout]), EMPTY_INPUTS)).toEqual({ ...EMPTY_INPUTS, target: "#fanout" });
  });
});
