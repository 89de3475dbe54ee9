// `npm test`: install what is missing (npm packages, Debian's Chromium, Firefox ESR and WebKitGTK),
// then every stage in order. Stages: typecheck, lint, unit tests (Node 20), build, then side by side
// the end-to-end + conformance specs in Chromium and the smoke in Firefox and WebKit
// (e2e/browsers/), each against the same build, then the Component Model's reference tests (.wast)
// on engine/cm in Chromium. TEST_SERIAL=1 runs the side-by-side stages one after the other.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { build, ensureBrowsers, ensureDeps, root, sh } from "./ensure.mjs";

try {
  ensureDeps();
  ensureBrowsers(["chromium", "firefox", "webkit"]);
} catch (err) {
  console.error(`npm test: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}

/** The title of e2e/wast.spec.ts's test: a stage of its own. */
const WAST = "Component Model reference tests";

/** Runs `command`, its output lines prefixed by `tag`; resolves with the lines and whether it succeeded. */
function tagged(tag, command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const lines = [];
    for (const out of [child.stdout, child.stderr]) {
      createInterface({ input: out }).on("line", (line) => {
        lines.push(line);
        console.log(`[${tag}] ${line}`);
      });
    }
    child.on("error", (err) => resolve({ ok: false, lines: [...lines, err.message] }));
    child.on("close", (code) => resolve({ ok: code === 0, lines }));
  });
}

/** Pass counts per browser, read from what the runners print. */
const counts = [];
async function chromium() {
  const { ok, lines } = await tagged("chromium", "npx", ["playwright", "test", "--grep-invert", WAST]);
  const count = (word) => lines.map((l) => new RegExp(`^\\s*(\\d+) ${word}\\b`).exec(l)?.[1]).find(Boolean) ?? "0";
  counts.push(`chromium: ${count("passed")} passed, ${count("failed")} failed`);
  if (!ok) throw new Error("Playwright failed");
}
async function smoke() {
  const { ok, lines } = await tagged("browsers", process.execPath, ["--import", "tsx", "e2e/browsers/run.ts"]);
  counts.push(...lines.filter((l) => /^(firefox|webkit): \d+\/\d+ passed/.test(l)));
  if (!ok) throw new Error("a check failed");
}

// Each entry is a stage, or a list of stages that run at the same time.
const stages = [
  ["generated host types are current", () => sh("node scripts/gen-host-types.mjs --check")],
  ["typecheck", () => sh("npx tsc -p .")],
  ["lint", () => sh("npx eslint --max-warnings 0 .")],
  ["unit tests (Node 20)", () => sh("node scripts/build-examples.mjs && npx vitest run")],
  // The app and the e2e fixture pages, built once here: the Chromium specs and the Firefox/WebKit
  // smoke start side by side and would otherwise both build dist-test/.
  [
    "build",
    () => {
      build();
      sh("node scripts/build-test-pages.mjs");
    },
  ],
  [
    ["e2e + conformance (Chromium)", chromium],
    ["smoke (Firefox, WebKit)", smoke],
  ],
  // Writes reports/component-model-wast.json.
  ["Component Model reference tests (.wast, engine/cm, Chromium)", () => sh(`npx playwright test e2e/wast.spec.ts --grep "${WAST}"`)],
];

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Runs one stage; resolves true when it passed. */
async function runStage([name, run]) {
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  try {
    await run();
    console.log(`=== ${name}: ok (${seconds(t0)})`);
    return true;
  } catch (err) {
    console.log(`=== ${name}: FAILED (${seconds(t0)})${err instanceof Error && err.message ? `: ${err.message}` : ""}`);
    return false;
  }
}

const parallel = process.env.TEST_SERIAL !== "1" && availableParallelism() >= 2;
const t0 = Date.now();
let passed = 0;
let failed = 0;
for (const stage of stages) {
  const group = Array.isArray(stage[0]) ? stage : [stage];
  const results = [];
  if (parallel) results.push(...(await Promise.all(group.map(runStage))));
  else for (const s of group) results.push(await runStage(s));
  passed += results.filter(Boolean).length;
  failed += results.filter((ok) => !ok).length;
  if (failed > 0) break;
}
if (counts.length > 0) console.log(`\n${counts.join("\n")}`);
console.log(`\nstages: ${passed} passed, ${failed} failed (${seconds(t0)})`);
process.exit(failed === 0 ? 0 : 1);
