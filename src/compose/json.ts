/**
 * The graph's versioned JSON form, for IndexedDB and share links. {@link graphToJson} writes
 * version 1; {@link parseGraph} reads it back and refuses, with a message naming the field, anything
 * that is not a well-formed version-1 graph: a newer version (the playground that reads it must be
 * updated), unknown fields, ids or names used twice, wires or exports naming instances that do not
 * exist, two wires into one import. Whether the graph type-checks is `validate`'s question, since
 * that needs the components.
 */
import { addInstance, EMPTY_GRAPH, type CompositionExport, type Graph, type InstanceNode, type OpenPolicy, type Source, type Wire } from "./graph";

export const GRAPH_VERSION = 1;

/** The JSON form: the graph's own fields plus `version`. */
export interface GraphJson extends Graph {
  readonly version: typeof GRAPH_VERSION;
}

export function graphToJson(graph: Graph): GraphJson {
  return {
    version: GRAPH_VERSION,
    instances: graph.instances.map((i) => ({ id: i.id, name: i.name, component: i.component, open: { ...i.open } })),
    wires: graph.wires.map((w) => ({ from: { ...w.from }, to: { ...w.to } })),
    exports: graph.exports.map((e) => ({ ...e })),
  };
}

export type Parsed = { readonly ok: true; readonly graph: Graph } | { readonly ok: false; readonly error: string };

class Bad extends Error {}

const fail = (path: string, message: string): never => {
  throw new Bad(`${path}: ${message}`);
};

type Obj = Record<string, unknown>;

function object(v: unknown, path: string, fields: readonly string[]): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object");
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!fields.includes(k)) fail(path, `unexpected field \`${k}\``);
  return o;
}

function string(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") fail(`${path}.${key}`, "expected a non-empty string");
  return v as string;
}

function array(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, "expected an array");
  return v as unknown[];
}

/** Reads a graph from its JSON form (a string, or already parsed). */
export function parseGraph(input: unknown): Parsed {
  try {
    return { ok: true, graph: read(typeof input === "string" ? parseText(input) : input) };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, error: `not a valid composition graph: ${err.message}` };
    throw err;
  }
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail("graph", `not JSON (${(err as Error).message})`);
  }
}

function read(input: unknown): Graph {
  const top = object(input, "graph", ["version", "instances", "wires", "exports"]);
  const version = top.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) fail("graph.version", "expected a positive integer");
  if ((version as number) > GRAPH_VERSION) {
    fail("graph.version", `it is version ${version as number}, saved by a newer playground; this one reads version ${GRAPH_VERSION} (reload to update)`);
  }
  const instances = array(top, "instances", "graph").map((v, n): InstanceNode => {
    const path = `graph.instances[${n}]`;
    const o = object(v, path, ["id", "name", "component", "open"]);
    const open = o.open ?? {};
    if (typeof open !== "object" || open === null || Array.isArray(open)) fail(`${path}.open`, "expected an object");
    for (const [k, p] of Object.entries(open as Obj)) if (p !== "forward" && p !== "refuse") fail(`${path}.open["${k}"]`, "expected \"forward\" or \"refuse\"");
    return { id: string(o, "id", path), name: string(o, "name", path), component: string(o, "component", path), open: open as Record<string, OpenPolicy> };
  });
  let graph: Graph = EMPTY_GRAPH;
  const ids = new Set<string>();
  for (const [n, i] of instances.entries()) {
    const path = `graph.instances[${n}]`;
    if (!/^i\d+$/.test(i.id)) fail(`${path}.id`, `\`${i.id}\` is not an instance id (i1, i2, ...)`);
    if (ids.has(i.id)) fail(`${path}.id`, `\`${i.id}\` is used twice`);
    ids.add(i.id);
    // The same checks as adding an instance in the editor (name and sha256).
    const added = addInstance(graph, i.component, { name: i.name });
    if (!added.ok) fail(path, added.reason);
    graph = { ...graph, instances: [...graph.instances, i] };
  }
  const instance = (id: unknown, path: string): string => {
    if (typeof id !== "string" || !ids.has(id)) fail(path, `there is no instance \`${String(id)}\``);
    return id as string;
  };
  const fed = new Set<string>();
  const wires = array(top, "wires", "graph").map((v, n): Wire => {
    const path = `graph.wires[${n}]`;
    const o = object(v, path, ["from", "to"]);
    const to = object(o.to, `${path}.to`, ["instance", "import"]);
    const target = { instance: instance(to.instance, `${path}.to.instance`), import: string(to, "import", `${path}.to`) };
    const key = `${target.instance}\u0000${target.import}`;
    if (fed.has(key)) fail(path, `import \`${target.import}\` of ${target.instance} is wired twice`);
    fed.add(key);
    const from = o.from as Obj | undefined;
    let source: Source;
    if (from?.kind === "host") {
      const f = object(from, `${path}.from`, ["kind", "name"]);
      source = { kind: "host", name: string(f, "name", `${path}.from`) };
    } else if (from?.kind === "instance") {
      const f = object(from, `${path}.from`, ["kind", "instance", "export"]);
      source = { kind: "instance", instance: instance(f.instance, `${path}.from.instance`), export: string(f, "export", `${path}.from`) };
    } else return fail(`${path}.from.kind`, 'expected "instance" or "host"');
    return { from: source, to: target };
  });
  const names = new Set<string>();
  const exports = array(top, "exports", "graph").map((v, n): CompositionExport => {
    const path = `graph.exports[${n}]`;
    const o = object(v, path, ["name", "instance", "export"]);
    const e = { name: string(o, "name", path), instance: instance(o.instance, `${path}.instance`), export: string(o, "export", path) };
    if (names.has(e.name)) fail(`${path}.name`, `\`${e.name}\` is exported twice`);
    names.add(e.name);
    return e;
  });
  return { instances, wires, exports };
}
