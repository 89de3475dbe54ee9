import { describe, expect, it } from "vitest";
import { MissingImportsError, packagesOf, planTranspile } from "./engine";

describe("MissingImportsError", () => {
  it("names the component, the missing imports and the served packages briefly", () => {
    const e = new MissingImportsError("x.wasm", ["wasi:http/types@0.3.0"], ["wasi:cli/stdout@0.3.0", "wasi:cli/stdin@0.3.0", "wasi:io/poll@0.2.12"]);
    expect(e.message).toBe("Component 'x.wasm' imports 'wasi:http/types@0.3.0', which this host does not provide. The host provides: wasi:cli@0.3.0, wasi:io@0.2.12.");
  });
  it("groups interfaces by package and version", () => {
    expect(packagesOf(["a:b/c@1.0.0", "a:b/d@1.0.0", "a:b/c@2.0.0", "x:y/z"])).toEqual(["a:b@1.0.0", "a:b@2.0.0", "x:y"]);
  });
});

describe("planTranspile", () => {
  it("keeps versioned imports apart, names suspending imports by the guest's version, and wraps sync exports", () => {
    const plan = planTranspile(
      {
        imports: [
          { name: "wasi:filesystem/types@0.2.4", providedBy: "wasi:filesystem/types@0.2.12" },
          { name: "wasi:filesystem/types@0.3.0", providedBy: "wasi:filesystem/types@0.3.0" },
          { name: "local:app/plain", providedBy: null },
        ],
        exports: ["wasi:cli/run@0.2.4", "wasi:cli/run@0.3.0", "go"],
        funcs: [
          { iface: null, name: "go", isAsync: false, params: [], result: null },
          { iface: null, name: "later", isAsync: true, params: [], result: null },
        ],
      },
      (name) => (name.includes("@0.2") ? ["[method]descriptor.stat"] : []),
    );
    expect(plan.versioned).toEqual(["wasi:filesystem/types@0.2.4", "wasi:filesystem/types@0.3.0"]);
    expect(plan.asyncImports).toEqual(["wasi:filesystem/types@0.2.4#[method]descriptor.stat"]);
    expect(plan.asyncExports).toEqual(["wasi:cli/run@0.2.4#run", "go"]);
  });
});
