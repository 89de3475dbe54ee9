/**
 * What componentize-qjs really hands a JS guest and takes back, on components built through the
 * endpoint and run on engine/cm: the facts behind the starter project, the guest types
 * (src/authoring/guest-types.ts) and the mapping table in src/authoring/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STARTERS } from "../../src/authoring/templates";
import { CmEngine } from "../../src/engine/cm/engine";
import { memoryCache } from "../../src/engine/jco/cache";
import { RuntimeService } from "../../src/engine/runtime-service";
import { TraceRecorder } from "../../src/engine/trace";
import { createHost } from "../../src/host";
import type { RunOutcome } from "../../src/protocol/runtime";
import { guestErrorOf } from "../../src/ui/run/guestError";
import { buildBody, serveBuilds } from "./serve-for-tests";

let s: Awaited<ReturnType<typeof serveBuilds>>;
beforeAll(async () => {
  s = await serveBuilds();
});
afterAll(() => s.close());

const dec = new TextDecoder();

/** Calls a world-level function through the run path, as the run panel does. */
async function call(bytes: Uint8Array, func: string, args: string[]): Promise<{ outcome: RunOutcome; stderr: string }> {
  let stderr = "";
  const outcome = await new RuntimeService(memoryCache()).run(
    { componentName: "guest.wasm", bytes, args: [], env: [], stdin: new Uint8Array(), invoke: { kind: "call", iface: null, func, args }, engine: "cm" },
    (events) => events.forEach((e) => e.kind === "output" && e.stream === "stderr" && (stderr += dec.decode(e.data))),
  );
  return { outcome, stderr };
}

describe("the JS starter project", () => {
  it("builds, and its async func waits and returns the duration, shown with its unit", async () => {
    const bytes = await s.component({ files: STARTERS.js.files, entry: "guest.js", world: null });
    const { outcome } = await call(bytes, "wait", ["5"]);
    expect(outcome.kind, JSON.stringify(outcome)).toBe("returned");
    const value = outcome.kind === "returned" ? outcome.value : "";
    const m = /^[\d.]+ ms \((\d+) ns\)$/.exec(value);
    expect(m, value).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(5_000_000);
    expect((await call(bytes, "greet", ["Ada"])).outcome).toMatchObject({ kind: "returned", value: '"Hello, Ada!"' });
  }, 120_000);
});

describe("a JS error thrown by an export", () => {
  it("panics with the error and its guest.js place on stderr, which the console reads", async () => {
    const wit = "package demo:t;\nworld t {\n  export greet: func(name: string) -> string;\n}\n";
    const bytes = await s.component(buildBody('export function greet(name) {\n  if (name) {\n    throw new Error(`no ${name}`);\n  }\n  return "";\n}\n', wit));
    const { outcome, stderr } = await call(bytes, "greet", ["Ada"]);
    expect(outcome.kind).toBe("trap");
    expect(guestErrorOf(stderr)).toEqual({ message: "no Ada", at: { path: "guest.js", line: 3, column: 27 }, export: "greet", hint: null });
  }, 120_000);
});

describe("values between componentize-qjs 0.4 and its JS guest", () => {
  const WIT = `package demo:values;
world values {
  export describe: func(a: u64, b: s64, c: option<u32>, d: option<option<u32>>, e: list<u64>, f: list<u8>, g: list<s8>, h: list<f64>, i: list<u32>) -> string;
  export big: func(which: u32) -> u64;
  export nothing: func(which: u32) -> option<u32>;
}
`;
  const JS = `const d = (v) => v === null ? "null" : v === undefined ? "undefined" : typeof v === "object" ? \`\${v.constructor.name} \${JSON.stringify(v)}\` : \`\${typeof v} \${v}\`;
export function describe(...args) { return args.map(d).join("; "); }
export function big(which) { return [2 ** 53, 5n][which]; }
export function nothing(which) { return [null, undefined][which]; }
`;
  let call: (func: string, args: unknown[]) => Promise<unknown>;
  let stderr = "";
  beforeAll(async () => {
    const engine = new CmEngine();
    const prepared = await engine.prepare(await s.component(buildBody(JS, WIT)), "values");
    call = async (func, args) => {
      const host = createHost({ cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write: () => {} }, stderr: { write: (b) => void (stderr += dec.decode(b)) } }, blocking: { canSuspend: false } });
      const inst = engine.instantiate(prepared, { resolveImport: (n) => host.resolve(n) }, "values.wasm", TraceRecorder.disabled());
      return inst.call(inst.func(null, func)!, args);
    };
  }, 120_000);

  it("hands u64/s64 over as numbers (rounded past 2^53), none as null, lists as arrays but for u8 and s8", async () => {
    const described = await call("describe", [2n ** 60n + 1n, -5n, undefined, { tag: "some", val: undefined }, [1n], Uint8Array.of(1), Int8Array.of(-1), Float64Array.of(0.5), Uint32Array.of(7)]);
    expect(String(described).split("; ")).toEqual([
      "number 1152921504606847000",
      "number -5",
      "null",
      'Object {"tag":"some","val":null}',
      "Array [1]",
      'Uint8Array {"0":1}',
      'Int8Array {"0":-1}',
      "Array [0.5]",
      "Array [7]",
    ]);
  });

  it("takes numbers back for u64 and refuses a BigInt with a panic the console explains; null and undefined are both none", async () => {
    expect(await call("big", [0])).toBe(2n ** 53n);
    stderr = "";
    await expect(call("big", [1])).rejects.toThrow(/unreachable/);
    expect(guestErrorOf(stderr)?.message).toBe("a value handed to the host was a JS BigInt where componentize-qjs expects a number (f64)");
    expect(await call("nothing", [0])).toBeUndefined();
    expect(await call("nothing", [1])).toBeUndefined();
  });
});
