/**
 * What engine/cm's trace says about instances in a composed component: each nested instance is
 * named by its path from the root (names from the component-name section) and knows its parent,
 * and a call from one instance into another links the caller's subtask to the callee's task.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MATH_USER } from "../../component/constructs.fixture";
import { createHost } from "../../host";
import { TraceRecorder } from "../trace";
import { CmEngine } from "./engine";

/** `user` calls `math` (a user of `local:demo/math` wired to a provider), the shape of a composition. */
const COMPOSED = `(component
  (component $provider
    (core module $m (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
    (core instance $i (instantiate $m))
    (func $double (param "x" u32) (result u32) (canon lift (core func $i "double")))
    (instance $math (export "double" (func $double)))
    (export "local:demo/math@0.1.0" (instance $math)))
  (component $user ${MATH_USER.slice("(component".length)}
  (instance $math (instantiate $provider))
  (instance $user (instantiate $user (with "local:demo/math@0.1.0" (instance $math "local:demo/math@0.1.0"))))
  (export "quad" (func $user "quad")))`;

describe("engine/cm trace of a composed component", () => {
  it("names each instance by its path, with its parent, and links a subtask to the task it starts", async () => {
    const engine = new CmEngine();
    const prepared = await engine.prepare(await parse(COMPOSED), "composed");
    const trace = new TraceRecorder({ fidelity: "exact" });
    const inst = engine.instantiate(prepared, { resolveImport: () => undefined }, "app.wasm", trace);
    expect(await inst.call(inst.func(null, "quad")!, [3])).toBe(12);
    const events = trace.takeBatch().events;
    const instances = events.filter((e) => e.kind === "instance").map((e) => ({ id: e.instance, name: e.name, parent: e.id }));
    const root = instances.find((i) => i.name === "app.wasm")!;
    expect(root.parent).toBeUndefined();
    const math = instances.find((i) => i.name === "app.wasm/math")!;
    const user = instances.find((i) => i.name === "app.wasm/user")!;
    expect(math.parent).toBe(root.id);
    expect(user.parent).toBe(root.id);

    // The export call, from the host: its task is in `user` and has no caller subtask.
    const quad = events.find((e) => e.kind === "task.start")!;
    expect(quad.instance).toBe(user.id);
    expect(quad.id).toBeUndefined();
    const calls = events.filter((e) => e.kind === "subtask.start" && e.task === quad.task);
    const doubles = events.filter((e) => e.kind === "task.start" && e.name === "double");
    expect(calls).toHaveLength(2);
    expect(doubles.map((d) => ({ instance: d.instance, caller: d.id }))).toEqual(calls.map((c) => ({ instance: math.id, caller: c.id })));
  });

  it("a waiting task is woken (scheduled) when an event reaches its set, before it resumes", async () => {
    const engine = new CmEngine();
    const bytes = new Uint8Array(readFileSync(new URL("../../../public/components/sleep-fanout.wasm", import.meta.url)));
    const trace = new TraceRecorder({ fidelity: "exact" });
    const host = createHost({ cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write: () => {} }, stderr: { write: () => {} } }, blocking: { canSuspend: false } });
    const inst = engine.instantiate(await engine.prepare(bytes, "sleep-fanout"), host, "sleep-fanout.wasm", trace);
    await inst.call(inst.func(null, "fanout")!, [5, 2]);
    const events = trace.takeBatch().events.filter((e) => e.kind === "wait.begin" || e.kind === "task.wake" || e.kind === "wait.end" || e.kind === "host.end");
    const waits = events.filter((e) => e.kind === "wait.begin");
    expect(waits.length).toBeGreaterThan(0);
    for (const begin of waits) {
      const at = events.indexOf(begin);
      const wake = events.findIndex((e, i) => i > at && e.kind === "task.wake" && e.task === begin.task);
      const end = events.findIndex((e, i) => i > at && e.kind === "wait.end" && e.task === begin.task);
      expect(wake, "woken").toBeGreaterThan(at);
      expect(wake).toBeLessThan(end);
      expect(events[wake]!.id).toBe(begin.id);
      // Woken at once when an event was already there (the later waits: the other wait-fors ended meanwhile).
      if (wake !== at + 1) expect(events.slice(at, wake).some((e) => e.kind === "host.end")).toBe(true);
    }
    // The first wait: nothing had ended yet, so it was woken by the first wait-for ending.
    const first = events.indexOf(waits[0]!);
    expect(events[first + 1]!.kind).toBe("host.end");
    expect(events[first + 2]!.kind).toBe("task.wake");
  });
});
