/**
 * JS guests end to end, in Chromium: the starter project builds on the server and its async func
 * returns the right duration, shown with its unit; a JS error names its guest.js line, marked in the
 * editor; a missing export fails the build on the world's line; componentize-qjs's own `init`
 * export is not offered.
 */
import { expect, test, type Page } from "@playwright/test";
import { fileText, openAuthoring } from "./authoring-page";

const consoleText = (page: Page) => page.getByTestId("console");

const setFile = (page: Page, path: string, text: string) => page.evaluate(([p, t]) => window.__authoring!.setValue(p!, t!), [path, text]);

async function build(page: Page, expected: "Built" | "Build failed") {
  await page.getByTestId("build").click();
  await expect(page.getByTestId("build-status")).toContainText(expected, { timeout: 180_000 });
}

/** The labels the export picker offers. */
const pickerOptions = (page: Page) => page.getByTestId("export-picker").locator("option").allInnerTexts();

test("the starter builds; its async func waits and returns the duration with its unit; init is not offered", async ({ page }) => {
  test.setTimeout(240_000);
  // A fresh browser context: the JS starter as shipped.
  await openAuthoring(page);
  await build(page, "Built");
  // The first export the world declares is the default; componentize-qjs's init is hidden.
  await expect(page.getByTestId("export-picker")).toHaveValue("#greet");
  expect((await pickerOptions(page)).join("\n")).not.toContain("init");
  await page.getByTestId("show-internal").check();
  expect((await pickerOptions(page)).join("\n")).toContain("init: func(shim: string");
  await page.getByTestId("show-internal").uncheck();

  await page.getByTestId("export-picker").selectOption({ label: "wait: async func(millis: u32) -> duration" });
  await page.getByTestId("arg-millis").fill("25");
  await page.getByTestId("run").click();
  const line = page.locator('[data-kind="success"]').last();
  await expect(line).toContainText("returned", { timeout: 60_000 });
  const m = /returned ([\d.]+) ms \((\d+) ns\)/.exec(await line.innerText());
  expect(m, await line.innerText()).not.toBeNull();
  const ns = Number(m![2]);
  expect(ns).toBeGreaterThanOrEqual(25_000_000);
  // The unit and the raw value say the same thing.
  expect(Math.abs(Number(m![1]) - ns / 1e6)).toBeLessThan(0.51);
});

test("a JS error thrown by an export shows as guest.js:LINE:COL with its message", async ({ page }) => {
  test.setTimeout(240_000);
  await openAuthoring(page);
  const js = (await fileText(page, "guest.js")).replace("return `Hello, ${name}!`;", `throw new Error("no greeting for " + name + " ${Date.now().toString(36)}");`);
  await setFile(page, "guest.js", js);
  const line = js.split("\n").findIndex((l) => l.includes("throw new Error")) + 1;
  await build(page, "Built");
  await page.getByTestId("arg-name").fill("Ada");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText(new RegExp(`trap: guest\\.js:${line}:\\d+: no greeting for Ada \\w+ \\(in greet\\)`), { timeout: 60_000 });
  // The editor marks the line that threw, until guest.js is edited.
  await expect.poll(() => page.evaluate(() => window.__authoring!.markers("guest.js"))).toEqual([expect.objectContaining({ line, severity: "Error", message: expect.stringContaining("no greeting for Ada") })]);
  await setFile(page, "guest.js", `${js}// edited\n`);
  await expect.poll(() => page.evaluate(() => window.__authoring!.markers("guest.js"))).toEqual([]);
});

test("a missing export fails the build, naming it, with a marker on the world's export", async ({ page }) => {
  test.setTimeout(240_000);
  await openAuthoring(page);
  const js = await fileText(page, "guest.js");
  // Drop `wait` (and make the sources new, so the server builds rather than answers from its cache).
  await setFile(page, "guest.js", `${js.slice(0, js.indexOf("export async function wait"))}// ${Date.now()}\n`);
  await build(page, "Build failed");
  await expect(page.getByTestId("problems")).toContainText("guest.js does not export `wait`");
  const world = await fileText(page, "wit/world.wit");
  const waitLine = world.split("\n").findIndex((l) => l.includes("export wait:")) + 1;
  expect(await page.evaluate(() => window.__authoring!.markers("wit/world.wit"))).toEqual([expect.objectContaining({ line: waitLine, column: 10, severity: "Error" })]);
});

test("an example built with componentize-qjs offers its own exports only", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("example-sleep-fanout").click();
  await expect(page.getByTestId("export-picker")).toHaveValue("wasi:cli/run");
  const options = await pickerOptions(page);
  expect(options.some((o) => o.startsWith("fanout:"))).toBe(true);
  expect(options.some((o) => o.startsWith("init"))).toBe(false);
});
