// The canvas's nodes and edges from a document, the layout of a whole document, and the feed
// choices of an import with the reason each refused one gives.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { beforeAll, describe, expect, it } from "vitest";
import { provider, reexport, STEP } from "../../compose/components.fixture";
import type { Graph } from "../../compose/graph";
import { EXPORTS_NODE, type CompositionDoc } from "./doc";
import { feedChoice, feedOptions, feedValue, flowEdges, flowNodes, graphViews, layoutPositions } from "./flow";
import { NODE_WIDTH } from "./layout";
import type { ComponentLibrary } from "./library";
import { fixtureLibrary } from "./library.fixture";
import { wireId } from "./ports";

const MATH = "local:demo/math@0.1.0";
let lib: ComponentLibrary;
let graphOf: (...names: string[]) => Graph;

beforeAll(async () => {
  ({ lib, graphOf } = await fixtureLibrary(parse, { math: provider(MATH), step: STEP, "string-math": reexport('(param "x" string) (result u32)') }));
});

const views = (g: Graph) => graphViews(lib, g).views;
const wired = (g: Graph): Graph => ({ ...g, wires: [{ from: { kind: "instance", instance: "i1", export: MATH }, to: { instance: "i2", import: MATH } }], exports: [{ name: MATH, instance: "i2", export: MATH }] });

describe("the canvas's nodes and edges", () => {
  it("places each instance where the document says, selected as selected, and the exports node right of them", () => {
    const graph = wired(graphOf("math", "step"));
    const doc: CompositionDoc = { name: "c", graph, positions: { i1: { x: 0, y: 0 }, i2: { x: 400, y: 50 } } };
    const nodes = flowNodes(doc, views(graph), { nodes: ["i2"], edges: [] }, new Set());
    expect(nodes.map((n) => [n.id, n.type, n.selected, n.position])).toEqual([
      ["i1", "instance", false, { x: 0, y: 0 }],
      ["i2", "instance", true, { x: 400, y: 50 }],
      [EXPORTS_NODE, "exports", false, { x: 400 + NODE_WIDTH + 96, y: 0 }],
    ]);
    expect(nodes[2]!.data).toEqual({ exports: [{ name: MATH, from: "step ▸ demo/math" }] });
    expect(nodes[2]!.deletable).toBe(false);
    expect((nodes[1]!.data as { view: { component: string } }).view.component).toBe("step.wasm");
    const edges = flowEdges(graph, { nodes: [], edges: [wireId({ instance: "i2", import: MATH })] });
    expect(edges.map((e) => [e.source, e.target, e.selected])).toEqual([
      ["i1", "i2", true],
      ["i2", EXPORTS_NODE, false],
    ]);
  });

  it("lays a document out left to right along its wires", () => {
    const graph = wired(graphOf("math", "step"));
    const at = layoutPositions({ name: "c", graph, positions: {} }, views(graph), new Set());
    expect(at.i1!.x + NODE_WIDTH).toBeLessThan(at.i2!.x);
    expect(at.i2!.x + NODE_WIDTH).toBeLessThan(at[EXPORTS_NODE]!.x);
  });
});

describe("an import's feed choices", () => {
  it("offers leaving it open and every other instance's export, saying why a misfit does not fit", () => {
    const graph = graphOf("math", "step", "string-math");
    const options = feedOptions(lib.catalog, graph, { instance: "i2", import: MATH }, { kind: "forward" });
    expect(options.map((o) => [o.value, o.label, o.refusal])).toEqual([
      ["open:forward", "open: an import of the composition", null],
      ["open:refuse", "open: refused (an error until wired)", null],
      [`wire:i1|${MATH}`, "math ▸ demo/math", null],
      [`wire:i3|${MATH}`, "string-math ▸ demo/math", "`string-math`'s export `local:demo/math@0.1.0` does not match: `double` > parameter `x`: expected u32, found string"],
    ]);
  });

  it("checks a choice as if the import were unwired, so its own wire can be swapped", () => {
    const graph = wired(graphOf("math", "step", "math"));
    const options = feedOptions(lib.catalog, graph, { instance: "i2", import: MATH }, { kind: "instance", instance: "i1", name: "math", export: MATH });
    expect(options.filter((o) => o.value.startsWith("wire:")).map((o) => o.refusal)).toEqual([null, null]);
  });

  it("lists only the open choices and the current feed when told not to list instances", () => {
    const graph = wired(graphOf("math", "step"));
    const feed = { kind: "instance" as const, instance: "i1", name: "math", export: MATH };
    expect(feedOptions(lib.catalog, graph, { instance: "i2", import: MATH }, feed, false).map((o) => o.value)).toEqual(["open:forward", "open:refuse", `wire:i1|${MATH}`]);
  });

  it("reads option values back as edits", () => {
    for (const feed of [{ kind: "forward" as const }, { kind: "refuse" as const }]) expect(feedChoice(feedValue(feed))).toEqual({ kind: "open", policy: feed.kind });
    expect(feedChoice(feedValue({ kind: "instance", instance: "i1", name: "math", export: MATH }))).toEqual({ kind: "wire", from: { kind: "instance", instance: "i1", export: MATH } });
    expect(feedChoice(feedValue({ kind: "host", name: "wasi:clocks/monotonic-clock@0.3.0" }))).toEqual({ kind: "wire", from: { kind: "host", name: "wasi:clocks/monotonic-clock@0.3.0" } });
  });
});
