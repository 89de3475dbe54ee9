/**
 * The composition graph as immutable data, and the edits that need no types: every function
 * returns a new graph (or a refusal with its reason) and never changes its input, so undo/redo is a
 * stack of graphs. Edits that must look at component types (adding a wire, auto-wiring, setting an
 * export) are in `wiring.ts`; the rules a whole graph must satisfy are in `validate.ts`.
 *
 * A graph holds instances of library components (each component identified by the sha256 of its
 * bytes), wires into instances' imports (from another instance's export, or from the host: an
 * import of the composition), what happens to an import left unwired (forwarded as an import of
 * the composition under its own name, the default, or refused), and the composition's own exports.
 */

/** What an import that no wire feeds becomes: an import of the composition, or an error. */
export type OpenPolicy = "forward" | "refuse";

export interface InstanceNode {
  /** Stable id (`i1`, `i2`, ...), unique in the graph; a new instance gets one past the highest. */
  readonly id: string;
  /** Unique name shown to people and written to the composed component's name section. */
  readonly name: string;
  /** sha256 (hex) of the component's bytes, as the library knows them. */
  readonly component: string;
  /** Policies of unwired imports, by import name; absent means `forward`. */
  readonly open: Readonly<Record<string, OpenPolicy>>;
}

/** Where a wire comes from: an instance's export, or the host (an import of the composition named `name`). */
export type Source =
  | { readonly kind: "instance"; readonly instance: string; readonly export: string }
  | { readonly kind: "host"; readonly name: string };

/** An instance's import. */
export interface Target {
  readonly instance: string;
  readonly import: string;
}

export interface Wire {
  readonly from: Source;
  readonly to: Target;
}

/** An export of the composition: `instance`'s export `export`, exported as `name`. */
export interface CompositionExport {
  readonly name: string;
  readonly instance: string;
  readonly export: string;
}

export interface Graph {
  readonly instances: readonly InstanceNode[];
  readonly wires: readonly Wire[];
  readonly exports: readonly CompositionExport[];
}

/** An edit's outcome: the new graph, or why it was refused. */
export type Edit<T = Graph> = { readonly ok: true; readonly graph: T } | { readonly ok: false; readonly reason: string };

export const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export const EMPTY_GRAPH: Graph = { instances: [], wires: [], exports: [] };

/** Instance names: lowercase words joined by `-` (`rate-limiter`, `upstream-2`), like WIT labels. */
const INSTANCE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function instanceById(graph: Graph, id: string): InstanceNode | undefined {
  return graph.instances.find((i) => i.id === id);
}

/** The wire feeding `to`, if any. */
export function wireInto(graph: Graph, to: Target): Wire | undefined {
  return graph.wires.find((w) => w.to.instance === to.instance && w.to.import === to.import);
}

export function policyOf(node: InstanceNode, importName: string): OpenPolicy {
  return node.open[importName] ?? "forward";
}

/** `base`, or `base-2`, `base-3`, ... whichever no instance has yet; `base` is made a valid name first. */
export function uniqueName(graph: Graph, base: string): string {
  const clean =
    base
      .toLowerCase()
      .replace(/\.wasm$/, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^[^a-z]+|-+$/g, "") || "instance";
  const taken = new Set(graph.instances.map((i) => i.name));
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

function checkName(graph: Graph, name: string, except?: string): string | null {
  if (!INSTANCE_NAME.test(name)) return `instance name \`${name}\` must be lowercase words joined by '-' (like \`rate-limiter\`)`;
  if (graph.instances.some((i) => i.name === name && i.id !== except)) return `an instance named \`${name}\` already exists`;
  return null;
}

/** Adds an instance of `component` (a sha256); `name` defaults to a unique one made from `label`. */
export function addInstance(graph: Graph, component: string, opts: { name?: string; label?: string } = {}): Edit<{ graph: Graph; id: string }> {
  const name = opts.name ?? uniqueName(graph, opts.label ?? "instance");
  const bad = checkName(graph, name);
  if (bad) return refuse(bad);
  if (!/^[0-9a-f]{64}$/.test(component)) return refuse(`component \`${component}\` is not a sha256 (64 hex digits)`);
  const n = Math.max(0, ...graph.instances.map((i) => Number(/^i(\d+)$/.exec(i.id)?.[1] ?? 0))) + 1;
  const id = `i${n}`;
  return { ok: true, graph: { graph: { ...graph, instances: [...graph.instances, { id, name, component, open: {} }] }, id } };
}

/** Removes an instance with every wire into or out of it and every export of it. */
export function removeInstance(graph: Graph, id: string): Graph {
  return {
    instances: graph.instances.filter((i) => i.id !== id),
    wires: graph.wires.filter((w) => w.to.instance !== id && !(w.from.kind === "instance" && w.from.instance === id)),
    exports: graph.exports.filter((e) => e.instance !== id),
  };
}

export function renameInstance(graph: Graph, id: string, name: string): Edit {
  if (!instanceById(graph, id)) return refuse(`there is no instance ${id}`);
  const bad = checkName(graph, name, id);
  if (bad) return refuse(bad);
  return { ok: true, graph: { ...graph, instances: graph.instances.map((i) => (i.id === id ? { ...i, name } : i)) } };
}

/** Removes the wire into `to` (no change when there is none). */
export function removeWire(graph: Graph, to: Target): Graph {
  return { ...graph, wires: graph.wires.filter((w) => !(w.to.instance === to.instance && w.to.import === to.import)) };
}

/** Sets what `to` becomes while no wire feeds it. */
export function setOpenPolicy(graph: Graph, to: Target, policy: OpenPolicy): Graph {
  return {
    ...graph,
    instances: graph.instances.map((i) => {
      if (i.id !== to.instance) return i;
      const open = { ...i.open };
      if (policy === "forward") delete open[to.import];
      else open[to.import] = policy;
      return { ...i, open };
    }),
  };
}

/** Removes the composition's export `name` (no change when there is none). */
export function removeExport(graph: Graph, name: string): Graph {
  return { ...graph, exports: graph.exports.filter((e) => e.name !== name) };
}

/** Instance ids that `id` depends on (the sources of its wires), in wire order, each once. */
export function dependencies(graph: Graph, id: string): string[] {
  const out: string[] = [];
  for (const w of graph.wires) if (w.to.instance === id && w.from.kind === "instance" && !out.includes(w.from.instance)) out.push(w.from.instance);
  return out;
}

/**
 * The instances in an order where every instance comes after those it depends on (ties keep the
 * graph's order), or the first cycle found, as instance ids in wiring order (`a` feeds `b` feeds `a`),
 * starting at the one added first.
 */
export function topologicalOrder(graph: Graph): { ok: true; order: string[] } | { ok: false; cycle: string[] } {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const s = state.get(id);
    if (s === "done") return null;
    if (s === "visiting") return stack.slice(stack.indexOf(id));
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of dependencies(graph, id)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    order.push(id);
    return null;
  };
  for (const i of graph.instances) {
    const found = visit(i.id);
    if (!found) continue;
    // The stack runs from the dependent to what it depends on; wiring goes the other way. Start
    // at the instance that comes first in the graph, so one cycle always reads the same.
    const cycle = [...found].reverse();
    const first = graph.instances.findIndex((x) => cycle.includes(x.id));
    const at = cycle.indexOf(graph.instances[first]!.id);
    return { ok: false, cycle: [...cycle.slice(at), ...cycle.slice(0, at)] };
  }
  return { ok: true, order };
}

/** `a → b → a`, by instance names. */
export function cycleText(graph: Graph, cycle: readonly string[]): string {
  const names = cycle.map((id) => `\`${instanceById(graph, id)?.name ?? id}\``);
  return [...names, names[0]].join(" → ");
}
