/**
 * The fs-owner's store: IndexedDB with the VFS's metadata in memory, a bounded cache of file
 * chunks, and group commit (group-commit.ts). Sound only for the store's sole writer: the
 * fs-owner, which holds the workspace's Web Lock; every tab's runs and Files panel reach the
 * workspace through it, so nothing else can change what memory holds (see README.md).
 *
 * Memory holds committed state only: the cached namespaces whole, and recently used entries of
 * the others (file chunks) up to CHUNK_CACHE_BYTES. A transaction first runs against memory
 * alone; if it writes nothing, reads nothing memory lacks and asks for no flush, it is answered at
 * once (it saw committed state). Otherwise it is queued, and the next batch runs every queued
 * transaction in order inside ONE inner transaction, each over the committed state plus the
 * writes of those before it in the batch (the batch's first keeps what its memory-only attempt
 * wrote if that saw the same committed state); one that throws leaves none of its writes.
 * Reads memory cannot answer go to the inner transaction. The batch's writes are written at its
 * end and committed together; only then does memory take them, and only then is each transaction
 * answered (its value, or its own error). A batch that fails to commit fails all of them.
 */
import { GroupCommit, type Outcome } from "./group-commit";
import { compareKeys, type KvKey, type KvStore, type KvTx } from "./kv";

/** What the chunk cache may hold per open workspace. */
export const CHUNK_CACHE_BYTES = 16 * 1024 * 1024;

const idOf = (key: KvKey) => JSON.stringify(key);
/** `idOf` of every prefix of `key`, shortest first, each element stringified once. */
function prefixIds(key: KvKey): string[] {
  const parts = key.map((k) => JSON.stringify(k));
  const ids = ["[]"];
  for (let n = 1; n <= parts.length; n++) ids.push(`[${parts.slice(0, n).join(",")}]`);
  return ids;
}
const isPrefix = (prefix: KvKey, key: KvKey) => prefix.length <= key.length && prefix.every((p, i) => key[i] === p);
/**
 * Values are shared, never copied (kv.ts): a 1 MiB read would otherwise allocate its bytes twice.
 * Records are frozen as they are put, so changing one held in memory throws rather than letting
 * memory drift from the store; byte arrays cannot be frozen, and the Vfs never changes one it read.
 */
const owned = <T>(v: T): T => (typeof v === "object" && v !== null && !ArrayBuffer.isView(v) ? Object.freeze(v) : v);
/** What an entry costs the chunk cache: its bytes (chunks are byte arrays). */
const sizeOf = (v: unknown) => (ArrayBuffer.isView(v) ? v.byteLength : 64);

/** Thrown inside the memory-only attempt when it needs something memory does not hold. */
const NEEDS_STORE = Symbol("needs the inner store");

type Op = { kind: "put"; key: KvKey; value: unknown } | { kind: "delete"; key: KvKey } | { kind: "deletePrefix"; prefix: KvKey };
type Mode = "readonly" | "readwrite";

/**
 * Entries, each also filed under every prefix of its key, so `entries` is a lookup. With a byte
 * bound it forgets the least recently used entries beyond it.
 */
class Cache {
  readonly #byId = new Map<string, [KvKey, unknown]>();
  readonly #under = new Map<string, Set<string>>();
  #bytes = 0;

  constructor(private readonly maxBytes = Infinity) {}

  get(key: KvKey): [KvKey, unknown] | undefined {
    const id = idOf(key);
    const e = this.#byId.get(id);
    if (e && this.maxBytes !== Infinity) {
      // Map order is use order: the first entry is the least recently used.
      this.#byId.delete(id);
      this.#byId.set(id, e);
    }
    return e;
  }
  put(key: KvKey, value: unknown): void {
    const id = idOf(key);
    const old = this.#byId.get(id);
    if (old) {
      // Without a bound, order does not matter: replacing in place leaves the map no holes.
      if (this.maxBytes !== Infinity) this.#byId.delete(id);
      this.#bytes -= sizeOf(old[1]);
    } else {
      for (const p of prefixIds(key)) {
        let set = this.#under.get(p);
        if (!set) this.#under.set(p, (set = new Set()));
        set.add(id);
      }
    }
    this.#byId.set(id, Object.freeze([Object.freeze(key), owned(value)]) as [KvKey, unknown]);
    this.#bytes += sizeOf(value);
    while (this.#bytes > this.maxBytes) this.delete(this.#byId.values().next().value![0]);
  }
  delete(key: KvKey): void {
    const id = idOf(key);
    const e = this.#byId.get(id);
    if (!e) return;
    this.#byId.delete(id);
    this.#bytes -= sizeOf(e[1]);
    for (const p of prefixIds(key)) this.#under.get(p)?.delete(id);
  }
  entries(prefix: KvKey): Array<[KvKey, unknown]> {
    return [...(this.#under.get(idOf(prefix)) ?? [])].map((id) => this.#byId.get(id)!);
  }
  deletePrefix(prefix: KvKey): void {
    for (const [key] of this.entries(prefix)) this.delete(key);
  }
  get bytes(): number {
    return this.#bytes;
  }
}

/**
 * Writes not yet committed: an ordered log (replayed into the inner store) and what they changed,
 * over the writes `under` it (a transaction's own over its batch's).
 */
class Staged {
  readonly log: Op[] = [];
  readonly #puts = new Map<string, [KvKey, unknown] | null>();
  readonly #cleared: KvKey[] = [];

  constructor(private readonly under?: Staged) {}

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
  /** Takes on the writes of a transaction that succeeded (staged over this). */
  absorb(top: Staged): void {
    for (const op of top.log) {
      if (op.kind === "put") this.put(op.key, op.value);
      else if (op.kind === "delete") this.delete(op.key);
      else this.deletePrefix(op.prefix);
    }
  }
  /**
   * The log without the puts and deletes that a later put or delete of the same key overwrites
   * (prefix deletes all stay, in order): what the log does, in fewer writes. A batch of creates
   * in one folder would otherwise write the superblock and the folder once per create.
   */
  final(): Op[] {
    const ids = this.log.map((op) => (op.kind === "deletePrefix" ? undefined : idOf(op.key)));
    const last = new Map<string, number>();
    ids.forEach((id, i) => id !== undefined && last.set(id, i));
    return this.log.filter((_, i) => ids[i] === undefined || last.get(ids[i]!) === i);
  }
  /** The staged state of `key`: a value, `null` (deleted) or undefined (untouched). */
  lookup(key: KvKey): { value: unknown } | null | undefined {
    const v = this.#puts.get(idOf(key));
    if (v) return { value: v[1] };
    if (v === null || this.#cleared.some((p) => isPrefix(p, key))) return null;
    return this.under?.lookup(key);
  }
  /** `base` (committed entries under `prefix`) with the staged writes applied. */
  merge(prefix: KvKey, base: Array<[KvKey, unknown]>): Array<[KvKey, unknown]> {
    const out = new Map<string, [KvKey, unknown]>();
    for (const [k, v] of this.under ? this.under.merge(prefix, base) : base) if (!this.#cleared.some((p) => isPrefix(p, k))) out.set(idOf(k), [k, v]);
    for (const [id, v] of this.#puts) {
      if (v === null) out.delete(id);
      else if (isPrefix(prefix, v[0])) out.set(id, v);
    }
    return [...out.values()].sort(([a], [b]) => compareKeys(a, b));
  }
}

interface Job {
  mode: Mode;
  fn: (tx: KvTx) => Promise<unknown>;
  durable: boolean;
  /** The memory-only attempt's writes and value, and the committed state it ran over. */
  tried?: { staged: Staged; value: unknown; over: number };
}

export class CachedKv implements KvStore {
  readonly #meta = new Cache();
  readonly #chunks = new Cache(CHUNK_CACHE_BYTES);
  readonly #batches = new GroupCommit<Job, unknown>((jobs) => this.#commit(jobs));
  /** Counts the batches memory took: which committed state a memory-only attempt saw. */
  #committed = 0;

  private constructor(
    private readonly inner: KvStore,
    private readonly cached: readonly KvKey[],
  ) {}

  /** Loads every entry under `cached` (top-level namespaces, e.g. `['ino']`) into memory. */
  static async open(inner: KvStore, cached: readonly KvKey[]): Promise<CachedKv> {
    const kv = new CachedKv(inner, cached);
    await inner.tx("readonly", async (tx) => {
      for (const prefix of cached) for (const [k, v] of await tx.entries(prefix)) kv.#meta.put(k, v);
    });
    return kv;
  }

  /** Bytes of file data held in memory (at most CHUNK_CACHE_BYTES). */
  get cachedChunkBytes(): number {
    return this.#chunks.bytes;
  }

  #isCached(key: KvKey): boolean {
    return this.cached.some((p) => isPrefix(p, key));
  }

  async tx<T>(mode: Mode, fn: (tx: KvTx) => Promise<T>, opts?: { durable?: boolean }): Promise<T> {
    const durable = opts?.durable ?? false;
    if (durable) return this.#batches.submit({ mode, fn, durable }) as Promise<T>;
    const staged = new Staged();
    const over = this.#committed;
    let value: T;
    try {
      value = await fn(this.#view(mode, staged, undefined));
    } catch (err) {
      // Failed over committed state without writing anything: that is its answer.
      if (err !== NEEDS_STORE) throw err;
      return this.#batches.submit({ mode, fn, durable }) as Promise<T>;
    }
    if (staged.log.length === 0) return value;
    // It writes: into the next batch (run again there unless the state it saw is still the one).
    const tried = over === this.#committed ? { staged, value, over } : undefined;
    return this.#batches.submit({ mode, fn, durable, tried }) as Promise<T>;
  }

  /** Runs one batch in one inner transaction; answers each job once that committed. */
  async #commit(jobs: readonly Job[]): Promise<Array<Outcome<unknown>>> {
    const batch = new Staged();
    const outcomes: Array<Outcome<unknown>> = [];
    const durable = jobs.some((j) => j.durable);
    const mode = durable || jobs.some((j) => j.mode === "readwrite") ? "readwrite" : "readonly";
    let writes: Op[] = [];
    await this.inner.tx(
      mode,
      async (itx) => {
        for (const job of jobs) {
          // First in its batch, over the committed state its attempt saw: it would do the same.
          if (job.tried?.over === this.#committed && batch.log.length === 0) {
            batch.absorb(job.tried.staged);
            outcomes.push({ ok: true, value: job.tried.value });
            continue;
          }
          const own = new Staged(batch);
          try {
            outcomes.push({ ok: true, value: await job.fn(this.#view(job.mode, own, itx)) });
            batch.absorb(own);
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        writes = batch.final();
        for (const op of writes) {
          if (op.kind === "put") itx.put(op.key, op.value);
          else if (op.kind === "delete") itx.delete(op.key);
          else itx.deletePrefix(op.prefix);
        }
      },
      { durable },
    );
    this.#apply(writes);
    return outcomes;
  }

  /** Commits a batch's writes to memory. */
  #apply(writes: readonly Op[]): void {
    this.#committed++;
    for (const op of writes) {
      if (op.kind === "deletePrefix") {
        this.#meta.deletePrefix(op.prefix);
        this.#chunks.deletePrefix(op.prefix);
        continue;
      }
      const cache = this.#isCached(op.key) ? this.#meta : this.#chunks;
      if (op.kind === "put") cache.put(op.key, op.value);
      else cache.delete(op.key);
    }
  }

  /**
   * A transaction over memory and `staged` writes; `itx` is the batch's inner transaction, absent
   * in the memory-only attempt (which gives up with NEEDS_STORE on the first read memory lacks).
   * Writes are only staged: the batch writes them to `itx` at its end, so what `itx` reads is
   * committed state, which the chunk cache may keep.
   */
  #view(mode: Mode, staged: Staged, itx: KvTx | undefined): KvTx {
    const writable = () => {
      if (mode !== "readwrite") throw new Error("write in a readonly transaction");
    };
    return {
      get: async <V>(key: KvKey) => {
        const s = staged.lookup(key);
        if (s !== undefined) return (s ? s.value : undefined) as V | undefined;
        if (this.#isCached(key)) return this.#meta.get(key)?.[1] as V | undefined;
        const hit = this.#chunks.get(key);
        if (hit) return hit[1] as V;
        if (!itx) throw NEEDS_STORE;
        const v = await itx.get<V>(key);
        if (v !== undefined) this.#chunks.put(key, v);
        return v;
      },
      entries: async <V>(prefix: KvKey) => {
        if (this.#isCached(prefix)) return staged.merge(prefix, this.#meta.entries(prefix)) as Array<[KvKey, V]>;
        if (!itx) throw NEEDS_STORE;
        return staged.merge(prefix, await itx.entries(prefix)) as Array<[KvKey, V]>;
      },
      put: (key, value) => {
        writable();
        staged.put(Object.freeze(key) as KvKey, owned(value));
      },
      delete: (key) => {
        writable();
        staged.delete(key);
      },
      deletePrefix: (prefix) => {
        writable();
        staged.deletePrefix(prefix);
      },
    };
  }

  close(): void {
    this.inner.close();
  }
}
