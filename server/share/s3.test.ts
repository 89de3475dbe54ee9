/** The S3 store against a real S3 server (s3rver, started here on a free port over a temporary folder). */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeShareStoreContract } from "./contract.ts";
import { sha256Hex } from "./ids.ts";
import { S3ObjectStore, type S3Settings } from "./s3.ts";
import { ShareStore } from "./store.ts";

// The SDK's notice that its 2027 releases need Node 22 (server/README.md says it once).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const BUCKET = "share-test";
/** s3rver's built-in account: it refuses other access keys (it does not check v4 signatures). */
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

async function startS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), "s3rver-test-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const settings = (endpoint: string, over: Partial<S3Settings> = {}): S3Settings => ({ bucket: BUCKET, endpoint, region: "us-east-1", prefix: "share/", credentials: CREDENTIALS, ...over });

/** Keys under `prefix`, listed by the S3 server itself. */
async function listKeys(objects: S3ObjectStore, prefix: string): Promise<string[]> {
  const out = await objects.client.send(new ListObjectsV2Command({ Bucket: objects.settings.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

describeShareStoreContract("S3 (s3rver)", async () => {
  const s3 = await startS3();
  const lister = new S3ObjectStore(settings(s3.endpoint));
  return {
    open: () => new S3ObjectStore(settings(s3.endpoint)),
    count: async (prefix) => (await listKeys(lister, `share/${prefix}`)).length,
    dispose: async () => {
      lister.close();
      await s3.stop();
    },
  };
});

describe("S3ObjectStore", () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.stop());

  it("keeps its objects under the prefix, so a bucket can be shared", async () => {
    const objects = new S3ObjectStore(settings(s3.endpoint, { prefix: "apps/playground/" }));
    try {
      const bytes = randomBytes(100);
      await new ShareStore(objects).putBlob(sha256Hex(bytes), bytes);
      expect(await listKeys(objects, "")).toEqual([`apps/playground/blobs/${sha256Hex(bytes)}`]);
    } finally {
      objects.close();
    }
  });

  it("checks the bucket at start and says what to fix", async () => {
    const ok = new S3ObjectStore(settings(s3.endpoint));
    const missing = new S3ObjectStore(settings(s3.endpoint, { bucket: "no-such-bucket" }));
    const wrongKey = new S3ObjectStore(settings(s3.endpoint, { credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "S3RVER" } }));
    try {
      await expect(ok.check()).resolves.toBeUndefined();
      await expect(missing.check()).rejects.toThrow(`the bucket no-such-bucket at ${s3.endpoint} does not exist`);
      await expect(wrongKey.check()).rejects.toThrow(/access to the bucket share-test at .* is denied: check S3_ACCESS_KEY_ID/);
    } finally {
      for (const o of [ok, missing, wrongKey]) o.close();
    }
  });

  it("describes itself for the start banner", () => {
    const objects = new S3ObjectStore(settings("http://127.0.0.1:9000"));
    expect(objects.description).toBe("S3 bucket s3://share-test/share/ at http://127.0.0.1:9000 (path-style)");
    objects.close();
  });
});
