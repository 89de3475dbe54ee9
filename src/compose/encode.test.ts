// Graphs encoded to components: jco's wasm-tools must accept each and print the WIT the graph says
// (imports = what the host feeds, exports = the chosen exports), the binary must have wac's shape,
// and engine/cm must run it in Node (sync lifts and callback lifts need no JSPI).
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CmEngine } from "../engine/cm/engine";
import { createHost } from "../host";
import type { ComponentAst } from "../component/ast";
import { counter as counterWat, COUNTER_USER, OPS, provider, STEP, testLibrary } from "./components.fixture";
import { MATH_USER } from "../component/constructs.fixture";
import { encodeGraph, type Composed } from "./encode";
import { addInstance, EMPTY_GRAPH, type Graph, type Source } from "./graph";
import { CompositionError } from "./rules";
import { addWire, autoWire, setExport } from "./wiring";
import type { Catalog } from "./catalog";

const CONFORMANCE = new URL("../../../shared/conformance/component-model-async/", import.meta.url);

/** Test-side graph building: every edit must succeed. */
class Build {
  graph: Graph = EMPTY_GRAPH;
  constructor(readonly catalog: Catalog) {}
  add(component: string, name: string): string {
    const r = addInstance(this.graph, component, { name });
    if (!r.ok) throw new Error(r.reason);
    this.graph = r.graph.graph;
    return r.graph.id;
  }
  wire(from: Source, to: { instance: string; import: string }): this {
    const r = addWire(this.catalog, this.graph, { from, to });
    if (!r.ok) throw new Error(r.reason);
    this.graph = r.graph;
    return this;
  }
  auto(id: string): this {
    this.graph = autoWire(this.catalog, this.graph, id).graph;
    return this;
  }
  export(instance: string, exp: string, name?: string): this {
    const r = setExport(this.catalog, this.graph, { instance, export: exp, ...(name ? { name } : {}) });
    if (!r.ok) throw new Error(r.reason);
    this.graph = r.graph;
    return this;
  }
}

/** `import`/`export` lines of the first world in wasm-tools' WIT. */
function world(wit: string): { imports: string[]; exports: string[] } {
  const body = /world root \{([\s\S]*?)\n\}/.exec(wit)?.[1] ?? "";
  const items = (kind: string) => [...body.matchAll(new RegExp(`^\\s*${kind} ([^:;\\s]+(?::[^;\\s]+)?)`, "gm"))].map((m) => m[1]!.replace(/:$/, ""));
  return { imports: items("import").sort(), exports: items("export").sort() };
}

async function checkWit(c: Composed): Promise<string> {
  const wit = await componentWit(c.bytes);
  expect(world(wit)).toEqual({ imports: [...c.imports].sort(), exports: [...c.exports].sort() });
  return wit;
}

const engine = new CmEngine();
const quiet = () => createHost({ cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write: () => {} }, stderr: { write: () => {} } }, blocking: { canSuspend: false } });

async function run(c: Composed, iface: string | null, func: string, args: unknown[], host: Record<string, Record<string, unknown>> = {}): Promise<unknown> {
  const prepared = await engine.prepare(c.bytes, `compose-${c.bytes.length}-${c.exports.join()}`);
  const wasi = quiet();
  const inst = engine.instantiate(prepared, { resolveImport: (n) => (host[n] ? { name: n, impl: host[n]! } : wasi.resolve(n)) }, "composed.wasm");
  const f = inst.func(iface, func);
  if (!f) throw new Error(`no export ${iface}#${func}`);
  return inst.call(f, args);
}

const kinds = (ast: ComponentAst) => ast.definitions.map((d) => (d.kind === "alias" ? `alias ${d.alias.sort}` : d.kind));

describe("encodeGraph", () => {
  it("wires a user to a provider: wac's shape, the graph's WIT, and it runs", async () => {
    const { catalog, add } = testLibrary(parse);
    const p = await add("math", provider("local:demo/math@0.1.0"));
    const u = await add("user", MATH_USER);
    const b = new Build(catalog);
    const ui = b.add(u.sha256, "user");
    b.add(p.sha256, "math");
    const wired = autoWire(catalog, b.graph, ui);
    expect(wired.wired).toEqual([{ from: { kind: "instance", instance: "i2", export: "local:demo/math@0.1.0" }, to: { instance: "i1", import: "local:demo/math@0.1.0" } }]);
    b.graph = wired.graph;
    b.export(ui, "quad");
    const c = encodeGraph(catalog, b.graph);
    // Components first, then instances in topological order (the provider although added second).
    expect(kinds(c.ast)).toEqual(["component", "component", "instance", "alias instance", "instance", "alias func", "export"]);
    expect(c.ast.names?.sorts.get("instance")).toEqual(new Map([[0, "math"], [2, "user"]]));
    expect(c.ast.definitions[4]).toMatchObject({ expr: { kind: "instantiate", component: 1, args: [{ name: "local:demo/math@0.1.0", target: { sort: "instance", index: 1 } }] } });
    const wit = await checkWit(c);
    expect(wit).toMatch(/export quad: func\(x: u32\) -> u32;/);
    expect(await run(c, null, "quad", [5])).toBe(20);
  });

  it("forwards an open import with its type, and a host wire names the composition's import", async () => {
    const { catalog, add } = testLibrary(parse);
    const u = await add("user", MATH_USER);
    const b = new Build(catalog);
    const ui = b.add(u.sha256, "user");
    b.export(ui, "quad");
    const forwarded = encodeGraph(catalog, b.graph);
    expect(forwarded.imports).toEqual(["local:demo/math@0.1.0"]);
    expect(kinds(forwarded.ast).slice(0, 2)).toEqual(["type", "import"]);
    await checkWit(forwarded);
    const triple = { "local:demo/math@0.1.0": { double: (x: number) => x * 3 } };
    expect(await run(forwarded, null, "quad", [2], triple)).toBe(18);

    b.wire({ kind: "host", name: "local:demo/tripler@1.0.0" }, { instance: ui, import: "local:demo/math@0.1.0" });
    const renamed = encodeGraph(catalog, b.graph);
    expect(renamed.imports).toEqual(["local:demo/tripler@1.0.0"]);
    await checkWit(renamed);
    expect(await run(renamed, null, "quad", [2], { "local:demo/tripler@1.0.0": triple["local:demo/math@0.1.0"] })).toBe(18);
  });

  it("composes a manual wire between interfaces of different names and the same structure", async () => {
    const { catalog, add } = testLibrary(parse);
    const calc = await add("calc", provider("local:demo/calc", 3));
    const u = await add("user", MATH_USER);
    const b = new Build(catalog);
    const ui = b.add(u.sha256, "user");
    const ci = b.add(calc.sha256, "calc");
    expect(autoWire(catalog, b.graph, ui).wired).toEqual([]);
    b.wire({ kind: "instance", instance: ci, export: "local:demo/calc" }, { instance: ui, import: "local:demo/math@0.1.0" }).export(ui, "quad");
    const c = encodeGraph(catalog, b.graph);
    await checkWit(c);
    expect(await run(c, null, "quad", [2])).toBe(18);
  });

  it("embeds a component once however many instances it has, and instantiates a 50-instance chain", async () => {
    const { catalog, add } = testLibrary(parse);
    const p = await add("math", provider("local:demo/math@0.1.0"));
    const s = await add("step", STEP);
    const u = await add("user", MATH_USER);
    const b = new Build(catalog);
    let prev = b.add(p.sha256, "math");
    for (let i = 1; i <= 48; i++) {
      const id = b.add(s.sha256, `step-${i}`);
      b.wire({ kind: "instance", instance: prev, export: "local:demo/math@0.1.0" }, { instance: id, import: "local:demo/math@0.1.0" });
      prev = id;
    }
    const ui = b.add(u.sha256, "user");
    // Every instance exports the interface the user imports: auto-wiring leaves the choice to the user.
    expect(autoWire(catalog, b.graph, ui).ambiguous[0]?.candidates).toHaveLength(49);
    b.wire({ kind: "instance", instance: prev, export: "local:demo/math@0.1.0" }, { instance: ui, import: "local:demo/math@0.1.0" }).export(ui, "quad");
    expect(b.graph.instances).toHaveLength(50);
    const c = encodeGraph(catalog, b.graph);
    expect(c.ast.definitions.filter((d) => d.kind === "component")).toHaveLength(3);
    expect(c.ast.definitions.filter((d) => d.kind === "instance")).toHaveLength(50);
    expect(c.imports).toEqual([]);
    await checkWit(c);
    // Each step adds 1 to its provider's double: the user's double is 2x + 48, applied twice.
    expect(await run(c, null, "quad", [5])).toBe(2 * (2 * 5 + 48) + 48);
  });

  it("passes a resource through three instances (the constructor's, the one using it, and the user)", async () => {
    const { catalog, add } = testLibrary(parse);
    const counter = await add("counter", counterWat());
    const ops = await add("ops", OPS);
    const cu = await add("counter-user", COUNTER_USER);
    const b = new Build(catalog);
    const ui = b.add(cu.sha256, "user");
    b.add(counter.sha256, "counter");
    const oi = b.add(ops.sha256, "ops");
    b.auto(oi).auto(ui).export(ui, "run");
    expect(b.graph.wires).toHaveLength(3);
    const c = encodeGraph(catalog, b.graph);
    await checkWit(c);
    expect(await run(c, null, "run", [])).toBe(42);
  });

  it("orders exports so that an interface comes after the one naming the resources it uses", async () => {
    const { catalog, add } = testLibrary(parse);
    const counter = await add("counter", counterWat(true));
    const b = new Build(catalog);
    const ci = b.add(counter.sha256, "counter");
    // `peek` uses `counter` without a member of that name: alone it cannot be exported.
    b.export(ci, "local:demo/peek");
    expect(() => encodeGraph(catalog, b.graph)).toThrow(
      "composition, export `local:demo/peek`: it uses resource `counter` defined by instance `counter`, which the composition neither imports nor exports: export the interface that declares it too",
    );
    b.export(ci, "local:demo/types");
    const c = encodeGraph(catalog, b.graph);
    // wasm-tools refuses the other order ("instance not valid to be used as export").
    expect(c.exports).toEqual(["local:demo/types", "local:demo/peek"]);
    await checkWit(c);
  });

  it("refuses an invalid graph with every diagnostic", async () => {
    const { catalog, add } = testLibrary(parse);
    const u = await add("user", MATH_USER);
    const b = new Build(catalog);
    const ui = b.add(u.sha256, "user");
    b.graph = { ...b.graph, instances: b.graph.instances.map((i) => ({ ...i, open: { "local:demo/math@0.1.0": "refuse" } })), exports: [{ name: "quad", instance: ui, export: "quad" }, { name: "gone", instance: ui, export: "nothing" }] };
    expect(() => encodeGraph(catalog, b.graph)).toThrow(CompositionError);
    expect(() => encodeGraph(catalog, b.graph)).toThrow(
      "the composition is not valid:\n" +
        "  instance `user`, import `local:demo/math@0.1.0`: is not wired and its policy is to refuse it: wire it, or forward it as an import of the composition\n" +
        "  composition, export `gone`: instance `user` has no export `nothing`",
    );
  });
});

/** The caller/callee pairs of the component-model-async fixtures, composed the way e2e/cm-async runs them. */
const PAIRS = [
  ["backpressure/async-backpressure-callee.wasm", "backpressure/async-backpressure-caller.wasm"],
  ["error-context/async-error-context-callee.wasm", "error-context/async-error-context-caller.wasm"],
  ["general/async-borrowing-callee.wasm", "general/async-borrowing-caller.wasm"],
  ["general/async-post-return-callee.wasm", "general/async-post-return-caller.wasm"],
  ["general/async-sleep-post-return-callee.wasm", "general/async-sleep-post-return-caller.wasm"],
  ["general/async-transmit-callee.wasm", "general/async-transmit-caller.wasm"],
  ["round-trip/async-round-trip-stackless.wasm", "round-trip/async-round-trip-stackless.wasm"],
  ["round-trip/async-round-trip-synchronous.wasm", "round-trip/async-round-trip-stackless.wasm"],
  ["round-trip/async-round-trip-many-stackless.wasm", "round-trip/async-round-trip-many-stackless.wasm"],
  ["streams/async-unit-stream-callee.wasm", "streams/async-unit-stream-caller.wasm"],
  ["yield/async-yield-callee-stackless.wasm", "yield/async-yield-caller.wasm"],
] as const;

async function composePair(files: readonly [string, string]): Promise<{ c: Composed; callerImports: string[] }> {
  const { library, catalog } = testLibrary(parse);
  const entries = await Promise.all(files.map((f) => library.add(f.split("/")[1]!, new Uint8Array(readFileSync(new URL(f, CONFORMANCE))))));
  const b = new Build(catalog);
  b.add(entries[0]!.sha256, "callee");
  const caller = b.add(entries[1]!.sha256, "caller");
  b.auto(caller);
  for (const p of catalog.info(entries[1]!.sha256)!.exports) b.export(caller, p.name);
  // Auto-wiring found the callee for every `local:` import the callee exports.
  const calleeExports = catalog.info(entries[0]!.sha256)!.exports.map((p) => p.name);
  const local = catalog.info(entries[1]!.sha256)!.imports.filter((p) => p.name.startsWith("local:") && calleeExports.includes(p.name));
  expect(b.graph.wires.filter((w) => w.from.kind === "instance").map((w) => w.to.import)).toEqual(local.map((p) => p.name));
  expect(b.graph.wires.filter((w) => w.from.kind === "host").every((w) => w.to.import.startsWith("wasi:"))).toBe(true);
  return { c: encodeGraph(catalog, b.graph), callerImports: catalog.info(entries[1]!.sha256)!.imports.map((p) => p.name) };
}

describe("the component-model-async caller/callee pairs", () => {
  it.each(PAIRS)("%s + %s: wasm-tools prints the graph's WIT", async (...files) => {
    const { c } = await composePair(files);
    await checkWit(c);
    expect(c.ast.definitions.filter((d) => d.kind === "component")).toHaveLength(files[0] === files[1] ? 1 : 2);
  });

  it("stackless round trip through two instances of one component runs on engine/cm", async () => {
    const { c } = await composePair(["round-trip/async-round-trip-stackless.wasm", "round-trip/async-round-trip-stackless.wasm"]);
    // The host answers at once, so no guest task goes to sleep: these guests (wit-bindgen 0.58),
    // woken from a sleep, cancel a joined read synchronously, which engine/cm traps
    // (e2e/cm-async.spec.ts, JOINED_CANCEL).
    const baz = { foo: (s: string) => `${s} - host` };
    const out = await Promise.all(["a", "b"].map((s) => run(c, "local:local/baz", "foo", [s], { "local:local/baz": baz })));
    expect(out).toEqual(["a", "b"].map((s) => `${s} - entered guest - entered guest - host - exited guest - exited guest`));
  });
});
