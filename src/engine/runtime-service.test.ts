/**
 * The one run path, in Node 20 (no JSPI): real components on engine/cm through `RuntimeService.run`,
 * the same code the runtime worker runs, from manifest to outcome, events and timings.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { jspiAvailable } from "../base/jspi";
import { chunkToBatch } from "../protocol/trace-chunk";
import type { RunEvent, RunManifest, RunOutcome } from "../protocol/runtime";
import { OUTPUT_WINDOW } from "./event-batcher";
import { memoryCache } from "./jco/cache";
import { RuntimeService } from "./runtime-service";

const dec = new TextDecoder();
const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/components/${name}.wasm`, import.meta.url)));

/**
 * `check(x)` is `err(x)` for odd x, else `ok(x)`; `boom` traps; `wasi:cli/run#run` returns `err`.
 * Sync lifts, so engine/cm needs no JSPI for them.
 */
const RESULTS_WAT = `(component
  (core module $m
    (memory (export "mem") 1)
    (func (export "check") (param i32) (result i32)
      (i32.store (i32.const 8) (i32.and (local.get 0) (i32.const 1)))
      (i32.store (i32.const 12) (local.get 0))
      (i32.const 8))
    (func (export "run") (result i32) (i32.const 1))
    (func (export "boom") (unreachable)))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (func (export "check") (param "x" u32) (result (result u32 (error u32)))
    (canon lift (core func $i "check") (memory $mem)))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-inst (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $run-inst))
)`;

function manifest(componentName: string, bytes: Uint8Array, m: Partial<RunManifest> = {}): RunManifest {
  return { componentName, bytes, args: [componentName], env: [], stdin: new Uint8Array(), invoke: { kind: "run" }, engine: "cm", ...m };
}

async function run(service: RuntimeService, m: RunManifest): Promise<{ outcome: RunOutcome; events: RunEvent[]; stdout: string; stderr: string }> {
  const events: RunEvent[] = [];
  const outcome = await service.run(m, (batch) => void events.push(...batch));
  const text = (stream: "stdout" | "stderr") => events.flatMap((e) => (e.kind === "output" && e.stream === stream ? [dec.decode(e.data)] : [])).join("");
  return { outcome, events, stdout: text("stdout"), stderr: text("stderr") };
}

const phases = (events: RunEvent[]) => events.flatMap((e) => (e.kind === "phase" ? [`${e.phase}${e.detail ? `: ${e.detail}` : ""}`] : []));

describe("the run path on engine/cm", () => {
  it("runs a command: its output, the exit code it asked for, the phases and the timings", async () => {
    const service = new RuntimeService(memoryCache());
    const r = await run(service, manifest("hello.wasm", example("hello"), { args: ["hello", "Ada"], env: [["EXIT_CODE", "3"]] }));
    expect(r.outcome).toMatchObject({ kind: "exit", code: 3, timings: { engine: "cm", prepareCached: false } });
    expect(r.stdout).toContain("Hello, Ada!");
    expect(r.stderr).toContain("hello: 1 args, 1 env vars");
    expect(phases(r.events)).toEqual(["decoding", "compiling: engine/cm: decoding and compiling core modules", "instantiating", "running: wasi:cli/run@0.3.0#run"]);
    const t = r.outcome.kind === "exit" ? r.outcome.timings : null;
    expect(t!.totalMs).toBeGreaterThanOrEqual(t!.prepareMs + t!.instantiateMs + t!.runMs);

    const again = await run(service, manifest("hello.wasm", example("hello")));
    expect(again.outcome).toMatchObject({ kind: "exit", code: 0, timings: { engine: "cm", prepareCached: true } });
    expect(again.stdout).toContain("Hello, world!");
  });

  it("renders a function's value", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("sleep-fanout.wasm", example("sleep-fanout"), { invoke: { kind: "call", iface: null, func: "fanout", args: ["3", "1"] } }));
    expect(r.outcome.kind).toBe("returned");
    const ns = r.outcome.kind === "returned" ? r.outcome.value : "";
    expect(ns).toMatch(/^\d+$/);
    expect(BigInt(ns)).toBeGreaterThanOrEqual(1_000_000n);
    expect(phases(r.events).at(-1)).toBe("running: fanout");
  });

  it("drains a returned stream<u8> to the console and says how long it was", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("stream-upper.wasm", example("stream-upper"), { invoke: { kind: "call", iface: null, func: "upper", args: ["abc déf"] } }));
    expect(r.outcome).toMatchObject({ kind: "returned", value: "stream<u8> of 8 bytes (shown in the console)" });
    expect(r.stdout).toBe("ABC DéF");
  });

  it("a `result` is its ok value or err(payload); a command's err is exit code 1", async () => {
    const service = new RuntimeService(memoryCache());
    const bytes = await parse(RESULTS_WAT);
    const check = (x: string) => manifest("results.wasm", bytes, { invoke: { kind: "call", iface: null, func: "check", args: [x] } });
    expect((await run(service, check("4"))).outcome).toMatchObject({ kind: "returned", value: "4" });
    expect((await run(service, check("7"))).outcome).toMatchObject({ kind: "returned", value: "err(7)" });
    expect((await run(service, manifest("results.wasm", bytes))).outcome).toMatchObject({ kind: "exit", code: 1 });
  });

  it("a trap is the guest's fault: it names the component and the export, with timings", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("results.wasm", await parse(RESULTS_WAT), { invoke: { kind: "call", iface: null, func: "boom", args: [] } }));
    expect(r.outcome).toMatchObject({ kind: "trap", timings: { engine: "cm" } });
    expect(r.outcome.kind === "trap" && r.outcome.message).toMatch(/^Component 'results\.wasm' trapped in boom: .*unreachable/);
  });

  it("refuses bad arguments before preparing anything", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("results.wasm", await parse(RESULTS_WAT), { invoke: { kind: "call", iface: null, func: "check", args: ["1", "2"] } }));
    expect(r.outcome).toEqual({ kind: "error", message: "'check' takes 1 argument(s), 2 given." });
    expect(phases(r.events)).toEqual(["decoding"]);
  });

  it("starts `calls` calls at once on one instance: their tasks overlap, each result printed in call order", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("sleep-fanout.wasm", example("sleep-fanout"), { invoke: { kind: "call", iface: null, func: "fanout", args: ["2", "20"] }, calls: 4, trace: true }));
    expect(r.outcome).toMatchObject({ kind: "returned", value: "4 concurrent calls: 4 ok, 0 err" });
    expect(r.stdout.split("\n").slice(0, -1).map((l) => l.replace(/\d+$/, "N"))).toEqual([1, 2, 3, 4].map((i) => `call ${i} of 4: N`));
    const events = r.events.flatMap((e) => (e.kind === "trace" ? chunkToBatch(e.chunk).events : [])).filter((e) => e.name === "fanout");
    const starts = events.flatMap((e, i) => (e.kind === "task.start" ? [i] : []));
    const returns = events.flatMap((e, i) => (e.kind === "task.return" ? [i] : []));
    expect(starts).toHaveLength(4);
    expect(returns).toHaveLength(4);
    expect(Math.max(...starts)).toBeLessThan(Math.min(...returns));
  });

  it("counts the `err` results of concurrent calls, and refuses a count out of range", async () => {
    const service = new RuntimeService(memoryCache());
    const bytes = await parse(RESULTS_WAT);
    const r = await run(service, manifest("results.wasm", bytes, { invoke: { kind: "call", iface: null, func: "check", args: ["7"] }, calls: 2 }));
    expect(r.outcome).toMatchObject({ kind: "returned", value: "2 concurrent calls: 0 ok, 2 err" });
    expect(r.stdout).toBe("call 1 of 2: err(7)\ncall 2 of 2: err(7)\n");
    const bad = await run(service, manifest("results.wasm", bytes, { invoke: { kind: "call", iface: null, func: "check", args: ["7"] }, calls: 0 }));
    expect(bad.outcome).toEqual({ kind: "error", message: "Concurrent calls must be a whole number from 1 to 1000, not 0." });
    const trap = await run(service, manifest("results.wasm", bytes, { invoke: { kind: "call", iface: null, func: "boom", args: [] }, calls: 3 }));
    expect(trap.outcome).toMatchObject({ kind: "trap" });
  });

  it("records an exact trace when asked: the run task starts and returns", async () => {
    const r = await run(new RuntimeService(memoryCache()), manifest("hello.wasm", example("hello"), { trace: true }));
    expect(r.outcome).toMatchObject({ kind: "exit", code: 0 });
    const batches = r.events.flatMap((e) => (e.kind === "trace" ? [chunkToBatch(e.chunk)] : []));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.fidelity === "exact")).toBe(true);
    const kinds = batches.flatMap((b) => b.events.filter((e) => e.name === "run").map((e) => e.kind));
    expect(kinds).toContain("task.start");
    expect(kinds).toContain("task.return");
  });
});

describe("output to a page slower than the guest", () => {
  it("a guest printing 32 MiB as fast as it can waits for the page: at most the output window is on its way", async () => {
    const total = 32 * 1024 * 1024;
    const wat = readFileSync(new URL("../../e2e/fixtures/stdout-flood.wat", import.meta.url), "utf8").replace("FLOOD_BYTES", String(total));
    const bytes = await parse(wat);
    const service = new RuntimeService(memoryCache());
    let sent = 0;
    let taken = 0;
    let mostOnTheWay = 0;
    // The page takes each batch 2 ms after it was sent, as a busy main thread would.
    const outcome = await service.run(manifest("stdout-flood.wasm", bytes), (batch) => {
      const n = batch.reduce((sum, e) => sum + (e.kind === "output" ? e.data.length : 0), 0);
      sent += n;
      mostOnTheWay = Math.max(mostOnTheWay, sent - taken);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          taken += n;
          resolve();
        }, 2),
      );
    });
    expect(outcome).toMatchObject({ kind: "exit", code: 0 });
    expect(taken).toBe(total);
    // The window, plus the one write (a 64 KiB chunk) that found it full.
    expect(mostOnTheWay).toBeLessThanOrEqual(OUTPUT_WINDOW + 64 * 1024);
  });
});

describe.runIf(!jspiAvailable())("without JSPI", () => {
  it("engine/jco is refused with what to use instead, and features say so", async () => {
    const service = new RuntimeService(memoryCache());
    const r = await run(service, manifest("hello.wasm", example("hello"), { engine: "jco" }));
    expect(r.outcome).toEqual({
      kind: "error",
      message: "engine/jco suspends every component on jco's async runtime and needs JavaScript Promise Integration (JSPI), which this browser lacks; it runs in Chromium and Firefox.",
      hint: "engine/cm (the default) runs components that do not block synchronously in every browser.",
    });
    expect(r.events).toEqual([]);
    expect(await service.features()).toEqual({ jspi: false });
  });
});
