/** A connection under the HTTP client and what opens one: the platform leaf (sockets, or a test double). */
import type { ByteSource } from "./h1";

/** A byte connection to an HTTP server. */
export interface Conn extends ByteSource {
  write(bytes: Uint8Array): Promise<void>;
  /** Closes it (FIN after what was written). */
  close(): void;
  /** Fails it at once (RST). */
  abort(): void;
  /** Whether it has ended or failed (it cannot carry another request). */
  readonly ended: boolean;
}

/** Opens connections: the platform leaf under the HTTP client. */
export interface Connector {
  /** Connects to `host:port`; `tls` for https. Rejects with a SocketError or HttpError. */
  connect(host: string, port: number, tls: boolean): Promise<Conn>;
}
