/** KvStore on IndexedDB: one database per workspace, one object store, array keys. */
import { FsError } from "./errors";
import type { KvKey, KvStore, KvTx } from "./kv";
import { VfsVersionError } from "./vfs";

/** Storage errors that are the guest's to handle become wasi:filesystem errors. */
function storageError(err: unknown): unknown {
  if (err instanceof DOMException && err.name === "QuotaExceededError") {
    return new FsError("insufficient-space", "the browser's storage quota for this site is used up; free space in the Files panel");
  }
  return err;
}

const STORE = "fs";

const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** Keys from `prefix` (inclusive) up to everything that extends it: arrays sort after all else. */
const prefixRange = (prefix: KvKey) => IDBKeyRange.bound(prefix, [...prefix, []]);

/** Opens (creating on first use) a workspace's database; one it cannot read is refused, untouched. */
export async function openIndexedDbKv(dbName: string): Promise<KvStore> {
  const open = indexedDB.open(dbName, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await request(open).catch((err: unknown) => {
    if (err instanceof DOMException && err.name === "VersionError") {
      throw new VfsVersionError("this workspace's database was written by a newer playground (its IndexedDB version is above 1); nothing was changed");
    }
    throw err;
  });
  if (!db.objectStoreNames.contains(STORE)) {
    db.close();
    throw new VfsVersionError(`this workspace's database is damaged (it has no '${STORE}' object store); nothing was changed`);
  }
  db.onversionchange = () => db.close();
  return {
    tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>, opts?: { durable?: boolean }): Promise<T> {
      // Every transaction is atomic; only sync/sync-data pay for flushing to disk.
      const t = db.transaction(STORE, mode, { durability: opts?.durable ? "strict" : "relaxed" });
      const s = t.objectStore(STORE);
      const done = new Promise<void>((resolve, reject) => {
        t.oncomplete = () => resolve();
        t.onabort = () => reject(storageError(t.error ?? new Error("transaction aborted")));
        t.onerror = () => reject(storageError(t.error));
      });
      const tx: KvTx = {
        get: <V>(key: KvKey) => request(s.get(key)) as Promise<V | undefined>,
        put: (key, value) => void s.put(value, key),
        delete: (key) => void s.delete(key),
        entries: async <V>(prefix: KvKey) => {
          const range = prefixRange(prefix);
          const [keys, values] = await Promise.all([request(s.getAllKeys(range)), request(s.getAll(range))]);
          return keys.map((k, i) => [k as KvKey, values[i] as V]);
        },
        deletePrefix: (prefix) => void s.delete(prefixRange(prefix)),
      };
      return fn(tx).then(
        async (result) => {
          // Every request is made: commit now rather than once the task ends.
          if (mode === "readwrite") {
            try {
              t.commit();
            } catch {
              // no longer active: it commits by itself once its requests are done
            }
          }
          await done;
          return result;
        },
        async (err) => {
          try {
            t.abort();
          } catch {
            // already finished
          }
          await done.catch(() => undefined);
          throw err;
        },
      );
    },
    close: () => db.close(),
  };
}
