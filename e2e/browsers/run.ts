/**
 * `node --import tsx e2e/browsers/run.ts [firefox] [webkit]`: serves the built app (dist/, and the
 * fixture pages in dist-test/) the way Playwright's webServer does, runs CHECKS in each browser
 * named (both by default) one after the other, prints each check and the pass count per browser,
 * and exits 1 if any check failed. Every process it starts is stopped by PID, also on failure and
 * on SIGINT/SIGTERM.
 */
import { fileURLToPath } from "node:url";
// @ts-expect-error: a plain .mjs script (no types), shared with Playwright's web server and the benchmarks.
import { buildTestPages } from "../../scripts/build-test-pages.mjs";
import { CHECKS, type BrowserName, type SmokeBrowser, type SmokeCheck } from "./checks";
import { openFirefox } from "./firefox";
import { freePort, startProcess, type Started } from "./processes";
import type { BrowserSession } from "./session";
import { openWebKit } from "./webkit";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Away from Playwright's port (E2E_PORT, 8181 by default): the two run side by side in `npm test`. */
const basePort = Number(process.env.BROWSERS_PORT ?? Number(process.env.E2E_PORT ?? 8181) + 100);

const BROWSERS: Record<BrowserName, SmokeBrowser & { open(origin: string): Promise<BrowserSession> }> = {
  firefox: { name: "firefox", jspi: true, transferableStreams: true, open: openFirefox },
  webkit: { name: "webkit", jspi: false, transferableStreams: false, open: (origin) => openWebKit(origin, basePort + 1) },
};

const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error(err));
}
/** Set by SIGINT/SIGTERM: nothing new starts, and what started is stopped. */
let stopping = false;
/** A browser being opened, which the signal handler waits for so that it can close it too. */
let opening: Promise<BrowserSession> | null = null;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    stopping = true;
    void (opening ?? Promise.resolve(null))
      .then((s) => s?.close(), () => undefined)
      .then(cleanUp)
      .then(() => process.exit(130));
  });
}

async function startServer(): Promise<string> {
  // The fixture pages some checks open (e2e/http, e2e/compose-examples) live in dist-test/, built
  // apart from the app; this rebuilds them only when their sources changed.
  buildTestPages();
  const port = await freePort(basePort);
  const server: Started = startProcess(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), RELAY_CONFIG: "e2e/fixtures/relay-policy.json", TEST_PAGES_DIR: "dist-test" },
  });
  cleanups.push(() => server.stop());
  await server.waitForOutput(/WASI Playground: http:\/\/\S+/, 30_000);
  return `http://127.0.0.1:${port}/`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The checks `browser` can run; the others are listed as not run, with the reason. */
function runnable(browser: SmokeBrowser): SmokeCheck[] {
  return CHECKS.filter((c) => {
    const why = c.notRunIn?.(browser) ?? null;
    if (why !== null) console.log(`  - [${browser.name}] ${c.name}: not run: ${why}`);
    return why === null;
  });
}

/** Runs the checks in one browser; returns how many passed. */
async function runIn(browser: (typeof BROWSERS)[BrowserName], checks: SmokeCheck[], origin: string): Promise<number> {
  console.log(`\n${browser.name}: opening`);
  const t0 = Date.now();
  opening = browser.open(origin);
  const session = await opening;
  opening = null;
  const close = () => session.close();
  cleanups.push(close);
  console.log(`${browser.name}: open (${seconds(Date.now() - t0)})`);
  let passed = 0;
  try {
    for (const c of checks) {
      if (stopping) break;
      const t = Date.now();
      try {
        await c.run(session.page, browser);
        passed++;
        console.log(`  ✓ [${browser.name}] ${c.name} (${seconds(Date.now() - t)})`);
      } catch (err) {
        console.log(`  ✘ [${browser.name}] ${c.name} (${seconds(Date.now() - t)})\n${indent(err instanceof Error ? err.message : String(err))}`);
      }
    }
  } finally {
    cleanups.splice(cleanups.indexOf(close), 1);
    await close();
  }
  return passed;
}

const indent = (s: string) => s.replace(/^/gm, "      ");

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  for (const n of names) if (!(n in BROWSERS)) throw new Error(`unknown browser '${n}'; expected ${Object.keys(BROWSERS).join(" or ")}`);
  const chosen = (names.length > 0 ? names : Object.keys(BROWSERS)) as BrowserName[];
  const origin = await startServer();
  const counts: string[] = [];
  let failed = 0;
  for (const name of chosen) {
    if (stopping) break;
    const t0 = Date.now();
    const checks = runnable(BROWSERS[name]);
    let passed = 0;
    try {
      passed = await runIn(BROWSERS[name], checks, origin);
    } catch (err) {
      console.log(`  ✘ [${name}] could not open the browser:\n${indent(err instanceof Error ? err.message : String(err))}`);
    }
    failed += checks.length - passed;
    const notRun = CHECKS.length - checks.length;
    counts.push(`${name}: ${passed}/${checks.length} passed${notRun > 0 ? `, ${notRun} not run (a missing browser feature)` : ""} (${seconds(Date.now() - t0)})`);
  }
  console.log(`\n${counts.join("\n")}`);
  return failed === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
} finally {
  await cleanUp();
}
process.exit(code);
