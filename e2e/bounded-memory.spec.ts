/**
 * Bounded memory (Chromium): 1 GiB echoed over the virtual network between two run nodes in two
 * workers, and 1 GiB echoed through the Wisp relay to a real TCP echo server on 127.0.0.1, while
 * the JS heap of the page and of every worker is sampled (e2e/heap.ts); stdout is the second test.
 * Every path that carries the bytes (pipes and their MessagePorts, the Wisp client, the relay
 * bridge) holds a bounded window, so no heap may grow with the transfer: each peak must stay under
 * HEAP_BOUND.
 *
 * The bound: a sample is the V8 heap in use plus ArrayBuffer backing stores. At rest each target
 * holds under 3 MiB. What a transfer may keep alive: the WebSocket's send queue (4 MiB,
 * SEND_HIGH_WATER, in packet buffers the Wisp client reuses), the Wisp receive high-water mark
 * (4 MiB), a pipe window each way (1 MiB) and a chunk or two in hand: under 16 MiB. On top of that
 * come chunks already read and not yet collected: V8 collects ArrayBuffers about when their
 * external memory has grown by 64 MiB since the last GC. So 128 MiB, an eighth of the transfer;
 * measured peaks were 58-84 MiB (the hub's was 694 MiB while the Wisp client still let packets
 * pile up in the WebSocket's send queue).
 */
import { expect, test } from "@playwright/test";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { HeapSampler } from "./heap";
import { tcpEcho } from "./tcp-echo";

const MiB = 1024 * 1024;
const TOTAL = 1024 * MiB;
const HEAP_BOUND = 128 * MiB;

test("1 GiB over the virtual network and 1 GiB through the relay keep every JS heap under the bound", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const echo = await tcpEcho();
  try {
    await page.goto("/e2e/bounded/index.html");
    await expect(page.locator("#out")).toHaveText("ready");
    const sampler = await HeapSampler.attach(page, browser, "bounded-hub");
    // The page, the two nodes' workers and the hub's shared worker.
    expect(sampler.targets).toHaveLength(4);
    sampler.start(100);

    const vnet = await page.evaluate((n) => window.bounded!.echo("vnet", { family: "ipv4", ip: "127.0.0.1", port: 9000 }, n), TOTAL);
    expect(vnet.bytesBack).toBe(TOTAL);
    const relay = await page.evaluate(([port, n]) => window.bounded!.echo("relay", { family: "ipv4", ip: "127.0.0.1", port }, n), [echo.port, TOTAL] as const);
    expect(relay.bytesBack).toBe(TOTAL);
    expect(echo.connections()).toBe(1);

    const peaks = await sampler.stop();
    const mib = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
    const report = peaks.map((p) => `${p.target}: ${mib(p.base)} at rest, peak ${mib(p.peak)}`).join("\n");
    console.log(`vnet 1 GiB echo: ${vnet.ms.toFixed(0)} ms; relay 1 GiB echo: ${relay.ms.toFixed(0)} ms\n${report}`);
    for (const p of peaks) expect(p.peak, `${p.target} (bound ${mib(HEAP_BOUND)})\n${report}`).toBeLessThan(HEAP_BOUND);
  } finally {
    await echo.close();
  }
});

/**
 * stdout: a WAT guest (fixtures/stdout-flood.wat) prints 256 MiB as fast as the host takes it, in
 * the real app. What may be held: the runtime worker's output window (1 MiB on its way to the page,
 * OUTPUT_WINDOW), a batch being taken, and the console's last 128 Ki characters
 * (CONSOLE_KEEP_CHARS); the rest of a peak is chunks not yet collected, as above, so the bound is
 * the same. Measured peaks: page 68 MiB, runtime worker 49 MiB. Without the window and the
 * console's limit the page held every byte printed, as text.
 */
test("256 MiB printed to stdout keeps the page's and the runtime worker's heaps under the bound; the console says what it let go", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const total = 256 * MiB;
  const wat = readFileSync(new URL("./fixtures/stdout-flood.wat", import.meta.url), "utf8").replace("FLOOD_BYTES", String(total));
  await page.goto("/");
  await page.getByTestId("file-input").setInputFiles({ name: "stdout-flood.wasm", mimeType: "application/wasm", buffer: Buffer.from(await parse(wat)) });
  await expect(page.getByTestId("run")).toBeEnabled();
  const sampler = await HeapSampler.attach(page, browser, "no-shared-worker");
  // The page and the runtime worker (it inspected the component, and runs it).
  expect(sampler.targets.filter((t) => t.includes("runtime")).length, sampler.targets.join(", ")).toBe(1);
  sampler.start(100);
  const started = Date.now();
  await page.getByTestId("run").click();
  await expect(page.getByTestId("run")).toBeDisabled();
  // Polled in the page without Playwright's visibility checks, each of which lays the console out again.
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="run"]')!.disabled, undefined, { polling: 500, timeout: 240_000 });
  const ms = Date.now() - started;
  const peaks = await sampler.stop();
  const mib = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
  const report = peaks.map((p) => `${p.target}: ${mib(p.base)} at rest, peak ${mib(p.peak)}`).join("\n");
  console.log(`stdout 256 MiB: ${ms} ms\n${report}`);
  for (const p of peaks) expect(p.peak, `${p.target} (bound ${mib(HEAP_BOUND)})\n${report}`).toBeLessThan(HEAP_BOUND);
  // All of it went through the console, which kept the last lines and counted the rest.
  await expect(page.getByTestId("console")).toContainText("exit status 0");
  const dropped = Number(/([\d,]+) earlier characters/.exec(await page.getByTestId("console-dropped").innerText())![1]!.replaceAll(",", ""));
  expect(dropped).toBeGreaterThan(total - 128 * 1024);
  await expect(page.getByTestId("console")).toContainText(`${"x".repeat(99)}\n${"x".repeat(99)}`);
});
