/** Test support: a TCP server on 127.0.0.1 (any free port) that `cleanups` stops, its connections cut. */
import { createServer, type Server, type Socket } from "node:net";

export async function tcpServer(onSocket: (s: Socket) => void, cleanups: Array<() => unknown>): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  return { server, port: (server.address() as { port: number }).port };
}
