import { describe, expect, it } from "vitest";
import { decodeText, languageFor } from "./text";

describe("text", () => {
  it("decodes UTF-8 text and keeps a BOM", () => {
    expect(decodeText(new TextEncoder().encode("héllo ✓"))).toBe("héllo ✓");
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe("\ufeffa");
    expect(decodeText(new Uint8Array())).toBe("");
  });

  it("treats invalid UTF-8, NUL bytes and large files as binary", () => {
    expect(decodeText(new Uint8Array([0x61, 0xff]))).toBeNull();
    expect(decodeText(new Uint8Array([0x61, 0x00, 0x62]))).toBeNull();
    expect(decodeText(new Uint8Array(11), 10)).toBeNull();
  });

  it("picks an editor language from the extension", () => {
    expect(languageFor("src/main.ts")).toBe("typescript");
    expect(languageFor("README.MD")).toBe("markdown");
    expect(languageFor("Makefile")).toBe("plaintext");
    expect(languageFor(".bashrc")).toBe("plaintext");
  });
});
