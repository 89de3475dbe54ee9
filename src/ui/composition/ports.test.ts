// The canvas's view of a graph: rows per port with what feeds each, WASI host imports folded,
// edges, what a drag means, and the live check of a drag with its reason.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { beforeAll, describe, expect, it } from "vitest";
import { provider, reexport, STEP } from "../../compose/components.fixture";
import { EMPTY_GRAPH, setOpenPolicy, type Graph } from "../../compose/graph";
import { validate } from "../../compose/rules";
import { EXPORTS_NODE } from "./doc";
import type { ComponentLibrary } from "./library";
import { fixtureLibrary } from "./library.fixture";
import { checkIntent, edgeViews, exportHandle, importHandle, intentOf, nodeView, parseEdgeId, portLabel, wireId, exportId } from "./ports";

const MATH = "local:demo/math@0.1.0";
const WASI = "wasi:demo/math@0.1.0";
let lib: ComponentLibrary;
let graphOf: (...names: string[]) => Graph;

beforeAll(async () => {
  ({ lib, graphOf } = await fixtureLibrary(parse, { math: provider(MATH), step: STEP, "wasi-user": reexport('(param "x" u32) (result u32)', WASI), "string-math": reexport('(param "x" string) (result u32)') }));
});

const view = (g: Graph, id: string) => nodeView(g, g.instances.find((i) => i.id === id)!, lib.lookup(g.instances.find((i) => i.id === id)!.component), "x.wasm", validate(lib.catalog, g));

describe("ports", () => {
  it("labels interface names by package and interface", () => {
    expect(portLabel("playground:gateway/keys@0.1.0")).toBe("gateway/keys");
    expect(portLabel("wasi:cli/run@0.3.0")).toBe("cli/run");
    expect(portLabel("quad")).toBe("quad");
  });

  it("gives each import what feeds it and each export the names it is exported as; WASI host imports fold", () => {
    let g = graphOf("math", "step", "wasi-user");
    g = { ...g, wires: [{ from: { kind: "instance", instance: "i1", export: MATH }, to: { instance: "i2", import: MATH } }], exports: [{ name: "out", instance: "i2", export: MATH }] };
    const step = view(g, "i2");
    expect(step.imports).toEqual([{ name: MATH, label: "demo/math", wit: expect.stringContaining("double: func(x: u32) -> u32"), feed: { kind: "instance", instance: "i1", name: "math", export: MATH } }]);
    expect(step.exports.map((e) => [e.name, e.exportedAs])).toEqual([[MATH, ["out"]]]);
    const user = view(g, "i3");
    expect(user.imports).toEqual([]);
    expect(user.hostImports.map((r) => [r.name, r.feed.kind])).toEqual([[WASI, "forward"]]);
    // A refused WASI import is not the host's: it gets a row (and validate's problem) of its own.
    const refused = setOpenPolicy(g, { instance: "i3", import: WASI }, "refuse");
    expect(view(refused, "i3").imports.map((r) => r.feed)).toEqual([{ kind: "refuse" }]);
    expect(view(refused, "i3").problems).toEqual([`import \`${WASI}\`: is not wired and its policy is to refuse it: wire it, or forward it as an import of the composition`]);
  });

  it("says why a node's component cannot be used", () => {
    const g = { ...EMPTY_GRAPH, instances: [{ id: "i1", name: "gone", component: "ab".repeat(32), open: {} }] };
    expect(view(g, "i1")).toMatchObject({ error: `component ${"ab".repeat(6)}… is not in the library`, imports: [], exports: [] });
  });

  it("draws wires and exports as edges, and reads edge ids back", () => {
    const g: Graph = { ...graphOf("math", "step"), wires: [{ from: { kind: "instance", instance: "i1", export: MATH }, to: { instance: "i2", import: MATH } }, { from: { kind: "host", name: WASI }, to: { instance: "i1", import: "x" } }], exports: [{ name: "out", instance: "i2", export: MATH }] };
    expect(edgeViews(g)).toEqual([
      { id: wireId({ instance: "i2", import: MATH }), source: "i1", sourceHandle: exportHandle(MATH), target: "i2", targetHandle: importHandle(MATH) },
      { id: exportId("out"), source: "i2", sourceHandle: exportHandle(MATH), target: EXPORTS_NODE, targetHandle: importHandle("out") },
    ]);
    expect(parseEdgeId(wireId({ instance: "i2", import: MATH }))).toEqual({ kind: "wire", to: { instance: "i2", import: MATH } });
    expect(parseEdgeId(exportId("wasi:cli/run@0.3.0"))).toEqual({ kind: "export", name: "wasi:cli/run@0.3.0" });
  });

  it("reads a drag as a wire or an export, and checks it live with the reason", () => {
    const g = graphOf("math", "step", "string-math");
    const wire = intentOf({ source: "i1", sourceHandle: exportHandle(MATH), target: "i2", targetHandle: importHandle(MATH) });
    expect(wire).toEqual({ kind: "wire", from: { kind: "instance", instance: "i1", export: MATH }, to: { instance: "i2", import: MATH } });
    expect(checkIntent(lib.catalog, g, wire)).toEqual({ ok: true });
    const bad = intentOf({ source: "i3", sourceHandle: exportHandle(MATH), target: "i2", targetHandle: importHandle(MATH) });
    expect(checkIntent(lib.catalog, g, bad)).toEqual({ ok: false, reason: "`string-math`'s export `local:demo/math@0.1.0` does not match: `double` > parameter `x`: expected u32, found string" });
    const exp = intentOf({ source: "i2", sourceHandle: exportHandle(MATH), target: EXPORTS_NODE, targetHandle: "in:new" });
    expect(exp).toEqual({ kind: "export", instance: "i2", export: MATH });
    expect(checkIntent(lib.catalog, g, exp)).toEqual({ ok: true });
    expect(intentOf({ source: "i1", sourceHandle: importHandle(MATH), target: "i2", targetHandle: importHandle(MATH) })).toBeNull();
    expect(checkIntent(lib.catalog, g, null)).toMatchObject({ ok: false });
  });
});
