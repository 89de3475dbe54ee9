import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { handleConformance } from "./server/static";

const jcoVersion = JSON.parse(readFileSync(new URL("./node_modules/@bytecodealliance/jco/package.json", import.meta.url), "utf8")).version as string;

export default defineConfig({
  plugins: [
    react(),
    {
      name: "conformance-files",
      configureServer(server) {
        const root = new URL("../shared/conformance", import.meta.url).pathname;
        server.middlewares.use((req, res, next) => (handleConformance(root, req, res) ? undefined : next()));
      },
    },
  ],
  define: { __JCO_VERSION__: JSON.stringify(jcoVersion) },
  worker: { format: "es" },
  build: { target: "es2023", chunkSizeWarningLimit: 8192 },
  test: { include: ["src/**/*.test.ts", "server/**/*.test.ts"], environment: "node" },
});
