import { describe, expect, it } from "vitest";
import { WitModel } from "../wit/model";
import { VENDORED_WIT } from "../wit/vendored";
import { checkerModule, guestWorld, missingExports, MISSING_EXPORTS, requirements } from "./guest-shape";

const WIT = `package demo:shape;

interface store {
  resource bucket {
    constructor(name: string);
    /// Reads a key.
    get: func(key: string) -> option<string>;
    open: static func(name: string) -> bucket;
  }
  list-keys: func() -> list<string>;
}

world shape {
  import wasi:clocks/monotonic-clock@0.3.0;
  import wasi:nope/missing@1.0.0;
  /// Counts.
  export count-up: async func(n: u32) -> u32;
  export store;
  export tools: interface {
    shout: func(s: string) -> string;
  }
  export wasi:cli/run@0.3.0;
  export other:pkg/unknown;
}
`;

function world() {
  const model = new WitModel([{ path: "wit/world.wit", text: WIT, group: "project" }, ...VENDORED_WIT]);
  return guestWorld(model, model.groupPackage.get("project")!, null)!;
}

describe("guestWorld", () => {
  it("names each export and import the way componentize-qjs binds them", () => {
    const w = world();
    expect(w.name).toBe("shape");
    expect(w.exports.map((e) => [e.kind, e.wit, e.js])).toEqual([
      ["func", "count-up", "countUp"],
      ["interface", "demo:shape/store", "store"],
      ["interface", "tools", "tools"],
      ["interface", "wasi:cli/run@0.3.0", "run"],
      ["interface", "other:pkg/unknown", "unknown"],
    ]);
    expect(w.imports).toEqual([
      { specifier: "wasi:clocks/monotonic-clock@0.3.0", names: ["now", "getResolution", "waitUntil", "waitFor"] },
      { specifier: "wasi:nope/missing@1.0.0", names: [] },
    ]);
  });
});

describe("requirements", () => {
  it("every function, object, class, method and static function, with its WIT", () => {
    expect(requirements(world()).map((r) => `${r.path.join(".")} ${r.kind}: ${r.wit}`)).toEqual([
      "countUp function: count-up: async func(n: u32) -> u32",
      "store object: interface demo:shape/store",
      "store.Bucket function: resource bucket",
      "store.Bucket.prototype.get function: bucket.get: func(key: string) -> option<string>",
      "store.Bucket.open function: bucket.open: static func(name: string) -> bucket",
      "store.listKeys function: list-keys: func() -> list<string>",
      "tools object: interface tools",
      "tools.shout function: shout: func(s: string) -> string",
      "run object: interface wasi:cli/run@0.3.0",
      "run.run function: run: async func() -> result",
      // An interface the model cannot see is checked as an object only.
      "unknown object: interface other:pkg/unknown",
    ]);
  });
});

describe("checkerModule", () => {
  it("imports the entry, throws the missing paths after the marker, re-exports the entry", async () => {
    const source = checkerModule("guest.js", world());
    expect(source).toContain('import * as guest from "./guest.js";');
    expect(source).toContain('export * from "./guest.js";');
    // Run its check against a module namespace of our own (the import and export lines aside).
    const body = source.split("\n").filter((l) => !l.startsWith("import ") && !l.startsWith("export "));
    const check = new Function("guest", body.join("\n"));
    class Bucket {
      get() {}
      static open() {}
    }
    const complete = { countUp() {}, store: { Bucket, listKeys() {} }, tools: { shout() {} }, run: { run() {} }, unknown: {} };
    expect(() => check(complete)).not.toThrow();
    expect(() => check({ ...complete, countUp: 3, store: { Bucket: class {}, listKeys() {} }, tools: undefined })).toThrow(
      `${MISSING_EXPORTS}${JSON.stringify([["countUp"], ["store", "Bucket", "prototype", "get"], ["store", "Bucket", "open"], ["tools"], ["tools", "shout"]])}`,
    );
  });
});

describe("missingExports", () => {
  it("names each missing export, leaves out members of a missing object, and marks the world's export lines", () => {
    const r = missingExports([["countUp"], ["tools"], ["tools", "shout"], ["store", "Bucket", "prototype", "get"]], world(), "guest.js");
    expect(r.message).toBe(
      "world `shape`: guest.js does not export `countUp` (the world exports `count-up: async func(n: u32) -> u32`); " +
        "`store.Bucket.get` is missing from guest.js's `store` (`bucket.get: func(key: string) -> option<string>`); " +
        "guest.js does not export `tools` (the world exports `interface tools`).",
    );
    expect(r.diagnostics.map((d) => [d.path, d.line, d.column, d.endColumn])).toEqual([
      ["wit/world.wit", 17, 10, 18],
      ["wit/world.wit", 18, 10, 15],
      ["wit/world.wit", 19, 10, 15],
    ]);
  });
});
