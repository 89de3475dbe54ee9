// The versioned JSON form: graphs round-trip through text; bad or newer input is refused with a
// message naming the field.
import { describe, expect, it } from "vitest";
import { addInstance, EMPTY_GRAPH, setOpenPolicy, type Graph } from "./graph";
import { GRAPH_VERSION, graphToJson, parseGraph } from "./json";

const SHA = "0123456789abcdef".repeat(4);

function sample(): Graph {
  let g = EMPTY_GRAPH;
  for (const name of ["callee", "caller"]) {
    const r = addInstance(g, SHA, { name });
    if (!r.ok) throw new Error(r.reason);
    g = r.graph.graph;
  }
  g = setOpenPolicy(g, { instance: "i2", import: "wasi:cli/exit@0.2.6" }, "refuse");
  return {
    ...g,
    wires: [
      { from: { kind: "instance", instance: "i1", export: "local:local/baz" }, to: { instance: "i2", import: "local:local/baz" } },
      { from: { kind: "host", name: "local:local/baz" }, to: { instance: "i1", import: "local:local/baz" } },
    ],
    exports: [{ name: "local:local/baz", instance: "i2", export: "local:local/baz" }],
  };
}

const error = (input: unknown) => {
  const r = parseGraph(input);
  return r.ok ? "parsed" : r.error;
};

describe("graph JSON", () => {
  it("round-trips through text, version 1", () => {
    const json = graphToJson(sample());
    expect(json.version).toBe(GRAPH_VERSION);
    expect(GRAPH_VERSION).toBe(1);
    expect(parseGraph(JSON.stringify(json))).toEqual({ ok: true, graph: sample() });
    expect(parseGraph(graphToJson(EMPTY_GRAPH))).toEqual({ ok: true, graph: EMPTY_GRAPH });
  });

  it("refuses a newer version with a message saying so, and versions that are not versions", () => {
    expect(error({ ...graphToJson(sample()), version: 2 })).toBe("not a valid composition graph: graph.version: it is version 2, saved by a newer playground; this one reads version 1 (reload to update)");
    expect(error({ ...graphToJson(sample()), version: "1" })).toBe("not a valid composition graph: graph.version: expected a positive integer");
    expect(error({ instances: [], wires: [], exports: [] })).toBe("not a valid composition graph: graph.version: expected a positive integer");
  });

  it("refuses bad input, naming the field", () => {
    const j = graphToJson(sample());
    const cases: [unknown, string][] = [
      ["{", "graph: not JSON"],
      [[], "graph: expected an object"],
      [{ ...j, extra: 1 }, "graph: unexpected field `extra`"],
      [{ ...j, wires: {} }, "graph.wires: expected an array"],
      [{ ...j, instances: [{ ...j.instances[0], component: "nope" }] }, "graph.instances[0]: component `nope` is not a sha256 (64 hex digits)"],
      [{ ...j, instances: [{ ...j.instances[0], name: "Bad Name" }] }, "graph.instances[0]: instance name `Bad Name` must be lowercase words"],
      [{ ...j, instances: [j.instances[0], { ...j.instances[1], id: "i1" }] }, "graph.instances[1].id: `i1` is used twice"],
      [{ ...j, instances: [j.instances[0], { ...j.instances[1], name: "callee" }] }, "graph.instances[1]: an instance named `callee` already exists"],
      [{ ...j, instances: [{ ...j.instances[0], open: { x: "maybe" } }, j.instances[1]] }, 'graph.instances[0].open["x"]: expected "forward" or "refuse"'],
      [{ ...j, wires: [{ ...j.wires[0], to: { instance: "i9", import: "x" } }] }, "graph.wires[0].to.instance: there is no instance `i9`"],
      [{ ...j, wires: [j.wires[0], j.wires[0]] }, "graph.wires[1]: import `local:local/baz` of i2 is wired twice"],
      [{ ...j, wires: [{ ...j.wires[0], from: { kind: "elsewhere" } }] }, 'graph.wires[0].from.kind: expected "instance" or "host"'],
      [{ ...j, wires: [{ ...j.wires[1], from: { kind: "host", name: "" } }] }, "graph.wires[0].from.name: expected a non-empty string"],
      [{ ...j, exports: [j.exports[0], j.exports[0]] }, "graph.exports[1].name: `local:local/baz` is exported twice"],
      [{ ...j, exports: [{ ...j.exports[0], instance: "i7" }] }, "graph.exports[0].instance: there is no instance `i7`"],
    ];
    for (const [input, message] of cases) expect(error(input)).toContain(`not a valid composition graph: ${message}`);
  });
});
