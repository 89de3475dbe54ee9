/**
 * Stackful lifts and blocking built-ins. Where JSPI exists (Chromium, Node 24) they suspend the
 * guest's core stack; on Node 20 they must fail with a message that says JSPI is needed.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine, jspiAvailable } from "./engine";

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
