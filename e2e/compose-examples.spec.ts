/**
 * The composition examples (examples/gateway, examples/pipeline), each graph composed into ONE
 * component by src/compose and run in Chromium on both engines: e2e/compose-examples/ runs the
 * composed bytes on engine/cm (with JSPI available here, unlike the Node tests in src/examples)
 * and on engine/jco (which transpiles the composition), and this checks what came back.
 */
import { expect, test } from "@playwright/test";
import type { Outcome } from "./compose-examples/main";
import { PIPELINE_TEXT } from "../src/examples/graphs";

const GATEWAY_REPLIES = [
  { tag: "ok", val: '{"user":{"name":"Alice","plan":"pro"},"orders":[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]}' },
  { tag: "ok", val: "[]" },
  { tag: "err", val: "401 unknown or revoked token" },
];

test("the gateway and the stream pipeline on engine/cm and engine/jco", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/e2e/compose-examples/index.html");
  await page.waitForFunction(() => window.__composeExamples?.done, undefined, { timeout: 110_000, polling: 250 });
  const results = (await page.evaluate(() => window.__composeExamples!.results)) as Outcome[];
  expect(results.map((r) => `${r.engine} ${r.scenario}`)).toEqual(["cm gateway", "cm pipeline", "jco gateway", "jco pipeline"]);
  for (const r of results) {
    expect(r.ok, `${r.engine} ${r.scenario}: ${r.message}`).toBe(true);
    if (r.scenario === "gateway") expect(r.value, r.engine).toEqual(GATEWAY_REPLIES);
    else {
      const { result, stdout } = r.value as { result: { tag: string }; stdout: string };
      expect(result.tag, r.engine).toBe("ok");
      expect(stdout.slice(0, PIPELINE_TEXT.length), r.engine).toBe(PIPELINE_TEXT.toUpperCase());
      expect(stdout.slice(PIPELINE_TEXT.length), r.engine).toMatch(new RegExp(`^consumer: ${PIPELINE_TEXT.length} bytes in \\d+ reads\\n$`));
    }
  }
});
