// Builds the example guest components into public/components/NAME.wasm and writes
// public/components/index.json (name, file, description, timeline, size, sha256, section; and
// group, part, groupDescription, needs for the parts of a composition), in the learning path's
// order: examples/order.json lists the sections and the examples (a group by its name) in each,
// and each group's parts in order. An example it does not list comes last, in "More examples".
//
// Two layouts:
//   examples/NAME/{world.wit, guest.js | guest.wat, README.md}          a standalone example NAME
//   examples/GROUP/{*.wit, README.md} + examples/GROUP/PART/{world.wit, guest.js | guest.wat, README.md}
//                                                                      the parts of a composition,
//     built as GROUP-PART; GROUP's *.wit files hold the package that every PART's world.wit is in.
//     GROUP/graph.json, when there, is the composition as src/compose's graph JSON with each
//     instance's `component` naming a PART; public/components/graphs.json holds every group's
//     graph by group name, each part resolved to the sha256 of its build and the whole checked
//     with src/compose (`parseGraph`, then `validate` against the built parts).
// guest.js is built with componentize-qjs. guest.wat is a whole component in WAT, assembled with
// jco's wasm-tools (`parse`) and then checked against its world: its imports and exports must have
// the types of a placeholder component made from world.wit alone, so hand-written types cannot
// drift from the world they claim.
//
// Usage: node scripts/build-examples.mjs [--force] [NAME...]
//   --force  rebuild even when the content-hash stamp matches
//   NAME     build only these examples (index.json still lists every built example)
//
// Cache: a build is skipped when sha256(sources, toolchain version) matches the stamp in
// public/components/.stamps.json and the .wasm is still there.
import { createHash } from "node:crypto";
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync,
  rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { componentize } from "componentize-qjs";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { writeTlsRoots } from "./tls-roots.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const examplesDir = join(root, "examples");
const depsDir = join(root, "wit", "deps");
const outDir = join(root, "public", "components");
const stampsPath = join(outDir, ".stamps.json");

const require = createRequire(import.meta.url);
/** A package's version, from the package.json above its entry (not every package exports that file). */
function versionOf(pkg) {
  for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, "utf8"));
    if (json.name === pkg) return json.version;
  }
  throw new Error(`build-examples: cannot find the version of ${pkg}`);
}
const toolchains = {
  "guest.js": `componentize-qjs@${versionOf("componentize-qjs")}`,
  "guest.wat": `jco-transpile@${versionOf("@bytecodealliance/jco-transpile")}`,
};

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

/** The first paragraph after the `# NAME` title (not a heading), on one line. */
function describe(readme) {
  const lines = readme.split(/\r?\n/);
  const title = lines.findIndex((l) => /^#\s/.test(l));
  const rest = lines.slice(title + 1).map((l) => l.trim());
  const start = rest.findIndex((t) => t && !t.startsWith("#"));
  if (start < 0) return "";
  const end = rest.findIndex((t, i) => i > start && (!t || t.startsWith("#")));
  return rest.slice(start, end < 0 ? undefined : end).join(" ");
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

/**
 * Temp WIT dir: world.wit, the group's shared package files, and deps/ (symlink to wit/deps, copy
 * when symlinks are unavailable).
 */
function makeWitDir(name, worldText, shared) {
  const dir = mkdtempSync(join(tmpdir(), `wasi-playground-${name}-`));
  writeFileSync(join(dir, "world.wit"), worldText);
  for (const [file, text] of shared) writeFileSync(join(dir, file), text);
  try {
    symlinkSync(depsDir, join(dir, "deps"), "dir");
  } catch {
    cpSync(depsDir, join(dir, "deps"), { recursive: true });
  }
  return dir;
}

/** The group's shared package: every *.wit file directly in examples/GROUP, by file name. */
function sharedWit(group) {
  if (!group) return [];
  const dir = join(examplesDir, group);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wit"))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f), "utf8")]);
}

/** Every example: standalone ones (examples/NAME) and composition parts (examples/GROUP/PART), by name. */
function discover() {
  if (!existsSync(examplesDir)) return [];
  const found = [];
  const isDir = (p) => statSync(p).isDirectory();
  for (const top of readdirSync(examplesDir)) {
    const dir = join(examplesDir, top);
    if (!isDir(dir)) continue;
    if (existsSync(join(dir, "world.wit"))) {
      found.push({ name: top, dir, group: null, part: null });
      continue;
    }
    for (const part of readdirSync(dir)) {
      const partDir = join(dir, part);
      if (isDir(partDir) && existsSync(join(partDir, "world.wit"))) found.push({ name: `${top}-${part}`, dir: partDir, group: top, part });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The guest source file an example has: guest.wat or guest.js (exactly one). */
function guestFile(dir) {
  const have = ["guest.js", "guest.wat"].filter((f) => existsSync(join(dir, f)));
  if (have.length !== 1) throw new Error(`expected exactly one of guest.js, guest.wat; found ${have.length ? have.join(", ") : "neither"}`);
  return have[0];
}

/** componentize-qjs: the JS module at jsPath against its world, from a temp WIT dir. */
async function buildJs(name, jsPath, jsSource, worldText, shared) {
  const witDir = makeWitDir(name, worldText, shared);
  try {
    const { component } = await componentize({ witPath: witDir, jsSource, jsPath });
    return component;
  } catch (err) {
    throw new Error(String((err && err.message) || err).replaceAll(witDir, relative(root, dirname(jsPath))));
  } finally {
    rmSync(witDir, { recursive: true, force: true });
  }
}

/**
 * world.wit, the group's package files and the WASI packages they reach, as one WIT source (jco's
 * wasm-tools reads no files): the playground's own bundler, src/wit/bundle.ts, loaded through tsx.
 */
async function witSource(worldText, shared) {
  const { tsImport } = await import("tsx/esm/api");
  const { bundle } = await tsImport("../src/wit/bundle.ts", import.meta.url);
  const project = [["world.wit", worldText], ...shared].map(([path, text]) => ({ path, text, group: "" }));
  const deps = readdirSync(depsDir)
    .sort()
    .flatMap((pkg) => readdirSync(join(depsDir, pkg)).sort().map((f) => ({ path: `${pkg}/${f}`, text: readFileSync(join(depsDir, pkg, f), "utf8"), group: pkg })));
  const b = bundle(project, deps);
  if (b.problems.length) throw new Error(b.problems.map((d) => `${d.path}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return b.source;
}

/**
 * A component's imports and exports with their types, as jco's TypeScript declarations (file ->
 * text): names, parameter names, value types and async-ness, everything but the error type of a
 * returned `result` (which jco turns into a throw).
 */
async function declarations(component) {
  const { files } = await transpileBytes(component, { name: "component", instantiation: "async" });
  const dec = new TextDecoder();
  return new Map(Object.entries(files).filter(([f]) => f.endsWith(".d.ts")).map(([f, bytes]) => [f, dec.decode(bytes)]));
}

/**
 * wasm-tools: assemble the component WAT, then check that it is typed as its world says, against
 * a placeholder component that wasm-tools makes from world.wit alone.
 */
async function buildWat(watSource, worldText, shared) {
  const component = await parse(watSource);
  const placeholder = await componentNew(await componentEmbed({ dummy: true, witSource: await witSource(worldText, shared) }));
  const [expected, actual] = await Promise.all([declarations(placeholder), declarations(component)]);
  for (const file of new Set([...expected.keys(), ...actual.keys()])) {
    if (expected.get(file) !== actual.get(file)) {
      throw new Error(`guest.wat is not typed as world.wit says (compared as jco's ${file}).\n--- world.wit:\n${expected.get(file) ?? "(no such file)"}\n--- guest.wat:\n${actual.get(file) ?? "(no such file)"}`);
    }
  }
  return component;
}

const examples = discover();
const all = examples.map((e) => e.name);
for (const n of only) {
  if (!all.includes(n)) {
    console.error(`build-examples: no example "${n}" (expected examples/${n}/world.wit or examples/GROUP/PART/world.wit for GROUP-PART); have: ${all.join(", ")}`);
    process.exit(2);
  }
}
const selected = only.length ? examples.filter((e) => only.includes(e.name)) : examples;

mkdirSync(outDir, { recursive: true });
const stamps = readStamps();
let failed = false;

for (const { name, dir, group } of selected) {
  const wasmPath = join(outDir, `${name}.wasm`);
  const label = name.padEnd(22);
  const where = relative(root, dir);
  let worldText, guest, source, shared;
  try {
    worldText = readFileSync(join(dir, "world.wit"), "utf8");
    guest = guestFile(dir);
    source = readFileSync(join(dir, guest), "utf8");
    shared = sharedWit(group);
  } catch (err) {
    console.error(`build-examples: ${name}: cannot read sources (${where}): ${err.message}`);
    failed = true;
    continue;
  }
  // The toolchain names the guest kind too; a standalone JS example keeps the stamp it always had.
  const stamp = sha256(worldText, ...shared.flat(), source, toolchains[guest]);
  if (!force && stamps[name] === stamp && existsSync(wasmPath)) {
    console.log(`${label} up to date   (${relative(root, wasmPath)})`);
    continue;
  }

  const t0 = performance.now();
  try {
    const component = guest === "guest.wat" ? await buildWat(source, worldText, shared) : await buildJs(name, join(dir, guest), source, worldText, shared);
    writeFileSync(wasmPath, component);
    stamps[name] = stamp;
    const ms = performance.now() - t0;
    console.log(`${label} built in ${(ms / 1000).toFixed(2)} s  (${(component.length / 1024).toFixed(0)} KiB, ${guest})`);
  } catch (err) {
    // Drop the stale output too, so index.json never lists a component that no longer matches its sources.
    delete stamps[name];
    rmSync(wasmPath, { force: true });
    console.error(`build-examples: FAILED to build example "${name}" (${where}): ${String((err && err.message) || err)}`);
    failed = true;
  }
}

writeFileSync(stampsPath, JSON.stringify(stamps, null, 2) + "\n");

// index.json lists every example whose .wasm exists, in the learning path's order.
const order = JSON.parse(readFileSync(join(examplesDir, "order.json"), "utf8"));
/** [section, place in it, place among the group's parts]; what order.json leaves out sorts last. */
const rank = (e) => {
  const last = (i) => (i < 0 ? Infinity : i);
  const s = last(order.sections.findIndex((sec) => sec.examples.includes(e.group ?? e.name)));
  const place = s === Infinity ? 0 : order.sections[s].examples.indexOf(e.group ?? e.name);
  return [s, place, e.group ? last((order.parts[e.group] ?? []).indexOf(e.part)) : 0];
};
const byPath = (a, b) => {
  const [ra, rb] = [rank(a), rank(b)];
  const d = ra.findIndex((x, i) => x !== rb[i]);
  return d >= 0 ? (ra[d] < rb[d] ? -1 : 1) : a.name < b.name ? -1 : 1;
};
for (const listed of order.sections.flatMap((sec) => sec.examples)) {
  if (!examples.some((e) => (e.group ?? e.name) === listed)) {
    console.error(`build-examples: examples/order.json lists "${listed}", which is not an example`);
    failed = true;
  }
}
const readmeOf = (dir) => (existsSync(join(dir, "README.md")) ? readFileSync(join(dir, "README.md"), "utf8") : "");
const index = [];
for (const e of [...examples].sort(byPath)) {
  const { name, dir, group, part } = e;
  const wasmPath = join(outDir, `${name}.wasm`);
  if (!existsSync(wasmPath)) continue;
  const readme = readmeOf(dir);
  const bytes = readFileSync(wasmPath);
  index.push({
    name,
    file: `${name}.wasm`,
    description: describe(readme),
    timeline: timelineSection(readme),
    size: statSync(wasmPath).size,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    section: order.sections[rank(e)[0]]?.title ?? "More examples",
    // A part of a composition (examples/GROUP/PART): meant to be wired to its group's other parts;
    // `needs` names the group's interfaces its world imports (none: it also runs alone).
    ...(group
      ? {
          group,
          part,
          groupDescription: describe(readmeOf(join(examplesDir, group))),
          needs: [...readFileSync(join(dir, "world.wit"), "utf8").matchAll(/^\s*import\s+([a-z][\w-]*)\s*;/gm)].map((m) => m[1]),
        }
      : {}),
  });
}
writeFileSync(join(outDir, "index.json"), JSON.stringify(index, null, 2) + "\n");
// Not an example: the root store of the page's https, which every build needs as well.
writeTlsRoots(join(root, "public"));

/**
 * GROUP/graph.json with each `component` (a PART) replaced by that part's sha256, checked by
 * src/compose as the editor would check it; an error names the group and what is wrong.
 */
async function groupGraph(group) {
  const { tsImport } = await import("tsx/esm/api");
  const { parseGraph, graphToJson } = await tsImport("../src/compose/json.ts", import.meta.url);
  const { Catalog, MemoryLibrary } = await tsImport("../src/compose/catalog.ts", import.meta.url);
  const { validate, diagnosticText } = await tsImport("../src/compose/rules.ts", import.meta.url);
  const json = JSON.parse(readFileSync(join(examplesDir, group, "graph.json"), "utf8"));
  const library = new MemoryLibrary();
  for (const inst of json.instances ?? []) {
    const entry = index.find((e) => e.group === group && e.part === inst.component);
    if (!entry) throw new Error(`instance "${inst.name}" names component "${inst.component}", which is not a built part of ${group}`);
    inst.component = (await library.add(entry.file, readFileSync(join(outDir, entry.file)))).sha256;
  }
  const parsed = parseGraph(json);
  if (!parsed.ok) throw new Error(parsed.error);
  const problems = validate(new Catalog(library), parsed.graph);
  if (problems.length) throw new Error(problems.map(diagnosticText).join("; "));
  return graphToJson(parsed.graph);
}
const graphs = {};
for (const group of [...new Set(examples.flatMap((e) => (e.group ? [e.group] : [])))].sort()) {
  if (!existsSync(join(examplesDir, group, "graph.json")) || !index.some((e) => e.group === group)) continue;
  try {
    graphs[group] = await groupGraph(group);
  } catch (err) {
    console.error(`build-examples: examples/${group}/graph.json: ${String((err && err.message) || err)}`);
    failed = true;
  }
}
writeFileSync(join(outDir, "graphs.json"), JSON.stringify(graphs, null, 2) + "\n");

if (failed) {
  console.error("build-examples: one or more examples failed (see above)");
  process.exit(1);
}
