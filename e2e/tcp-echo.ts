/** Test servers shared by e2e/network.spec.ts, e2e/share.spec.ts (Chromium) and the Firefox/WebKit smoke (e2e/browsers/). */
import { createServer, type Server, type Socket } from "node:net";

export interface TcpEcho {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP echo server on 127.0.0.1 (ephemeral port) for the relay to reach, counting its connections. */
export async function tcpEcho(): Promise<TcpEcho> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on("error", () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
