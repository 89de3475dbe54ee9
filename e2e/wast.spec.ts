/**
 * The Component Model's own reference tests (`../shared/conformance/component-model-wast/`, 63
 * `.wast` scripts) on engine/cm in Chromium, with JSPI, through the runner of
 * src/engine/cm/wast/. Writes reports/component-model-wast.json (and the failed commands of each
 * failing script to reports/component-model-wast-failures.json); fails on any script that fails
 * without being listed in src/engine/cm/wast/expectations.json, and on any listed one that passes
 * (then its entry must go).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { ScriptResult } from "../src/engine/cm/wast/run";

const SUITE = new URL("../../shared/conformance/component-model-wast/", import.meta.url).pathname;
const EXPECTATIONS = new URL("../src/engine/cm/wast/expectations.json", import.meta.url).pathname;

type Verdict = "pass" | "fail" | "expected-fail";

test("Component Model reference tests (.wast) on engine/cm", async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const only = process.env.WAST_ONLY;
  const scripts = readdirSync(SUITE, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".wast") && (!only || f.includes(only)))
    .map((f) => f.split("\\").join("/"))
    .sort();
  if (!only) expect(scripts.length).toBe(63);
  const expected = JSON.parse(readFileSync(EXPECTATIONS, "utf8")) as Record<string, string>;
  // Every entry names a script that exists and gives a reason.
  for (const [name, reason] of Object.entries(expected)) {
    expect(readdirSync(join(SUITE, name.split("/")[0]!)), `expectations.json lists ${name}, which is not a script`).toContain(name.split("/")[1]);
    expect(reason.trim().length, `expectations.json: ${name} needs a reason`).toBeGreaterThan(10);
  }

  await page.goto("/e2e/wast/index.html");
  await page.waitForFunction(() => window.__wast !== undefined, undefined, { timeout: 60_000 });
  expect(await page.evaluate(() => window.__wast!.jspi), "Chromium offers JSPI").toBe(true);

  const t0 = Date.now();
  const verdicts: Record<string, Verdict> = {};
  /** The failed commands of each failing script, for whoever works on them next. */
  const details: Record<string, { ms: number; failed: { line: number; command: string; detail: string | null }[] }> = {};
  const unexpected: string[] = [];
  const folders = new Map<string, { pass: number; xfail: number; fail: number }>();
  console.log("\nComponent Model reference tests on engine/cm");
  for (const name of scripts) {
    const r: ScriptResult = await page.evaluate((p) => window.__wast!.run(p), name);
    const listed = name in expected;
    const verdict: Verdict = r.pass ? "pass" : listed ? "expected-fail" : "fail";
    verdicts[name] = verdict;
    const folder = name.split("/")[0]!;
    const f = folders.get(folder) ?? { pass: 0, xfail: 0, fail: 0 };
    f[verdict === "pass" ? "pass" : verdict === "expected-fail" ? "xfail" : "fail"]++;
    folders.set(folder, f);
    const failed = r.commands.filter((c) => !c.ok);
    if (!r.pass) details[name] = { ms: Math.round(r.ms), failed: r.error ? [{ line: 0, command: "script", detail: r.error }] : failed.map(({ line, command, detail }) => ({ line, command, detail })) };
    console.log(`  ${name.padEnd(66)} ${verdict.padEnd(14)} ${(r.ms / 1000).toFixed(2)} s  ${failed.length}/${r.commands.length} commands failed`);
    if (r.error) console.log(`      ${r.error}`);
    if (!r.pass && !listed) {
      unexpected.push(`UNEXPECTED FAIL ${name}: ${r.error ?? failed.map((c) => `line ${c.line} ${c.command}: ${c.detail}`).slice(0, 3).join(" | ")}`);
      for (const c of failed.slice(0, 10)) console.log(`      line ${c.line} ${c.command}: ${c.detail}`);
    }
    if (r.pass && listed) unexpected.push(`UNEXPECTED PASS ${name}: remove it from expectations.json (it was expected to fail because: ${expected[name]})`);
  }
  console.log(`\nfolder      pass  expected-fail  fail   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const [name, f] of [...folders].sort()) console.log(`${name.padEnd(11)} ${String(f.pass).padStart(4)}  ${String(f.xfail).padStart(13)}  ${String(f.fail).padStart(4)}`);
  for (const u of unexpected) console.log(u);

  if (!only) {
    mkdirSync("reports", { recursive: true });
    writeFileSync("reports/component-model-wast.json", JSON.stringify({ engine: "cm", tests: verdicts }, null, 2) + "\n");
    writeFileSync("reports/component-model-wast-failures.json", JSON.stringify(details, null, 2) + "\n");
  }
  expect(unexpected).toEqual([]);
});
