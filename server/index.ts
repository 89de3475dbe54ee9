/** `npm start`'s server: the built app, the conformance components, the JS build endpoint, the share store, the Wisp relay. Prints both URLs. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildEndpointFromEnv } from "./build/endpoint";
import { appHtml, ContentNames, handleConformance, IMMUTABLE, originOf, safeJoin, sendFile, sendJson } from "./static";
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
/** The app's page, its social-card URLs absolute for the origin asked. */
const sendApp = (req: IncomingMessage, res: ServerResponse, status = 200) =>
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(appHtml(readFileSync(join(dist, "index.html"), "utf8"), originOf(req)));
const share = createShareEndpoint({
  store: shareStore,
  // `/s/<id>` is the app; the page reads the id from its path and loads the link.
  serveApp: (res, status) => sendApp(res.req, res, status),
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

// The benchmark and e2e fixture pages are not part of the app: scripts/build-test-pages.mjs builds
// them into their own folder, served only when TEST_PAGES_DIR names it (Playwright, npm run bench).
const testPages = process.env.TEST_PAGES_DIR ? resolve(root, process.env.TEST_PAGES_DIR) : null;
const components = new ContentNames(join(dist, "components"));

const server = createServer((req, res) => {
  if (req.url === "/api/relay") return sendJson(res, 200, { url: relay.url, policy: describePolicy(relay.config) });
  if (handleConformance(conformanceRoot, req, res)) return;
  if (fixtures.handle(req, res)) return;
  if (req.url?.startsWith("/preview/")) return previewWithoutWorker(res);
  if (builds.handle(req, res)) return;
  if (share.handle(req, res)) return;
  const url = (req.url ?? "/").split("?")[0]!;
  // Example components by content (index.json gives each one's sha256): cached for good.
  const byHash = /^\/components\/([0-9a-f]{64})\.wasm$/.exec(url);
  if (byHash) {
    const file = components.find(byHash[1]!);
    if (file && sendFile(res, file, IMMUTABLE, req)) return;
    return sendJson(res, 404, { error: `no example component has sha256 ${byHash[1]}; reload the page for the current list` });
  }
  if (testPages && /^\/(?:bench|e2e|test-assets)\//.test(url)) {
    const path = safeJoin(testPages, url);
    if (path && sendFile(res, path, url.startsWith("/test-assets/") ? IMMUTABLE : "no-cache", req)) return;
  }
  if (url === "/" || url === "/index.html") return sendApp(req, res);
  const path = safeJoin(dist, url);
  if (path && sendFile(res, path, url.startsWith("/assets/") ? IMMUTABLE : "no-cache", req)) return;
  sendApp(req, res);
});

server.listen(port, host, () => {
  console.log(`WASI Playground: http://${host === "0.0.0.0" ? "localhost" : host}:${port}/`);
  console.log(`  conformance components: ${existsSync(conformanceRoot) ? conformanceRoot : "(not found)"}`);
  console.log(shareBanner(shareStore));
  console.log(relayBanner(relay, relayConfig));
});

for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => (builds.dispose(), shareStore.close(), void fixtures.dispose(), void relay.close().then(() => server.close(() => process.exit(0)))));
