// The benchmark and e2e fixture pages, built apart from the app (`vite build --mode test-pages`,
// into dist-test/) so `npm start` never ships them. Playwright's web server and `npm run bench`
// run this first; it rebuilds only when a file the pages are made of changed since the last build.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { root, sh } from "./ensure.mjs";

const OUT = join(root, "dist-test");
const STAMP = join(OUT, ".sources");
const SOURCES = ["src", "workers", "bench", "e2e/cm-async", "e2e/compose-examples", "e2e/bounded", "e2e/http", "e2e/wast", "wit", "vite.config.ts", "tsconfig.json", "package-lock.json"];

function files(path) {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (st.isFile()) return [`${relative(root, path)}:${st.size}:${st.mtimeMs}`];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === "results" || name === "node_modules" ? [] : files(join(path, name))));
}

export function buildTestPages() {
  const stamp = createHash("sha256").update(SOURCES.flatMap((s) => files(join(root, s))).join("\n")).digest("hex");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return;
  console.log("» building the benchmark and e2e fixture pages (dist-test/)");
  sh("npx vite build --mode test-pages --logLevel warn");
  writeFileSync(STAMP, stamp);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildTestPages();
