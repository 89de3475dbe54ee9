/**
 * wasi:http served in the page, end to end in Chromium: the preview Service Worker routes
 * `/preview/<run>/...` (a new tab, the page's own fetch) to the runtime worker serving the
 * http-hello example; responses stream; concurrent requests share one instance; a client
 * component reaches a served one by name over the virtual network; a host off the allow-list is
 * refused with a message that names it. The page is e2e/http/ (`window.__http`).
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";

const HELLO = "/components/http-hello.wasm";
const CLIENT = "/conformance/wasi-testsuite/http-client.wasm";

async function harness(page: Page): Promise<void> {
  await page.goto("/e2e/http/index.html");
  expect(await page.evaluate(() => window.__http!.ready)).toBe(true);
}

for (const engine of ["cm", "jco"] as const) {
  test(`the handler answers in a new tab at /preview/<run>/ (engine/${engine})`, async ({ page, context }) => {
    await harness(page);
    const served = await page.evaluate((engine) => window.__http!.serve("/components/http-hello.wasm", { engine }), engine);
    expect(served.preview).toMatch(/^\/preview\/[a-z0-9]+\/$/);
    const tab = await context.newPage();
    const res = await tab.goto(served.preview);
    expect(res!.status()).toBe(200);
    expect(res!.headers()["content-type"]).toBe("application/json");
    const body = JSON.parse((await tab.locator("body").textContent())!) as { hello: string; path: string };
    expect(body).toMatchObject({ hello: "world", path: "/" });
    // A path and query reach the handler as sent; an unknown route is its 404.
    const missing = await tab.goto(`${served.preview}nowhere?x=1`);
    expect(missing!.status()).toBe(404);
    expect(await tab.locator("body").textContent()).toContain("no route for GET /nowhere");
    expect(await page.evaluate((i) => window.__http!.shutdown(i), served.index)).toMatchObject({ kind: "exit", code: 0 });
    // Once the run ended the preview says so instead of hanging.
    const gone = await tab.goto(served.preview);
    expect(gone!.status()).toBe(503);
    expect(await tab.locator("body").textContent()).toContain("the run has ended");
  });
}

test("a streamed response shows its first chunk before the last one is written, and POST bodies stream back", async ({ page }) => {
  await harness(page);
  const { preview } = await page.evaluate((u) => window.__http!.serve(u), HELLO);
  const times = await page.evaluate(async (p) => {
    const t0 = performance.now();
    const res = await fetch(`${p}stream?n=4&ms=400`);
    const reader = res.body!.getReader();
    const chunks: Array<{ at: number; text: string }> = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push({ at: performance.now() - t0, text: new TextDecoder().decode(value) });
    }
    return chunks;
  }, preview);
  expect(times.map((c) => c.text).join("")).toBe("tick 1 of 4\ntick 2 of 4\ntick 3 of 4\ntick 4 of 4\n");
  // The last tick is written 1.2 s after the first; the first arrived long before that.
  expect(times[times.length - 1]!.at - times[0]!.at).toBeGreaterThan(1000);
  const echoed = await page.evaluate(async (p) => {
    const res = await fetch(`${p}echo`, { method: "POST", headers: { "content-type": "text/x-test" }, body: "héllo through the service worker" });
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  }, preview);
  expect(echoed).toEqual({ status: 200, type: "text/x-test", text: "héllo through the service worker" });
});

for (const engine of ["cm", "jco"] as const) {
  test(`50 concurrent requests to one instance overlap on the timeline (engine/${engine})`, async ({ page }) => {
    await harness(page);
    const { preview, index } = await page.evaluate(([u, engine]) => window.__http!.serve(u, { engine }), [HELLO, engine] as const);
    const statuses = await page.evaluate(async (p) => Promise.all(Array.from({ length: 50 }, () => fetch(`${p}wait?ms=1500`).then((r) => r.status))), preview);
    expect(statuses).toEqual(Array(50).fill(200));
    await expect.poll(() => page.evaluate((i) => window.__http!.maxOverlap(i, "handle"), index)).toBe(50);
  });
}

test("a component reaches another served in the page by name; a host off the allow-list is refused and named", async ({ page }) => {
  await harness(page);
  const hello = await page.evaluate((u) => window.__http!.serve(u, { port: 8080 }), HELLO);
  expect(hello.listen).toBe("localhost:8080");
  // wasi-testsuite's http-client: its handler POSTs "ping" to HTTP_SERVER_MAIN/echo and expects it back.
  const client = await page.evaluate((u) => window.__http!.serve(u, { env: [["HTTP_SERVER_MAIN", "hello.localhost:8080"]], port: 8081 }), CLIENT);
  expect(await page.evaluate(async (p) => (await fetch(p)).status, client.preview)).toBe(200);

  const denied = await page.evaluate((u) => window.__http!.serve(u, { env: [["HTTP_SERVER_MAIN", "example.com:80"]], port: 8082 }), CLIENT);
  const res = await page.evaluate(async (p) => {
    const r = await fetch(p);
    return { status: r.status, text: await r.text() };
  }, denied.preview);
  // The guest's own `expect` failed (its run traps); the page names the host and the allow-list.
  expect(res.status).toBe(500);
  expect(await page.evaluate(() => window.__http!.denied())).toContainEqual("http-client.wasm → example.com:80 (tcp): example.com:80 is not on this run's network allow-list");
});

test("a handler that never answers gets a 504 that says why; a body that fails breaks only its response", async ({ page }) => {
  test.setTimeout(90_000);
  await harness(page);
  const { preview } = await page.evaluate((u) => window.__http!.serve(u), HELLO);
  const failed = await page.evaluate(async (p) => {
    const r = await fetch(`${p}fail`);
    try {
      await r.text();
      return "no error";
    } catch (err) {
      return String(err);
    }
  }, preview);
  expect(failed).toMatch(/TypeError/);
  const hang = await page.evaluate(async (p) => {
    const r = await fetch(`${p}hang`);
    return { status: r.status, text: await r.text() };
  }, preview);
  expect(hang).toEqual({ status: 504, text: "The handler of http-hello.wasm did not answer within 30 s.\n" });
  // The instance still serves.
  expect(await page.evaluate(async (p) => (await fetch(p)).status, preview)).toBe(200);
});

test("the HTTP tab: Serve a handler example, see it in the preview pane and a new tab, stream a response in the request panel, Stop ends it", async ({ page, context }) => {
  await page.goto("/");
  await page.getByTestId("example-http-hello").click();
  // A handler is served, not run; loading it brings the HTTP tab forward.
  await expect(page.getByTestId("serve")).toBeEnabled();
  await expect(page.getByTestId("run")).toHaveCount(0);
  await expect(page.getByTestId("dock-tab-http")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("http-idle")).toContainText("press Serve");
  await page.getByTestId("serve").click();
  await expect(page.getByTestId("console")).toContainText(/serving wasi:http\/handler@0\.3\.0#handle: the page at \/preview\/[a-z0-9]+\//);

  // The preview pane shows what the handler answers at /, then at a path typed in its address bar.
  const frame = page.frameLocator('[data-testid="preview-frame"]');
  await expect(frame.locator("body")).toContainText('"hello": "world"');
  await page.getByTestId("preview-address").fill("/nowhere");
  await page.getByTestId("preview-address").press("Enter");
  await expect(frame.locator("body")).toContainText("no route for GET /nowhere");
  // ...and a new tab, at the same address.
  const [tab] = await Promise.all([context.waitForEvent("page"), page.getByTestId("preview-open").click()]);
  await tab.waitForLoadState();
  expect(new URL(tab.url()).pathname).toMatch(/^\/preview\/[a-z0-9]+\/nowhere$/);
  await tab.goto(tab.url().replace(/nowhere$/, ""));
  expect(JSON.parse((await tab.locator("body").textContent())!)).toMatchObject({ hello: "world", path: "/" });
  await tab.close();

  // The request panel: a streamed response shows its first chunk before the last one is written.
  const body = page.getByTestId("http-response-body");
  await page.getByTestId("http-path").fill("/stream?n=4&ms=400");
  await page.getByTestId("http-send").click();
  await expect(page.getByTestId("http-status")).toHaveText("200");
  await expect(body).toContainText("tick 1 of 4");
  // The last tick is written 1.2 s after the first; the panel showed the first long before.
  expect(await body.textContent()).not.toContain("tick 4 of 4");
  await expect(page.getByTestId("http-timing")).toContainText("streaming…");
  await expect(body).toHaveText("tick 1 of 4\ntick 2 of 4\ntick 3 of 4\ntick 4 of 4\n");
  await expect(page.getByTestId("http-timing")).toContainText(/^head \d+ ms · first byte \d+ ms · 4 chunks, 48 B · end 1\.\d\d s$/);
  await page.getByTestId("http-chunks").evaluate((t) => t.closest("details")!.setAttribute("open", ""));
  await expect(page.getByTestId("http-chunks").locator("tbody tr")).toHaveCount(4);

  // Any method, headers and body; what fetch would refuse is named before anything is sent.
  await page.getByTestId("http-method").fill("POST");
  await page.getByTestId("http-path").fill("/echo");
  await page.getByTestId("http-headers").fill("content-type: text/x-test\nHost: evil.example");
  await page.getByTestId("http-body").fill("héllo from the request panel");
  await page.getByTestId("http-send").click();
  await expect(page.getByTestId("http-error")).toHaveText("header line 2: the browser sets 'Host' itself; a request from the page cannot");
  await page.getByTestId("http-headers").fill("content-type: text/x-test");
  // Ctrl+Enter from the body sends (the run panel's Ctrl+Enter does not take it).
  await page.getByTestId("http-body").press("Control+Enter");
  await expect(body).toHaveText("héllo from the request panel");
  await expect(page.getByTestId("http-error")).toHaveCount(0);
  await page.getByTestId("http-response").locator("details.http-headers summary").click();
  await expect(page.getByTestId("http-response").locator("dl")).toContainText("content-typetext/x-test");

  // A body that fails mid-way: what arrived shows, and the break is named.
  await page.getByTestId("http-method").fill("GET");
  await page.getByTestId("http-path").fill("/fail");
  await page.getByTestId("http-body").fill("");
  await page.getByTestId("http-send").click();
  await expect(body).toHaveText("the first part arrives, then the body fails\n");
  await expect(page.getByTestId("http-response")).toContainText("The body broke off");
  await expect(page.getByTestId("http-timing")).toContainText("failed");

  // Stop ends serving: the panel says so, and the preview answers that the run has ended.
  await page.getByTestId("stop").click();
  await expect(page.getByTestId("http-idle")).toBeVisible();
  await expect(page.getByTestId("console")).toContainText("stopped by user");
});

test("the http-client example, run from the page, reaches http-hello served in the background by name and prints its streamed answer; a denied host is named", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("example-http-hello").click();
  await expect(page.getByTestId("run-background")).toHaveText("◐ Serve in background");
  await page.getByTestId("run-background").click();
  const service = page.getByTestId("service").filter({ hasText: "http-hello.wasm" });
  await expect(service.getByTestId("service-output")).toContainText("serving wasi:http/handler@0.3.0#handle: components at http://localhost:8080/");

  await page.getByTestId("example-http-client").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("run").click();
  const out = page.getByTestId("console");
  await expect(out).toContainText("exit status 0");
  await expect(out).toContainText("> GET http://http-hello.localhost:8080/\n< 200\n< content-type: application/json");
  await expect(out).toContainText('"hello": "world"');
  // engine/jco runs the same WAT to the same answer.
  await page.getByTestId("engine-select").selectOption("jco");
  await page.getByTestId("run").click();
  await expect(out).toContainText(/exit status 0 · .*engine\/jco/);
  await expect(out).toContainText('"hello": "world"');
  await page.getByTestId("engine-select").selectOption("cm");

  // A streamed answer passes through as it is written: the first tick is on the console before the last.
  await page.getByTestId("args").fill("http://http-hello.localhost:8080/stream?n=4&ms=500");
  await page.getByTestId("run").click();
  await expect(out).toContainText("tick 1 of 4");
  expect(await out.textContent()).not.toContain("tick 4 of 4");
  await expect(out).toContainText("tick 4 of 4\n");
  await expect(out).toContainText("exit status 0");

  // Off the allow-list: the client says which error, the Network panel which host.
  await page.getByTestId("args").fill("http://example.com/");
  await page.getByTestId("run").click();
  await expect(page.locator('[data-kind="stderr"]')).toHaveText("http-client: GET http://example.com/ failed: HTTP-request-denied\n");
  await expect(out).toContainText("exit status 1");
  await page.getByTestId("dock-tab-network").click();
  await expect(page.getByTestId("network-panel")).toContainText("example.com:80");

  await service.getByTestId("service-stop").click();
  await expect(service.getByTestId("service-output")).toContainText("stopped by user");
  // Nothing serves there now.
  await page.getByTestId("args").fill("");
  await page.getByTestId("run").click();
  await expect(page.locator('[data-kind="stderr"]')).toHaveText("http-client: GET http://http-hello.localhost:8080/ failed: connection-refused\n");
});

test("https from a component: TLS runs in the page over the relay, and a server whose root the page does not trust is refused by name", async ({ page }) => {
  // A real HTTPS server on 127.0.0.1 with a certificate for localhost from the test CA, which the
  // page's roots (Mozilla's list) do not hold. That the refusal names the certificate shows the
  // handshake ran in the page, through the relay, up to the chain check.
  const tls = (f: string) => readFileSync(`src/host/http/testdata/tls/${f}`, "utf8");
  const server = createHttpsServer({ key: tls("localhost.key"), cert: tls("localhost.pem") }, (_req, res) => res.end("secret"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  let connections = 0;
  server.on("connection", () => connections++);
  try {
    await page.goto("/");
    await page.getByTestId("example-http-client").click();
    await page.getByTestId("dock-tab-network").click();
    await page.getByTestId("allow-list").fill(`127.0.0.1:${port}`);
    await page.getByTestId("args").fill(`https://localhost:${port}/`);
    await page.getByTestId("run").click();
    await expect(page.locator('[data-kind="stderr"]')).toHaveText(`http-client: GET https://localhost:${port}/ failed: TLS-certificate-error\n`);
    await expect(page.getByTestId("console")).toContainText("exit status 1");
    // The connection reached the server on this machine through the relay.
    expect(connections).toBe(1);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
