/**
 * Requests and responses as the host moves them, apart from the guest's resources: heads, a body
 * (bytes as a pull-based ReadableStream, so a reader that stops stops the writer, and trailers
 * that settle once the bytes ended), and the transmission future each `new` hands back.
 */
import { describeError, HttpError, type ErrorCode } from "./errors";
import type { FieldList } from "./fields";
import type { Method, Scheme } from "./uri";

export type Result<T> = { tag: "ok"; val: T } | { tag: "err"; val: ErrorCode };

/** How trailers arrive: some, none, or the error that ended the body. */
export type TrailersResult = Result<FieldList | undefined>;

export const NO_TRAILERS: TrailersResult = { tag: "ok", val: undefined };

export interface Body {
  /** The content; null for none (zero bytes). */
  contents: ReadableStream<Uint8Array> | null;
  /** Settles after the content ended (or failed). */
  trailers: PromiseLike<TrailersResult>;
}

export const emptyBody = (): Body => ({ contents: null, trailers: Promise.resolve(NO_TRAILERS) });

/** Timeouts from `request-options`, in nanoseconds; undefined for the host's default. */
export interface Timeouts {
  connect?: bigint;
  firstByte?: bigint;
  betweenBytes?: bigint;
}

export interface RequestHead {
  method: Method;
  scheme: Scheme | undefined;
  authority: string | undefined;
  pathWithQuery: string | undefined;
  headers: FieldList;
  timeouts: Timeouts;
}

export interface ResponseHead {
  status: number;
  headers: FieldList;
}

/**
 * The future a request's or response's `new` returns: settles once whoever took the body sent
 * it (the host) or said how its processing went (a guest's `consume-body` `res`).
 */
export class Transmission {
  #settle!: (r: Result<undefined>) => void;
  #settled = false;
  readonly done: Promise<Result<undefined>>;
  constructor() {
    this.done = new Promise((resolve) => (this.#settle = resolve));
  }
  settle(r: Result<undefined>): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(r);
  }
  fail(code: ErrorCode): void {
    this.settle({ tag: "err", val: code });
  }
}

/**
 * A body from a stream with no trailers (the browser's, fetch's): pulled on demand, its trailers
 * settle when it ends, or with `connection-terminated` when it fails.
 */
export function bodyOf(source: ReadableStream<Uint8Array>): Body {
  let settle!: (t: TrailersResult) => void;
  const trailers = new Promise<TrailersResult>((r) => (settle = r));
  const reader = source.getReader();
  const contents = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (!done) return controller.enqueue(value);
          controller.close();
          settle(NO_TRAILERS);
        } catch (err) {
          const code: ErrorCode = { tag: "connection-terminated" };
          settle({ tag: "err", val: code });
          controller.error(new HttpError(code, describeError(err)));
        }
      },
      cancel(reason) {
        settle(NO_TRAILERS);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { contents, trailers };
}
