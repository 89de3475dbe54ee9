/** Transpile cache: jco output by (jco version, component hash, options) in IndexedDB. */
import { createStore, get, set, type UseStore } from "idb-keyval";

export interface TranspileOutput {
  files: Array<[string, Uint8Array]>;
  imports: string[];
  exports: Array<[string, string]>;
}

export interface TranspileCache {
  get(key: string): Promise<TranspileOutput | undefined>;
  put(key: string, value: TranspileOutput): Promise<void>;
}

export function indexedDbCache(dbName = "wasi-playground-transpile"): TranspileCache {
  let store: UseStore | undefined;
  const s = () => (store ??= createStore(dbName, "outputs"));
  return {
    // A cache that cannot be read (private mode, quota) just means transpiling again.
    get: (key) => get<TranspileOutput>(key, s()).catch(() => undefined),
    put: (key, value) => set(key, value, s()).catch(() => undefined),
  };
}

export function memoryCache(): TranspileCache {
  const m = new Map<string, TranspileOutput>();
  return {
    get: async (key) => m.get(key),
    put: async (key, value) => void m.set(key, value),
  };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
