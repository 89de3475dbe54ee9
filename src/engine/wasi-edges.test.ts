/**
 * WASI's exact semantics at the host's edges, each checked by a tiny component in component WAT
 * run on engine/cm against the real host (issue 16): what the guest sees on its first look, not
 * what the host's JS functions return.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { createHost, suspendingFunctions, type Host, type HostInit } from "../host";
import { CmEngine } from "./cm/engine";

const newHost = (init: Partial<HostInit> = {}): Host =>
  createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
    blocking: { canSuspend: false },
    ...init,
  });

/** Runs `wat`'s export `name` on engine/cm against `host`. */
async function call(wat: string, name: string, args: unknown[], host: Host = newHost()): Promise<unknown> {
  const engine = new CmEngine();
  const prepared = await engine.prepare(await parse(wat), name);
  const inst = engine.instantiate(prepared, { resolve: (n) => host.resolve(n), suspending: suspendingFunctions }, `${name}.wasm`);
  return inst.call(inst.func(null, name)!, args);
}

/** Subtask states an async-lowered call returns in its low 4 bits (CanonicalABI.md "canon lower"). */
const RETURNED = 2;

/** `wait-until(at-now ? now() : 0)`, lowered async: the call's packed status, as the guest sees it. */
const WAIT_UNTIL = `(component
  (import "wasi:clocks/monotonic-clock@0.3.0" (instance $clock
    (export "now" (func (result u64)))
    (export "wait-until" (func async (param "when" u64)))))
  (alias export $clock "now" (func $now))
  (alias export $clock "wait-until" (func $wait_until))
  (core func $now (canon lower (func $now)))
  (core func $wait_until (canon lower (func $wait_until) async))
  (core module $m
    (import "" "now" (func $now (result i64)))
    (import "" "wait-until" (func $wait_until (param i64) (result i32)))
    (func (export "probe") (param $at_now i32) (result i32)
      (call $wait_until (select (call $now) (i64.const 0) (local.get $at_now)))))
  (core instance $i (instantiate $m (with "" (instance
    (export "now" (func $now)) (export "wait-until" (func $wait_until))))))
  (func (export "probe") (param "at-now" bool) (result u32) (canon lift (core func $i "probe")))
)`;

describe("wasi:clocks@0.3.0", () => {
  it("wait-until a deadline that is now or past is ready at once (RETURNED, not STARTED)", async () => {
    expect(await call(WAIT_UNTIL, "probe", [true])).toBe(RETURNED);
    expect(await call(WAIT_UNTIL, "probe", [false])).toBe(RETURNED);
  });
});
