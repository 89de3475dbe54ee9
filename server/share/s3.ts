/**
 * The share store past one machine: objects in an S3-compatible bucket (Amazon S3, MinIO, Ceph,
 * R2, ...), keys under an optional prefix. A PUT of one object is atomic in S3, so a reader never
 * sees part of one.
 */
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { checkKey, type ObjectStore } from "./objects.ts";

export interface S3Settings {
  bucket: string;
  /** An S3-compatible server (`http://127.0.0.1:9000`), addressed path-style; absent: Amazon S3. */
  endpoint?: string;
  region: string;
  /** Put before every key (`share/`), so the bucket can hold other things. */
  prefix: string;
  /** Absent: the SDK's own chain (AWS_ACCESS_KEY_ID..., ~/.aws, the instance's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  readonly client: S3Client;

  constructor(readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      // The SDK's default CRC32 checksums on every PUT (since 3.729) are refused by several
      // S3-compatible servers; content here is addressed by sha256 and checked by its readers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    this.description = `S3 bucket s3://${settings.bucket}/${settings.prefix}${settings.endpoint ? ` at ${settings.endpoint} (path-style)` : ` in ${settings.region}`}`;
  }

  /** Resolves when the bucket can be reached; otherwise rejects with what to fix. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (err) {
      const status = statusOf(err);
      const where = `${this.settings.bucket}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ""}`;
      if (status === 404) throw new Error(`the bucket ${where} does not exist: create it, or set S3_BUCKET to one that does`);
      if (status === 403) throw new Error(`access to the bucket ${where} is denied: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY`);
      throw new Error(`the bucket ${where} cannot be reached: ${(err as Error).message || (err as Error).name}`);
    }
  }

  #key(key: string): string {
    return this.settings.prefix + checkKey(key);
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key) }));
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key) }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key), Body: bytes, ContentLength: bytes.length, ContentType: "application/octet-stream" }),
    );
  }

  close(): void {
    this.client.destroy();
  }
}
