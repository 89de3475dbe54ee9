/**
 * Stackful lifts and blocking built-ins. Where JSPI exists (Chromium, Node 24) they suspend the
 * guest's core stack; on Node 20 they must fail with a message that says JSPI is needed.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { jspiAvailable } from "../../base/jspi";
import { CmEngine } from "./engine";

async function setup() {
  const bytes = await parse(readFileSync(new URL("./testdata/stackful.wat", import.meta.url), "utf8"));
  const engine = new CmEngine();
  const prepared = await engine.prepare(bytes, "stackful");
  let waits = 0;
  const impl = { wait: () => new Promise<void>((r) => setTimeout(() => (waits++, r()), 5)) };
  const inst = engine.instantiate(prepared, { resolveImport: (name) => (name === "host" ? { name, impl } : undefined) }, "stackful.wasm");
  return { inst, waits: () => waits };
}

describe("stackful lifts and blocking built-ins", () => {
  it.runIf(jspiAvailable())("suspend through JSPI: two tasks block concurrently in sync calls and yield", async () => {
    const { inst, waits } = await setup();
    const f = inst.func(null, "blocking-calls")!;
    expect(await Promise.all([inst.call(f, []), inst.call(f, [])])).toEqual([42, 42]);
    expect(waits()).toBe(4);
  });

  it.runIf(jspiAvailable())("waitable-set.wait blocks until the subtask returns (SUBTASK event, RETURNED)", async () => {
    const { inst } = await setup();
    expect(await inst.call(inst.func(null, "wait-on-set")!, [])).toBe(102);
  });

  it.runIf(!jspiAvailable())("without JSPI say so clearly", async () => {
    const { inst } = await setup();
    await expect(inst.call(inst.func(null, "blocking-calls")!, [])).rejects.toThrow(/stackful.*JSPI/);
  });
});

describe("host functions that suspend the guest (the 0.2 calls that wait)", () => {
  async function suspendingHost(impl: { slowAdd: (x: number) => Promise<number> }) {
    const bytes = await parse(readFileSync(new URL("./testdata/suspending-host.wat", import.meta.url), "utf8"));
    const engine = new CmEngine();
    const host = { resolveImport: (name: string) => (name === "host" ? { name, impl } : undefined), suspending: () => ["slow-add"] };
    const inst = engine.instantiate(await engine.prepare(bytes, "suspending-host"), host, "suspending-host.wasm");
    return (x: number) => inst.call(inst.func(null, "twice")!, [x]);
  }
  const later = <T>(f: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => { try { resolve(f()); } catch (e) { reject(e); } }, 3));

  it.runIf(jspiAvailable())("a synchronous export waits for the host's Promise, twice, and gets each value", async () => {
    const twice = await suspendingHost({ slowAdd: (x) => later(() => x + 1) });
    expect(await twice(4)).toBe(10);
  });

  it.runIf(jspiAvailable())("a rejection that is not an Error is the result's err payload (jco's convention)", async () => {
    const twice = await suspendingHost({ slowAdd: () => later(() => { throw 7; }) });
    expect(await twice(4)).toBe(7000);
  });
});
