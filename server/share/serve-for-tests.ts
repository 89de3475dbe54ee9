/** The share API on a real HTTP server over a folder, on a free port: for the endpoint's and the client's tests. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createShareEndpoint } from "./endpoint.ts";
import { FolderObjectStore } from "./folder.ts";
import { ShareStore } from "./store.ts";

/** The share endpoint on a real server over `dir`; everything else answers 418 so a fall-through shows. */
export async function serveShare(dir: string): Promise<{ base: string; close: () => Promise<void> }> {
  const store = new ShareStore(new FolderObjectStore(dir));
  const share = createShareEndpoint({ store, serveApp: (res, status) => res.writeHead(status, { "content-type": "text/html" }).end("<!doctype html><title>app</title>") });
  const server: Server = createServer((req, res) => {
    if (!share.handle(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      store.close();
    },
  };
}
