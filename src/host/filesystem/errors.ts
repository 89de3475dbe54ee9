/** wasi:filesystem error codes as thrown by the VFS; `payload` is what jco lowers as the `err` case. */
export type FsErrorCode =
  | "access"
  | "already"
  | "bad-descriptor"
  | "busy"
  | "exist"
  | "file-too-large"
  | "illegal-byte-sequence"
  | "invalid"
  | "io"
  | "is-directory"
  | "loop"
  | "name-too-long"
  | "no-entry"
  | "insufficient-space"
  | "not-directory"
  | "not-empty"
  | "unsupported"
  | "not-permitted"
  | "read-only"
  | "invalid-seek"
  | "cross-device";

export class FsError extends Error {
  override name = "FsError";
  /** jco reads `payload` for the `err` value of a `result` (0.3 error-code is a variant). */
  readonly payload: { tag: FsErrorCode };
  constructor(
    readonly code: FsErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.payload = { tag: code };
  }
}

export const fsError = (code: FsErrorCode, detail?: string): never => {
  throw new FsError(code, detail);
};
