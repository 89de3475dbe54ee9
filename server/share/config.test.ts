import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openShareStore, shareBanner, shareConfigFromEnv } from "./config";

// The SDK's notice that its 2027 releases need Node 22 (server/README.md says it once).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

describe("shareConfigFromEnv", () => {
  it("defaults to a folder under the repository's .data, or under DATA_DIR", () => {
    expect(shareConfigFromEnv({}, "/repo")).toEqual({ kind: "fs", dir: "/repo/.data/share" });
    expect(shareConfigFromEnv({ SHARE_STORE: "fs", DATA_DIR: "/var/lib/playground" }, "/repo")).toEqual({ kind: "fs", dir: "/var/lib/playground/share" });
  });

  it("reads the S3 settings, path-style when an endpoint is named", () => {
    expect(shareConfigFromEnv({ SHARE_STORE: "s3", S3_BUCKET: "shares", S3_ENDPOINT: "http://minio:9000", S3_PREFIX: "pg", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" }, "/repo")).toEqual({
      kind: "s3",
      s3: { bucket: "shares", endpoint: "http://minio:9000", region: "us-east-1", prefix: "pg/", credentials: { accessKeyId: "k", secretAccessKey: "s" } },
    });
    expect(shareConfigFromEnv({ SHARE_STORE: "s3", S3_BUCKET: "shares", S3_REGION: "eu-west-1" }, "/repo")).toEqual({
      kind: "s3",
      s3: { bucket: "shares", region: "eu-west-1", prefix: "" },
    });
  });

  it("says what is wrong with the settings", () => {
    expect(shareConfigFromEnv({ SHARE_STORE: "disk" }, "/repo")).toEqual({ error: "SHARE_STORE is 'disk': use fs (a folder under DATA_DIR) or s3 (a bucket, S3_BUCKET)." });
    expect(shareConfigFromEnv({ SHARE_STORE: "s3" }, "/repo")).toMatchObject({ error: expect.stringContaining("needs S3_BUCKET") });
    expect(shareConfigFromEnv({ SHARE_STORE: "s3", S3_BUCKET: "b", S3_ACCESS_KEY_ID: "k" }, "/repo")).toMatchObject({ error: expect.stringContaining("both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY") });
  });
});

describe("openShareStore", () => {
  it("opens the folder store and names it in the banner", async () => {
    const dir = mkdtempSync(join(tmpdir(), "share-config-test-"));
    try {
      const store = await openShareStore({ kind: "fs", dir: join(dir, "share") });
      expect(shareBanner(store)).toBe(`Share store: folder ${join(dir, "share")}  (blobs up to 32.0 MiB, project states up to 256.0 KiB)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops at a bucket it cannot reach, saying which", async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const config = { kind: "s3" as const, s3: { bucket: "shares", endpoint: "http://127.0.0.1:9", region: "us-east-1", prefix: "", credentials: { accessKeyId: "k", secretAccessKey: "s" } } };
    await expect(openShareStore(config)).rejects.toThrow("the bucket shares at http://127.0.0.1:9 cannot be reached: connect ECONNREFUSED 127.0.0.1:9");
  }, 30_000);
});
