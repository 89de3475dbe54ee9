/**
 * A KvStore that keeps whole key namespaces (the VFS's metadata: superblock, inodes, directory
 * entries, orphans) in memory in front of another store (IndexedDB). Sound only for the store's
 * sole writer: the fs-owner, which holds the workspace's Web Lock.
 *
 * A transaction first runs against memory alone. If it only touches cached keys, a read-only one
 * never reaches the store, and a read-write one becomes a single write-only transaction of the
 * inner store (no reads: one round trip). If it reads anything else (file chunks), it is run again
 * inside a transaction of the inner store, with cached keys still served from memory. Either way
 * the memory copy changes only after the inner transaction committed. Transactions run one at a
 * time, so each sees the last one's results (IndexedDB's readwrite transactions do the same).
 */
import { compareKeys, type KvKey, type KvStore, type KvTx } from "./kv";

const idOf = (key: KvKey) => JSON.stringify(key);
const isPrefix = (prefix: KvKey, key: KvKey) => prefix.length <= key.length && prefix.every((p, i) => key[i] === p);

/** Thrown inside the memory-only attempt when it needs an uncached key. */
const NEEDS_STORE = Symbol("needs the inner store");

type Op = { kind: "put"; key: KvKey; value: unknown } | { kind: "delete"; key: KvKey } | { kind: "deletePrefix"; prefix: KvKey };

/** The cached entries, each also filed under every prefix of its key, so `entries` is a lookup. */
class Cache {
  readonly #byId = new Map<string, [KvKey, unknown]>();
  readonly #under = new Map<string, Set<string>>();

  get(key: KvKey): [KvKey, unknown] | undefined {
    return this.#byId.get(idOf(key));
  }
  put(key: KvKey, value: unknown): void {
    const id = idOf(key);
    if (!this.#byId.has(id)) {
      for (let n = 0; n <= key.length; n++) {
        const p = idOf(key.slice(0, n));
        let set = this.#under.get(p);
        if (!set) this.#under.set(p, (set = new Set()));
        set.add(id);
      }
    }
    this.#byId.set(id, [key, value]);
  }
  delete(key: KvKey): void {
    const id = idOf(key);
    if (!this.#byId.delete(id)) return;
    for (let n = 0; n <= key.length; n++) this.#under.get(idOf(key.slice(0, n)))?.delete(id);
  }
  entries(prefix: KvKey): Array<[KvKey, unknown]> {
    return [...(this.#under.get(idOf(prefix)) ?? [])].map((id) => this.#byId.get(id)!);
  }
  deletePrefix(prefix: KvKey): void {
    for (const [key] of this.entries(prefix)) this.delete(key);
  }
}

/** A transaction's writes: an ordered log (replayed into the inner store) and what they changed. */
class Staged {
  readonly log: Op[] = [];
  readonly #puts = new Map<string, [KvKey, unknown] | null>();
  readonly #cleared: KvKey[] = [];

  put(key: KvKey, value: unknown): void {
    this.log.push({ kind: "put", key, value });
    this.#puts.set(idOf(key), [key, value]);
  }
  delete(key: KvKey): void {
    this.log.push({ kind: "delete", key });
    this.#puts.set(idOf(key), null);
  }
  deletePrefix(prefix: KvKey): void {
    this.log.push({ kind: "deletePrefix", prefix });
    for (const [id, v] of this.#puts) if (v && isPrefix(prefix, v[0])) this.#puts.set(id, null);
    this.#cleared.push(prefix);
  }
  /** The staged state of `key`: a value, `null` (deleted) or undefined (untouched). */
  lookup(key: KvKey): { value: unknown } | null | undefined {
    const v = this.#puts.get(idOf(key));
    if (v) return { value: v[1] };
    if (v === null || this.#cleared.some((p) => isPrefix(p, key))) return null;
    return undefined;
  }
  /** `base` (entries under `prefix` before this transaction) with this transaction's writes applied. */
  merge(prefix: KvKey, base: Array<[KvKey, unknown]>): Array<[KvKey, unknown]> {
    const out = new Map<string, [KvKey, unknown]>();
    for (const [k, v] of base) if (!this.#cleared.some((p) => isPrefix(p, k))) out.set(idOf(k), [k, v]);
    for (const [id, v] of this.#puts) {
      if (v === null) out.delete(id);
      else if (isPrefix(prefix, v[0])) out.set(id, v);
    }
    return [...out.values()].sort(([a], [b]) => compareKeys(a, b));
  }
}

export class CachedKv implements KvStore {
  readonly #cache = new Cache();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly inner: KvStore,
    private readonly cached: readonly KvKey[],
  ) {}

  /** Loads every entry under `cached` (top-level namespaces, e.g. `['ino']`) into memory. */
  static async open(inner: KvStore, cached: readonly KvKey[]): Promise<CachedKv> {
    const kv = new CachedKv(inner, cached);
    await inner.tx("readonly", async (tx) => {
      for (const prefix of cached) for (const [k, v] of await tx.entries(prefix)) kv.#cache.put(k, v);
    });
    return kv;
  }

  #isCached(key: KvKey): boolean {
    return this.cached.some((p) => isPrefix(p, key));
  }

  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>, opts?: { durable?: boolean }): Promise<T> {
    const run = () => this.#run(mode, fn, opts);
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  async #run<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>, opts?: { durable?: boolean }): Promise<T> {
    let staged = new Staged();
    let result: T;
    try {
      result = await fn(this.#view(mode, staged, undefined));
    } catch (err) {
      if (err !== NEEDS_STORE) throw err;
      staged = new Staged();
      const s = staged;
      result = await this.inner.tx(mode, (itx) => fn(this.#view(mode, s, itx)), opts);
      this.#apply(staged);
      return result;
    }
    if (staged.log.length > 0) {
      await this.inner.tx(
        "readwrite",
        async (itx) => {
          for (const op of staged.log) {
            if (op.kind === "put") itx.put(op.key, op.value);
            else if (op.kind === "delete") itx.delete(op.key);
            else itx.deletePrefix(op.prefix);
          }
        },
        opts,
      );
      this.#apply(staged);
    } else if (opts?.durable) {
      await this.inner.tx("readwrite", async () => undefined, opts);
    }
    return result;
  }

  /** Commits a transaction's writes to the memory copy (cached namespaces only). */
  #apply(staged: Staged): void {
    for (const op of staged.log) {
      if (op.kind === "deletePrefix") this.#cache.deletePrefix(op.prefix);
      else if (!this.#isCached(op.key)) continue;
      else if (op.kind === "put") this.#cache.put(op.key, op.value);
      else this.#cache.delete(op.key);
    }
  }

  /**
   * A transaction over memory and `staged` writes; `itx` is the inner transaction, absent in the
   * memory-only attempt (which gives up with NEEDS_STORE on the first uncached read).
   */
  #view(mode: "readonly" | "readwrite", staged: Staged, itx: KvTx | undefined): KvTx {
    const writable = () => {
      if (mode !== "readwrite") throw new Error("write in a readonly transaction");
    };
    // Metadata values are copied on the way in and out, as a database would: callers may change them.
    return {
      get: async <V>(key: KvKey) => {
        const s = staged.lookup(key);
        if (s !== undefined) return (s ? structuredClone(s.value) : undefined) as V | undefined;
        if (this.#isCached(key)) return structuredClone(this.#cache.get(key)?.[1]) as V | undefined;
        if (!itx) throw NEEDS_STORE;
        return itx.get<V>(key);
      },
      entries: async <V>(prefix: KvKey) => {
        if (this.#isCached(prefix)) return structuredClone(staged.merge(prefix, this.#cache.entries(prefix))) as Array<[KvKey, V]>;
        if (!itx) throw NEEDS_STORE;
        return itx.entries<V>(prefix);
      },
      put: (key, value) => {
        writable();
        // Memory keeps metadata values, so it keeps its own copy; file data goes to the store,
        // which copies it anyway.
        const v = this.#isCached(key) ? structuredClone(value) : value;
        staged.put(key, v);
        itx?.put(key, v);
      },
      delete: (key) => {
        writable();
        staged.delete(key);
        itx?.delete(key);
      },
      deletePrefix: (prefix) => {
        writable();
        staged.deletePrefix(prefix);
        itx?.deletePrefix(prefix);
      },
    };
  }

  close(): void {
    this.inner.close();
  }
}
