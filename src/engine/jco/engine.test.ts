import { describe, expect, it } from "vitest";
import { MissingImportsError, packagesOf } from "./engine";

describe("MissingImportsError", () => {
  it("names the component, the missing imports and the served packages briefly", () => {
    const e = new MissingImportsError("x.wasm", ["wasi:http/types@0.3.0"], ["wasi:cli/stdout@0.3.0", "wasi:cli/stdin@0.3.0", "wasi:io/poll@0.2.12"]);
    expect(e.message).toBe("Component 'x.wasm' imports 'wasi:http/types@0.3.0', which this host does not provide. The host provides: wasi:cli@0.3.0, wasi:io@0.2.12.");
  });
  it("groups interfaces by package and version", () => {
    expect(packagesOf(["a:b/c@1.0.0", "a:b/d@1.0.0", "a:b/c@2.0.0", "x:y/z"])).toEqual(["a:b@1.0.0", "a:b@2.0.0", "x:y"]);
  });
});
