import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { handleConformance } from "./server/static.ts";

const jcoVersion = JSON.parse(readFileSync(new URL("./node_modules/@bytecodealliance/jco/package.json", import.meta.url), "utf8")).version as string;

/**
 * Pages that are not the app: the benchmarks and the e2e fixture pages. `vite build` (what
 * `npm start` serves) leaves them out; `vite build --mode test-pages` (scripts/build-test-pages.mjs,
 * run by Playwright's web server and `npm run bench`) builds only them, into `dist-test/`, with
 * assets under `/test-assets/` so the server can serve both builds side by side.
 */
const TEST_PAGES = { bench: "bench/index.html", "cm-async": "e2e/cm-async/index.html", "compose-examples": "e2e/compose-examples/index.html", bounded: "e2e/bounded/index.html", http: "e2e/http/index.html", wast: "e2e/wast/index.html" };

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    {
      name: "conformance-files",
      async configureServer(server) {
        const root = new URL("../shared/conformance", import.meta.url).pathname;
        server.middlewares.use((req, res, next) => (handleConformance(root, req, res) ? undefined : next()));
        // `npm run dev` builds JS guests the same way `npm start`'s server does, loaded through tsx
        // as that server is (the endpoint reads WIT with src/wit, which Vite's config loader does not resolve).
        const { tsImport } = await import("tsx/esm/api");
        const { buildEndpointFromEnv } = (await tsImport("./server/build/endpoint.ts", import.meta.url)) as typeof import("./server/build/endpoint.ts");
        const builds = buildEndpointFromEnv(new URL(".", import.meta.url).pathname);
        server.middlewares.use((req, res, next) => (builds.handle(req, res) ? undefined : next()));
        server.httpServer?.on("close", () => builds.dispose());
        // The preview Service Worker lives at the root (its scope is `/`); in dev it is the source.
        server.middlewares.use((req, _res, next) => {
          if (req.url === "/preview-sw.js") req.url = "/workers/preview-sw.ts";
          next();
        });
      },
    },
  ],
  define: { __JCO_VERSION__: JSON.stringify(jcoVersion) },
  worker: { format: "es" },
  // The test pages fetch the app's example components from its build; they copy nothing of public/.
  publicDir: mode === "test-pages" ? false : "public",
  build: {
    target: "es2023",
    chunkSizeWarningLimit: 8192,
    ...(mode === "test-pages" ? { outDir: "dist-test", assetsDir: "test-assets" } : {}),
    rollupOptions: {
      input: mode === "test-pages" ? TEST_PAGES : { main: "index.html", "preview-sw": "workers/preview-sw.ts" },
      // The Service Worker keeps one URL across builds (a hashed one would register anew each time).
      ...(mode === "test-pages" ? {} : { output: { entryFileNames: (chunk: { name: string }) => (chunk.name === "preview-sw" ? "preview-sw.js" : "assets/[name]-[hash].js") } }),
      onwarn(warning, warn) {
        // jco's vendored modules start with a "use components" directive that bundling drops harmlessly.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts", "server/**/*.test.ts"],
    environment: "node",
    // QuickJS guests (componentize-qjs) use extended constant expressions, behind a flag before Node 22.
    execArgv: Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-extended-const"] : [],
  },
}));
