// The parts of @mercuryworkshop/wisp-js (plain JS, no bundled types) that the relay uses.
declare module "@mercuryworkshop/wisp-js/server" {
  import type { IncomingMessage } from "node:http";
  import type { Duplex } from "node:stream";

  /** What wisp-js's ServerStream needs of a destination socket (its own NodeTCPSocket has this shape). */
  export interface WispDestinationSocket {
    hostname: string;
    port: number;
    connect(): Promise<void>;
    /** The next chunk from the destination, or null once it has closed. */
    recv(): Promise<Uint8Array | null>;
    send(data: Uint8Array): Promise<void>;
    close(): Promise<void>;
    pause(): void;
    resume(): void;
  }
  export type WispSocketClass = new (hostname: string, port: number) => WispDestinationSocket;

  /** One Wisp connection over an accepted WebSocket; routeRequest makes one per upgrade. */
  export interface WispServerConnection {
    /** Open streams by id. */
    streams: Record<number, { socket: WispDestinationSocket } | undefined>;
    setup(): Promise<void>;
    run(): Promise<void>;
    close_stream(streamId: number, reason?: number | null, quiet?: boolean): Promise<void>;
  }

  export const server: {
    options: Record<string, unknown>;
    ServerConnection: new (
      ws: import("ws").WebSocket,
      path: string,
      options?: { TCPSocket?: WispSocketClass; UDPSocket?: WispSocketClass; ping_interval?: number; wisp_version?: 1 | 2 },
    ) => WispServerConnection;
    routeRequest(
      request: IncomingMessage,
      socket: Duplex,
      head: Buffer,
      connOptions?: { TCPSocket?: WispSocketClass; UDPSocket?: WispSocketClass; ping_interval?: number },
    ): void;
  };
  export const logging: {
    DEBUG: number;
    INFO: number;
    WARN: number;
    ERROR: number;
    NONE: number;
    set_level(level: number): void;
  };
}
