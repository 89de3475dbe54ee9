/**
 * Test support: a library of small WAT components by name (src/compose's fixtures), and graphs of
 * their instances. `parse` is jco's wasm-tools, which only tests may import.
 */
import { addInstance, EMPTY_GRAPH, type Graph } from "../../compose/graph";
import { ComponentLibrary, type LibraryItem } from "./library";

export interface FixtureLibrary {
  readonly lib: ComponentLibrary;
  /** The items by the names they were given. */
  readonly items: Record<string, LibraryItem>;
  /** A graph with one instance of each named component, in order (ids i1, i2, ...). */
  graphOf(...names: string[]): Graph;
}

export async function fixtureLibrary(parse: (wat: string) => Promise<Uint8Array>, wat: Record<string, string>): Promise<FixtureLibrary> {
  const lib = new ComponentLibrary();
  const items: Record<string, LibraryItem> = {};
  for (const [name, text] of Object.entries(wat)) items[name] = await lib.add(`${name}.wasm`, await parse(text), "upload");
  const graphOf = (...names: string[]): Graph => {
    let g = EMPTY_GRAPH;
    for (const n of names) {
      const r = addInstance(g, items[n]!.sha256, { label: n });
      if (!r.ok) throw new Error(r.reason);
      g = r.graph.graph;
    }
    return g;
  };
  return { lib, items, graphOf };
}
