/**
 * What the first visit costs and how it is served, in Chromium: no Monaco and no jco until an
 * editor, a WIT check or a transpile needs them; example components gzipped under their content
 * hash with immutable caching while the list stays revalidated; the page's icon and link-preview
 * card; and a production build without the benchmark and e2e fixture pages.
 */
import { existsSync, readdirSync } from "node:fs";
import { expect, test } from "@playwright/test";

/** Chunks of Monaco and of jco (its wasm-tools and bindgen, JS and wasm). */
const HEAVY = /monaco|editor\.api|editor\.worker|wasm-tools|js-component-bindgen|jco/i;

test("the first load fetches no Monaco and no jco; opening the editor does", async ({ page }) => {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(new URL(r.url()).pathname));
  await page.goto("/");
  await expect(page.getByTestId("example-hello")).toBeEnabled();
  // Whatever the page starts on its own (workers and what they fetch) has had time to ask.
  await page.waitForTimeout(3000);
  expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  expect(urls).toContain("/components/index.json");

  await page.getByTestId("dock-tab-write").click();
  await page.getByTestId("authoring-open").click();
  await expect(page.getByTestId("build-status")).toContainText("WIT ok", { timeout: 30_000 });
  expect(urls.filter((u) => /monaco/.test(u)).length).toBeGreaterThan(0);
  expect(urls.filter((u) => /wasm-tools/.test(u)).length).toBeGreaterThan(0);
});

test("example components come gzipped under their content hash, cached for good; the list is revalidated", async ({ page }) => {
  const list = page.waitForResponse((r) => new URL(r.url()).pathname === "/components/index.json");
  await page.goto("/");
  const index = await list;
  expect(index.headers()["cache-control"]).toBe("no-cache");
  const hello = ((await index.json()) as Array<{ name: string; sha256: string }>).find((e) => e.name === "hello")!;

  const component = page.waitForResponse((r) => r.url().endsWith(`/components/${hello.sha256}.wasm`));
  await page.getByTestId("example-hello").click();
  const res = await component;
  expect(res.status()).toBe(200);
  expect(res.headers()).toMatchObject({ "content-encoding": "gzip", "cache-control": "public, max-age=31536000, immutable", "content-type": "application/wasm" });
  const sizes = await res.request().sizes();
  expect(sizes.responseBodySize).toBeLessThan((await res.body()).length / 2);
  await expect(page.getByTestId("exports")).toContainText("wasi:cli/run@0.3.0");
});

test("the preview Service Worker is served from the root, revalidated", async ({ request }) => {
  const res = await request.get("/preview-sw.js");
  expect(res.status()).toBe(200);
  expect(res.headers()).toMatchObject({ "content-type": expect.stringContaining("javascript"), "cache-control": "no-cache" });
});

test("the page has its icon and a link-preview card with an absolute image URL", async ({ page, baseURL }) => {
  await page.goto("/");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", "/favicon.svg");
  const image = await page.locator('meta[property="og:image"]').getAttribute("content");
  expect(image).toBe(new URL("/og-image.png", baseURL).href);
  await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");
  const png = await page.request.get(image!);
  expect(png.headers()["content-type"]).toBe("image/png");
  expect((await png.body()).subarray(1, 4).toString()).toBe("PNG");
});

test("the production build (dist/) holds no benchmark or e2e fixture pages", () => {
  expect(existsSync("dist/index.html")).toBe(true);
  expect(existsSync("dist/bench")).toBe(false);
  expect(existsSync("dist/e2e")).toBe(false);
  expect(readdirSync("dist/assets").filter((f) => /bench|cm-async|compose-examples|^http-/.test(f))).toEqual([]);
  // The preview Service Worker is part of the app, under its fixed name.
  expect(existsSync("dist/preview-sw.js")).toBe(true);
});
