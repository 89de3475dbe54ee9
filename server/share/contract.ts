/**
 * What every `ObjectStore` must do under `ShareStore`, as one test suite: `folder.test.ts` and
 * `s3.test.ts` run it against the real folder and a real S3 server, so the stores cannot drift.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, linkId, sha256Hex } from "./ids.ts";
import type { ObjectStore } from "./objects.ts";
import { ShareStore } from "./store.ts";

export interface ContractBacking {
  /** A new object store over the same backing each time (a server restart opens a new one). */
  open(): ObjectStore;
  /** Objects really kept under `prefix` (`blobs/`, `links/`), counted in the backing itself. */
  count(prefix: string): Promise<number>;
  dispose(): Promise<void>;
}

/** Counts the writes that reach the real store. */
function countingPuts(objects: ObjectStore): { objects: ObjectStore; puts: () => number } {
  let puts = 0;
  const put = objects.put.bind(objects);
  objects.put = (key, bytes) => (puts++, put(key, bytes));
  return { objects, puts: () => puts };
}

export function describeShareStoreContract(name: string, backing: () => Promise<ContractBacking>): void {
  describe(`ShareStore contract: ${name}`, () => {
    let b: ContractBacking;
    let store: ShareStore;
    let puts: () => number;
    beforeEach(async () => {
      b = await backing();
      const counted = countingPuts(b.open());
      store = new ShareStore(counted.objects);
      puts = counted.puts;
    });
    afterEach(async () => {
      store.close();
      await b.dispose();
    });

    it("stores a blob under its sha256 and gives back the same bytes", async () => {
      const bytes = randomBytes(70_000);
      const hash = sha256Hex(bytes);
      expect(await store.hasBlob(hash)).toBe(false);
      expect(await store.getBlob(hash)).toBeNull();
      expect(await store.putBlob(hash, bytes)).toEqual({ created: true });
      expect(await store.hasBlob(hash)).toBe(true);
      expect(Buffer.from((await store.getBlob(hash))!).equals(bytes)).toBe(true);
      expect(await store.hasBlob(sha256Hex("other"))).toBe(false);
    });

    it("stores the same bytes once, however often and however concurrently they come", async () => {
      const bytes = randomBytes(1000);
      const hash = sha256Hex(bytes);
      expect(await store.putBlob(hash, bytes)).toEqual({ created: true });
      expect(await store.putBlob(hash, Buffer.from(bytes))).toEqual({ created: false });
      const other = randomBytes(1000);
      const together = await Promise.all(Array.from({ length: 5 }, () => store.putBlob(sha256Hex(other), other)));
      expect(together.filter((r) => "created" in r && r.created)).toHaveLength(1);
      expect(puts()).toBe(2);
      expect(await b.count("blobs/")).toBe(2);
    });

    it("refuses bytes whose hash is not their name, and writes nothing", async () => {
      const bytes = new TextEncoder().encode("not what was promised");
      const claimed = sha256Hex("something else");
      expect(await store.putBlob(claimed, bytes)).toEqual({ mismatch: sha256Hex(bytes) });
      expect(await store.hasBlob(claimed)).toBe(false);
      expect(puts()).toBe(0);
      expect(await b.count("blobs/")).toBe(0);
    });

    it("keeps an empty blob", async () => {
      const empty = new Uint8Array(0);
      expect(await store.putBlob(sha256Hex(empty), empty)).toEqual({ created: true });
      expect(await store.getBlob(sha256Hex(empty))).toEqual(new Uint8Array(0));
    });

    it("names the blobs that are missing, in the order asked", async () => {
      const [a, c] = [randomBytes(10), randomBytes(10)];
      await store.putBlob(sha256Hex(a), a);
      await store.putBlob(sha256Hex(c), c);
      const missing = [sha256Hex("x"), sha256Hex("y")];
      expect(await store.missingBlobs([missing[0]!, sha256Hex(a), missing[1]!, sha256Hex(c)])).toEqual(missing);
      expect(await store.missingBlobs([])).toEqual([]);
    });

    it("stores a link under an id from its record, once", async () => {
      const record = canonicalJson({ blobs: [], state: { v: 1, name: "héllo ✓" } }, 64);
      const first = await store.putLink(record);
      expect(first).toEqual({ id: linkId(record), created: true });
      expect(await store.putLink(record)).toEqual({ id: first.id, created: false });
      expect(await store.getLink(first.id)).toBe(record);
      expect(await store.hasLink(first.id)).toBe(true);
      expect(await store.hasLink("AAAAAAAAAAAAAAAA")).toBe(false);
      expect(await store.getLink("AAAAAAAAAAAAAAAA")).toBeNull();
      expect(puts()).toBe(1);
      expect(await b.count("links/")).toBe(1);
    });

    it("keeps blobs and links across a restart (a new store on the same backing)", async () => {
      const bytes = randomBytes(5000);
      await store.putBlob(sha256Hex(bytes), bytes);
      const { id } = await store.putLink('{"blobs":[],"state":{"v":1}}');
      const reopened = new ShareStore(b.open());
      try {
        expect(Buffer.from((await reopened.getBlob(sha256Hex(bytes)))!).equals(bytes)).toBe(true);
        expect(await reopened.getLink(id)).toBe('{"blobs":[],"state":{"v":1}}');
        expect(await reopened.putBlob(sha256Hex(bytes), bytes)).toEqual({ created: false });
      } finally {
        reopened.close();
      }
    });
  });
}
