/**
 * The rules of a composition graph, each with its reason: what `canWire` answers for one wire and
 * what `validate` reports for a whole graph. Messages name the node and the port, wac style:
 * "instance `router`, import `local:gw/auth`: ...".
 *
 * Resource rule. Every resource an instance sees is resolved to where it comes from in the graph:
 * one its instance defines (distinct per instance: two instances of one component define two), or
 * one the composition imports (by the composition import's name and the path inside it), following
 * wires through re-exports. An import whose type uses a resource of ANOTHER import of the same
 * instance (`wasi:io/streams` uses `wasi:io/error`'s `error`) must get exactly the resource that
 * other import resolves to: two imports of the same resource through the same upstream instance
 * are the same resource, and mixing upstreams is refused naming both. A forwarded import (or one
 * fed by the host) can only use resources the composition imports, so the import it takes them from
 * must be fed by the host too. Imports forwarded under one name from several instances become one
 * import: they must agree on the members they share. An exported item may only use resources the
 * composition imports or exports (in the same export or in another one).
 */
import { memberAt, type ExternType, type Resource, type ValueType } from "../component/types";
import type { Catalog, ComponentInfo, Port } from "./catalog";
import { checkExtern } from "./check";
import { cycleText, instanceById, policyOf, topologicalOrder, wireInto, type CompositionExport, type Graph, type InstanceNode, type Source, type Target } from "./graph";

/** One problem of a graph, naming the node (an instance, or the composition) and the port. */
export interface Diagnostic {
  /** The instance's id, absent for the composition itself. */
  readonly instance?: string;
  /** The instance's name, or `composition`. */
  readonly node: string;
  /** `import \`x\``, `export \`y\``; absent when the node itself is at fault. */
  readonly port?: string;
  readonly message: string;
}

export function diagnosticText(d: Diagnostic): string {
  const node = d.instance === undefined ? d.node : `instance \`${d.node}\``;
  return `${node}${d.port ? `, ${d.port}` : ""}: ${d.message}`;
}

/** Where a resource comes from in the graph: `key` is equal for the same resource. */
type Resolved = { readonly ok: true; readonly key: string; readonly host: boolean; readonly text: string } | { readonly ok: false; readonly reason: string };

/** An import fed by the host: wired from it, or forwarded while unwired. */
interface HostFed {
  readonly node: InstanceNode;
  readonly port: Port;
  /** The composition's import that feeds it. */
  readonly name: string;
}

const EXTERN_NAME = /^([a-z][a-z0-9]*(-[a-z0-9]+)*|[a-z][a-z0-9-]*:[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)+(@[0-9A-Za-z.+-]+)?)$/;

/** Whether `name` can name an import or export of the composition: a kebab-case name or `ns:pkg/interface@version`. */
export const isExternName = (name: string): boolean => EXTERN_NAME.test(name);

/** The rules evaluated over one graph. */
export class Rules {
  constructor(
    readonly catalog: Catalog,
    readonly graph: Graph,
  ) {}

  node(id: string): InstanceNode | undefined {
    return instanceById(this.graph, id);
  }

  info(node: InstanceNode): ComponentInfo | undefined {
    return this.catalog.info(node.component);
  }

  importPort(node: InstanceNode, name: string): Port | undefined {
    return this.info(node)?.imports.find((p) => p.name === name);
  }

  exportPort(node: InstanceNode, name: string): Port | undefined {
    return this.info(node)?.exports.find((p) => p.name === name);
  }

  /** The composition import that feeds `to` (the host wire's name, or the import's own when forwarded), or null when an instance feeds it or it is refused. */
  hostName(node: InstanceNode, importName: string): string | null {
    const w = wireInto(this.graph, { instance: node.id, import: importName });
    if (w) return w.from.kind === "host" ? w.from.name : null;
    return policyOf(node, importName) === "forward" ? importName : null;
  }

  /** Resolves a resource that instance `node` sees (see the file header). */
  resolve(node: InstanceNode, r: Resource, depth = 0): Resolved {
    if (r.origin.kind === "defined") return { ok: true, key: `${node.id} defined ${r.origin.id}`, host: false, text: `resource \`${r.name}\` defined by instance \`${node.name}\`` };
    if (depth > this.graph.instances.length) return { ok: false, reason: "the instances form a cycle" };
    const [imp, ...rest] = r.origin.path as [string, ...string[]];
    const w = wireInto(this.graph, { instance: node.id, import: imp });
    if (w?.from.kind === "instance") {
      const from = w.from;
      const src = this.node(from.instance);
      const port = src && this.exportPort(src, from.export);
      const found = port && memberAt(port.type, rest);
      if (!src || found?.kind !== "type" || typeof found.type !== "object" || found.type.kind !== "resource") {
        return { ok: false, reason: `\`${src?.name ?? from.instance}\`'s export \`${from.export}\` has no resource \`${rest.join(".")}\`` };
      }
      return this.resolve(src, found.type, depth + 1);
    }
    const name = this.hostName(node, imp);
    if (name === null) return { ok: false, reason: `import \`${imp}\` of \`${node.name}\` is unwired and refused` };
    return { ok: true, key: `host ${[name, ...rest].join(" > ")}`, host: true, text: `resource \`${r.name}\` of the composition's import \`${name}\`` };
  }

  /**
   * Why `from` cannot feed `to` (existence, sort, structure, resources), or null. The export's
   * resources are checked against the instance's other imports that are wired (`settled` false:
   * an editor's question while wiring goes on) or against all of them (`settled`: validation).
   */
  wireProblem(from: Source, to: Target, settled: boolean): string | null {
    const node = this.node(to.instance);
    if (!node) return `there is no instance ${to.instance}`;
    const info = this.info(node);
    if (!info) return `instance \`${node.name}\`'s component cannot be used`;
    const imp = info.imports.find((p) => p.name === to.import);
    if (!imp) return `instance \`${node.name}\` has no import \`${to.import}\``;
    if (from.kind === "host") {
      if (!isExternName(from.name)) return `\`${from.name}\` is not a valid import name`;
      return null;
    }
    if (from.instance === to.instance) return `instance \`${node.name}\` cannot feed its own import`;
    const src = this.node(from.instance);
    if (!src) return `there is no instance ${from.instance}`;
    if (!this.info(src)) return `instance \`${src.name}\`'s component cannot be used`;
    const exp = this.exportPort(src, from.export);
    if (!exp) return `instance \`${src.name}\` has no export \`${from.export}\``;
    const check = checkExtern(imp.type, exp.type);
    if (!check.ok) return `\`${src.name}\`'s export \`${exp.name}\` does not match: ${check.reason}`;
    // The export's resources must be the ones this instance's other wired imports give it.
    for (const p of check.pairs) {
      if (p.want.origin.kind !== "import" || p.want.origin.path[0] === to.import) continue;
      const other = p.want.origin.path[0]!;
      if (!settled && !wireInto(this.graph, { instance: node.id, import: other })) continue;
      const want = this.resolve(node, p.want);
      const have = this.resolve(src, p.have);
      if (want.ok && have.ok && want.key !== have.key) {
        return `resource \`${p.want.name}\` must be the one import \`${other}\` gets (${want.text}), but \`${src.name}\`'s export \`${exp.name}\` uses ${have.text}`;
      }
    }
    return null;
  }

  /** Imports fed by the host, by the composition import's name. */
  hostFed(): Map<string, HostFed[]> {
    const out = new Map<string, HostFed[]>();
    for (const node of this.graph.instances) {
      for (const port of this.info(node)?.imports ?? []) {
        const name = this.hostName(node, port.name);
        if (name === null) continue;
        let list = out.get(name);
        if (!list) out.set(name, (list = []));
        list.push({ node, port, name });
      }
    }
    return out;
  }

  /** Why `b` cannot share the composition import `a` feeds (they must agree on what both use), or null. */
  sharingProblem(a: HostFed, b: HostFed): string | null {
    const shared = (t: ExternType, other: ExternType): ExternType =>
      t.kind === "instance" && other.kind === "instance" ? { kind: "instance", exports: t.exports.filter((m) => other.exports.some((o) => o.name === m.name)) } : t;
    const check = checkExtern(shared(a.port.type, b.port.type), shared(b.port.type, a.port.type));
    const what = `import \`${a.name}\` is shared with instance \`${a.node.name}\`'s import \`${a.port.name}\``;
    if (!check.ok) return `${what}, which differs: ${check.reason}`;
    for (const p of check.pairs) {
      const x = this.resolve(a.node, p.want);
      const y = this.resolve(b.node, p.have);
      if (x.ok && y.ok && x.key !== y.key) return `${what}, whose resource \`${p.want.name}\` is ${x.text}, not ${y.text}`;
    }
    return null;
  }

  /** Why a host-fed import cannot be forwarded (it uses resources of an import an instance feeds), or null. */
  forwardProblem(node: InstanceNode, port: Port): string | null {
    for (const r of resourcesOf(port.type)) {
      if (r.origin.kind !== "import" || r.origin.path[0] === port.name) continue;
      const res = this.resolve(node, r);
      if (res.ok && !res.host) {
        return `it is fed by the host but uses resource \`${r.name}\` of import \`${r.origin.path[0]}\`, which comes from an instance (${res.text}); feed \`${r.origin.path[0]}\` from the host too, or wire this import from an instance`;
      }
    }
    return null;
  }

  /** Why `e` cannot be exported, given the composition's other exports, or null. */
  exportProblem(e: CompositionExport): string | null {
    if (!isExternName(e.name)) return "not a valid export name (a kebab-case name or `ns:pkg/interface@version`)";
    const node = this.node(e.instance);
    if (!node) return `there is no instance ${e.instance}`;
    if (!this.info(node)) return `instance \`${node.name}\`'s component cannot be used`;
    const port = this.exportPort(node, e.export);
    if (!port) return `instance \`${node.name}\` has no export \`${e.export}\``;
    const exported = this.exportedResources();
    for (const r of resourcesOf(port.type)) {
      const res = this.resolve(node, r);
      if (!res.ok) return res.reason;
      if (!res.host && !exported.has(res.key)) return `it uses ${res.text}, which the composition neither imports nor exports: export the interface that declares it too`;
    }
    return null;
  }

  /** Keys of the resources the composition's exports declare (as type exports). */
  exportedResources(): Set<string> {
    const out = new Set<string>();
    for (const e of this.graph.exports) {
      const node = this.node(e.instance);
      const port = node && this.exportPort(node, e.export);
      if (!node || !port) continue;
      for (const r of declaredResources(port.type)) {
        const res = this.resolve(node, r);
        if (res.ok) out.add(res.key);
      }
    }
    return out;
  }
}

/** Every resource a type mentions, each once (by identity). */
export function resourcesOf(t: ExternType): Resource[] {
  const out = new Set<Resource>();
  const value = (v: ValueType | undefined): void => {
    if (v === undefined || typeof v === "string") return;
    switch (v.kind) {
      case "own":
      case "borrow":
        out.add(v.resource);
        return;
      case "record":
        return v.fields.forEach((f) => value(f.type));
      case "variant":
        return v.cases.forEach((c) => value(c.type));
      case "tuple":
        return v.types.forEach(value);
      case "list":
      case "stream":
      case "future":
        return value(v.element);
      case "option":
        return value(v.type);
      case "result":
        return (value(v.ok), value(v.err));
      case "map":
        return (value(v.key), value(v.value));
      default:
        return;
    }
  };
  const extern = (x: ExternType): void => {
    switch (x.kind) {
      case "func":
        x.params.forEach((p) => value(p.type));
        return value(x.result);
      case "instance":
        return x.exports.forEach((m) => extern(m.type));
      case "component":
        return [...x.imports, ...x.exports].forEach((m) => extern(m.type));
      case "type":
        if (typeof x.type === "object" && x.type.kind === "resource") out.add(x.type);
        else value(x.type);
        return;
      case "value":
        return value(x.type);
      case "core module":
        return;
    }
  };
  extern(t);
  return [...out];
}

/** The resources a type declares by name: a resource type itself, or an instance's resource type exports. */
function declaredResources(t: ExternType): Resource[] {
  if (t.kind === "type") return typeof t.type === "object" && t.type.kind === "resource" ? [t.type] : [];
  if (t.kind === "instance") return t.exports.flatMap((m) => declaredResources(m.type));
  return [];
}

/**
 * Every problem of `graph`: components that cannot be used, wires that do not fit, imports fed
 * twice, cycles (named), refused open imports, imports that cannot be forwarded or shared, and
 * exports that are missing, duplicated or use resources the composition cannot name.
 */
export function validate(catalog: Catalog, graph: Graph): Diagnostic[] {
  const rules = new Rules(catalog, graph);
  const out: Diagnostic[] = [];
  const at = (node: InstanceNode, port: string | undefined, message: string) => out.push({ instance: node.id, node: node.name, ...(port ? { port } : {}), message });
  for (const node of graph.instances) {
    const l = catalog.lookup(node.component);
    if (!l.ok) at(node, undefined, l.reason);
  }
  const seen = new Set<string>();
  for (const w of graph.wires) {
    const node = rules.node(w.to.instance);
    if (!node) {
      out.push({ node: "composition", message: `a wire goes into instance ${w.to.instance}, which does not exist` });
      continue;
    }
    if (!rules.info(node)) continue;
    const port = `import \`${w.to.import}\``;
    const key = `${w.to.instance}\u0000${w.to.import}`;
    if (seen.has(key)) at(node, port, "is wired more than once");
    seen.add(key);
    const problem = rules.wireProblem(w.from, w.to, true);
    if (problem) at(node, port, problem);
  }
  const order = topologicalOrder(graph);
  if (!order.ok) {
    const first = rules.node(order.cycle[0]!)!;
    at(first, undefined, `the instances form a cycle: ${cycleText(graph, order.cycle)}; a composition instantiates each instance after those it imports from`);
    return out;
  }
  for (const node of graph.instances) {
    for (const p of rules.info(node)?.imports ?? []) {
      const port = `import \`${p.name}\``;
      const w = wireInto(graph, { instance: node.id, import: p.name });
      if (!w && policyOf(node, p.name) === "refuse") {
        at(node, port, "is not wired and its policy is to refuse it: wire it, or forward it as an import of the composition");
        continue;
      }
      if (w?.from.kind === "instance") continue;
      const problem = rules.forwardProblem(node, p);
      if (problem) at(node, port, problem);
    }
  }
  for (const [, users] of rules.hostFed()) {
    const [first, ...others] = users;
    for (const u of others) {
      const problem = rules.sharingProblem(first!, u);
      if (problem) at(u.node, `import \`${u.port.name}\``, problem);
    }
  }
  const names = new Set<string>();
  for (const e of graph.exports) {
    const port = `export \`${e.name}\``;
    if (names.has(e.name)) out.push({ node: "composition", port, message: "is exported twice" });
    names.add(e.name);
    const problem = rules.exportProblem(e);
    if (problem) out.push({ node: "composition", port, message: problem });
  }
  return out;
}

/** A graph that `validate` refused, when something needed a valid one. */
export class CompositionError extends Error {
  override name = "CompositionError";
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`the composition is not valid:\n${diagnostics.map((d) => `  ${diagnosticText(d)}`).join("\n")}`);
  }
}
