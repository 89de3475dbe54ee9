import { describe, expect, it } from "vitest";
import { ArgumentError, parseArg } from "./values";

describe("parseArg", () => {
  it("parses integers within their range", () => {
    expect(parseArg("n", "u32", "42")).toBe(42);
    expect(parseArg("n", "u64", "18446744073709551615")).toBe(18446744073709551615n);
    expect(() => parseArg("n", "u8", "256")).toThrow(/out of range 0..255/);
    expect(() => parseArg("n", "s32", "1.5")).toThrow(ArgumentError);
  });
  it("passes strings as typed and bytes as UTF-8", () => {
    expect(parseArg("s", "string", " hi ")).toBe(" hi ");
    expect(parseArg("b", "list<u8>", "AB")).toEqual(Uint8Array.of(65, 66));
  });
  it("makes a byte stream for stream<u8>", async () => {
    const s = parseArg("s", "stream<u8>", "ok") as ReadableStream<Uint8Array>;
    const { value } = await s.getReader().read();
    expect(value).toEqual(Uint8Array.of(111, 107));
  });
  it("reads other types as JSON and names the argument on error", () => {
    expect(parseArg("l", "list<u32>", "[1,2]")).toEqual([1, 2]);
    expect(() => parseArg("l", "list<u32>", "[1,")).toThrow("argument 'l' (list<u32>): '[1,' is not valid JSON");
  });
});
