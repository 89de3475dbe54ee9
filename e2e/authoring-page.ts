/** The authoring panel as the specs drive it: opened on the project kept in the browser (the JS starter in a fresh context). */
import { expect, type Page } from "@playwright/test";

export async function openAuthoring(page: Page) {
  await page.goto("/");
  // The editor is a tab of the workbench.
  await page.getByTestId("dock-tab-write").click();
  await page.getByTestId("authoring-open").click();
  await expect(page.getByTestId("authoring-editor")).toHaveAttribute("data-state", "ready");
  // The first check also loads wasm-tools in the WIT worker.
  await expect(page.getByTestId("build-status")).toContainText("WIT ok", { timeout: 30_000 });
}

export const fileText = (page: Page, path: string) => page.evaluate((p) => window.__authoring!.value(p) ?? "", path);
