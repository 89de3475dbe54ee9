/**
 * The seams a project is read from and restored into. Each piece of state that a link carries
 * lives where it always did (the playground hook, the run panel's inputs, the authoring
 * workspace, the dock); its owner registers a `get`/`set` pair here with `useProjectPart`, and the
 * share code reads and restores the whole project through them, knowing none of the panels.
 * A value set before its owner has mounted waits for it.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import type { EngineName, PreopenSpec } from "../../protocol/runtime";
import type { GraphJson } from "../../compose/json";
import type { AuthoringState } from "../../share/schema";
import type { DockState } from "../layout/dockState";
import type { RunInputs } from "../run/inputs";

/** Every seam and the value it reads and takes. */
export interface PartValues {
  component: { name: string; bytes: Uint8Array } | null;
  inputs: RunInputs;
  preopens: readonly PreopenSpec[];
  engine: EngineName;
  /** The network allow-list entries runs get. */
  allow: readonly string[];
  /** The editor's workspace (null until it has loaded) and whether the editor is open. */
  authoring: { workspace: AuthoringState; open: boolean } | null;
  layout: DockState;
  /** The composition: its graph and the components its instances use (null: none). */
  composition: { graph: GraphJson; components: ReadonlyArray<{ name: string; bytes: Uint8Array }> } | null;
  /** Why runs wait (a link's capabilities under review), or null. Not part of a project: the gate the review holds. */
  hold: string | null;
}

export type PartKey = keyof PartValues;

interface Part<K extends PartKey> {
  get(): PartValues[K];
  set(value: PartValues[K]): void | Promise<void>;
}

export class PartRegistry {
  readonly #parts = new Map<PartKey, Part<PartKey>>();
  readonly #waiting = new Map<PartKey, { value: unknown; done: () => void }>();
  readonly #listeners = new Set<() => void>();

  register<K extends PartKey>(key: K, part: Part<K>): () => void {
    this.#parts.set(key, part as unknown as Part<PartKey>);
    const waiting = this.#waiting.get(key);
    if (waiting) {
      this.#waiting.delete(key);
      void Promise.resolve(part.set(waiting.value as PartValues[K])).then(waiting.done);
    }
    return () => {
      if (this.#parts.get(key) === (part as unknown)) this.#parts.delete(key);
    };
  }

  has(key: PartKey): boolean {
    return this.#parts.has(key);
  }

  /** The value now, or undefined while its owner is not mounted. */
  get<K extends PartKey>(key: K): PartValues[K] | undefined {
    return this.#parts.get(key)?.get() as PartValues[K] | undefined;
  }

  /** Restores a value; resolves once its owner has taken it (a component: once inspected). */
  async set<K extends PartKey>(key: K, value: PartValues[K]): Promise<void> {
    const part = this.#parts.get(key);
    if (part) return part.set(value);
    await new Promise<void>((done) => this.#waiting.set(key, { value, done }));
  }

  /** Called by an owner whenever its value changed. */
  changed(): void {
    for (const f of this.#listeners) f();
  }

  subscribe(f: () => void): () => void {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }
}

const Ctx = createContext<PartRegistry | null>(null);

export function PartsProvider({ registry, children }: { registry: PartRegistry; children: ReactNode }) {
  return <Ctx.Provider value={registry}>{children}</Ctx.Provider>;
}

/** The page's registry (null outside a `PartsProvider`: nothing is shared from there). */
export function usePartRegistry(): PartRegistry | null {
  return useContext(Ctx);
}

/**
 * Offers `value` to the project and takes restored ones through `set`. `value` should keep its
 * identity while unchanged (memoize it): each new identity counts as an edit, which the URL follows.
 */
export function useProjectPart<K extends PartKey>(key: K, value: PartValues[K], set: (value: PartValues[K]) => void | Promise<void>): void {
  const registry = usePartRegistry();
  const latest = useRef({ value, set });
  latest.current = { value, set };
  useEffect(() => registry?.register(key, { get: () => latest.current.value, set: (v) => latest.current.set(v) }), [registry, key]);
  useEffect(() => registry?.changed(), [registry, value]);
}
