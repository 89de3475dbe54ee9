// `npm run bench`: build (the app, and the bench page apart from it), serve, run bench/index.html
// and the app's first load (bench/page-load.mjs) in Chromium, print medians and ratios,
// write bench/results/latest.json. Not part of `npm test`.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { measurePageLoad } from "../bench/page-load.mjs";
import { measureWitEdit } from "../bench/wit-edit.mjs";
import { build, CHROMIUM, ensureChromium, ensureDeps, root } from "./ensure.mjs";
import { buildTestPages } from "./build-test-pages.mjs";

ensureDeps();
ensureChromium();
build();
buildTestPages();
const { chromium } = await import("playwright-core");

const port = 8190 + Math.floor(Math.random() * 100);
// Echo servers for the relay benchmarks: TCP (reached through the relay) and a direct WebSocket one.
const { createServer } = await import("node:net");
const { WebSocketServer } = await import("ws");
const tcpEcho = createServer((s) => {
  s.setNoDelay(true);
  s.on("error", () => {});
  s.pipe(s);
}).listen(0, "127.0.0.1");
const wsEcho = new WebSocketServer({ host: "127.0.0.1", port: 0 });
wsEcho.on("connection", (ws) => ws.on("message", (data, binary) => ws.send(data, { binary })));
await Promise.all([new Promise((r) => tcpEcho.once("listening", r)), new Promise((r) => wsEcho.once("listening", r))]);
const echoes = `tcpEcho=${tcpEcho.address().port}&wsEcho=${encodeURIComponent(`ws://127.0.0.1:${wsEcho.address().port}/`)}`;
const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), RELAY_CONFIG: "bench/relay-policy.json", TEST_PAGES_DIR: "dist-test" },
  stdio: "inherit",
});
await new Promise((r) => setTimeout(r, 1500));
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const reps = Number(process.env.BENCH_REPS ?? 5);
  // BENCH_ONLY=timeline (or engine, fs, decode, net, tracing, http, page) runs one group; `page` is the
  // app's first load and the WIT editor's squiggle latency, measured from here (bench/page-load.mjs,
  // bench/wit-edit.mjs), the others in bench/index.html.
  const onlyGroup = process.env.BENCH_ONLY;
  const only = onlyGroup ? `&only=${encodeURIComponent(onlyGroup)}` : "";
  let state = { result: {} };
  if (onlyGroup !== "page") {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/bench/index.html?reps=${reps}${only}&${echoes}`);
    await page.waitForFunction(() => window.__bench?.done, undefined, { timeout: 30 * 60_000, polling: 1000 });
    state = await page.evaluate(() => window.__bench);
    if (state.error) throw new Error(state.error);
  }
  if (!onlyGroup || onlyGroup === "page") {
    // The app's first load: fresh browser contexts, after the page benchmarks so none share a cache.
    Object.assign(state.result, (await measurePageLoad(browser, `http://127.0.0.1:${port}/`, reps)).result);
    Object.assign(state.result, await measureWitEdit(browser, `http://127.0.0.1:${port}/`, reps));
  }
  const file = join(root, "bench", "results", "latest.json");
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const merged = { ...previous };
  console.log(`\nmetric                     ours (ms)  other (ms)  other/ours  samples  (other = jco + preview3-shim; in-memory for fs_*; wasm-tools alone for decode_*, wit_check_*, wat_build_*; cached for js_build; tracing off for *_traced; direct WebSocket echo for relay_*; the page's fetch for http_client_rtt; a plain ReadableStream pipe for stream_u8_roundtrip_64mib)`);
  for (const [metric, r] of Object.entries(state.result)) {
    // Besides `ours`, a metric has at most one comparison and maybe extra figures (printed as key=value).
    const otherKey = ["jco", "in_memory", "wasm_tools", "cached", "untraced", "disabled", "direct_ws", "direct_fetch", "plain_pipe"].find((k) => k in r);
    const extras = Object.keys(r).filter((k) => k !== "ours" && k !== "samples" && k !== otherKey);
    merged[metric] = Object.fromEntries(Object.entries(r).filter(([k]) => k !== "samples").map(([k, v]) => [k, round(v)]));
    const other = otherKey ? r[otherKey] : undefined;
    const cmp = other === undefined ? `${"".padStart(10)} ${"".padStart(11)}` : `${fmt(other)} ${(other / r.ours).toFixed(2).padStart(10)}x`;
    const more = extras.map((k) => `${k}=${round(r[k])}`).join(" ");
    console.log(`${metric.padEnd(25)} ${fmt(r.ours)} ${cmp} ${String(r.samples).padStart(8)}  ${more}`);
  }
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(file, JSON.stringify(merged, null, 2) + "\n");
  console.log(`\nwrote ${file}`);
} finally {
  await browser.close();
  server.kill();
  tcpEcho.close();
  wsEcho.close();
}

function round(x) {
  return Math.round(x * 100) / 100;
}
function fmt(x) {
  return x.toFixed(2).padStart(10);
}
