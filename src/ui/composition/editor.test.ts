// The editor's reducer on real components (small WAT ones from src/compose's fixtures): adding,
// wiring with the type check's reason on refusal, exports, auto-wire, delete, undo/redo, and
// bad input (not a component, a cycle loaded from storage, 50 instances) leaving it usable.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { beforeAll, describe, expect, it } from "vitest";
import { provider, reexport, STEP } from "../../compose/components.fixture";
import { validate } from "../../compose/rules";
import { EXPORTS_NODE } from "./doc";
import { editorReducer, initialEditor, type EditorAction, type EditorState } from "./editor";
import { ComponentLibrary, type LibraryItem } from "./library";
import { exportId, wireId } from "./ports";

const MATH = "local:demo/math@0.1.0";
const lib = new ComponentLibrary();
const reduce = editorReducer(lib);
const c: Record<string, LibraryItem> = {};

beforeAll(async () => {
  const wat: Record<string, string> = { math: provider(MATH), step: STEP, "string-math": reexport('(param "x" string) (result u32)') };
  for (const [name, text] of Object.entries(wat)) c[name] = await lib.add(`${name}.wasm`, await parse(text), "upload");
  c.junk = await lib.add("junk.wasm", new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), "upload");
});

const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(reduce, s);
const add = (name: string, s = initialEditor()) => run(s, { type: "add", component: c[name]!.sha256, label: name });
const from = (instance: string) => ({ kind: "instance" as const, instance, export: MATH });
const into = (instance: string) => ({ instance, import: MATH });

describe("the editor's reducer", () => {
  it("adds instances with unique names, each placed and selected", () => {
    const s = add("step", add("math"));
    expect(s.doc.graph.instances.map((i) => [i.id, i.name])).toEqual([["i1", "math"], ["i2", "step"]]);
    expect(s.doc.positions.i2!.x).toBeGreaterThan(s.doc.positions.i1!.x);
    expect(s.selection).toEqual({ nodes: ["i2"], edges: [] });
    expect(add("math", s).doc.graph.instances.at(-1)!.name).toBe("math-2");
  });

  it("refuses a library entry that is not a component, with the decoder's reason, and changes nothing", () => {
    const before = add("math");
    const s = add("junk", before);
    expect(s.doc).toBe(before.doc);
    expect(s.notice?.kind).toBe("error");
    expect(s.notice?.text).toMatch(/^Cannot add it: `junk\.wasm` is not a component this playground can compose: /);
  });

  it("wires a matching export and refuses a mismatched one with the type check's reason", () => {
    let s = add("step", add("math"));
    s = run(s, { type: "connect", from: from("i1"), to: into("i2") });
    expect(s.doc.graph.wires).toEqual([{ from: from("i1"), to: into("i2") }]);
    s = add("math", s);
    const refused = run(s, { type: "connect", from: from("i3"), to: into("i2") });
    expect(refused.doc).toBe(s.doc);
    expect(refused.notice?.text).toMatch(/^Refused: import `local:demo\/math@0\.1\.0` of `step` is already wired from `math`'s export/);
    s = add("string-math", s);
    const mismatch = run(add("step", s), { type: "connect", from: from("i4"), to: into("i5") });
    expect(mismatch.notice).toEqual({ kind: "error", text: "Refused: `string-math`'s export `local:demo/math@0.1.0` does not match: `double` > parameter `x`: expected u32, found string" });
  });

  it("refuses a wire that would close a cycle, naming it", () => {
    let s = add("step", add("step"));
    s = run(s, { type: "connect", from: from("i1"), to: into("i2") }, { type: "connect", from: from("i2"), to: into("i1") });
    expect(s.doc.graph.wires).toHaveLength(1);
    expect(s.notice?.text).toBe("Refused: this wire would close a cycle: `step` → `step-2` → `step`");
  });

  it("auto-wires an import from the one instance exporting its interface, and says when there are several", () => {
    let s = add("step", add("math"));
    s = run(s, { type: "auto-wire" });
    expect(s.doc.graph.wires).toEqual([{ from: from("i1"), to: into("i2") }]);
    expect(s.notice).toEqual({ kind: "info", text: "Auto-wire: 1 wire between instances added." });
    s = run(add("step", add("math", s)), { type: "auto-wire", instance: "i4" });
    expect(s.notice?.kind).toBe("error");
    expect(s.notice?.text).toContain("`step-2`'s import `local:demo/math@0.1.0` could come from `math`'s export `local:demo/math@0.1.0` or ");
  });

  it("exports an instance's export, deletes wires, exports and instances, and undoes and redoes each", () => {
    let s = add("step", add("math"));
    s = run(s, { type: "connect", from: from("i1"), to: into("i2") }, { type: "export", instance: "i2", export: MATH });
    expect(s.doc.graph.exports).toEqual([{ name: MATH, instance: "i2", export: MATH }]);
    expect(run(s, { type: "export", instance: "i1", export: MATH }).notice?.text).toMatch(/^Refused: the composition already exports/);
    const full = s.doc;
    s = run(s, { type: "delete", selection: { nodes: [], edges: [wireId(into("i2")), exportId(MATH)] } });
    expect(s.doc.graph.wires).toEqual([]);
    expect(s.doc.graph.exports).toEqual([]);
    s = run(s, { type: "select", selection: { nodes: ["i1", EXPORTS_NODE], edges: [] } }, { type: "delete" });
    expect(s.doc.graph.instances.map((i) => i.name)).toEqual(["step"]);
    expect(s.doc.positions.i1).toBeUndefined();
    s = run(s, { type: "undo" }, { type: "undo" });
    expect(s.doc).toBe(full);
    s = run(s, { type: "redo" });
    expect(s.doc.graph.wires).toEqual([]);
    // A new edit drops what could be redone.
    s = run(s, { type: "move", positions: { i1: { x: 5, y: 5 } } });
    expect(s.future).toEqual([]);
    expect(run(s, { type: "redo" })).toBe(s);
  });

  it("sets an open import's policy, and validate then names it", () => {
    const s = run(add("step"), { type: "feed", to: into("i1"), feed: { kind: "open", policy: "refuse" } });
    expect(validate(lib.catalog, s.doc.graph).map((d) => `${d.node} ${d.port}`)).toEqual([`step import \`${MATH}\``]);
  });

  it("feeds an import from another source in one edit, or unwires it; a mismatched source is refused with its reason", () => {
    let s = run(add("step", add("math", add("math"))), { type: "connect", from: from("i1"), to: into("i3") });
    s = run(s, { type: "feed", to: into("i3"), feed: { kind: "wire", from: from("i2") } });
    expect(s.doc.graph.wires).toEqual([{ from: from("i2"), to: into("i3") }]);
    expect(run(s, { type: "undo" }).doc.graph.wires).toEqual([{ from: from("i1"), to: into("i3") }]);
    const stringMath = add("string-math", s);
    const refused = run(stringMath, { type: "feed", to: into("i3"), feed: { kind: "wire", from: from("i4") } });
    expect(refused.doc).toBe(stringMath.doc);
    expect(refused.notice?.text).toMatch(/^Refused: `string-math`'s export `local:demo\/math@0\.1\.0` does not match: /);
    s = run(s, { type: "feed", to: into("i3"), feed: { kind: "open", policy: "forward" } });
    expect(s.doc.graph.wires).toEqual([]);
  });

  it("opens a saved document with a cycle: validate names it, and the editor goes on (undo brings the old one back)", () => {
    const before = add("math");
    let s = add("step", add("step"));
    const cyclic = { ...s.doc, graph: { ...s.doc.graph, wires: [{ from: from("i1"), to: into("i2") }, { from: from("i2"), to: into("i1") }] } };
    s = run(before, { type: "open", doc: cyclic });
    expect(validate(lib.catalog, s.doc.graph).map((d) => d.message)).toContain("the instances form a cycle: `step` → `step-2` → `step`; a composition instantiates each instance after those it imports from");
    s = run(s, { type: "delete", selection: { nodes: [], edges: [wireId(into("i1"))] } });
    expect(validate(lib.catalog, s.doc.graph)).toEqual([]);
    expect(run(s, { type: "undo" }, { type: "undo" }).doc).toBe(before.doc);
  });

  it("restores a saved document with nothing to undo", () => {
    const saved = add("math").doc;
    const s = run(add("step"), { type: "restore", doc: saved });
    expect(s.doc).toBe(saved);
    expect(run(s, { type: "undo" })).toBe(s);
  });

  it("keeps 50 instances in a chain valid and undoable", () => {
    let s = add("math");
    for (let i = 2; i <= 50; i++) s = run(add("step", s), { type: "connect", from: from(`i${i - 1}`), to: into(`i${i}`) });
    expect(s.doc.graph.instances).toHaveLength(50);
    expect(s.doc.graph.wires).toHaveLength(49);
    expect(validate(lib.catalog, s.doc.graph)).toEqual([]);
    expect(run(s, { type: "undo" }).doc.graph.wires).toHaveLength(48);
  });
});
