/**
 * The components the editor composes from, keyed by sha256: the examples (their parts included),
 * .wasm files the user opened, and components built in "Write a component". Examples are listed
 * from components/index.json before their bytes are fetched; an item's bytes arrive once (they are
 * what its sha256 names). Implements src/compose's `Library`, so one `Catalog` types them all.
 */
import { Catalog, type Library, type LibraryEntry, type Lookup } from "../../compose/catalog";
import type { Graph } from "../../compose/graph";

/** Where a component came from, which is also how the library groups it. */
export type Origin = "example" | "upload" | "authored";

export interface LibraryItem {
  readonly sha256: string;
  /** File name (`gateway-router.wasm`, `my-project.wasm`). */
  readonly name: string;
  readonly origin: Origin;
  readonly size: number;
  readonly description?: string;
  /** For an example that is a part of a composition: its group and its name in it. */
  readonly group?: string;
  readonly part?: string;
}

export interface LibrarySection {
  readonly title: string;
  readonly origin: Origin;
  readonly items: readonly LibraryItem[];
}

const SECTIONS: readonly { origin: Origin; title: string }[] = [
  { origin: "example", title: "Examples" },
  { origin: "upload", title: "Opened files" },
  { origin: "authored", title: "Built in “Write a component”" },
];

/** Hex sha256 of `bytes`. */
export async function sha256Of(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The items and bytes known so far; `version` grows with every change (for React). */
export class ComponentLibrary implements Library {
  readonly #items = new Map<string, LibraryItem>();
  readonly #bytes = new Map<string, Uint8Array>();
  readonly catalog = new Catalog(this);
  version = 0;

  /** Lists an item (bytes may come later). A sha256 listed already keeps its first origin and name. */
  list(item: LibraryItem): LibraryItem {
    const known = this.#items.get(item.sha256);
    if (known) return known;
    this.#items.set(item.sha256, item);
    this.version++;
    return item;
  }

  /** Adds a component by its bytes (an upload, a build); returns its item. */
  async add(name: string, bytes: Uint8Array, origin: Origin): Promise<LibraryItem> {
    const sha256 = await sha256Of(bytes);
    const item = this.list({ sha256, name, origin, size: bytes.length });
    this.putBytes(sha256, bytes);
    return item;
  }

  /** The bytes of a listed item (fetched, or read back from storage); trusted to hash to `sha256`. */
  putBytes(sha256: string, bytes: Uint8Array): void {
    if (this.#bytes.has(sha256)) return;
    this.#bytes.set(sha256, bytes);
    this.version++;
  }

  item(sha256: string): LibraryItem | undefined {
    return this.#items.get(sha256);
  }

  hasBytes(sha256: string): boolean {
    return this.#bytes.has(sha256);
  }

  entry(sha256: string): LibraryEntry | undefined {
    const bytes = this.#bytes.get(sha256);
    const item = this.#items.get(sha256);
    return bytes && item ? { sha256, name: item.name, bytes } : undefined;
  }

  /** The item's typing: its ports, or why it cannot be composed (not loaded, not a component). */
  lookup(sha256: string): Lookup {
    if (this.#items.has(sha256) && !this.#bytes.has(sha256)) return { ok: false, reason: `\`${this.#items.get(sha256)!.name}\` is still loading` };
    return this.catalog.lookup(sha256);
  }

  /**
   * What must be saved so a reload finds every component again: the files opened and the builds
   * added (the examples are served anyway), and every component `graph` uses (so an example rebuilt
   * since keeps the graph's own bytes), each with its bytes when they have arrived.
   */
  kept(graph: Graph): { item: LibraryItem; bytes: Uint8Array }[] {
    const used = new Set(graph.instances.map((i) => i.component));
    const out: { item: LibraryItem; bytes: Uint8Array }[] = [];
    for (const item of this.#items.values()) {
      const bytes = this.#bytes.get(item.sha256);
      if (bytes && (item.origin !== "example" || used.has(item.sha256))) out.push({ item, bytes });
    }
    return out;
  }

  /** The items by origin, in the order they were listed; empty sections left out. */
  sections(): LibrarySection[] {
    const all = [...this.#items.values()];
    return SECTIONS.map((s) => ({ ...s, items: all.filter((i) => i.origin === s.origin) })).filter((s) => s.items.length > 0);
  }
}
