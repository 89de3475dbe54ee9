import { describe, expect, it } from "vitest";
import { classifyBinary, notAComponentMessage } from "./binary";

const header = (layer: number) => Uint8Array.of(0, 0x61, 0x73, 0x6d, layer === 0 ? 1 : 0x0d, 0, layer, 0);

describe("classifyBinary", () => {
  it("tells components, core modules and other files apart", () => {
    expect(classifyBinary(header(1))).toBe("component");
    expect(classifyBinary(header(0))).toBe("core-module");
    expect(classifyBinary(new TextEncoder().encode("hello world"))).toBe("not-wasm");
    expect(classifyBinary(header(7))).toBe("unknown-wasm-layer");
  });
  it("explains a core module", () => {
    expect(notAComponentMessage("m.wasm", header(0))?.message).toMatch(/core WebAssembly module, not a component/);
    expect(notAComponentMessage("c.wasm", header(1))).toBeNull();
  });
});
