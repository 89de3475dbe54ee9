/**
 * Share links, short links, project files and embeds, in Chromium against the real server's share
 * store: a project made in one browser context opens the same in another (state and visible text),
 * a reload keeps it, capabilities wait for the user, bad links change nothing, short links outlive
 * a server restart (a server this spec starts on a DATA_DIR of its own), and the embed runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { toBase64url } from "../src/share/base64url";
import { decodeProject } from "../src/share/codec";
import { LINK_HASH_PREFIX } from "../src/share/link";
import { tcpEcho } from "./tcp-echo";

const consoleText = (page: Page) => page.getByTestId("console");
const serialized = (page: Page) => page.evaluate(() => window.__share!.serialized());
const fileText = (page: Page, path: string) => page.evaluate((p) => window.__authoring!.value(p) ?? "", path);
const hello = readFileSync("public/components/hello.wasm");

async function openExample(page: Page, name: string) {
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId(`example-${name}`)).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
}

/** Shares what the page shows: the link the Share menu made (and copied), then closes the menu. */
async function shareLink(page: Page): Promise<string> {
  await page.getByTestId("share").click();
  const link = await page.getByTestId("share-link").inputValue();
  await expect(page.getByTestId("share-copied")).toBeVisible();
  await page.keyboard.press("Escape");
  return link;
}

/** What a person sees of the project: the selected example, the inspector, the run panel's fields. */
async function visible(page: Page) {
  // Metadata is read after the component is shown: the panel's text is whole once it has been.
  await expect(page.getByTestId("dock-panel-component")).not.toContainText("Reading metadata");
  return {
    selected: await page.locator('[data-testid^="example-"].selected').innerText(),
    component: await page.getByTestId("dock-panel-component").innerText(),
    exportPicked: await page.getByTestId("export-picker").inputValue(),
    args: await page.getByTestId("args").inputValue(),
    env: await page.getByTestId("env").inputValue(),
    stdin: await page.getByTestId("stdin").inputValue(),
  };
}

/** A page of a fresh browser context (no storage shared with any other). */
async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test("authoring edits and args, shared, open the same in a new browser context; a reload keeps them", async ({ page, browser }) => {
  await page.goto("/");
  await openExample(page, "hello");
  await page.getByTestId("args").fill('Ada "Lovelace"');
  await page.getByTestId("dock-tab-write").click();
  await page.getByTestId("authoring-open").click();
  await expect(page.getByTestId("authoring-editor")).toHaveAttribute("data-state", "ready");
  await page.getByTestId("tab-guest.js").click();
  await page.locator(".authoring-monaco .view-lines").click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.type("// shared from the first browser\n");
  await expect.poll(() => fileText(page, "guest.js")).toContain("// shared from the first browser\n");
  await page.getByTestId("dock-tab-component").click();
  await expect(page.getByTestId("dock-panel-component")).toContainText("Producers");
  const link = await shareLink(page);
  const state = await serialized(page);
  expect(JSON.parse(state).run.args).toBe('Ada "Lovelace"');
  expect(JSON.parse(state).authoring.projects.js.files.find((f: { path: string }) => f.path === "guest.js").text).toContain("// shared from the first browser\n");
  const seen = await visible(page);

  const other = await freshPage(browser);
  try {
    await other.goto(link);
    await expect(other.getByTestId("run")).toBeEnabled();
    // Nothing to review: a fresh page already gives runs the workspace, and the link asks for nothing else.
    await expect(other.getByTestId("share-review")).toHaveCount(0);
    await expect.poll(() => serialized(other)).toBe(state);
    await expect.poll(() => visible(other)).toEqual(seen);
    await other.getByTestId("dock-tab-write").click();
    await expect(other.getByTestId("authoring-editor")).toHaveAttribute("data-state", "ready");
    await expect.poll(() => fileText(other, "guest.js")).toContain("// shared from the first browser\n");
    await other.getByTestId("dock-tab-component").click();

    // It runs as shared.
    await other.getByTestId("run").click();
    await expect(consoleText(other)).toContainText("Hello, Ada Lovelace!");

    // A reload restores the same project (example, inputs, editor) and asks nothing.
    await other.reload();
    await expect(other.getByTestId("run")).toBeEnabled();
    await expect.poll(() => serialized(other)).toBe(state);
    await expect.poll(() => visible(other)).toEqual(seen);
  } finally {
    await other.context().close();
  }

  // The sharer's own reload restores its selected example and inputs too (the URL followed them).
  await page.getByTestId("args").fill("Grace Hopper");
  await expect.poll(() => decodeProject(new URL(page.url()).hash.slice(LINK_HASH_PREFIX.length)).then((r) => r.ok && r.state.run.args)).toBe("Grace Hopper");
  await page.reload();
  await expect(page.getByTestId("example-hello")).toHaveClass(/selected/);
  await expect(page.getByTestId("args")).toHaveValue("Grace Hopper");
  await expect(page.getByTestId("share-review")).toHaveCount(0);
});

test("a composition graph, edited and shared, opens the same in a new browser context, runs there, and a reload keeps it", async ({ page, browser }) => {
  const instances = (p: Page) => p.getByTestId("composition-panel").locator('[data-testid^="cnode-"]:not([data-testid="cnode-exports"])');
  await page.goto("/");
  await page.getByTestId("group-gateway").locator("summary").click();
  await page.getByTestId("open-graph-gateway").click();
  await expect(instances(page)).toHaveCount(6);
  // An edit the link must carry: the orders backend renamed.
  await page.getByTestId("instance-select").selectOption({ label: "orders" });
  await page.getByTestId("instance-name").fill("shop");
  await page.getByTestId("instance-name").press("Enter");
  await expect(page.getByTestId("cnode-shop")).toBeVisible();
  await expect.poll(async () => JSON.parse(await serialized(page)).composition?.graph.instances.map((i: { name: string }) => i.name)).toContain("shop");
  const link = await shareLink(page);
  const state = await serialized(page);
  expect(JSON.parse(state).composition.components).toHaveLength(5);

  const other = await freshPage(browser);
  try {
    await other.goto(link);
    await expect.poll(() => serialized(other)).toBe(state);
    await other.getByTestId("dock-tab-composition").click();
    await expect(instances(other)).toHaveCount(6);
    await expect(other.getByTestId("cnode-shop")).toBeVisible();
    await expect(other.getByTestId("cnode-orders")).toHaveCount(0);
    await expect(other.getByTestId("composition-notice")).toContainText("Opened the shared composition (6 instances).");

    // It composes and answers there as it did here.
    await other.getByTestId("composition-run").click();
    await expect(other.locator(".run-controls h2")).toContainText(".wasm");
    await expect(other.getByTestId("export-picker")).toContainText("playground:gateway/api@0.1.0#handle");
    await other.getByTestId("arg-client").fill("10.0.0.1");
    await other.getByTestId("arg-token").fill("tok_alice_7f3a");
    await other.getByTestId("arg-path").fill("/me");
    await other.getByTestId("run").click();
    await expect(consoleText(other)).toContainText('\\"name\\":\\"Alice\\"');

    await other.reload();
    await other.getByTestId("dock-tab-composition").click();
    await expect(instances(other)).toHaveCount(6);
    await expect(other.getByTestId("cnode-shop")).toBeVisible();
    await expect.poll(async () => JSON.parse(await serialized(other)).composition).toEqual(JSON.parse(state).composition);
  } finally {
    await other.context().close();
  }
});

test("a link asking for the network shows what it asks and runs only after it is allowed", async ({ page, browser }) => {
  const echo = await tcpEcho();
  const other = await freshPage(browser);
  try {
    await page.goto("/");
    await page.getByTestId("dock-tab-network").click();
    await page.getByTestId("allow-list").fill(`127.0.0.1:${echo.port}`);
    await openExample(page, "net-client");
    await page.getByTestId("args").fill(`127.0.0.1 ${echo.port} hello after consent`);
    const link = await shareLink(page);

    await other.goto(link);
    const review = other.getByTestId("share-review");
    await expect(review).toBeVisible();
    await expect(review.getByTestId("share-cap-network")).toContainText(`127.0.0.1:${echo.port}`);
    await expect(review.getByTestId("share-cap-files")).toHaveText("nothing new");
    // Loaded, with its inputs, but held: no run, compare or background run, and nothing granted yet.
    await expect(other.getByTestId("args")).toHaveValue(`127.0.0.1 ${echo.port} hello after consent`);
    await expect(other.getByTestId("run-hold")).toBeVisible();
    await expect(other.getByTestId("run")).toBeDisabled();
    await expect(other.getByTestId("compare")).toBeDisabled();
    await other.keyboard.press("Control+Enter");
    await expect(consoleText(other)).not.toContainText("connected to");
    await other.getByTestId("dock-tab-network").click();
    await expect(other.getByTestId("allow-list")).toHaveValue("");
    expect(echo.connections()).toBe(0);

    await other.getByTestId("share-allow").click();
    await expect(review).toHaveCount(0);
    await expect(other.getByTestId("allow-list")).toHaveValue(`127.0.0.1:${echo.port}`);
    await other.getByTestId("run").click();
    await expect(consoleText(other)).toContainText("echo: hello after consent");
    expect(echo.connections()).toBe(1);
  } finally {
    await other.context().close();
    await echo.close();
  }
});

test("declining a link's network keeps the project but not the network", async ({ page, browser }) => {
  await page.goto("/");
  await page.getByTestId("dock-tab-network").click();
  await page.getByTestId("allow-list").fill("example.com:80");
  await openExample(page, "net-client");
  await page.getByTestId("args").fill("example.com 80");
  const link = await shareLink(page);
  const other = await freshPage(browser);
  try {
    await other.goto(link);
    await other.getByTestId("share-decline").click();
    await expect(other.getByTestId("run")).toBeEnabled();
    await other.getByTestId("run").click();
    // Refused by the run's allow-list, not by the relay: the run never got the network.
    await expect(consoleText(other)).toContainText("connect example.com:80 failed: access-denied");
    await other.getByTestId("dock-tab-network").click();
    await expect(other.getByTestId("net-denied").first()).toContainText("example.com:80 is not on this run's network allow-list");
    expect(JSON.parse(await serialized(other)).run.allow).toEqual([]);
  } finally {
    await other.context().close();
  }
});

test("a tampered, cut, newer or oversized link is refused with a clear error and the workspace is untouched", async ({ page }) => {
  await page.goto("/");
  await openExample(page, "hello");
  await page.getByTestId("args").fill("mine");
  const link = await shareLink(page);
  const data = new URL(link).hash.slice(LINK_HASH_PREFIX.length);
  const mine = await serialized(page);
  const seen = await visible(page);

  const mid = Math.floor(data.length / 2);
  const tampered = data.slice(0, mid) + (data[mid] === "A" ? "B" : "A") + data.slice(mid + 1);
  const cut = data.slice(0, data.length - 12);
  const newer = await gzipLink({ ...JSON.parse(mine), version: 99 });
  const oversized = await gzipLink({ ...JSON.parse(mine), run: { ...JSON.parse(mine).run, stdin: "x".repeat(300 * 1024) } });
  const cases: Array<[string, string | RegExp]> = [
    [tampered, /damaged/],
    [cut, /damaged or cut short|damaged/],
    [newer, "made by a newer playground (project version 99"],
    [oversized, "the project is more than 256.0 KiB unpacked; a link holds at most 256.0 KiB (262144 bytes)"],
  ];
  for (const [bad, message] of cases) {
    // Pasted into the address bar of the open tab: a hash change.
    await page.evaluate((hash) => (location.hash = hash), `${LINK_HASH_PREFIX}${bad}`);
    await expect(page.getByTestId("share-error")).toContainText(message);
    await expect(page.getByTestId("share-error")).toContainText("Nothing was changed.");
    expect(await serialized(page)).toBe(mine);
    expect(await visible(page)).toEqual(seen);
    await page.getByTestId("share-error").getByRole("button", { name: "Dismiss" }).click();
  }
});

test("a link longer than 2,000 characters offers the short link first; a project past the limit is refused with its size", async ({ page }) => {
  await page.goto("/");
  await openExample(page, "hello");
  // Text that compresses badly, so the link grows with it.
  const noise = Array.from({ length: 1800 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join(" ");
  await page.getByTestId("stdin").fill(noise);
  await page.getByTestId("share").click();
  const link = await page.getByTestId("share-link").inputValue();
  expect(link.length).toBeGreaterThan(2000);
  await expect(page.getByTestId("share-long")).toBeVisible();
  await page.getByTestId("share-make-short").click();
  await expect(page.getByTestId("share-short-link")).toHaveValue(/\/s\/[A-Za-z0-9_-]{16}$/);
  await page.keyboard.press("Escape");

  // Past the limit a project is refused with its size, and the project file is offered instead.
  await page.getByTestId("stdin").fill("x".repeat(300 * 1024));
  await page.getByTestId("share").click();
  await expect(page.getByTestId("share-link-error")).toContainText(/the project is 300\.\d KiB \(\d+ bytes\); a link holds at most 256\.0 KiB \(262144 bytes\)/);
  await expect(page.getByTestId("share-download")).toBeVisible();
});

test("a project file downloaded from one context opens the same project in another", async ({ page, browser }) => {
  await page.goto("/");
  await openExample(page, "hello");
  await page.getByTestId("args").fill("from a file");
  await page.getByTestId("share").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("share-download").click()]);
  expect(download.suggestedFilename()).toBe("hello.wasi-project.json");
  const path = await download.path();
  const state = await serialized(page);
  const other = await freshPage(browser);
  try {
    await other.goto("/");
    await other.getByTestId("share").click();
    await other.getByTestId("share-import-input").setInputFiles(path);
    await expect(other.getByTestId("run")).toBeEnabled();
    await expect.poll(() => serialized(other)).toBe(state);
    await expect(other.getByTestId("args")).toHaveValue("from a file");
  } finally {
    await other.context().close();
  }
});

test("the embed shows the project compact and read-only, and runs it", async ({ page, browser }) => {
  await page.goto("/");
  await openExample(page, "hello");
  await page.getByTestId("args").fill("Embedded Reader");
  const link = await shareLink(page);
  const embed = await freshPage(browser);
  try {
    const url = new URL(link);
    url.searchParams.set("embed", "1");
    await embed.goto(url.href);
    await expect(embed.getByTestId("embed")).toBeVisible();
    await expect(embed.getByTestId("embed-component")).toHaveText("hello.wasm");
    await expect(embed.getByTestId("embed-command")).toHaveText("$ hello.wasm Embedded Reader");
    // Read-only: no run panel fields, no editor, no Share menu.
    await expect(embed.getByTestId("args")).toHaveCount(0);
    await expect(embed.getByTestId("share")).toHaveCount(0);
    await expect(embed.getByTestId("open-in-playground")).toHaveAttribute("href", link);
    await embed.getByTestId("run").click();
    await expect(consoleText(embed)).toContainText("Hello, Embedded Reader!");
    await expect(consoleText(embed)).toContainText("exit status 0");
    // It never rewrites its URL.
    expect(embed.url()).toBe(url.href);
  } finally {
    await embed.context().close();
  }
});

test.describe("on a server of this spec's own", () => {
  let dataDir: string;
  let server: OwnServer;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "share-e2e-"));
    server = await startServer(await freePort(), dataDir);
  });

  test.afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a blob stored twice is stored once; a short link survives a server restart", async ({ browser }) => {
    const a = await freshPage(browser);
    const b = await freshPage(browser);
    try {
      for (const p of [a, b]) {
        await p.goto(server.url);
        await openExample(p, "hello");
        await p.getByTestId("args").fill("Short Link");
        await p.getByTestId("share").click();
        await p.getByTestId("share-make-short").click();
        await expect(p.getByTestId("share-short-link")).toHaveValue(/\/s\/[A-Za-z0-9_-]{16}$/);
      }
      const short = await a.getByTestId("share-short-link").inputValue();
      // The same project from two browsers: one link, one blob.
      expect(await b.getByTestId("share-short-link").inputValue()).toBe(short);
      expect(readdirSync(join(dataDir, "share", "blobs"))).toEqual([sha256(hello)]);
      expect(readdirSync(join(dataDir, "share", "links"))).toHaveLength(1);
      const state = await serialized(a);

      await server.stop();
      server = await startServer(server.port, dataDir);
      const c = await freshPage(browser);
      try {
        await c.goto(short);
        await expect(c.getByTestId("run")).toBeEnabled();
        await expect.poll(() => serialized(c)).toBe(state);
        await expect(c.getByTestId("args")).toHaveValue("Short Link");
        await c.getByTestId("run").click();
        await expect(consoleText(c)).toContainText("Hello, Short Link!");
      } finally {
        await c.context().close();
      }
    } finally {
      await a.context().close();
      await b.context().close();
    }
  });

  test("a component the share store lacks is named, and opens once the user provides it", async ({ page, browser }) => {
    // Made on the suite's server, which has hello; this server has never seen spin.
    await page.goto("/");
    await openExample(page, "spin");
    const link = new URL(await shareLink(page));
    const spin = readFileSync("public/components/spin.wasm");
    const other = await freshPage(browser);
    try {
      await other.goto(`${server.url}${link.hash}`);
      const missing = other.getByTestId("share-missing");
      await expect(missing).toContainText("spin.wasm");
      await expect(missing).toContainText(sha256(spin));
      await expect(other.getByTestId("example-spin")).not.toHaveClass(/selected/);
      await other.getByTestId("share-missing-input").setInputFiles({ name: "spin.wasm", mimeType: "application/wasm", buffer: spin });
      await expect(missing).toHaveCount(0);
      await expect(other.getByTestId("example-spin")).toHaveClass(/selected/);
      await expect.poll(() => readdirSync(join(dataDir, "share", "blobs"))).toContain(sha256(spin));
    } finally {
      await other.context().close();
    }
  });
});

// ---- helpers ---------------------------------------------------------------------------------

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Link text for any JSON, gzip + base64url as the app writes it (for links the app would not make). */
async function gzipLink(json: unknown): Promise<string> {
  const packed = await new Response(new Blob([JSON.stringify(json)]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  return toBase64url(new Uint8Array(packed));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

interface OwnServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** The app server (as `npm start` runs it) on `port`, keeping its share store in `dataDir`. */
async function startServer(port: number, dataDir: string): Promise<OwnServer> {
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, SHARE_STORE: "fs", RELAY_CONFIG: "e2e/fixtures/relay-policy.json" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Share store:")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`the server exited (${code}) before it started: ${out}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    },
  };
}
