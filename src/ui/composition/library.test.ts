import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { provider } from "../../compose/components.fixture";
import { addInstance, EMPTY_GRAPH } from "../../compose/graph";
import { ComponentLibrary, sha256Of } from "./library";

describe("the component library", () => {
  it("lists examples before their bytes arrive, keys everything by sha256, and groups by origin", async () => {
    const lib = new ComponentLibrary();
    const bytes = await parse(provider("local:demo/math@0.1.0"));
    const sha256 = await sha256Of(bytes);
    lib.list({ sha256, name: "math.wasm", origin: "example", size: bytes.length, group: "demo", part: "math" });
    expect(lib.lookup(sha256)).toEqual({ ok: false, reason: "`math.wasm` is still loading" });
    expect(lib.entry(sha256)).toBeUndefined();
    lib.putBytes(sha256, bytes);
    const l = lib.lookup(sha256);
    expect(l.ok && l.info.exports.map((p) => p.name)).toEqual(["local:demo/math@0.1.0"]);
    // The same bytes uploaded again stay the example they are.
    expect(await lib.add("copy.wasm", bytes, "upload")).toMatchObject({ name: "math.wasm", origin: "example" });
    await lib.add("built.wasm", await parse(provider("local:demo/calc")), "authored");
    await lib.add("junk.wasm", new Uint8Array([1, 2, 3]), "upload");
    expect(lib.sections().map((s) => [s.title, s.items.map((i) => i.name)])).toEqual([
      ["Examples", ["math.wasm"]],
      ["Opened files", ["junk.wasm"]],
      ["Built in “Write a component”", ["built.wasm"]],
    ]);
    const junk = lib.sections()[1]!.items[0]!;
    expect(lib.lookup(junk.sha256)).toMatchObject({ ok: false, reason: expect.stringMatching(/^`junk\.wasm` is not a component this playground can compose: /) });
    // Saved: what was opened or built, and the examples a graph uses.
    expect(lib.kept(EMPTY_GRAPH).map((k) => k.item.name)).toEqual(["built.wasm", "junk.wasm"]);
    const added = addInstance(EMPTY_GRAPH, sha256, { name: "math" });
    if (!added.ok) throw new Error(added.reason);
    expect(lib.kept(added.graph.graph).map((k) => k.item.name)).toEqual(["math.wasm", "built.wasm", "junk.wasm"]);
  });
});
