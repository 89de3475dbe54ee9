import { describe, expect, it } from "vitest";
import { FieldError } from "./errors";
import { checkField, FieldList, fromLatin1, isToken, MAX_FIELD_SECTION } from "./fields";

const b = (s: string) => fromLatin1(s);
const tagOf = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof FieldError ? e.payload.tag : String(e);
  }
};

describe("field syntax (RFC 9110 §5)", () => {
  it("names are tokens; values are bytes without controls other than HTAB", () => {
    expect(["a", "x-Foo", "!#$%&'*+-.^_`|~09"].every(isToken)).toBe(true);
    expect(["", "a b", "a:b", "(x)", "voilà", "\x7f"].some(isToken)).toBe(false);
    expect(checkField("x", [b("tab\there, obs-text \xff")])).toBeNull();
    expect(checkField("x", [b("line\nbreak")])).toBe("invalid-syntax");
    expect(checkField("x", [b("del\x7f")])).toBe("invalid-syntax");
    expect(checkField("Transfer-Encoding", [b("chunked")])).toBe("forbidden");
  });
});

describe("FieldList", () => {
  it("keeps order, compares names case-insensitively and stores them lower-case", () => {
    const f = new FieldList();
    f.append("Foo", b("1"));
    f.append("bar", b("2"));
    f.append("FOO", b("3"));
    expect(f.entries.map(([k, v]) => `${k}=${String.fromCharCode(...v)}`)).toEqual(["foo=1", "bar=2", "foo=3"]);
    expect(f.text("foo")).toBe("1, 3");
    expect(f.delete("fOo").map((v) => String.fromCharCode(...v))).toEqual(["1", "3"]);
    expect(f.has("foo")).toBe(false);
    f.set("bar", [b("a"), b("b")]);
    expect(f.get("BAR").length).toBe(2);
  });

  it("refuses what it may not hold: invalid, forbidden, immutable, too big", () => {
    const f = new FieldList();
    expect(tagOf(() => f.append("bad name", b("x")))).toBe("invalid-syntax");
    expect(tagOf(() => f.set("host", [b("x")]))).toBe("forbidden");
    expect(tagOf(() => FieldList.from([["Connection", b("close")]]))).toBe("forbidden");
    expect(tagOf(() => f.copy(false).append("x", b("1")))).toBe("immutable");
    expect(tagOf(() => f.append("big", new Uint8Array(MAX_FIELD_SECTION).fill(0x61)))).toBe("size-exceeded");
    expect(tagOf(() => FieldList.from([["a", new Uint8Array(MAX_FIELD_SECTION).fill(0x61)]]))).toBe("size-exceeded");
  });

  it("copies are independent", () => {
    const f = FieldList.from([["a", b("1")]]);
    const c = f.copy();
    c.append("a", b("2"));
    expect(f.get("a").length).toBe(1);
  });
});
