/**
 * Where the share store keeps its bytes: a few keys (`blobs/<sha256>`, `links/<id>`), each written
 * once and never changed. `ShareStore` names the keys and decides what to write; an `ObjectStore`
 * only keeps bytes: `FolderObjectStore` on one machine, `S3ObjectStore` past one.
 */
export interface ObjectStore {
  /** Where the bytes live, for the server's start banner. */
  readonly description: string;
  has(key: string): Promise<boolean>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Writes all of `bytes` under `key`, or nothing: no reader ever sees part of them. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Releases connections; the store is not used after. */
  close(): void;
}

/** The keys `ShareStore` uses: a folder name, a slash, a name of base64url characters. */
export const OBJECT_KEY = /^[a-z]+\/[A-Za-z0-9_-]+$/;

/** Refuses a key `ShareStore` would never make: reaching here is our bug, never a user's. */
export function checkKey(key: string): string {
  if (!OBJECT_KEY.test(key)) throw new Error(`share store: malformed object key '${key}'`);
  return key;
}
