import { describe, expect, it } from "vitest";
import { fromBase64url, toBase64url } from "./base64url";

describe("base64url", () => {
  it("agrees with Node's encoder for every length around a block, and round-trips", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const text = toBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64url"));
      expect(fromBase64url(text)).toEqual(bytes);
    }
  });

  it("refuses characters outside the alphabet, impossible lengths and stray bits", () => {
    expect(fromBase64url("ab+c")).toBeNull();
    expect(fromBase64url("ab=c")).toBeNull();
    expect(fromBase64url("abcde")).toBeNull();
    // "AB" carries 12 bits for one byte: the last 4 must be zero ("AA" is the canonical form of 0x00).
    expect(fromBase64url("AA")).toEqual(new Uint8Array([0]));
    expect(fromBase64url("AB")).toBeNull();
    expect(fromBase64url("é")).toBeNull();
  });
});
