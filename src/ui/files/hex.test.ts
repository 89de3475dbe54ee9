import { describe, expect, it } from "vitest";
import { formatHexLine, hexLine, lineCount } from "./hex";

describe("hex", () => {
  const bytes = new Uint8Array([...new TextEncoder().encode("Hello, WASI!\n"), 0x00, 0xff, 0x7f, 0x41, 0x42]);

  it("formats a full line like hexdump -C", () => {
    expect(formatHexLine(bytes, 0)).toBe("00000000  48 65 6c 6c 6f 2c 20 57  41 53 49 21 0a 00 ff 7f  |Hello, WASI!....|");
  });

  it("pads the last line so the ASCII column lines up", () => {
    const l = hexLine(bytes, 16);
    expect(l.offset).toBe("00000010");
    expect(l.hex).toBe(`41 42${" ".repeat(3 * 6)}  ${" ".repeat(3 * 8 - 1)}`);
    expect(l.hex.length).toBe(hexLine(bytes, 0).hex.length);
    expect(l.ascii).toBe("AB");
  });

  it("counts lines", () => {
    expect(lineCount(0)).toBe(0);
    expect(lineCount(16)).toBe(1);
    expect(lineCount(17)).toBe(2);
  });
});
