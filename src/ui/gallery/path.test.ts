import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compositionOf, learningPath, type ExampleEntry } from "./path";

const entry = (name: string, more: Partial<ExampleEntry> = {}): ExampleEntry => ({ name, file: `${name}.wasm`, description: `${name} does things`, size: 1, sha256: "", ...more });

describe("learningPath", () => {
  it("keeps the given order, in sections in the order they first appear", () => {
    const path = learningPath([entry("hello", { section: "Start here" }), entry("spin", { section: "Start here" }), entry("files", { section: "Files" })]);
    expect(path.map((s) => s.title)).toEqual(["Start here", "Files"]);
    expect(path[0]!.items.map((i) => (i.kind === "example" ? i.entry.name : i.name))).toEqual(["hello", "spin"]);
    expect(path.flatMap((s) => s.items.map((i) => i.step))).toEqual([1, 2, 3]);
  });

  it("gathers a composition's parts under one entry, marking those that need the others", () => {
    const g = { section: "Compositions", group: "gateway", groupDescription: "An edge API gateway." };
    const [section] = learningPath([
      entry("gateway-keys", { ...g, part: "keys", needs: [] }),
      entry("gateway-auth", { ...g, part: "auth", needs: ["keys"] }),
      entry("gateway-router", { ...g, part: "router", needs: ["limits", "auth"] }),
    ]);
    expect(section!.items).toHaveLength(1);
    const group = section!.items[0]!;
    expect(group.kind).toBe("group");
    if (group.kind !== "group") return;
    expect(group).toMatchObject({ step: 1, name: "gateway", description: "An edge API gateway." });
    expect(group.parts.map((p) => [p.name, p.runsAlone, p.needs])).toEqual([
      ["keys", true, []],
      ["auth", false, ["keys"]],
      ["router", false, ["limits", "auth"]],
    ]);
  });

  it("carries the groups whose parts a group's graph borrows, and says what a group is made of", () => {
    const [section] = learningPath([
      entry("gateway-keys", { section: "Compositions", group: "gateway", part: "keys", needs: [] }),
      entry("gateway-http-front", { section: "Compositions", group: "gateway-http", part: "front", needs: ["api"], borrows: ["gateway"] }),
    ]);
    const [gateway, http] = section!.items;
    expect(gateway).toMatchObject({ kind: "group", name: "gateway", borrows: [] });
    expect(http).toMatchObject({ kind: "group", name: "gateway-http", borrows: ["gateway"] });
    expect(compositionOf(5, [])).toBe("a composition of 5 parts");
    expect(compositionOf(1, ["gateway"])).toBe("a composition of 1 part and the parts of gateway");
  });

  it("reads an index without sections or needs (an older build) as one plain list", () => {
    const path = learningPath([entry("b"), entry("a"), entry("pipeline-producer", { group: "pipeline", part: "producer" })]);
    expect(path).toHaveLength(1);
    expect(path[0]!.items.map((i) => i.kind)).toEqual(["example", "example", "group"]);
    const group = path[0]!.items[2]!;
    expect(group.kind === "group" && group.parts[0]!.runsAlone).toBe(true);
  });
});

describe("examples/order.json", () => {
  const examples = new URL("../../../examples/", import.meta.url);
  const order = JSON.parse(readFileSync(new URL("order.json", examples), "utf8")) as { sections: Array<{ title: string; examples: string[] }>; parts: Record<string, string[]> };
  const names = order.sections.flatMap((s) => s.examples);
  const dirs = (url: URL) => readdirSync(url, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it("starts the path with hello, then the async basics and files", () => {
    expect(names.slice(0, 6)).toEqual(["hello", "sleep-fanout", "stream-upper", "spin", "files", "files-p2"]);
  });

  it("lists every example and every composition group once", () => {
    expect([...names].sort()).toEqual(dirs(examples).sort());
  });

  it("orders every part of each composition group", () => {
    const groups = dirs(examples).filter((d) => !existsSync(new URL(`${d}/world.wit`, examples)));
    expect(Object.keys(order.parts).sort()).toEqual(groups.sort());
    for (const g of groups) {
      const parts = dirs(new URL(`${g}/`, examples)).filter((p) => existsSync(new URL(`${g}/${p}/world.wit`, examples)));
      expect([...order.parts[g]!].sort(), g).toEqual(parts.sort());
    }
  });
});
