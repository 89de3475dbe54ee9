// The rules of a graph with their reasons: canWire's answers for one wire, validate's diagnostics
// for a whole graph (node and port named), on small components built from WAT.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { beforeAll, describe, expect, it } from "vitest";
import type { LibraryEntry } from "./catalog";
import { counter, COUNTER_USER, OPS, provider, reexport, STEP, testLibrary } from "./components.fixture";
import { MATH_USER } from "../component/constructs.fixture";
import { addInstance, EMPTY_GRAPH, setOpenPolicy, type Graph, type Source, type Target } from "./graph";
import { diagnosticText, validate } from "./rules";
import { addWire, autoWire, canWire, setExport } from "./wiring";

const lib = testLibrary(parse);
const { catalog } = lib;
const c: Record<string, LibraryEntry> = {};

beforeAll(async () => {
  const wat: Record<string, string> = {
    math: provider("local:demo/math@0.1.0"),
    "math-0-1-7": provider("local:demo/math@0.1.7", 3),
    "math-0-2": provider("local:demo/math@0.2.0"),
    calc: provider("local:demo/calc"),
    "wasi-math": provider("wasi:demo/math@0.1.0"),
    "wasi-user": reexport('(param "x" u32) (result u32)', "wasi:demo/math@0.1.0"),
    step: STEP,
    user: MATH_USER,
    "async-math": reexport('async (param "x" u32) (result u32)'),
    "string-math": reexport('(param "x" string) (result u32)'),
    "renamed-math": reexport('(param "y" u32) (result u32)'),
    "string-user": reexport('(param "x" string) (result u32)').replace('(export "local:demo/math@0.1.0" (instance $in))', ""),
    counter: counter(),
    ops: OPS,
    "counter-user": COUNTER_USER,
  };
  for (const [name, text] of Object.entries(wat)) c[name] = await lib.add(name, text);
});

/** A graph of instances `name` (of component `name`) or `name=component`, with ids i1, i2, ... in order. */
function graphOf(...specs: string[]): Graph {
  let g = EMPTY_GRAPH;
  for (const spec of specs) {
    const [n, component = n] = spec.split("=") as [string, string?];
    const r = addInstance(g, c[component]!.sha256, { name: n });
    if (!r.ok) throw new Error(r.reason);
    g = r.graph.graph;
  }
  return g;
}

const from = (instance: string, exp: string): Source => ({ kind: "instance", instance, export: exp });
const into = (instance: string, imp: string): Target => ({ instance, import: imp });
const MATH = "local:demo/math@0.1.0";

function wired(g: Graph, ...wires: [Source, Target][]): Graph {
  for (const [f, t] of wires) {
    const r = addWire(catalog, g, { from: f, to: t });
    if (!r.ok) throw new Error(r.reason);
    g = r.graph;
  }
  return g;
}

const problems = (g: Graph) => validate(catalog, g).map(diagnosticText);

describe("canWire: the structural type check of one wire", () => {
  it("accepts a matching export, and a different interface of the same structure (a manual wire)", () => {
    const g = graphOf("user", "math", "calc");
    expect(canWire(catalog, g, from("i2", MATH), into("i1", MATH))).toEqual({ ok: true });
    expect(canWire(catalog, g, from("i3", "local:demo/calc"), into("i1", MATH))).toEqual({ ok: true });
  });

  it("refuses mistyped wires with the reason, naming the member and the part", () => {
    const g = graphOf("user", "string-math", "async-math", "renamed-math", "step");
    expect(canWire(catalog, g, from("i2", MATH), into("i1", MATH))).toEqual({
      ok: false,
      reason: "`string-math`'s export `local:demo/math@0.1.0` does not match: `double` > parameter `x`: expected u32, found string",
    });
    expect(canWire(catalog, g, from("i3", MATH), into("i1", MATH))).toEqual({
      ok: false,
      reason: "`async-math`'s export `local:demo/math@0.1.0` does not match: `double`: expected a sync function, found an async one",
    });
    expect(canWire(catalog, g, from("i4", MATH), into("i1", MATH))).toEqual({
      ok: false,
      reason: "`renamed-math`'s export `local:demo/math@0.1.0` does not match: `double`: parameter 1 is `y`, expected `x`",
    });
  });

  it("refuses a function where an instance is imported, a missing member, a missing port", () => {
    const g = graphOf("user", "user-b=user", "counter", "step");
    expect(canWire(catalog, g, from("i2", "quad"), into("i1", MATH))).toMatchObject({ reason: "`user-b`'s export `quad` does not match: expected an instance, found a function" });
    expect(canWire(catalog, g, from("i3", "local:demo/types"), into("i1", MATH))).toMatchObject({ reason: "`counter`'s export `local:demo/types` does not match: export `double` is missing" });
    expect(canWire(catalog, g, from("i4", "local:demo/nope"), into("i1", MATH))).toMatchObject({ reason: "instance `step` has no export `local:demo/nope`" });
    expect(canWire(catalog, g, from("i4", MATH), into("i1", "local:demo/nope"))).toMatchObject({ reason: "instance `user` has no import `local:demo/nope`" });
    expect(canWire(catalog, g, from("i4", MATH), into("i4", MATH))).toMatchObject({ reason: "instance `step` cannot feed its own import" });
    expect(canWire(catalog, g, { kind: "host", name: "Not A Name" }, into("i1", MATH))).toMatchObject({ reason: "`Not A Name` is not a valid import name" });
  });

  it("refuses a second wire into one import", () => {
    const g = wired(graphOf("user", "math", "step"), [from("i2", MATH), into("i1", MATH)]);
    expect(canWire(catalog, g, from("i3", MATH), into("i1", MATH))).toMatchObject({
      reason: "import `local:demo/math@0.1.0` of `user` is already wired from `math`'s export `local:demo/math@0.1.0`; remove that wire first",
    });
  });

  it("refuses a wire that closes a cycle, naming the instances in order", () => {
    const g = wired(graphOf("a=step", "b=step", "c=step"), [from("i1", MATH), into("i2", MATH)], [from("i2", MATH), into("i3", MATH)]);
    expect(canWire(catalog, g, from("i3", MATH), into("i1", MATH))).toMatchObject({ reason: "this wire would close a cycle: `a` → `b` → `c` → `a`" });
  });
});

describe("autoWire", () => {
  it("wires the same interface in a compatible version, not an incompatible one nor another name", () => {
    const g = graphOf("user", "math-0-2", "calc", "math-0-1-7");
    const r = autoWire(catalog, g, "i1");
    expect(r.wired).toEqual([{ from: from("i4", "local:demo/math@0.1.7"), to: into("i1", MATH) }]);
    expect(r.ambiguous).toEqual([]);
  });

  it("leaves a choice between two providers to the user", () => {
    const g = graphOf("user", "math", "step");
    const r = autoWire(catalog, g, "i1");
    expect(r.wired).toEqual([]);
    expect(r.ambiguous).toEqual([{ import: MATH, candidates: [from("i2", MATH), from("i3", MATH)] }]);
  });

  it("wires a WASI interface from the instance that exports it, else from the host", () => {
    const WASI = "wasi:demo/math@0.1.0";
    expect(autoWire(catalog, graphOf("wasi-user"), "i1").wired).toEqual([{ from: { kind: "host", name: WASI }, to: into("i1", WASI) }]);
    expect(autoWire(catalog, graphOf("wasi-user", "wasi-math"), "i1").wired).toEqual([{ from: from("i2", WASI), to: into("i1", WASI) }]);
  });
});

describe("validate", () => {
  it("names a library entry that is not a component, and one that is missing", async () => {
    const core = await lib.library.add("core.wasm", Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    let g = EMPTY_GRAPH;
    for (const sha of [core.sha256, "f".repeat(64)]) {
      const r = addInstance(g, sha, { label: "thing" });
      g = r.ok ? r.graph.graph : g;
    }
    expect(problems(g)).toEqual([
      "instance `thing`: `core.wasm` is not a component this playground can compose: this is a core WebAssembly module, not a component (wrap it with `wasm-tools component new`) (in preamble, at byte offset 6 = 0x6)",
      "instance `thing-2`: component ffffffffffff… is not in the library",
    ]);
  });

  it("names an open import whose policy is to refuse it, and accepts it forwarded", () => {
    const g = setOpenPolicy(graphOf("user"), into("i1", MATH), "refuse");
    expect(problems(g)).toEqual(["instance `user`, import `local:demo/math@0.1.0`: is not wired and its policy is to refuse it: wire it, or forward it as an import of the composition"]);
    expect(problems(setOpenPolicy(g, into("i1", MATH), "forward"))).toEqual([]);
  });

  it("names a cycle in a graph that was built around the editor (a loaded file)", () => {
    const g: Graph = { ...graphOf("a=step", "b=step"), wires: [{ from: from("i1", MATH), to: into("i2", MATH) }, { from: from("i2", MATH), to: into("i1", MATH) }] };
    expect(problems(g)).toEqual(["instance `a`: the instances form a cycle: `a` → `b` → `a`; a composition instantiates each instance after those it imports from"]);
  });

  it("names a mistyped wire and an import wired twice", () => {
    const g: Graph = { ...graphOf("user", "string-math", "math"), wires: [{ from: from("i2", MATH), to: into("i1", MATH) }, { from: from("i3", MATH), to: into("i1", MATH) }] };
    expect(problems(g)).toEqual([
      "instance `user`, import `local:demo/math@0.1.0`: `string-math`'s export `local:demo/math@0.1.0` does not match: `double` > parameter `x`: expected u32, found string",
      "instance `user`, import `local:demo/math@0.1.0`: is wired more than once",
    ]);
  });

  it("refuses imports of one resource from two upstreams (the resource rule)", () => {
    // `user` gets `types` from counter-a, and `ops` from an instance whose counter is counter-b's.
    let g = wired(graphOf("counter-user", "counter-a=counter", "counter-b=counter", "ops"), [from("i3", "local:demo/types"), into("i4", "local:demo/types")], [from("i4", "local:demo/ops"), into("i1", "local:demo/ops")]);
    const reason =
      "resource `counter` must be the one import `local:demo/types` gets (resource `counter` defined by instance `counter-a`), but `ops`'s export `local:demo/ops` uses resource `counter` defined by instance `counter-b`";
    expect(canWire(catalog, g, from("i2", "local:demo/types"), into("i1", "local:demo/types"))).toEqual({ ok: true });
    g = wired(g, [from("i2", "local:demo/types"), into("i1", "local:demo/types")]);
    expect(problems(g)).toEqual([`instance \`counter-user\`, import \`local:demo/ops\`: ${reason}`]);
    // Wiring in the other order, the editor refuses the second wire.
    const h = wired(graphOf("counter-user", "counter-a=counter", "counter-b=counter", "ops"), [from("i3", "local:demo/types"), into("i4", "local:demo/types")], [from("i2", "local:demo/types"), into("i1", "local:demo/types")]);
    expect(canWire(catalog, h, from("i4", "local:demo/ops"), into("i1", "local:demo/ops"))).toEqual({ ok: false, reason });
    // One upstream for both: valid.
    expect(problems(wired(graphOf("counter-user", "counter", "ops"), [from("i2", "local:demo/types"), into("i3", "local:demo/types")], [from("i2", "local:demo/types"), into("i1", "local:demo/types")], [from("i3", "local:demo/ops"), into("i1", "local:demo/ops")]))).toEqual([]);
  });

  it("refuses forwarding an import whose resource comes from an instance", () => {
    const g = wired(graphOf("counter-user", "counter"), [from("i2", "local:demo/types"), into("i1", "local:demo/types")]);
    expect(problems(g)).toEqual([
      "instance `counter-user`, import `local:demo/ops`: it is fed by the host but uses resource `counter` of import `local:demo/types`, which comes from an instance (resource `counter` defined by instance `counter`); feed `local:demo/types` from the host too, or wire this import from an instance",
    ]);
  });

  it("refuses sharing one composition import between imports that disagree", () => {
    const g = graphOf("user", "string-user");
    const reason = "import `local:demo/math@0.1.0` is shared with instance `user`'s import `local:demo/math@0.1.0`, which differs: `double` > parameter `x`: expected u32, found string";
    expect(problems(g)).toEqual([`instance \`string-user\`, import \`local:demo/math@0.1.0\`: ${reason}`]);
    // Renamed apart, they are two imports of the composition; a host wire joining them again is refused.
    const apart = wired(g, [{ kind: "host", name: "local:demo/text-math@0.1.0" }, into("i2", MATH)]);
    expect(problems(apart)).toEqual([]);
    expect(canWire(catalog, graphOf("user", "string-user"), { kind: "host", name: MATH }, into("i2", MATH))).toEqual({ ok: false, reason });
  });

  it("names exports that are missing, duplicated or badly named", () => {
    const g: Graph = {
      ...graphOf("user"),
      exports: [
        { name: "quad", instance: "i1", export: "quad" },
        { name: "quad", instance: "i1", export: "quad" },
        { name: "Quad", instance: "i1", export: "quad" },
        { name: "nope", instance: "i1", export: "nope" },
      ],
    };
    expect(problems(g)).toEqual([
      "composition, export `quad`: is exported twice",
      "composition, export `Quad`: not a valid export name (a kebab-case name or `ns:pkg/interface@version`)",
      "composition, export `nope`: instance `user` has no export `nope`",
    ]);
  });
});

describe("setExport", () => {
  it("exports under the export's own name or another, and refuses a taken or invalid name", () => {
    let g = graphOf("user", "math");
    const r = setExport(catalog, g, { instance: "i1", export: "quad" });
    expect(r.ok).toBe(true);
    g = r.ok ? r.graph : g;
    expect(g.exports).toEqual([{ name: "quad", instance: "i1", export: "quad" }]);
    expect(setExport(catalog, g, { instance: "i1", export: "quad" })).toEqual({ ok: false, reason: "the composition already exports `quad` (from `user`'s export `quad`)" });
    expect(setExport(catalog, g, { instance: "i1", export: "quad", name: "Bad" })).toMatchObject({ ok: false, reason: expect.stringMatching(/^`Bad` is not a valid export name/) });
    expect(setExport(catalog, g, { instance: "i2", export: MATH, name: "local:demo/twice" })).toMatchObject({ ok: true });
  });
});
