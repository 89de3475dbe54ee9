/**
 * engine/cm against engine/jco in Chromium: every example runs on both through the real worker
 * and host, and the UI's "Compare engines" says they agree (same exit status or value, same output).
 */
import { expect, test, type Page } from "@playwright/test";

const consoleText = (page: Page) => page.getByTestId("console");

// A cold jco transpile takes seconds, more on a busy machine.
test.describe.configure({ timeout: 180_000 });

async function openExample(page: Page, name: string) {
  await page.goto("/");
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId("run")).toBeEnabled();
}

async function compare(page: Page) {
  await page.getByTestId("compare").click();
  await expect(consoleText(page)).toContainText(/engines (agree|differ)/, { timeout: 110_000 });
}

test("hello: both engines print the same greeting and exit status", async ({ page }) => {
  await openExample(page, "hello");
  await page.getByTestId("args").fill("Ada Lovelace");
  await page.getByTestId("env").fill("GREETING_STYLE=plain\nEXIT_CODE=3");
  await compare(page);
  await expect(consoleText(page)).toContainText("engines agree: exit 3");
  await expect(consoleText(page)).toContainText("engine/cm");
  const text = await consoleText(page).innerText();
  expect(text.match(/Hello, Ada Lovelace!/g)).toHaveLength(2);
});

test("stream-upper: both engines uppercase stdin through stream<u8>", async ({ page }) => {
  await openExample(page, "stream-upper");
  await page.getByTestId("stdin").fill("hello, streams! ünïcode stays\n".repeat(50));
  await compare(page);
  await expect(consoleText(page)).toContainText("engines agree: exit 0");
  await expect(page.locator('[data-kind="stdout"]').first()).toContainText("HELLO, STREAMS! üNïCODE STAYS");
});

test("stream-upper's upper export: a stream<u8> argument and result on engine/cm", async ({ page }) => {
  await openExample(page, "stream-upper");
  await page.getByTestId("engine-select").selectOption("cm");
  await page.getByTestId("export-picker").selectOption({ label: "upper: async func(input: stream<u8>) -> stream<u8>" });
  await page.getByTestId("arg-input").fill("abc déf");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("returned stream<u8> of 8 bytes");
  await expect(consoleText(page)).toContainText("ABC DéF");
  await expect(consoleText(page)).toContainText("engine/cm");
});

test("sleep-fanout on engine/cm: 50 concurrent 20 ms waits overlap; 20 chained waits do not", async ({ page }) => {
  await openExample(page, "sleep-fanout");
  await page.getByTestId("engine-select").selectOption("cm");
  await page.getByTestId("export-picker").selectOption({ label: "fanout: async func(count: u32, millis: u32) -> u64" });
  await page.getByTestId("arg-count").fill("50");
  await page.getByTestId("arg-millis").fill("20");
  await page.getByTestId("run").click();
  const line = page.locator('[data-kind="success"]').last();
  await expect(line).toContainText("returned");
  const fanoutNs = Number(/returned (\d+)/.exec(await line.innerText())![1]);
  expect(fanoutNs).toBeGreaterThanOrEqual(20e6);
  expect(fanoutNs).toBeLessThan(50 * 20e6 / 4);

  await page.getByTestId("export-picker").selectOption({ label: "chain: async func(count: u32, millis: u32) -> u64" });
  await page.getByTestId("arg-count").fill("20");
  await page.getByTestId("arg-millis").fill("5");
  await page.getByTestId("run").click();
  await expect(page.locator('[data-kind="success"]').last()).toContainText("returned");
  const chainNs = Number(/returned (\d+)/.exec(await page.locator('[data-kind="success"]').last().innerText())![1]);
  expect(chainNs).toBeGreaterThanOrEqual(20 * 5e6);
});

test("zero-length waits complete at once on both engines (the host answers wait-for(0) without a timer)", async ({ page }) => {
  await openExample(page, "sleep-fanout");
  await page.getByTestId("export-picker").selectOption({ label: "chain: async func(count: u32, millis: u32) -> u64" });
  await page.getByTestId("arg-count").fill("100");
  await page.getByTestId("arg-millis").fill("0");
  for (const engine of ["jco", "cm"]) {
    await page.getByTestId("engine-select").selectOption(engine);
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText(`engine/${engine}`);
    await expect(page.locator('[data-kind="success"]').last()).toContainText("returned");
  }
});

test("files: both engines write and read the workspace the same way", async ({ page }) => {
  await openExample(page, "files");
  await page.getByTestId("args").fill("write engines.txt same-bytes");
  await compare(page);
  await expect(consoleText(page)).toContainText("engines agree: exit 0");
  await page.getByTestId("args").fill("read engines.txt");
  await compare(page);
  await expect(consoleText(page)).toContainText("engines agree: exit 0");
  expect((await consoleText(page).innerText()).match(/same-bytes/g)?.length).toBeGreaterThanOrEqual(2);
});

test("spin on engine/cm: Stop ends an endless guest loop and the next run works", async ({ page }) => {
  await openExample(page, "spin");
  await page.getByTestId("engine-select").selectOption("cm");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("stop")).toBeEnabled();
  await page.getByTestId("stop").click();
  await expect(consoleText(page)).toContainText("stopped by user");
  await openExample(page, "hello");
  await expect(page.getByTestId("engine-select")).toHaveValue("cm");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(consoleText(page)).toContainText("engine/cm");
});
