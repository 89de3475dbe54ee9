/** `npm start`'s server: the built app, the conformance components, the JS build endpoint, the share store, the Wisp relay. Prints both URLs. */
import { createServer, type ServerResponse } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildEndpointFromEnv } from "./build/endpoint";
import { handleConformance, safeJoin, sendFile, sendJson } from "./static";
import { HttpFixtures } from "./http-fixtures";
import { describePolicy } from "./relay-policy";
import { loadRelayConfig, relayBanner, startRelay } from "./relay";
import { openShareStore, shareBanner, shareConfigFromEnv } from "./share/config";
import { createShareEndpoint } from "./share/endpoint";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const conformanceRoot = resolve(process.env.CONFORMANCE_DIR ?? join(root, "..", "shared", "conformance"));
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "127.0.0.1";

if (!existsSync(join(dist, "index.html"))) {
  console.error(`No built app in ${dist}. Run 'npm start' (it builds first) or 'npx vite build'.`);
  process.exit(1);
}

const shareConfig = shareConfigFromEnv(process.env, root);
if ("error" in shareConfig) {
  console.error(shareConfig.error);
  process.exit(1);
}
const shareStore = await openShareStore(shareConfig).catch((err: Error) => {
  console.error(`The share store cannot open: ${err.message}`);
  return process.exit(1);
});
const share = createShareEndpoint({
  store: shareStore,
  // `/s/<id>` is the app; the page reads the id from its path and loads the link.
  serveApp: (res, status) => res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(readFileSync(join(dist, "index.html"))),
});

const relayConfig = resolve(process.env.RELAY_CONFIG ?? join(root, "server", "relay.config.json"));
const relay = await startRelay(loadRelayConfig(relayConfig), process.env.RELAY_PORT ? { port: Number(process.env.RELAY_PORT) } : {});
// A fault inside the relay library must not take the app down with it.
process.on("unhandledRejection", (err) => console.error("relay: unhandled error:", err));
const builds = buildEndpointFromEnv(root);
const fixtures = new HttpFixtures();

/**
 * `/preview/<run>/...` is answered by the page's Service Worker; a request that reaches the server
 * came from a tab the worker does not control yet.
 */
function previewWithoutWorker(res: ServerResponse): void {
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end("This preview is served inside the playground by its Service Worker, which is not running for this tab.\nOpen the playground (/) in this browser, start the component there, then reload this page.\n");
}

const server = createServer((req, res) => {
  if (req.url === "/api/relay") return sendJson(res, 200, { url: relay.url, policy: describePolicy(relay.config) });
  if (handleConformance(conformanceRoot, req, res)) return;
  if (fixtures.handle(req, res)) return;
  if (req.url?.startsWith("/preview/")) return previewWithoutWorker(res);
  if (builds.handle(req, res)) return;
  if (share.handle(req, res)) return;
  const url = req.url ?? "/";
  const path = safeJoin(dist, url === "/" ? "/index.html" : url);
  const hashed = url.startsWith("/assets/");
  if (path && sendFile(res, path, hashed ? "public, max-age=31536000, immutable" : "no-cache")) return;
  sendFile(res, join(dist, "index.html"));
});

server.listen(port, host, () => {
  console.log(`WASI Playground: http://${host === "0.0.0.0" ? "localhost" : host}:${port}/`);
  console.log(`  conformance components: ${existsSync(conformanceRoot) ? conformanceRoot : "(not found)"}`);
  console.log(shareBanner(shareStore));
  console.log(relayBanner(relay, relayConfig));
});

for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => (builds.dispose(), shareStore.close(), void fixtures.dispose(), void relay.close().then(() => server.close(() => process.exit(0)))));
