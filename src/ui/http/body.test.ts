import { describe, expect, it } from "vitest";
import { StreamedBody } from "./body";

const enc = new TextEncoder();

describe("StreamedBody", () => {
  it("decodes UTF-8 across chunk boundaries as it streams", () => {
    const b = new StreamedBody();
    const bytes = enc.encode("tick ü 1\n");
    b.append(bytes.subarray(0, 6)); // ends inside "ü"
    expect(b.text).toBe("tick ");
    b.append(bytes.subarray(6));
    b.end();
    expect([b.text, b.bytes, b.hidden]).toEqual(["tick ü 1\n", bytes.length, 0]);
  });

  it("keeps only the first `limit` bytes and counts the rest", () => {
    const b = new StreamedBody(4);
    b.append(enc.encode("abc"));
    b.append(enc.encode("defg"));
    b.end();
    expect([b.text, b.bytes, b.hidden]).toEqual(["abcd", 7, 3]);
  });
});
