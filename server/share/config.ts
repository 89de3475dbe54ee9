/**
 * Which share store the server opens, from its environment: `SHARE_STORE=fs` (the default: a folder
 * under `DATA_DIR`) or `SHARE_STORE=s3` (a bucket: `S3_BUCKET`, `S3_ENDPOINT`, `S3_REGION`,
 * `S3_PREFIX`, `S3_ACCESS_KEY_ID` + `S3_SECRET_ACCESS_KEY`).
 */
import { join } from "node:path";
import { formatBytes, SHARE_LIMITS } from "../../src/protocol/share-api.ts";
import { FolderObjectStore } from "./folder.ts";
import type { S3Settings } from "./s3.ts";
import { ShareStore } from "./store.ts";

export type ShareStoreConfig = { kind: "fs"; dir: string } | { kind: "s3"; s3: S3Settings };

/** The configured store, or what is wrong with the settings. `root` is the repository (the default data folder is its `.data`). */
export function shareConfigFromEnv(env: Record<string, string | undefined>, root: string): ShareStoreConfig | { error: string } {
  const kind = env.SHARE_STORE || "fs";
  if (kind === "fs") return { kind, dir: join(env.DATA_DIR || join(root, ".data"), "share") };
  if (kind !== "s3") return { error: `SHARE_STORE is '${kind}': use fs (a folder under DATA_DIR) or s3 (a bucket, S3_BUCKET).` };
  if (!env.S3_BUCKET) return { error: "SHARE_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT for a server other than Amazon S3)." };
  const [accessKeyId, secretAccessKey] = [env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY];
  if (!accessKeyId !== !secretAccessKey) return { error: "Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself)." };
  const prefix = env.S3_PREFIX ?? "";
  return {
    kind,
    s3: {
      bucket: env.S3_BUCKET,
      ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
      region: env.S3_REGION || "us-east-1",
      prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    },
  };
}

/** Opens the store; a bucket is checked first, so a wrong setting stops the server at start, not at the first share. */
export async function openShareStore(config: ShareStoreConfig): Promise<ShareStore> {
  if (config.kind === "fs") return new ShareStore(new FolderObjectStore(config.dir));
  // Loaded only when chosen: the AWS SDK is large, and the default store does not need it.
  const { S3ObjectStore } = await import("./s3.ts");
  const objects = new S3ObjectStore(config.s3);
  try {
    await objects.check();
  } catch (err) {
    objects.close();
    throw err;
  }
  return new ShareStore(objects);
}

/** The start banner's line: where shares are kept and the limits. */
export function shareBanner(store: ShareStore): string {
  return `Share store: ${store.objects.description}  (blobs up to ${formatBytes(SHARE_LIMITS.blobBytes)}, project states up to ${formatBytes(SHARE_LIMITS.stateBytes)})`;
}
