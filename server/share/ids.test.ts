import { describe, expect, it } from "vitest";
import { canonicalJson, linkId, sha256Hex } from "./ids";

describe("canonicalJson", () => {
  it("writes one text for one value: keys sorted at every level, no whitespace", () => {
    const a = JSON.parse('{ "z": [ { "b": 1, "a": null } ], "a": "é", "10": true, "9": 1.5e3 }') as unknown;
    const b = JSON.parse('{"9":1500,"10":true,"a":"\\u00e9","z":[{"a":null,"b":1}]}') as unknown;
    expect(canonicalJson(a, 8)).toBe('{"10":true,"9":1500,"a":"é","z":[{"a":null,"b":1}]}');
    expect(canonicalJson(b, 8)).toBe(canonicalJson(a, 8));
  });

  it("keeps array order and escapes keys", () => {
    expect(canonicalJson({ 'q"': [3, 1, 2] }, 8)).toBe('{"q\\"":[3,1,2]}');
  });

  it("refuses nesting past the limit, naming it", () => {
    expect(canonicalJson([[1]], 2)).toBe("[[1]]");
    expect(() => canonicalJson([[[1]]], 2)).toThrow(new RangeError("objects and arrays are nested deeper than 2 levels"));
  });
});

describe("linkId", () => {
  it("is 16 base64url characters from the record's sha256", () => {
    const record = '{"blobs":[],"state":{"v":1}}';
    const id = linkId(record);
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(Buffer.from(id, "base64url").toString("hex")).toBe(sha256Hex(record).slice(0, 24));
    expect(linkId('{"blobs":[],"state":{"v":2}}')).not.toBe(id);
  });
});
