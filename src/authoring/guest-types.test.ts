import { describe, expect, it } from "vitest";
import { componentizeQjsGuestTypes } from "./guest-types";
import { WitService } from "./wit-service";

describe("componentizeQjsGuestTypes", () => {
  it("numbers for u64/s64 and numeric lists, null for none; Uint8Array and Int8Array stay", () => {
    const [f] = componentizeQjsGuestTypes([
      { name: "x.d.ts", text: "export function f(a: bigint, b: BigUint64Array, c: Uint32Array, d: Float64Array, e: Uint8Array, g: Int8Array): Entry | undefined;\nexport type O = Option<number | undefined>;" },
    ]);
    expect(f!.text.split("\n").slice(1)).toEqual([
      "export function f(a: number, b: Array<number>, c: Array<number>, d: Array<number>, e: Uint8Array, g: Int8Array): Entry | null;",
      "export type O = Option<number | null>;",
    ]);
    expect(f!.text.split("\n")[0]).toMatch(/^\/\/ jco's guest types, adjusted to componentize-qjs/);
  });

  it("the types the WIT worker shows for the JS starter say number where jco says bigint", async () => {
    const r = await new WitService().types([{ path: "wit/world.wit", text: "package a:b;\nworld w {\n  import wasi:clocks/monotonic-clock@0.3.0;\n  export f: func(n: u64, o: option<s64>) -> list<u64>;\n}\n" }], null);
    if (!r.ok) throw new Error(r.message);
    const guest = r.guest.map((g) => g.text).join("\n");
    expect(guest).toContain("export function f(n: number, o: number | null): Array<number>;");
    expect(guest).toContain("export type Mark = number;");
    expect(guest).not.toContain("bigint");
    // The host side stays jco's: the engines hand the host bigints.
    expect(r.host.map((g) => g.text).join("\n")).toContain("bigint");
  });
});
