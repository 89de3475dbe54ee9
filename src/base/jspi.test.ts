/** JSPI through one typed door: present in Chromium and Node 24, absent in Node 20. */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { AssertionError } from "./assert";
import { jspiAvailable, promising, suspending } from "./jspi";

/** `twice` calls the imported `next` twice and adds up what it returned. */
const TWICE_WAT = `(module
  (import "host" "next" (func $next (result i32)))
  (func (export "twice") (result i32) (i32.add (call $next) (call $next))))`;

describe("JSPI", () => {
  it("is available exactly when WebAssembly has both Suspending and promising", () => {
    const wa: object = WebAssembly;
    expect(jspiAvailable()).toBe("Suspending" in wa && "promising" in wa);
  });

  it.runIf(jspiAvailable())("an export entered through promising suspends on a Suspending import", async () => {
    const module = await WebAssembly.compile((await parse(TWICE_WAT)) as Uint8Array<ArrayBuffer>);
    let n = 0;
    const next = () => new Promise<number>((resolve) => setTimeout(() => resolve(++n * 10), 1));
    const instance = await WebAssembly.instantiate(module, { host: { next: suspending(next) as WebAssembly.ImportValue } });
    const twice = promising(instance.exports.twice as () => number);
    expect(await twice()).toBe(30);
  });

  it.runIf(!jspiAvailable())("without it, using it is a playground bug: callers check first", () => {
    expect(() => suspending(() => 1)).toThrow(AssertionError);
    expect(() => promising(() => 1)).toThrow(AssertionError);
  });
});
