/**
 * The wasi-testsuite through the in-app runner: every test runs in Chromium through the runtime
 * worker and host. Fails on any unexpected pass or fail; writes reports/conformance.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

interface Result {
  name: string;
  family: string;
  verdict: "pass" | "fail" | "expected-fail";
  unexpected: boolean;
  reason: string | null;
  ms: number;
}

for (const engine of ["jco", "cm"] as const) {
  test(`wasi-testsuite conformance on engine/${engine}`, async ({ page }) => {
    test.setTimeout(20 * 60_000);
    const only = process.env.CONFORMANCE_ONLY ? `&only=${process.env.CONFORMANCE_ONLY}` : "";
    await page.goto(`/#/conformance/auto?engine=${engine}${only}`);
    await page.waitForFunction(() => window.__conformance?.done === true, undefined, { timeout: 19 * 60_000, polling: 500 });
    const { results, error } = await page.evaluate(() => window.__conformance!);
    expect(error).toBeNull();
    const typed = results as Result[];
    mkdirSync("reports", { recursive: true });
    writeFileSync(
      engine === "jco" ? "reports/conformance.json" : `reports/conformance-${engine}.json`,
      JSON.stringify({ engine, tests: Object.fromEntries(typed.map((r) => [r.name, r.verdict])) }, null, 2) + "\n",
    );
    const families = new Map<string, { pass: number; xfail: number; fail: number }>();
    for (const r of typed) {
      const f = families.get(r.family) ?? { pass: 0, xfail: 0, fail: 0 };
      f[r.verdict === "pass" ? "pass" : r.verdict === "expected-fail" ? "xfail" : "fail"]++;
      families.set(r.family, f);
    }
    console.log(`\nConformance report card (engine: ${engine})`);
    console.log("interface    pass  expected-fail  fail");
    for (const [name, f] of [...families].sort()) console.log(`${name.padEnd(12)} ${String(f.pass).padStart(4)}  ${String(f.xfail).padStart(13)}  ${String(f.fail).padStart(4)}`);
    for (const r of typed) console.log(`  ${r.name.padEnd(28)} ${r.verdict.padEnd(14)} ${(r.ms / 1000).toFixed(2)} s${r.reason ? `  ${r.reason}` : ""}`);
    for (const r of typed.filter((r) => r.unexpected)) console.log(`UNEXPECTED ${r.verdict === "pass" ? "PASS" : "FAIL"} ${r.name}: ${r.reason}`);
    expect(typed.filter((r) => r.unexpected).map((r) => `${r.name}: ${r.reason}`)).toEqual([]);
  });
}
