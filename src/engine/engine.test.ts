/**
 * The `Engine` shape, stage by stage, on engine/cm in Node 20 (no JSPI), and what engine/jco says
 * where it cannot run. The run path's own tests are in runtime-service.test.ts.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { jspiAvailable } from "../base/jspi";
import { createHost, servedInterfaceFor, type Host } from "../host";
import { CmRunEngine } from "./cm/engine";
import { isRefusal, type Engine, type EngineInstance, type InstantiateContext, type PrepareContext } from "./engine";
import { inspectComponent } from "./inspect";
import { memoryCache, sha256Hex } from "./jco/cache";
import { JcoRunEngine } from "./jco/engine";

/** `half(x)` is `ok(x / 2)` for even x, else `err(x)`. */
const HALF_WAT = `(component
  (core module $m
    (memory (export "mem") 1)
    (func (export "half") (param i32) (result i32)
      (i32.store (i32.const 8) (i32.and (local.get 0) (i32.const 1)))
      (i32.store (i32.const 12) (select (local.get 0) (i32.shr_u (local.get 0) (i32.const 1)) (i32.and (local.get 0) (i32.const 1))))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (func (export "half") (param "x" u32) (result (result u32 (error u32)))
    (canon lift (core func $i "half") (memory $mem)))
)`;

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/components/${name}.wasm`, import.meta.url)));

function newHost(): Host {
  return createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
    blocking: { canSuspend: false },
  });
}

async function contexts(componentName: string, bytes: Uint8Array, host: Host = newHost()) {
  const sha256 = await sha256Hex(bytes);
  const info = await inspectComponent(componentName, bytes, sha256, servedInterfaceFor);
  const phases: string[] = [];
  const prepare: PrepareContext = { componentName, sha256, info, onPhase: (p, detail) => void phases.push(`${p}: ${detail}`) };
  const resumes = { count: 0 };
  const instantiate: InstantiateContext = { componentName, info, host, trace: null, beforeResume: () => void resumes.count++ };
  return { prepare, instantiate, phases, resumes };
}

/** Prepared and instantiated, or the refusal thrown (these tests expect none). */
async function instance(engine: Engine, bytes: Uint8Array, ctx: Awaited<ReturnType<typeof contexts>>): Promise<EngineInstance> {
  const prepared = await engine.prepare(bytes, ctx.prepare);
  if (isRefusal(prepared)) throw new Error(prepared.message);
  const inst = await prepared.instantiate(ctx.instantiate);
  if (isRefusal(inst)) throw new Error(inst.message);
  return inst;
}

describe("engine/cm as an Engine", () => {
  const engine: Engine = new CmRunEngine();

  it("names itself, its trace fidelity, and runs here", () => {
    expect(engine.name).toBe("cm");
    expect(engine.fidelity).toBe("exact");
    expect(engine.unavailable()).toBeNull();
    expect(engine.canSuspend()).toBe(jspiAvailable());
  });

  it("prepares once per content: the second time it is warm", async () => {
    const bytes = await parse(HALF_WAT);
    const ctx = await contexts("half.wasm", bytes);
    const fresh = new CmRunEngine();
    const cold = await fresh.prepare(bytes, ctx.prepare);
    expect(ctx.phases).toEqual(["compiling: engine/cm: decoding and compiling core modules"]);
    expect(isRefusal(cold) ? null : cold.cached).toBe(false);
    const warm = await fresh.prepare(bytes, ctx.prepare);
    expect(isRefusal(warm) ? null : warm.cached).toBe(true);
  });

  it("a call settles as the value, or as a `result` error's payload", async () => {
    const bytes = await parse(HALF_WAT);
    const half = (await instance(engine, bytes, await contexts("half.wasm", bytes))).func({ iface: null, func: "half", label: "half" });
    if (isRefusal(half)) throw new Error(half.message);
    expect(await half([10])).toEqual({ kind: "value", value: 5 });
    expect(await half([7])).toEqual({ kind: "err", payload: 7 });
  });

  it("an export it does not have is a refusal that names it", async () => {
    const bytes = await parse(HALF_WAT);
    const inst = await instance(engine, bytes, await contexts("half.wasm", bytes));
    expect(inst.func({ iface: null, func: "double", label: "double" })).toEqual({ kind: "error", message: "Component 'half.wasm' exports no function 'double'." });
  });

  it("a component it cannot decode is a refusal, not a throw", async () => {
    // A component preamble, then a section id the binary format does not define.
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x7f, 0x00]);
    const ctx = { componentName: "bad.wasm", sha256: await sha256Hex(bytes), onPhase() {} };
    const prepared = await new CmRunEngine().prepare(bytes, ctx);
    expect(prepared).toMatchObject({ kind: "error", message: expect.stringMatching(/^engine\/cm could not decode 'bad\.wasm': /) });
  });

  it("an import the host does not serve is a refusal from instantiate", async () => {
    const bytes = example("hello");
    const ctx = await contexts("hello.wasm", bytes, { ...newHost(), resolve: () => undefined });
    const prepared = await engine.prepare(bytes, ctx.prepare);
    if (isRefusal(prepared)) throw new Error(prepared.message);
    expect(await prepared.instantiate(ctx.instantiate)).toMatchObject({ kind: "error", message: expect.stringMatching(/^Component 'hello\.wasm' imports 'wasi:.*', which this host does not provide\.$/) });
  });

  it("calls beforeResume before it resumes a guest that waited", async () => {
    const bytes = example("sleep-fanout");
    const ctx = await contexts("sleep-fanout.wasm", bytes);
    const chain = (await instance(engine, bytes, ctx)).func({ iface: null, func: "chain", label: "chain" });
    if (isRefusal(chain)) throw new Error(chain.message);
    expect(ctx.resumes.count).toBe(0);
    const r = await chain([3, 1]);
    expect(r.kind).toBe("value");
    expect(ctx.resumes.count).toBeGreaterThanOrEqual(3);
  });
});

describe("engine/jco as an Engine", () => {
  const engine: Engine = new JcoRunEngine(memoryCache());

  it("names itself and its host-boundary trace, and suspends where the host waits", () => {
    expect(engine.name).toBe("jco");
    expect(engine.fidelity).toBe("host-boundary");
    expect(engine.canSuspend()).toBe(true);
  });

  it.runIf(!jspiAvailable())("refuses to run without JSPI and says what to use", () => {
    expect(engine.unavailable()).toEqual({
      kind: "error",
      message: "engine/jco suspends every component on jco's async runtime and needs JavaScript Promise Integration (JSPI), which this browser lacks; it runs in Chromium and Firefox.",
      hint: "engine/cm (the default) runs components that do not block synchronously in every browser.",
    });
  });
});
