import { describe, expect, it } from "vitest";
import { funcAsyncness, splitTopLevel, worldExports } from "./signatures";

const WIT = `package root:component;

world root {
  import wasi:cli/stdout@0.3.0;
  export fanout: async func(count: u32, millis: u32) -> u64;
  export upper: async func(input: stream<u8>) -> stream<u8>;
  export pair: func(a: tuple<u32, string>, b: list<result<_, string>>);
  export wasi:cli/run@0.3.0;
  export local:demo/calc;
}
package local:demo {
  interface calc {
    // adds
    add: func(a: s32, b: s32) -> s32;
    resource thing { get: func() -> u32; }
  }
}
`;

describe("worldExports", () => {
  it("lists world-level functions with types", () => {
    const { funcs, exports } = worldExports(WIT);
    expect(exports).toEqual(["fanout", "upper", "pair", "wasi:cli/run@0.3.0", "local:demo/calc"]);
    expect(funcs[0]).toEqual({
      iface: null,
      name: "fanout",
      isAsync: true,
      params: [
        { name: "count", type: "u32" },
        { name: "millis", type: "u32" },
      ],
      result: "u64",
    });
    expect(funcs[1]!.params[0]!.type).toBe("stream<u8>");
    expect(funcs[2]!.params.map((p) => p.type)).toEqual(["tuple<u32, string>", "list<result<_, string>>"]);
    expect(funcs[2]!.result).toBeNull();
  });

  it("finds functions of exported interfaces defined in nested packages", () => {
    const add = worldExports(WIT).funcs.find((f) => f.name === "add");
    expect(add).toMatchObject({ iface: "local:demo/calc", isAsync: false, result: "s32" });
  });

  it("returns nothing for text with no world", () => {
    expect(worldExports("package a:b;")).toEqual({ exports: [], funcs: [] });
  });
});

describe("splitTopLevel", () => {
  it("keeps nested generics together", () => {
    expect(splitTopLevel("a: u32, b: result<u32, string>, c: tuple<u8, u8>")).toEqual([
      "a: u32",
      "b: result<u32, string>",
      "c: tuple<u8, u8>",
    ]);
  });
});

describe("funcAsyncness", () => {
  it("marks async functions and resource methods, unversioned", () => {
    const wit = `package wasi:demo@0.3.0;
interface clock {
    now: func() -> u64;
    wait-for: async func(how-long: u64);
}
interface types {
    resource descriptor {
        read-via-stream: func(offset: u64) -> tuple<stream<u8>, future<result<_, error-code>>>;
        stat: async func() -> result<descriptor-stat, error-code>;
        open: static async func(path: string) -> descriptor;
        create: static func() -> descriptor;
    }
    write-via-stream: func(data: stream<u8>) -> future<result<_, error-code>>;
}`;
    expect(Object.fromEntries(funcAsyncness(wit))).toEqual({
      "wasi:demo/clock#now": false,
      "wasi:demo/clock#wait-for": true,
      "wasi:demo/types#write-via-stream": false,
      "wasi:demo/types#descriptor.read-via-stream": false,
      "wasi:demo/types#descriptor.stat": true,
      "wasi:demo/types#descriptor.open": true,
      "wasi:demo/types#descriptor.create": false,
    });
  });
});
