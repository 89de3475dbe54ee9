/**
 * A composition lesson's component: the lesson's graph with the learner's built guest as the parts
 * it leaves open, encoded through src/compose into one runnable component.
 */
import type { LessonComposition } from "../../learn/lesson";
import { Catalog, MemoryLibrary } from "../../compose/catalog";
import { encodeGraph } from "../../compose/encode";
import { addInstance, EMPTY_GRAPH, type Edit, type Graph } from "../../compose/graph";
import { addWire, setExport } from "../../compose/wiring";

function ok<T>(edit: Edit<T>): T {
  if (!edit.ok) throw new Error(`The lesson's composition could not be made: ${edit.reason}`);
  return edit.graph;
}

/** `load` fetches a built example's bytes by component name (`gateway-router`). */
export async function composeLesson(c: LessonComposition, guest: Uint8Array, load: (component: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  const library = new MemoryLibrary();
  const catalog = new Catalog(library);
  let graph: Graph = EMPTY_GRAPH;
  const ids = new Map<string, string>();
  for (const part of c.parts) {
    const entry = await library.add(`${part.component ?? "guest"}.wasm`, part.component === null ? guest : await load(part.component));
    const added = ok(addInstance(graph, entry.sha256, { name: part.instance }));
    graph = added.graph;
    ids.set(part.instance, added.id);
  }
  const id = (instance: string) => ids.get(instance) ?? "";
  for (const w of c.wires) graph = ok(addWire(catalog, graph, { from: { kind: "instance", instance: id(w.exporter), export: w.export }, to: { instance: id(w.importer), import: w.name } }));
  graph = ok(setExport(catalog, graph, { instance: id(c.export.instance), export: c.export.name }));
  return encodeGraph(catalog, graph, { name: c.name }).bytes;
}
