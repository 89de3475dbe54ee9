import { describe, expect, it } from "vitest";
import { autoLayout, HEADER_H, nodeSize, NODE_WIDTH, ROW_H } from "./layout";
import type { NodeView } from "./ports";

const row = (name: string) => ({ name, label: name, wit: "", feed: { kind: "forward" as const } });
const node = (imports: number, host: number, exports: number): NodeView => ({
  id: "i1",
  name: "n",
  component: "n.wasm",
  error: null,
  imports: Array.from({ length: imports }, (_, i) => row(`a${i}`)),
  hostImports: Array.from({ length: host }, (_, i) => row(`wasi:x/y${i}`)),
  exports: Array.from({ length: exports }, (_, i) => ({ ...row(`e${i}`), exportedAs: [] })),
  problems: [],
});

describe("layout", () => {
  it("sizes a node by its longer side, the folded host row counting one", () => {
    expect(nodeSize(node(4, 20, 1), false)).toEqual({ width: NODE_WIDTH, height: HEADER_H + 5 * ROW_H });
    expect(nodeSize(node(4, 20, 1), true)).toEqual({ width: NODE_WIDTH, height: HEADER_H + 25 * ROW_H });
    expect(nodeSize(node(0, 0, 3), false).height).toBe(HEADER_H + 3 * ROW_H);
  });

  it("puts exporters left of importers, without overlaps", () => {
    const boxes = ["keys", "auth", "limiter", "users", "orders", "router", "exports"].map((id) => ({ id, width: 260, height: id === "router" ? 150 : 80 }));
    const links = [
      { source: "keys", target: "auth" },
      { source: "auth", target: "router" },
      { source: "limiter", target: "router" },
      { source: "users", target: "router" },
      { source: "orders", target: "router" },
      { source: "router", target: "exports" },
    ];
    const at = autoLayout(boxes, links);
    for (const l of links) expect(at[l.source]!.x + 260).toBeLessThan(at[l.target]!.x);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart = at[a.id]!.x + a.width <= at[b.id]!.x || at[b.id]!.x + b.width <= at[a.id]!.x || at[a.id]!.y + a.height <= at[b.id]!.y || at[b.id]!.y + b.height <= at[a.id]!.y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    }
  });
});
