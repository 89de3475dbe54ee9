// `npm run bench`: build, serve, run bench/index.html in Chromium, print medians and ratios,
// write bench/results/latest.json. Not part of `npm test`.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { build, CHROMIUM, ensureChromium, ensureDeps, root } from "./ensure.mjs";

ensureDeps();
ensureChromium();
build();
const { chromium } = await import("playwright-core");

const port = 8190 + Math.floor(Math.random() * 100);
const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: root, env: { ...process.env, PORT: String(port) }, stdio: "inherit" });
await new Promise((r) => setTimeout(r, 1500));
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  const reps = Number(process.env.BENCH_REPS ?? 5);
  await page.goto(`http://127.0.0.1:${port}/bench/index.html?reps=${reps}`);
  await page.waitForFunction(() => window.__bench?.done, undefined, { timeout: 30 * 60_000, polling: 1000 });
  const state = await page.evaluate(() => window.__bench);
  if (state.error) throw new Error(state.error);
  const file = join(root, "bench", "results", "latest.json");
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const merged = { ...previous };
  console.log(`\nmetric                     ours (ms)  other (ms)  other/ours  samples  (other = jco + preview3-shim; in-memory for fs_*; wasm-tools alone for decode_*, wit_check_*, wat_build_*; cached for js_build)`);
  for (const [metric, r] of Object.entries(state.result)) {
    const otherKey = ["jco", "in_memory", "wasm_tools", "cached"].find((k) => k in r);
    const other = r[otherKey];
    merged[metric] = { ours: round(r.ours), [otherKey]: round(other) };
    console.log(`${metric.padEnd(25)} ${fmt(r.ours)} ${fmt(other)} ${(other / r.ours).toFixed(2).padStart(10)}x ${String(r.samples).padStart(8)}`);
  }
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(file, JSON.stringify(merged, null, 2) + "\n");
  console.log(`\nwrote ${file}`);
} finally {
  await browser.close();
  server.kill();
}

function round(x) {
  return Math.round(x * 100) / 100;
}
function fmt(x) {
  return x.toFixed(2).padStart(10);
}
