/**
 * Sockets end to end, in Chromium: the example components over the virtual network, and through
 * the real Wisp relay (the app server's, or one this spec starts and kills) to real TCP/UDP servers
 * it starts on 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { expect, test, type Page } from "@playwright/test";
import { tcpEcho } from "./tcp-echo";

const consoleText = (page: Page) => page.getByTestId("console");

async function open(page: Page, example: string, args: string) {
  await page.getByTestId(`example-${example}`).click();
  await expect(page.getByTestId(`example-${example}`)).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill(args);
}

async function run(page: Page, example: string, args: string) {
  await open(page, example, args);
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText(/exit status \d+/);
}

async function udpEcho(): Promise<{ port: number; socket: UdpSocket }> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, rinfo) => socket.send(Buffer.concat([Buffer.from("echo:"), msg]), rinfo.port, rinfo.address));
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  return { port: socket.address().port, socket };
}

/** A relay of our own (`server/relay-main.ts`), so the spec can kill it. */
async function startRelay(port = 0): Promise<{ url: string; port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/relay-main.ts", "--config", "e2e/fixtures/relay-policy.json", "--port", String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Wisp relay: (ws:\/\/\S+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once("exit", (code) => reject(new Error(`the relay exited (${code}) before it started: ${out}`)));
  });
  return { url, port: Number(/:(\d+)\/$/.exec(url)![1]), proc };
}

/** The Network panel is a tab of the workbench, in the background until a networked component is loaded. */
const showNetwork = (page: Page) => page.getByTestId("dock-tab-network").click();

async function allow(page: Page, lines: string) {
  await showNetwork(page);
  await page.getByTestId("allow-list").fill(lines);
}

test.beforeEach(async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("relay-state")).toHaveText("connected");
});

test("a component reaches a real TCP echo server through the relay and gets its bytes back", async ({ page }) => {
  const echo = await tcpEcho();
  try {
    await allow(page, `127.0.0.1:${echo.port}`);
    await run(page, "net-client", `127.0.0.1 ${echo.port} hello through the relay`);
    await expect(consoleText(page)).toContainText(`connected to 127.0.0.1:${echo.port}`);
    await expect(consoleText(page)).toContainText("echo: hello through the relay");
    await expect(consoleText(page)).toContainText("exit status 0");
    // The panel lists the connection: through the relay, 23 bytes each way.
    const row = page.locator('[data-testid="net-socket"][data-via="relay"]').filter({ hasText: `127.0.0.1:${echo.port}` });
    await expect(row.getByTestId("bytes-out")).toHaveText("23 B");
    await expect(row.getByTestId("bytes-in")).toHaveText("23 B");
  } finally {
    await echo.close();
  }
});

test("a host not on the allow-list is refused with a clear message, and so is one the relay refuses", async ({ page }) => {
  await run(page, "net-client", "example.com 80");
  await expect(page.locator('[data-kind="stderr"]')).toContainText("connect example.com:80 failed: access-denied");
  await expect(consoleText(page)).toContainText("exit status 1");
  await expect(page.getByTestId("net-denied").first()).toContainText("net-client.wasm → example.com:80 (tcp): example.com:80 is not on this run's network allow-list");

  // Allowed by the run, refused by the relay's policy (it only reaches 127.0.0.1).
  await allow(page, "127.0.0.2:9");
  await run(page, "net-client", "127.0.0.2 9");
  await expect(page.locator('[data-kind="stderr"]')).toContainText("connect 127.0.0.2:9 failed: access-denied");
  await expect(page.getByTestId("net-denied").first()).toContainText("127.0.0.2:9 (tcp): refused by the relay: the relay's policy blocks this destination");
});

test("the relay killed mid-transfer gives the guest an error, the panel says so, and the next run works once it is back", async ({ page }) => {
  test.setTimeout(180_000);
  const echo = await tcpEcho();
  let relay = await startRelay();
  try {
    await showNetwork(page);
    await page.getByTestId("relay-url").fill(relay.url);
    await page.getByTestId("relay-save").click();
    await expect(page.getByTestId("relay-state")).toHaveText("connected");
    await allow(page, `127.0.0.1:${echo.port}`);
    await open(page, "net-client", `--mib 512 127.0.0.1 ${echo.port}`);
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText("received 2 of 512 MiB", { timeout: 60_000 });
    relay.proc.kill("SIGKILL");
    await expect(page.locator('[data-kind="stderr"]')).toContainText("connection-aborted");
    await expect(consoleText(page)).toContainText("exit status 1");
    await expect(page.getByTestId("relay-state")).toHaveText("lost");
    await expect(page.getByTestId("relay-detail")).toContainText("connection to the relay lost");
    await expect(page.getByTestId("relay-detail")).toContainText("1 connection aborted");

    relay = await startRelay(relay.port);
    await run(page, "net-client", `127.0.0.1 ${echo.port} back again`);
    await expect(consoleText(page)).toContainText("echo: back again");
    await expect(consoleText(page)).toContainText("exit status 0");
    await expect(page.getByTestId("relay-state")).toHaveText("connected");
  } finally {
    relay.proc.kill("SIGKILL");
    await echo.close();
  }
});

test("echo-server and net-client (0.3 and 0.2) talk over the virtual network, TCP and UDP, across runtime workers", async ({ page }) => {
  await open(page, "echo-server", "7000");
  await page.getByTestId("run-background").click();
  const service = page.getByTestId("service").filter({ hasText: "echo-server.wasm 7000" });
  await expect(service.getByTestId("service-output")).toContainText("echo-server: listening on tcp and udp port 7000");

  await run(page, "net-client", "127.0.0.1 7000 hello virtual network");
  await expect(consoleText(page)).toContainText("echo: hello virtual network");
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(service.getByTestId("service-output")).toContainText(/tcp: connection from 127\.0\.0\.1:\d+/);
  await expect(service.getByTestId("service-output")).toContainText("closed after 21 bytes");
  await expect(page.locator('[data-testid="net-socket"][data-via="virtual"]').filter({ hasText: "echo-server.wasm" }).first()).toBeVisible();
  await expect(page.locator('[data-testid="net-socket"][data-via="relay"]')).toHaveCount(0);

  await run(page, "net-client", "--udp 127.0.0.1 7000 ping");
  await expect(consoleText(page)).toContainText("udp reply from 127.0.0.1:7000: ping");
  await expect(service.getByTestId("service-output")).toContainText("udp: echoed 4 bytes");

  // A synchronous wasi:sockets 0.2 guest on the same network (its waits suspend through JSPI).
  await run(page, "net-client-p2", "127.0.0.1 7000 hello from 0.2");
  await expect(consoleText(page)).toContainText("echo: hello from 0.2");
  await expect(consoleText(page)).toContainText(/exit status 0 · \d+ ms · engine\/cm/);
  await run(page, "net-client-p2", "127.0.0.1 7001");
  await expect(page.locator('[data-kind="stderr"]')).toContainText("connect 127.0.0.1:7001 failed: connection-refused");

  // The playground is one host: a second server on the port is refused.
  await open(page, "echo-server", "7000");
  await page.getByTestId("run").click();
  await expect(page.locator('[data-kind="stderr"]')).toContainText("cannot listen on port 7000: address-in-use");

  await service.getByTestId("service-stop").click();
  await expect(service.getByTestId("service-output")).toContainText("stopped by user");
});

test("UDP datagrams round-trip through the relay with a real server", async ({ page }) => {
  const udp = await udpEcho();
  try {
    await allow(page, `127.0.0.1:${udp.port}`);
    await run(page, "net-client", `--udp 127.0.0.1 ${udp.port} datagram`);
    await expect(consoleText(page)).toContainText(`udp reply from 127.0.0.1:${udp.port}: echo:datagram`);
    await expect(consoleText(page)).toContainText("exit status 0");
  } finally {
    udp.socket.close();
  }
});

test("the same two examples on engine/jco (the reference engine): a server and a client in two workers", async ({ page }) => {
  await open(page, "echo-server", "7100");
  await page.getByTestId("engine-select").selectOption("jco");
  await page.getByTestId("run-background").click();
  const service = page.getByTestId("service").filter({ hasText: "echo-server.wasm 7100" });
  await expect(service.getByTestId("service-output")).toContainText("listening on tcp and udp port 7100");
  await run(page, "net-client", "--mib 4 127.0.0.1 7100");
  await expect(consoleText(page)).toContainText("echoed 4 MiB intact");
  await expect(consoleText(page)).toContainText("engine/jco");
  await expect(service.getByTestId("service-output")).toContainText("closed after 4194304 bytes");
  // The synchronous 0.2 client too (jco suspends it through JSPI, as engine/cm does in the test above).
  await run(page, "net-client-p2", "127.0.0.1 7100 hello from 0.2 on jco");
  await expect(consoleText(page)).toContainText("echo: hello from 0.2 on jco");
  await expect(consoleText(page)).toContainText(/exit status 0 · \d+ ms · engine\/jco/);
});
