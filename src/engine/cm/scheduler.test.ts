/**
 * The store's scheduling seen from a guest: a task that yields is resumed only after the host's
 * event loop had a turn, so a guest polling the host in a loop cannot starve the host.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";
import { Store } from "./instance";

describe("yielding tasks", () => {
  it("a callback that returns YIELD until a host timer fires sees the timer fire", async () => {
    const bytes = await parse(readFileSync(new URL("./testdata/yield-poll.wat", import.meta.url), "utf8"));
    const engine = new CmEngine();
    const prepared = await engine.prepare(bytes, "yield-poll");
    let ready = false;
    setTimeout(() => (ready = true), 5);
    let polls = 0;
    // Without a host turn between yields the timer never fires: fail instead of spinning forever.
    const impl = {
      ready: () => {
        if (++polls > 100_000) throw new Error("the host never got a turn between yields");
        return ready;
      },
    };
    const inst = engine.instantiate(prepared, { resolveImport: (name) => (name === "host" ? { name, impl } : undefined) }, "yield-poll.wasm");
    const yields = (await inst.call(inst.func(null, "poll")!, [])) as number;
    expect(ready).toBe(true);
    expect(yields).toBeGreaterThan(0);
  });

  it("a yielding waiter runs after pending host events, others keep running at once", async () => {
    const store = new Store();
    const order: string[] = [];
    const yielder = { yielding: true, ready: () => true, resume: () => order.push("yielder") };
    store.wait(yielder);
    store.wait({ ready: () => true, resume: () => order.push("waiter") });
    await Promise.resolve();
    order.push("microtask");
    setTimeout(() => order.push("timer"), 0);
    await new Promise((r) => setTimeout(r, 20));
    expect(order.slice(0, 2)).toEqual(["waiter", "microtask"]);
    expect(order).toContain("yielder");
    expect(store.waitingCount).toBe(0);
  });
});
