/**
 * wasi:sockets error codes as the host throws them. `payload` is what jco lowers as the `err` of a
 * `result`; 0.3's error-code is a variant (`other` carries a message), 0.2's an enum (`p2Code`).
 */
import type { NetErrorCode } from "../../protocol/net";
import { CloseReason } from "./wisp/packet";
import { RELAY_LOST } from "./wisp/connection";

export type SocketErrorCode =
  | NetErrorCode
  | "not-supported"
  | "invalid-argument"
  | "out-of-memory"
  | "invalid-state"
  | "address-not-bindable"
  | "address-in-use"
  | "datagram-too-large"
  | "other"
  // 0.2 only: its start/finish calls.
  | "would-block"
  | "not-in-progress"
  | "concurrency-conflict";

export class SocketError extends Error {
  override name = "SocketError";
  readonly payload: { tag: SocketErrorCode; val?: string };
  constructor(
    readonly code: SocketErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.payload = code === "other" ? { tag: code, val: detail } : { tag: code };
  }
}

export const socketError = (code: SocketErrorCode, detail: string): never => {
  throw new SocketError(code, detail);
};

/**
 * A relay CLOSE reason (or the relay's loss) as an error code. wisp-js reports every failure to
 * reach a destination as a network error; before the stream carried data that is most often a
 * refusal, after it a reset.
 */
export function closeReasonCode(reason: number, hadData: boolean): NetErrorCode {
  switch (reason) {
    case RELAY_LOST:
      return "connection-aborted";
    case CloseReason.HostBlocked:
      return "access-denied";
    case CloseReason.ConnRefused:
      return "connection-refused";
    case CloseReason.UnreachableHost:
    case CloseReason.InvalidInfo:
      return "remote-unreachable";
    case CloseReason.NoResponse:
    case CloseReason.TransferTimeout:
      return "timeout";
    case CloseReason.NetworkError:
      return hadData ? "connection-reset" : "connection-refused";
    default:
      return "connection-reset";
  }
}

/** 0.2's error-code enum has no `other`, `connection-broken` or `remote-unreachable` message. */
export function p2Code(code: SocketErrorCode): string {
  switch (code) {
    case "other":
      return "unknown";
    case "connection-broken":
      return "connection-reset";
    default:
      return code;
  }
}
