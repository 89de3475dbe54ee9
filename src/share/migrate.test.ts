import { describe, expect, it } from "vitest";
import { MIGRATIONS, upgrade, type Migration } from "./migrate";
import { helloProject } from "./fixtures";
import { parseProject, PROJECT_VERSION, serializeProject } from "./schema";

describe("migrations", () => {
  it("the list reaches the current version, one step per older version, in order", () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: PROJECT_VERSION - 1 }, (_, i) => i + 1));
  });

  it("version 1 (before compositions) opens as the same project with no composition", () => {
    // A version-1 state as the first playground wrote it: no `composition` field.
    const { composition: _, ...v1 } = { ...JSON.parse(serializeProject(helloProject())), version: 1 };
    expect("composition" in v1).toBe(false);
    expect(parseProject(v1)).toEqual({ ok: true, state: helloProject(), migratedFrom: 1 });
  });

  // A chain of two steps standing in for future versions: the mechanism every real step goes through.
  const chain: Migration[] = [
    { from: 2, change: "`note` became `notes`", up: ({ note, ...d }) => ({ ...d, notes: note === undefined ? [] : [note] }) },
    { from: 1, change: "`graph` added", up: (d) => ({ ...d, graph: null }) },
  ];

  it("runs each step from the document's own version up to the target, and stamps each version", () => {
    expect(upgrade({ version: 1, note: "hi" }, 3, chain)).toEqual({ version: 3, graph: null, notes: ["hi"] });
    expect(upgrade({ version: 2, graph: { instances: [] } }, 3, chain)).toEqual({ version: 3, graph: { instances: [] }, notes: [] });
    expect(upgrade({ version: 3, notes: [] }, 3, chain)).toEqual({ version: 3, notes: [] });
  });

  it("leaves the input alone", () => {
    const doc = { version: 1, note: "hi" };
    upgrade(doc, 3, chain);
    expect(doc).toEqual({ version: 1, note: "hi" });
  });

  it("a missing step is our bug, named", () => {
    expect(() => upgrade({ version: 1 }, 3, chain.slice(0, 1))).toThrow("playground bug: no migration from project version 1 to 2");
  });
});
