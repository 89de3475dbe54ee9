/**
 * Saves the composition editor to IndexedDB (idb-keyval, its own database), like the authoring
 * workspace: the document after every edit (one write in flight, the newest written next), and
 * each component it needs by sha256, written once (library.ts `kept`: opened files, builds, and
 * every component the graph uses), so a reload restores the graph with everything it refers to.
 */
import { createStore, getMany, set, setMany, type UseStore } from "idb-keyval";
import { errorMessage } from "../../base/assert";
import type { DocJson } from "./doc";
import type { LibraryItem } from "./library";

const DOC = "doc";
const ITEMS = "items";
const bytesKey = (sha256: string) => `bytes:${sha256}`;

export interface Saved {
  /** The saved document as stored (parseDoc reads it), or undefined when there is none. */
  readonly doc: unknown;
  readonly components: readonly { item: LibraryItem; bytes: Uint8Array }[];
}

/** What a save came to: the document now in IndexedDB, or why it is not. */
export type SaveResult = { readonly ok: true; readonly doc: DocJson } | { readonly ok: false; readonly error: string };

export class CompositionStore {
  readonly #store: UseStore;
  readonly #written = new Set<string>();
  #writing = false;
  #next: { doc: DocJson; components: readonly { item: LibraryItem; bytes: Uint8Array }[] } | null = null;

  constructor(
    private readonly onSaved: (result: SaveResult) => void,
    dbName = "wasi-playground-composition",
  ) {
    this.#store = createStore(dbName, "composition");
  }

  async load(): Promise<Saved> {
    const [doc, items] = await getMany([DOC, ITEMS], this.#store);
    const list = Array.isArray(items) ? (items as LibraryItem[]) : [];
    const bytes = await getMany(list.map((i) => bytesKey(i.sha256)), this.#store);
    const components = list.flatMap((item, n) => {
      const b: unknown = bytes[n];
      if (!(b instanceof Uint8Array)) return [];
      this.#written.add(item.sha256);
      return [{ item, bytes: b }];
    });
    return { doc, components };
  }

  save(doc: DocJson, components: readonly { item: LibraryItem; bytes: Uint8Array }[]): void {
    this.#next = { doc, components };
    this.#pump();
  }

  #pump(): void {
    const next = this.#next;
    if (this.#writing || !next) return;
    this.#next = null;
    this.#writing = true;
    const fresh = next.components.filter((c) => !this.#written.has(c.item.sha256));
    setMany(fresh.map((c) => [bytesKey(c.item.sha256), c.bytes]), this.#store)
      .then(() => {
        for (const c of fresh) this.#written.add(c.item.sha256);
        return Promise.all([set(ITEMS, next.components.map((c) => c.item), this.#store), set(DOC, next.doc, this.#store)]);
      })
      .then(
        () => {
          this.#writing = false;
          this.onSaved({ ok: true, doc: next.doc });
          this.#pump();
        },
        (err: unknown) => {
          this.#writing = false;
          this.onSaved({ ok: false, error: `Could not save the composition: ${errorMessage(err)} (it stays open in this tab).` });
          this.#pump();
        },
      );
  }
}
