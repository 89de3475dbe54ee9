/**
 * The storage leaf under the VFS: an ordered key-value store with array keys and atomic
 * transactions (DESIGN.md: `['meta','sb']`, `['ino',n]`, `['dent',parent,name]`, `['chunk',ino,i]`).
 * The real one is IndexedDB (kv-indexeddb.ts); `MemoryKv` serves tests and in-memory workspaces.
 */
export type KvKey = Array<string | number>;

/**
 * Values are shared, not copied: what `get` and `entries` return is not to be changed (a store
 * may hand out what it holds), and a value given to `put` is the store's from then on. The Vfs
 * never changes a value it read or put, so the owner's memory (kv-cached.ts) serves reads
 * without copying.
 */
export interface KvTx {
  get<T>(key: KvKey): Promise<T | undefined>;
  put(key: KvKey, value: unknown): void;
  delete(key: KvKey): void;
  /** Every entry whose key starts with `prefix`, in key order. */
  entries<T>(prefix: KvKey): Promise<Array<[KvKey, T]>>;
  /** Deletes every entry whose key starts with `prefix`. */
  deletePrefix(prefix: KvKey): void;
}

export interface KvStore {
  /**
   * Runs `fn` in one transaction: all of its writes land, or none do (on throw). `durable`
   * waits until the data (and everything committed before it) is on disk.
   */
  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>, opts?: { durable?: boolean }): Promise<T>;
  close(): void;
}

/** IndexedDB's key order for our keys: numbers before strings, then element by element. */
export function compareKeys(a: KvKey, b: KvKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const isPrefix = (prefix: KvKey, key: KvKey) => prefix.length <= key.length && prefix.every((p, i) => key[i] === p);

/** In-memory store with the same transaction semantics (writes staged, applied on success). */
export class MemoryKv implements KvStore {
  #data = new Map<string, [KvKey, unknown]>();
  #queue: Promise<unknown> = Promise.resolve();

  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>): Promise<T> {
    const run = async () => {
      const staged = new Map<string, [KvKey, unknown] | null>();
      const read = (id: string) => (staged.has(id) ? (staged.get(id) ?? undefined) : this.#data.get(id));
      const view = (): Array<[KvKey, unknown]> => {
        const merged = new Map(this.#data);
        for (const [id, v] of staged) {
          if (v) merged.set(id, v);
          else merged.delete(id);
        }
        return [...merged.values()];
      };
      const writable = () => {
        if (mode !== "readwrite") throw new Error("write in a readonly transaction");
      };
      const tx: KvTx = {
        get: async <V>(key: KvKey) => read(JSON.stringify(key))?.[1] as V | undefined,
        put: (key, value) => {
          writable();
          staged.set(JSON.stringify(key), [key, structuredClone(value)]);
        },
        delete: (key) => {
          writable();
          staged.set(JSON.stringify(key), null);
        },
        entries: async <V>(prefix: KvKey) =>
          view()
            .filter(([k]) => isPrefix(prefix, k))
            .sort(([a], [b]) => compareKeys(a, b)) as Array<[KvKey, V]>,
        deletePrefix: (prefix) => {
          writable();
          for (const [k] of view()) if (isPrefix(prefix, k)) staged.set(JSON.stringify(k), null);
        },
      };
      const result = await fn(tx);
      for (const [id, v] of staged) {
        if (v) this.#data.set(id, v);
        else this.#data.delete(id);
      }
      return result;
    };
    // Transactions run one at a time, like IndexedDB readwrite transactions on one store.
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  close(): void {}

  get size(): number {
    return this.#data.size;
  }
}
