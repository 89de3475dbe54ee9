import { expect, test } from "@playwright/test";

test("hello runs", async ({ page }) => {
  page.on("console", (m) => console.log("[page]", m.text()));
  await page.goto("/");
  await page.getByTestId("example-hello").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill("Ada Lovelace");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("exit status", { timeout: 60_000 });
  console.log(await page.getByTestId("console").innerText());
});
