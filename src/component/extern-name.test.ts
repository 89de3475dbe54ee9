import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { decode } from "./decode";
import { nestedNameError } from "./extern-name";

describe("interface names in the gated nested syntax", () => {
  it.each(["foo:bar:baz/qux", "foo:bar:baz/qux@1.0.0"])("%s has a nested namespace", (name) => {
    expect(nestedNameError(name)).toMatch(/nested namespace/);
  });
  it.each(["foo:bar/baz/qux", "foo:bar/baz/qux@0.1.0"])("%s has a nested projection", (name) => {
    expect(nestedNameError(name)).toMatch(/nested projection/);
  });
  it.each(["wasi:cli/run@0.3.0", "a:b/c", "run", "[method]r.m", "url=<https://example.com/a/b>", "locked-dep=<a:b/c@1.0.0>", "a:b/c@1.0.0+x/y"])("%s is fine", (name) => {
    expect(nestedNameError(name)).toBeNull();
  });
  it("the decoder refuses a component importing one", async () => {
    const bytes = await parse(`(component (import "foo:bar/baz/qux" (func)))`);
    expect(() => decode(bytes)).toThrow(/import name 'foo:bar\/baz\/qux' has a nested projection/);
  });
});
