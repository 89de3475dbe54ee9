/**
 * The playground's frame (src/ui/layout, src/ui/app): Run, Stop and the console stay in view at
 * common window sizes with the editor open; the learning path; the theme; the keyboard; and the
 * dock's sizes, tabs and folded timeline surviving a reload.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";

const consoleText = (page: Page) => page.getByTestId("console");

async function openHello(page: Page) {
  await page.goto("/");
  await page.getByTestId("example-hello").click();
  await expect(page.getByTestId("run")).toBeEnabled();
}

/** The element's box lies wholly inside the window (and the page itself does not scroll). */
async function expectInWindow(page: Page, what: Locator, name: string) {
  const box = await what.boundingBox();
  const size = page.viewportSize()!;
  expect(box, `${name} is laid out`).not.toBeNull();
  expect(box!.x, `${name} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${name} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} right`).toBeLessThanOrEqual(size.width);
  expect(box!.y + box!.height, `${name} bottom`).toBeLessThanOrEqual(size.height);
  // Nothing clips it either (a scrolled-away part of a panel is inside the window but not seen).
  await expect(what, `${name} is not clipped`).toBeInViewport({ ratio: 1 });
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${size.width}x${size.height}, with hello loaded and the editor open, Run, Stop and the console's last line are in view`, async ({ page }) => {
    await page.setViewportSize(size);
    await openHello(page);
    await page.getByTestId("dock-tab-write").click();
    await page.getByTestId("authoring-open").click();
    await expect(page.getByTestId("authoring-editor")).toHaveAttribute("data-state", "ready");
    await page.getByTestId("args").fill("Ada Lovelace");
    await page.getByTestId("env").fill("A=1\nB=2\nC=3");
    await page.getByTestId("stdin").fill("one\ntwo\nthree\nfour\nfive\n");
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText("exit status 0");
    await expect(consoleText(page)).toContainText("Hello, Ada Lovelace!");

    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight), "the page does not scroll").toBeLessThanOrEqual(size.height);
    await expectInWindow(page, page.getByTestId("run"), "Run");
    await expectInWindow(page, page.getByTestId("stop"), "Stop");
    const last = consoleText(page).locator("span").last();
    await expect(last).toContainText("exit status 0");
    await expectInWindow(page, last, "the console's last line");
    // The editor is still there beside them.
    await expect(page.getByTestId("authoring-editor")).toBeVisible();
  });
}

test("the examples start with hello and follow the learning path; a composition is one entry listing its parts", async ({ page }) => {
  await page.goto("/");
  const gallery = page.getByRole("navigation", { name: "Examples" });
  // The path's steps: each example, and each composition group as one entry.
  const steps = gallery.locator("section > ul > li > :is(button, details)");
  await expect(steps.first()).toHaveAttribute("data-testid", "example-hello");
  await expect(steps.first()).toContainText("1hello");
  const names = await steps.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  expect(names).toEqual([
    "example-hello",
    "example-sleep-fanout",
    "example-stream-upper",
    "example-spin",
    "example-files",
    "example-files-p2",
    "example-echo-server",
    "example-net-client",
    "example-net-client-p2",
    "example-http-hello",
    "example-http-client",
    "group-gateway",
    "group-pipeline",
  ]);

  // The group's parts show when it is opened: those that run alone are buttons, the others say what they need.
  const gateway = page.getByTestId("group-gateway");
  await expect(gateway.getByTestId("example-gateway-keys")).toBeHidden();
  await gateway.locator("summary").click();
  await expect(gateway.getByTestId("example-gateway-keys")).toBeVisible();
  await expect(gateway.locator("li")).toHaveCount(5);
  // Three parts run alone; the group's own button opens its graph in the composition editor.
  await expect(gateway.locator("li button")).toHaveCount(3);
  await expect(gateway.getByTestId("open-graph-gateway")).toBeVisible();
  const auth = gateway.getByTestId("example-gateway-auth");
  await expect(auth).toHaveAttribute("data-runnable", "false");
  await expect(auth).toContainText("needs keys");
  await expect(auth.locator("button")).toHaveCount(0);
  await expect(gateway.getByTestId("example-gateway-router")).toContainText("needs limits, auth, users, orders");

  // A part that runs alone loads like any example.
  await gateway.getByTestId("example-gateway-keys").click();
  await expect(page.getByTestId("exports")).toContainText("playground:gateway/keys@0.1.0");
  await expect(page.getByTestId("run")).toBeEnabled();
});

test("the Network panel stays in the background until a networked component is loaded; the relay's state is always in the header", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("relay-indicator")).toHaveAttribute("data-state", "open");
  await expect(page.getByTestId("relay-indicator")).toBeVisible();
  await expect(page.getByTestId("dock-tab-component")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("network-panel")).toBeHidden();

  await page.getByTestId("example-hello").click();
  await expect(page.getByTestId("exports")).toContainText("wasi:cli/run@0.3.0");
  await expect(page.getByTestId("network-panel")).toBeHidden();

  await page.getByTestId("example-net-client").click();
  await expect(page.getByTestId("network-panel")).toBeVisible();
  await expect(page.getByTestId("dock-tab-network")).toHaveAttribute("aria-selected", "true");

  // Back to one that needs no network: the component's own tab again.
  await page.getByTestId("example-spin").click();
  await expect(page.getByTestId("network-panel")).toBeHidden();
  await expect(page.getByTestId("dock-tab-component")).toHaveAttribute("aria-selected", "true");

  // The header's relay button brings the panel forward.
  await page.getByTestId("relay-indicator").click();
  await expect(page.getByTestId("network-panel")).toBeVisible();
});

const background = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
/** The timeline canvas's colour at a point of its drawing area (CSS pixels), as r,g,b. */
const canvasPixel = (page: Page) =>
  page.getByTestId("timeline-canvas").evaluate((c: HTMLCanvasElement) => {
    const dpr = c.width / c.clientWidth;
    const d = c.getContext("2d")!.getImageData(Math.round((c.clientWidth - 10) * dpr), Math.round((c.clientHeight - 10) * dpr), 1, 1).data;
    return [d[0], d[1], d[2]].join(",");
  });

test("dark mode: the toggle changes every panel, Monaco and the timeline canvas included, and the choice survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const area = page.locator('[data-area="centre"]');
  const light = await background(area);
  await expect.poll(() => canvasPixel(page)).toBe("255,255,255");
  await page.getByTestId("dock-tab-write").click();
  await page.getByTestId("authoring-open").click();
  await expect(page.getByTestId("authoring-editor")).toHaveAttribute("data-state", "ready");
  await expect(page.locator(".authoring-monaco .monaco-editor")).toHaveClass(/(^|\s)vs(\s|$)/);

  await page.getByTestId("theme-select").selectOption("dark");
  await expect.poll(() => background(area)).not.toBe(light);
  const dark = await background(area);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator(".authoring-monaco .monaco-editor")).toHaveClass(/(^|\s)vs-dark(\s|$)/);
  await expect.poll(() => canvasPixel(page)).toBe("20,24,30");
  expect(await background(page.getByTestId("console"))).not.toBe(light);

  await page.reload();
  await expect(page.getByTestId("theme-select")).toHaveValue("dark");
  expect(await background(area)).toBe(dark);
  await expect.poll(() => canvasPixel(page)).toBe("20,24,30");

  // "System" follows the system's preference, live.
  await page.getByTestId("theme-select").selectOption("system");
  await expect.poll(() => background(area)).toBe(light);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => background(area)).toBe(dark);
  await expect.poll(() => canvasPixel(page)).toBe("20,24,30");
  await page.reload();
  await expect(page.getByTestId("theme-select")).toHaveValue("system");
  expect(await background(area)).toBe(dark);
});

test("the keyboard: Run is one Tab and Enter from the top of the page; tabs take the arrows; F6 moves between areas", async ({ page }) => {
  await openHello(page);
  // Focus from the top of the page, as after a fresh load: a click on the header's background.
  await page.mouse.click(2, 2);
  let tabs = 0;
  while (tabs < 5) {
    await page.keyboard.press("Tab");
    tabs++;
    const at = await page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
    if (at === "run") break;
    if (at === "skip-to-run") {
      await expect(page.getByTestId("skip-to-run")).toBeInViewport();
      await page.keyboard.press("Enter");
      break;
    }
  }
  await expect(page.getByTestId("run")).toBeFocused();
  expect(tabs).toBeLessThanOrEqual(5);
  await page.keyboard.press("Enter");
  await expect(consoleText(page)).toContainText("exit status 0");

  // The workbench's tabs: one tab stop, arrows move between them.
  await page.getByTestId("dock-tab-component").focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("dock-tab-write")).toBeFocused();
  await expect(page.getByTestId("dock-tab-write")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("authoring-open")).toBeVisible();
  await page.keyboard.press("End");
  await expect(page.getByTestId("dock-tab-http")).toBeFocused();
  await expect(page.getByTestId("http-idle")).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("dock-tab-network")).toBeFocused();
  await expect(page.getByTestId("network-panel")).toBeVisible();
  await page.keyboard.press("Home");
  await expect(page.getByTestId("dock-tab-component")).toBeFocused();

  // F6: the workbench, then the run controls, then the output (the console), the timeline, the library.
  await page.keyboard.press("F6");
  await expect(page.getByTestId("engine-select")).toBeFocused();
  await page.keyboard.press("F6");
  await expect(consoleText(page)).toBeFocused();
  await page.keyboard.press("F6");
  await expect(page.locator(':focus')).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("F6");
  await expect(page.getByTestId("example-hello")).toBeFocused();
  await page.keyboard.press("Shift+F6");
  await expect(page.locator(':focus')).toHaveAttribute("aria-expanded", "true");
  // Focus shows.
  const outline = await page.locator(":focus").evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
});

test("a resized panel, the chosen tabs and a folded timeline survive a reload", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  const library = page.locator("#dock-left");
  const before = (await library.boundingBox())!.width;
  const separator = page.getByRole("separator", { name: "Resize the library" });
  const s = (await separator.boundingBox())!;
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move(s.x + s.width / 2 + 150, s.y + s.height / 2, { steps: 8 });
  await page.mouse.up();
  const after = (await library.boundingBox())!.width;
  expect(after).toBeGreaterThan(before + 120);

  // And by keyboard: a focused separator takes the arrow keys.
  const rows = page.locator("#dock-bottom");
  const bottomBefore = (await rows.boundingBox())!.height;
  await page.getByRole("separator", { name: "Resize the timeline" }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowUp");
  const bottomAfter = (await rows.boundingBox())!.height;
  expect(bottomAfter).toBeGreaterThan(bottomBefore + 20);

  await page.getByTestId("dock-tab-files").click();
  await page.reload();
  await expect(page.getByTestId("dock-tab-files")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("files-panel")).toBeVisible();
  expect(Math.abs((await library.boundingBox())!.width - after)).toBeLessThanOrEqual(2);
  expect(Math.abs((await rows.boundingBox())!.height - bottomAfter)).toBeLessThanOrEqual(2);

  // Closing the timeline folds its area to the toolbar, and it stays folded (and off) after a reload.
  await page.getByRole("button", { name: /Timeline/ }).click();
  await expect.poll(async () => (await rows.boundingBox())!.height).toBeLessThan(60);
  await expect(page.getByTestId("timeline-canvas")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("button", { name: /Timeline/ })).toHaveAttribute("aria-expanded", "false");
  expect((await rows.boundingBox())!.height).toBeLessThan(60);
  await page.getByRole("button", { name: /Timeline/ }).click();
  await expect(page.getByTestId("timeline-canvas")).toBeVisible();
  expect(Math.abs((await rows.boundingBox())!.height - bottomAfter)).toBeLessThanOrEqual(2);
});
