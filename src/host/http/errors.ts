/**
 * wasi:http's errors as the host throws them (`payload` is what the engines lower as a `result`'s
 * `err`), and the mapping of the network's failures onto `error-code` (wasi:http types.wit; the
 * choices follow Wasmtime's: a refused TCP connect is `connection-refused`, a policy refusal
 * `HTTP-request-denied`, a connection that breaks `connection-terminated`).
 */
import type * as Types from "../generated/host-p3/interfaces/wasi-http-types.js";
import { SocketError } from "../sockets/errors";
import { PipeError } from "../sockets/vnet/pipe";

export type ErrorCode = Types.ErrorCode;
export type HeaderError = Types.HeaderError;

/** A failed `fields` operation. */
export class FieldError extends Error {
  override name = "FieldError";
  readonly payload: HeaderError;
  constructor(tag: Exclude<HeaderError["tag"], "other">, detail: string) {
    super(`${tag}: ${detail}`);
    this.payload = { tag };
  }
}

/** A failed request or response: its `error-code`, and a message for people. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly payload: ErrorCode,
    detail: string,
  ) {
    super(`${payload.tag}: ${detail}`);
  }
}

export const httpError = (code: ErrorCode, detail: string): never => {
  throw new HttpError(code, detail);
};

/** A `result` with no payloads failing (`set-method`, `set-status-code`...). */
export class InvalidValue extends Error {
  override name = "InvalidValue";
  readonly payload = undefined;
}

/** `request-options-error`. */
export class OptionsError extends Error {
  override name = "OptionsError";
  readonly payload: Types.RequestOptionsError = { tag: "immutable" };
}

/** The error-code of a failure on the way (network, protocol, guest body); rethrows our bugs. */
export function errorCode(err: unknown): ErrorCode {
  if (err instanceof HttpError) return err.payload;
  if (err instanceof SocketError || err instanceof PipeError) {
    switch (err.code) {
      case "access-denied":
        return { tag: "HTTP-request-denied" };
      case "connection-refused":
        return { tag: "connection-refused" };
      case "remote-unreachable":
        return { tag: "destination-unavailable" };
      case "timeout":
        return { tag: "connection-timeout" };
      case "invalid-argument":
        return { tag: "DNS-error", val: { rcode: undefined, infoCode: undefined } };
      default:
        return { tag: "connection-terminated" };
    }
  }
  throw err;
}

/** A failure as an HttpError: its error-code, the original message (rethrows our bugs). */
export function asHttpError(err: unknown): HttpError {
  return err instanceof HttpError ? err : new HttpError(errorCode(err), describeError(err));
}

/** The message of a failure, for the console and the preview's error page. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
