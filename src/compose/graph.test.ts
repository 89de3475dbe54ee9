// The graph's type-free edits: pure (inputs never change, so undo is a stack of graphs), ids stable,
// names checked, removal cascading; topological order and cycles.
import { describe, expect, it } from "vitest";
import { addInstance, EMPTY_GRAPH, removeExport, removeInstance, removeWire, renameInstance, setOpenPolicy, topologicalOrder, uniqueName, type Graph } from "./graph";

const SHA = "a".repeat(64);

function add(g: Graph, name: string): Graph {
  const r = addInstance(g, SHA, { name });
  if (!r.ok) throw new Error(r.reason);
  return r.graph.graph;
}

/** Deep-freezes a graph so that any edit that writes into it throws. */
function frozen<T>(v: T): T {
  if (v && typeof v === "object") {
    for (const x of Object.values(v)) frozen(x);
    Object.freeze(v);
  }
  return v;
}

describe("graph edits", () => {
  it("never change their input: an undo stack is a list of graphs", () => {
    const stack: Graph[] = [frozen(EMPTY_GRAPH)];
    const push = (g: Graph) => stack.push(frozen(g));
    push(add(stack.at(-1)!, "a"));
    push(add(stack.at(-1)!, "b"));
    push({ ...stack.at(-1)!, wires: [{ from: { kind: "instance", instance: "i1", export: "x" }, to: { instance: "i2", import: "x" } }], exports: [{ name: "y", instance: "i2", export: "y" }] });
    push(setOpenPolicy(stack.at(-1)!, { instance: "i2", import: "z" }, "refuse"));
    const renamed = renameInstance(stack.at(-1)!, "i1", "first");
    if (!renamed.ok) throw new Error(renamed.reason);
    push(renamed.graph);
    push(removeInstance(stack.at(-1)!, "i1"));
    expect(stack.map((g) => g.instances.map((i) => i.name))).toEqual([[], ["a"], ["a", "b"], ["a", "b"], ["a", "b"], ["first", "b"], ["b"]]);
    // Removing i1 took its wire with it; the export of i2 stays.
    expect(stack.at(-1)!.wires).toEqual([]);
    expect(stack.at(-1)!.exports).toEqual([{ name: "y", instance: "i2", export: "y" }]);
    expect(stack.at(-1)!.instances[0]!.open).toEqual({ z: "refuse" });
    expect(removeExport(stack.at(-1)!, "y").exports).toEqual([]);
    expect(removeWire(stack[3]!, { instance: "i2", import: "x" }).wires).toEqual([]);
  });

  it("gives ids past the highest, and names that are valid and unique", () => {
    let g = add(add(add(EMPTY_GRAPH, "a"), "b"), "c");
    g = removeInstance(g, "i2");
    const r = addInstance(g, SHA, { label: "Rate Limiter.wasm" });
    expect(r.ok && [r.graph.id, r.graph.graph.instances.at(-1)!.name]).toEqual(["i4", "rate-limiter"]);
    g = add(removeInstance(g, "i1"), "d");
    expect(g.instances.map((i) => i.id)).toEqual(["i3", "i4"]);
    expect(uniqueName(add(EMPTY_GRAPH, "rate-limiter"), "Rate Limiter.wasm")).toBe("rate-limiter-2");
    expect(uniqueName(EMPTY_GRAPH, "123.wasm")).toBe("instance");
    expect(addInstance(add(EMPTY_GRAPH, "a"), SHA, { name: "a" })).toEqual({ ok: false, reason: "an instance named `a` already exists" });
    expect(addInstance(EMPTY_GRAPH, SHA, { name: "Not OK" })).toEqual({ ok: false, reason: "instance name `Not OK` must be lowercase words joined by '-' (like `rate-limiter`)" });
    expect(addInstance(EMPTY_GRAPH, "abc", { name: "a" })).toEqual({ ok: false, reason: "component `abc` is not a sha256 (64 hex digits)" });
    expect(renameInstance(add(add(EMPTY_GRAPH, "a"), "b"), "i2", "a")).toEqual({ ok: false, reason: "an instance named `a` already exists" });
  });

  it("orders instances after those they depend on, and names a cycle from the first instance added", () => {
    let g = ["a", "b", "c", "d"].reduce(add, EMPTY_GRAPH);
    const wire = (from: string, to: string) => ({ from: { kind: "instance" as const, instance: from, export: "x" }, to: { instance: to, import: `from-${from}` } });
    g = { ...g, wires: [wire("i3", "i1"), wire("i2", "i3"), wire("i4", "i2")] };
    expect(topologicalOrder(g)).toEqual({ ok: true, order: ["i4", "i2", "i3", "i1"] });
    g = { ...g, wires: [...g.wires, wire("i1", "i4")] };
    expect(topologicalOrder(g)).toEqual({ ok: false, cycle: ["i1", "i4", "i2", "i3"] });
  });
});
