/** Test servers shared by e2e/network.spec.ts (Chromium) and the Firefox/WebKit smoke (e2e/browsers/). */
import { createServer, type Server, type Socket } from "node:net";

/** A TCP echo server on 127.0.0.1 (ephemeral port), for the relay to reach. */
export async function tcpEcho(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
