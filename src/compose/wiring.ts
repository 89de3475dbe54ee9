/**
 * Edits that look at component types: wiring an import, auto-wiring an instance, exporting an
 * instance's export from the composition. Pure functions over an immutable graph, like graph.ts;
 * each refusal says why.
 */
import { compatible } from "../base/semver";
import type { Catalog } from "./catalog";
import { cycleText, instanceById, refuse, topologicalOrder, wireInto, type CompositionExport, type Edit, type Graph, type Source, type Target, type Wire } from "./graph";
import { isExternName, Rules } from "./rules";

export type CanWire = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether `from` may feed `to` in `graph`: the import exists and is not wired yet, the source exists,
 * the export's type satisfies the import's (structurally: any matching instance will do, whatever
 * its interface's name), its resources agree with the instance's other wired imports, the wire
 * closes no cycle, and a host import feeding several imports is one they agree on.
 */
export function canWire(catalog: Catalog, graph: Graph, from: Source, to: Target): CanWire {
  const rules = new Rules(catalog, graph);
  const problem = rules.wireProblem(from, to, false);
  if (problem) return refuse(problem);
  const existing = wireInto(graph, to);
  if (existing) {
    const node = instanceById(graph, to.instance)!;
    return refuse(`import \`${to.import}\` of \`${node.name}\` is already wired from ${sourceText(graph, existing.from)}; remove that wire first`);
  }
  const after = { ...graph, wires: [...graph.wires, { from, to }] };
  if (from.kind === "instance") {
    const order = topologicalOrder(after);
    if (!order.ok) return refuse(`this wire would close a cycle: ${cycleText(graph, order.cycle)}`);
  } else {
    // Imports fed by one host import become one import of the composition: they must agree.
    const next = new Rules(catalog, after);
    const [first, ...others] = next.hostFed().get(from.name) ?? [];
    const added = others.find((u) => u.node.id === to.instance && u.port.name === to.import);
    const problem = first && added && next.sharingProblem(first, added);
    if (problem) return refuse(problem);
  }
  return { ok: true };
}

export function sourceText(graph: Graph, from: Source): string {
  if (from.kind === "host") return `the host (\`${from.name}\`)`;
  return `\`${instanceById(graph, from.instance)?.name ?? from.instance}\`'s export \`${from.export}\``;
}

/** Adds a wire if {@link canWire} allows it. */
export function addWire(catalog: Catalog, graph: Graph, wire: Wire): Edit {
  const can = canWire(catalog, graph, wire.from, wire.to);
  return can.ok ? { ok: true, graph: { ...graph, wires: [...graph.wires, wire] } } : can;
}

export interface AutoWired {
  readonly graph: Graph;
  /** The wires added. */
  readonly wired: readonly Wire[];
  /** Imports more than one instance could feed, left unwired, with the candidates. */
  readonly ambiguous: readonly { readonly import: string; readonly candidates: readonly Source[] }[];
}

/**
 * Wires each unwired interface import of instance `id` from the one other instance that exports the
 * same interface in a semver-compatible version and passes {@link canWire}; a `wasi:` interface
 * that no instance exports comes from the host (same name). Imports with several such instances are
 * left for the user; imports with none stay open (forwarded or refused by their policy).
 */
export function autoWire(catalog: Catalog, graph: Graph, id: string): AutoWired {
  const node = instanceById(graph, id);
  const info = node && catalog.info(node.component);
  if (!node || !info) return { graph, wired: [], ambiguous: [] };
  const wired: Wire[] = [];
  const ambiguous: { import: string; candidates: Source[] }[] = [];
  for (const imp of info.imports) {
    const to = { instance: id, import: imp.name };
    if (wireInto(graph, to)) continue;
    const want = imp.externName;
    if (!want.isInterface) continue;
    const candidates: Source[] = [];
    for (const other of graph.instances) {
      if (other.id === id) continue;
      for (const exp of catalog.info(other.component)?.exports ?? []) {
        const have = exp.externName;
        if (!have.isInterface || have.unversioned !== want.unversioned || !compatible(want.version ?? "", have.version ?? "")) continue;
        const from: Source = { kind: "instance", instance: other.id, export: exp.name };
        if (canWire(catalog, graph, from, to).ok) candidates.push(from);
      }
    }
    if (!candidates.length && want.unversioned.startsWith("wasi:")) candidates.push({ kind: "host", name: imp.name });
    if (candidates.length > 1) ambiguous.push({ import: imp.name, candidates });
    if (candidates.length !== 1) continue;
    const wire = { from: candidates[0]!, to };
    graph = { ...graph, wires: [...graph.wires, wire] };
    wired.push(wire);
  }
  return { graph, wired, ambiguous };
}

/**
 * Exports instance `instance`'s export `export` from the composition as `name` (default: the same
 * name). Refused when the name is taken or the export does not exist; whether its resources can be
 * named is for `validate`, since exporting the interface that declares them may come next.
 */
export function setExport(catalog: Catalog, graph: Graph, e: { instance: string; export: string; name?: string }): Edit {
  const exp: CompositionExport = { instance: e.instance, export: e.export, name: e.name ?? e.export };
  if (!isExternName(exp.name)) return refuse(`\`${exp.name}\` is not a valid export name (a kebab-case name or \`ns:pkg/interface@version\`)`);
  const taken = graph.exports.find((x) => x.name === exp.name);
  if (taken) return refuse(`the composition already exports \`${exp.name}\` (from ${sourceText(graph, { kind: "instance", instance: taken.instance, export: taken.export })})`);
  const rules = new Rules(catalog, { ...graph, exports: [...graph.exports, exp] });
  const node = rules.node(exp.instance);
  if (!node) return refuse(`there is no instance ${exp.instance}`);
  if (!rules.info(node)) return refuse(`instance \`${node.name}\`'s component cannot be used`);
  if (!rules.exportPort(node, exp.export)) return refuse(`instance \`${node.name}\` has no export \`${exp.export}\``);
  return { ok: true, graph: { ...graph, exports: [...graph.exports, exp] } };
}
