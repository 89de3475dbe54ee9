// Builds the example guest components in examples/NAME/{world.wit,guest.js,README.md}
// with componentize-qjs into public/components/NAME.wasm, and writes
// public/components/index.json (name, file, description, timeline, size, sha256).
//
// Usage: node scripts/build-examples.mjs [--force] [NAME...]
//   --force  rebuild even when the content-hash stamp matches
//   NAME     build only these examples (index.json still lists every built example)
//
// Cache: a build is skipped when sha256(world.wit, guest.js, componentize-qjs version)
// matches the stamp in public/components/.stamps.json and the .wasm is still there.
import { createHash } from "node:crypto";
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync,
  rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { componentize } from "componentize-qjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const examplesDir = join(root, "examples");
const depsDir = join(root, "wit", "deps");
const outDir = join(root, "public", "components");
const stampsPath = join(outDir, ".stamps.json");

const require = createRequire(import.meta.url);
const cqjsVersion = require("componentize-qjs/package.json").version;

const argv = process.argv.slice(2);
const force = argv.includes("--force");
const only = argv.filter((a) => !a.startsWith("--"));

function sha256(...parts) {
  const h = createHash("sha256");
  for (const p of parts) {
    const buf = typeof p === "string" ? Buffer.from(p) : p;
    h.update(String(buf.length)).update(":").update(buf); // length-prefixed: no ambiguity
  }
  return h.digest("hex");
}

/** First non-empty, non-heading line after the `# NAME` title. */
function describe(readme) {
  const lines = readme.split(/\r?\n/);
  const title = lines.findIndex((l) => /^#\s/.test(l));
  for (const line of lines.slice(title + 1)) {
    const t = line.trim();
    if (t && !t.startsWith("#")) return t;
  }
  return "";
}

/** The README's "What the timeline shows" section, for the timeline panel's "what to look for". */
function timelineSection(readme) {
  const m = /^##\s+What the timeline shows\s*$([\s\S]*?)(?=^##\s|(?![\s\S]))/m.exec(readme);
  return m ? m[1].trim() : "";
}

function readStamps() {
  try {
    return JSON.parse(readFileSync(stampsPath, "utf8"));
  } catch {
    return {};
  }
}

/** Temp WIT dir: world.wit + deps/ (symlink to wit/deps, copy when symlinks are unavailable). */
function makeWitDir(name, worldText) {
  const dir = mkdtempSync(join(tmpdir(), `wasi-playground-${name}-`));
  writeFileSync(join(dir, "world.wit"), worldText);
  try {
    symlinkSync(depsDir, join(dir, "deps"), "dir");
  } catch {
    cpSync(depsDir, join(dir, "deps"), { recursive: true });
  }
  return dir;
}

const all = existsSync(examplesDir)
  ? readdirSync(examplesDir).filter((n) => existsSync(join(examplesDir, n, "world.wit"))).sort()
  : [];
for (const n of only) {
  if (!all.includes(n)) {
    console.error(`build-examples: no example "${n}" (expected examples/${n}/world.wit); have: ${all.join(", ")}`);
    process.exit(2);
  }
}
const selected = only.length ? all.filter((n) => only.includes(n)) : all;

mkdirSync(outDir, { recursive: true });
const stamps = readStamps();
let failed = false;

for (const name of selected) {
  const dir = join(examplesDir, name);
  const wasmPath = join(outDir, `${name}.wasm`);
  const label = name.padEnd(14);
  let worldText, jsSource;
  try {
    worldText = readFileSync(join(dir, "world.wit"), "utf8");
    jsSource = readFileSync(join(dir, "guest.js"), "utf8");
  } catch (err) {
    console.error(`build-examples: ${name}: cannot read sources: ${err.message}`);
    failed = true;
    continue;
  }
  const stamp = sha256(worldText, jsSource, `componentize-qjs@${cqjsVersion}`);
  if (!force && stamps[name] === stamp && existsSync(wasmPath)) {
    console.log(`${label} up to date   (${relative(root, wasmPath)})`);
    continue;
  }

  const witDir = makeWitDir(name, worldText);
  const t0 = performance.now();
  try {
    const { component } = await componentize({
      witPath: witDir,
      jsSource,
      jsPath: join(dir, "guest.js"),
    });
    writeFileSync(wasmPath, component);
    stamps[name] = stamp;
    const ms = performance.now() - t0;
    console.log(`${label} built in ${(ms / 1000).toFixed(2)} s  (${(component.length / 1024).toFixed(0)} KiB)`);
  } catch (err) {
    // Drop the stale output too, so index.json never lists a component that no longer matches its sources.
    delete stamps[name];
    rmSync(wasmPath, { force: true });
    const msg = String((err && err.message) || err).replaceAll(witDir, `examples/${name}`);
    console.error(`build-examples: FAILED to build example "${name}" (examples/${name}): ${msg}`);
    failed = true;
  } finally {
    rmSync(witDir, { recursive: true, force: true });
  }
}

writeFileSync(stampsPath, JSON.stringify(stamps, null, 2) + "\n");

// index.json lists every example whose .wasm exists, in name order.
const index = [];
for (const name of all) {
  const wasmPath = join(outDir, `${name}.wasm`);
  if (!existsSync(wasmPath)) continue;
  let readme = "";
  try {
    readme = readFileSync(join(examplesDir, name, "README.md"), "utf8");
  } catch {}
  const bytes = readFileSync(wasmPath);
  index.push({
    name,
    file: `${name}.wasm`,
    description: describe(readme),
    timeline: timelineSection(readme),
    size: statSync(wasmPath).size,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  });
}
writeFileSync(join(outDir, "index.json"), JSON.stringify(index, null, 2) + "\n");

if (failed) {
  console.error("build-examples: one or more examples failed (see above)");
  process.exit(1);
}
