/**
 * Saves the authoring workspace to IndexedDB (idb-keyval, its own database) after every change:
 * one write in flight, the newest state written next. Each edit is also journaled synchronously
 * to localStorage until IndexedDB has it, so a reload right after a keystroke loses nothing.
 */
import { createStore, get, set, type UseStore } from "idb-keyval";
import type { ProjectKind } from "../../protocol/authoring-api";
import { applyJournal, journalOf, readWorkspace, type UnsavedEdit, type WorkspaceState } from "./workspace";

const JOURNAL_KEY = "wasi-playground-authoring-journal";

export class WorkspaceStore {
  readonly #store: UseStore;
  #writing = false;
  #next: WorkspaceState | null = null;
  /** Edits not yet in IndexedDB, by `kind:path`. */
  readonly #unsaved = new Map<string, UnsavedEdit>();

  constructor(
    private readonly onError: (message: string) => void,
    dbName = "wasi-playground-authoring",
  ) {
    this.#store = createStore(dbName, "workspace");
  }

  async load(): Promise<WorkspaceState> {
    let stored: unknown;
    try {
      stored = await get("state", this.#store);
    } catch (err) {
      this.onError(`Could not read the saved workspace: ${err instanceof Error ? err.message : String(err)}`);
    }
    let journal: unknown = null;
    try {
      journal = JSON.parse(localStorage.getItem(JOURNAL_KEY) ?? "null");
    } catch {
      // A torn or foreign value: IndexedDB's copy stands.
    }
    return applyJournal(readWorkspace(stored), journal);
  }

  /** Records an edit synchronously (before the asynchronous save). */
  journal(kind: ProjectKind, path: string, text: string, seq: number): void {
    this.#unsaved.set(`${kind}:${path}`, { kind, path, text, seq });
    this.#writeJournal();
  }

  #writeJournal(): void {
    try {
      const journal = journalOf(this.#unsaved.values());
      if (journal === null) localStorage.removeItem(JOURNAL_KEY);
      else localStorage.setItem(JOURNAL_KEY, JSON.stringify(journal));
    } catch {
      // Over quota: IndexedDB still gets every state.
    }
  }

  save(ws: WorkspaceState): void {
    this.#next = ws;
    this.#pump();
  }

  #pump(): void {
    if (this.#writing || !this.#next) return;
    const ws = this.#next;
    this.#next = null;
    this.#writing = true;
    set("state", ws, this.#store)
      .then(() => {
        for (const [k, e] of this.#unsaved) if (e.seq <= ws.seq) this.#unsaved.delete(k);
        this.#writeJournal();
      })
      .catch((err: unknown) => this.onError(`Could not save the workspace: ${err instanceof Error ? err.message : String(err)} (edits are kept in this tab).`))
      .finally(() => {
        this.#writing = false;
        this.#pump();
      });
  }
}
