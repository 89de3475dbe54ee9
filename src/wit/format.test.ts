import { describe, expect, it } from "vitest";
import type { FuncInfo } from "../protocol/runtime";
import { formatNanoseconds, parseType, ValueFormatter } from "./format";
import { worldExports } from "./signatures";

/** Printed the way wasm-tools prints a component's WIT: the root world, and packages defined in it. */
const WIT = `package root:component;

world root {
  use wasi:clocks/types@0.3.0.{duration};
  use wasi:clocks/monotonic-clock@0.3.0.{mark};
  use wasi:clocks/system-clock@0.3.0.{instant};
  use wasi:clocks/wall-clock@0.2.12.{datetime};
  use wasi:filesystem/types@0.3.0.{error-code};

  export took: func() -> duration;
  export when: func() -> mark;
  export wall: func() -> instant;
  export wall2: func() -> datetime;
  export both: func() -> tuple<duration, option<duration>>;
  export fs-error: func() -> result<string, error-code>;
  export nothing: func() -> result;
  export local:demo/store;
}
package local:demo {
  interface store {
    use wasi:clocks/types@0.3.0.{duration};
    record entry { key-name: string, size: u64, age: duration }
    variant shape { circle(f64), square(u32), empty }
    enum mode { read, write-back }
    flags perms { read, write-it, exec }
    type alias = list<entry>;
    resource bucket;

    get: func() -> option<entry>;
    shapes: func() -> list<shape>;
    mode: func() -> mode;
    perms: func() -> perms;
    all: func() -> alias;
    nested: func() -> option<option<u32>>;
    inner: func() -> list<result<u32, string>>;
    bytes: func() -> list<u8>;
    chars: func() -> tuple<char, string, f64, s64, bool>;
    open: func() -> bucket;
    numbers: func() -> list<u32>;
    lookup: func() -> result<entry, mode>;
  }
}
`;

const { funcs } = worldExports(WIT);
const fmt = new ValueFormatter(WIT);
const fn = (name: string): FuncInfo => {
  const f = funcs.find((x) => x.name === name);
  if (!f) throw new Error(`no func ${name} in ${funcs.map((x) => x.name).join(", ")}`);
  return f;
};

describe("ValueFormatter.result", () => {
  const cases: Array<[string, unknown, string]> = [
    ["took", 24_100_000n, "24.1 ms (24100000 ns)"],
    ["took", 1_500_000_000n, "1.50 s (1500000000 ns)"],
    ["took", 999n, "999 ns (999 ns)"],
    ["when", 8_086_479_210n, "8.09 s on the monotonic clock (8086479210 ns)"],
    ["wall", { seconds: 1_700_000_000n, nanoseconds: 5 }, "2023-11-14T22:13:20.000000005Z {seconds: 1700000000, nanoseconds: 5}"],
    ["wall2", { seconds: 0n, nanoseconds: 123_456_789 }, "1970-01-01T00:00:00.123456789Z {seconds: 0, nanoseconds: 123456789}"],
    ["both", [2_000n, undefined], "(2.00 µs (2000 ns), none)"],
    ["both", [0n, 61_000_000_000n], "(0 ns (0 ns), some(1 min 1.0 s (61000000000 ns)))"],
    ["fs-error", "ok text", '"ok text"'],
    ["nothing", undefined, "ok"],
    ["get", { keyName: "a\"b\n", size: 4n, age: 3_000_000n }, 'some({key-name: "a\\"b\\n", size: 4, age: 3.00 ms (3000000 ns)})'],
    ["get", undefined, "none"],
    ["shapes", [{ tag: "circle", val: 1.5 }, { tag: "square", val: 2 }, { tag: "empty" }], "[circle(1.5), square(2), empty]"],
    ["mode", "write-back", "write-back"],
    ["perms", { read: true, writeIt: true, exec: false }, "{read, write-it}"],
    ["perms", { read: false, writeIt: false, exec: false }, "{}"],
    ["all", [{ keyName: "k", size: 1n, age: 0n }], '[{key-name: "k", size: 1, age: 0 ns (0 ns)}]'],
    ["nested", { tag: "some", val: 3 }, "some(some(3))"],
    ["nested", { tag: "none" }, "some(none)"],
    ["nested", undefined, "none"],
    ["inner", [{ tag: "ok", val: 1 }, { tag: "err", val: "no" }], '[ok(1), err("no")]'],
    ["bytes", new TextEncoder().encode("hi"), '[104, 105] (utf-8 "hi")'],
    ["bytes", Uint8Array.of(0, 255), "[0, 255]"],
    ["chars", ["x", "y", Number.NaN, -5n, true], "('x', \"y\", nan, -5, true)"],
    ["open", { handle: 1 }, "<resource bucket>"],
    ["numbers", Uint32Array.of(1, 2), "[1, 2]"],
    ["lookup", { keyName: "k", size: 1n, age: 1n }, '{key-name: "k", size: 1, age: 1 ns (1 ns)}'],
  ];
  it.each(cases)("%s: %o -> %s", (name, value, text) => {
    expect(fmt.result(value, fn(name))).toBe(text);
  });

  it("cuts long lists and byte strings short, counting the rest", () => {
    expect(fmt.result(new Uint32Array(60).fill(7), fn("numbers"))).toBe(`[${Array(50).fill(7).join(", ")}, … 10 more]`);
    expect(fmt.result(new Uint8Array(70), fn("bytes"))).toBe(`[${Array(64).fill(0).join(", ")}, … 6 more]`);
  });
});

describe("ValueFormatter.error", () => {
  it("prints an err payload by the result's error type, or by its shape when that type is unknown", () => {
    expect(fmt.error("write-back", fn("lookup"))).toBe("err(write-back)");
    // error-code comes from wasi:filesystem, which the printed WIT does not define.
    expect(fmt.error({ tag: "access" }, fn("fs-error"))).toBe("err(access)");
    expect(fmt.error(undefined, fn("nothing"))).toBe("err");
  });
});

describe("without types", () => {
  it("a function whose types cannot be read prints values by their shape", () => {
    const f = new ValueFormatter("not wit at all");
    const loose: FuncInfo = { iface: "x:y/z", name: "f", isAsync: false, params: [], result: "thing" };
    expect(f.result({ someField: [1n, "a"], tag2: null }, loose)).toBe('{some-field: [1, "a"], tag2: none}');
    expect(f.result({ tag: "busy", val: 3 }, loose)).toBe("busy(3)");
    expect(f.result(undefined, { ...loose, result: null })).toBe("(no value)");
  });
});

describe("formatNanoseconds and parseType", () => {
  it.each([
    [0n, "0 ns"],
    [1_234n, "1.23 µs"],
    [-2_500_000n, "-2.50 ms"],
    [125_000_000_000n, "2 min 5.0 s"],
    [3_720_000_000_000n, "1 h 2 min"],
  ])("%s ns -> %s", (ns, text) => expect(formatNanoseconds(ns)).toBe(text));

  it("parses a type on its own, or says it cannot", () => {
    expect(parseType("list<tuple<u32, string>>")).toMatchObject({ kind: "list", elem: { kind: "tuple" } });
    expect(parseType("list<")).toBeNull();
  });
});
