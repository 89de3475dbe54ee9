// `npm test`: install what is missing (npm packages, Debian Chromium), then every stage in order.
// Stages: typecheck, lint, unit tests (Node 20), build, end-to-end + conformance in Chromium, the
// Component Model's reference tests (.wast) on engine/cm in Chromium.
import { build, ensureChromium, ensureDeps, sh } from "./ensure.mjs";

ensureDeps();
ensureChromium();

/** The title of e2e/wast.spec.ts's test: a stage of its own. */
const WAST = "Component Model reference tests";

const stages = [
  ["generated host types are current", () => sh("node scripts/gen-host-types.mjs --check")],
  ["typecheck", () => sh("npx tsc -p .")],
  ["lint", () => sh("npx eslint --max-warnings 0 .")],
  ["unit tests (Node 20)", () => sh("node scripts/build-examples.mjs && npx vitest run")],
  ["build", build],
  ["e2e + conformance (Chromium)", () => sh(`npx playwright test --grep-invert "${WAST}"`)],
  // Writes reports/component-model-wast.json.
  ["Component Model reference tests (.wast, engine/cm, Chromium)", () => sh(`npx playwright test e2e/wast.spec.ts --grep "${WAST}"`)],
];

let passed = 0;
let failed = 0;
for (const [name, run] of stages) {
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  try {
    run();
    passed++;
    console.log(`=== ${name}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch {
    failed++;
    console.log(`=== ${name}: FAILED`);
    break;
  }
}
console.log(`\nstages: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
