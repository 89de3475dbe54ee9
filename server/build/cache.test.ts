import { mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildCache, buildKey } from "./cache";

describe("BuildCache", () => {
  it("keys by content: file order does not matter, any text or the world does", () => {
    const a = { files: [{ path: "wit/a.wit", text: "x" }, { path: "guest.js", text: "y" }], entry: "guest.js", world: null };
    const b = { ...a, files: [...a.files].reverse() };
    expect(buildKey(a, "t@1", "v")).toBe(buildKey(b, "t@1", "v"));
    expect(buildKey(a, "t@1", "v")).not.toBe(buildKey({ ...a, world: "w" }, "t@1", "v"));
    expect(buildKey(a, "t@1", "v")).not.toBe(buildKey(a, "t@2", "v"));
    expect(buildKey(a, "t@1", "v")).not.toBe(buildKey({ ...a, files: [{ path: "wit/a.wit", text: "xy" }, { path: "guest.js", text: "" }] }, "t@1", "v"));
  });

  it("keeps the most recently used entries", () => {
    const dir = mkdtempSync(join(tmpdir(), "cache-test-"));
    try {
      const cache = new BuildCache(dir, 2);
      cache.write("a", new Uint8Array([1]));
      cache.write("b", new Uint8Array([2]));
      const old = new Date(Date.now() - 60_000);
      utimesSync(cache.path("a"), old, old);
      utimesSync(cache.path("b"), old, old);
      cache.touch("a");
      cache.write("c", new Uint8Array([3]));
      expect(readdirSync(dir).sort()).toEqual(["a.wasm", "c.wasm"]);
      expect([...cache.read("c")]).toEqual([3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
