import { describe, expect, it } from "vitest";
import { addInstance, EMPTY_GRAPH } from "../../compose/graph";
import { docToJson, parseDoc, type CompositionDoc } from "./doc";

const SHA = "0123456789abcdef".repeat(4);

describe("the saved document", () => {
  it("round-trips the graph and the positions through JSON text", () => {
    const r = addInstance(EMPTY_GRAPH, SHA, { name: "router" });
    if (!r.ok) throw new Error(r.reason);
    const doc: CompositionDoc = { name: "gateway", graph: r.graph.graph, positions: { i1: { x: 10, y: -4 }, exports: { x: 400, y: 0 } } };
    expect(parseDoc(JSON.parse(JSON.stringify(docToJson(doc))))).toEqual({ ok: true, doc });
  });

  it("keeps a valid name and falls back to `composition` for a missing or bad one", () => {
    const empty = { version: 1, instances: [], wires: [], exports: [] };
    expect(parseDoc({ version: 1, name: "pipeline", graph: empty, positions: {} })).toMatchObject({ ok: true, doc: { name: "pipeline" } });
    expect(parseDoc({ version: 1, name: "../x", graph: empty, positions: {} })).toMatchObject({ ok: true, doc: { name: "composition" } });
  });

  it("refuses another version or a bad graph naming the field, and drops positions that are not points", () => {
    expect(parseDoc({ version: 2 })).toEqual({ ok: false, error: "the saved composition is version 2; this playground reads version 1" });
    expect(parseDoc(null)).toMatchObject({ ok: false });
    const bad = parseDoc({ version: 1, graph: { version: 1, instances: [{ id: "x", name: "a", component: SHA }], wires: [], exports: [] }, positions: {} });
    expect(bad).toEqual({ ok: false, error: "not a valid composition graph: graph.instances[0].id: `x` is not an instance id (i1, i2, ...)" });
    const odd = parseDoc({ version: 1, graph: { version: 1, instances: [], wires: [], exports: [] }, positions: { i1: { x: "1", y: 2 }, i2: { x: 1, y: 2 } } });
    expect(odd).toEqual({ ok: true, doc: { name: "composition", graph: EMPTY_GRAPH, positions: { i2: { x: 1, y: 2 } } } });
  });
});
