/**
 * The composition examples (examples/gateway, examples/pipeline), each graph composed into ONE
 * component by src/compose and run in Chromium on both engines: e2e/compose-examples/ runs the
 * composed bytes on engine/cm (with JSPI available here, unlike the Node tests in src/examples)
 * and on engine/jco (which transpiles the composition), and this checks what came back
 * (compose-examples/expected.ts, which the Firefox and WebKit smoke in e2e/browsers/ checks too).
 */
import { expect, test } from "@playwright/test";
import { outcomeProblem, type Outcome } from "./compose-examples/expected";

test("the gateway and the stream pipeline on engine/cm and engine/jco", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/e2e/compose-examples/index.html");
  await page.waitForFunction(() => window.__composeExamples?.done, undefined, { timeout: 110_000, polling: 250 });
  const results = (await page.evaluate(() => window.__composeExamples!.results)) as Outcome[];
  expect(results.map((r) => `${r.engine} ${r.scenario}`)).toEqual(["cm gateway", "cm pipeline", "jco gateway", "jco pipeline"]);
  expect(results.map(outcomeProblem)).toEqual([null, null, null, null]);
});
