/**
 * The timeline panel in Chromium, through the real worker and host: mostly with engine/jco
 * (host-boundary fidelity), and with engine/cm (exact), the default. The checks read the drawn
 * model through `window.__timeline` and sample the canvas.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { TraceSession } from "../src/ui/timeline/session";
import { syntheticTrace } from "../src/ui/timeline/testTrace";

const WAIT_FOR = "wasi:clocks/monotonic-clock@0.3.0#wait-for";

/** Opens an example on `engine`: jco unless said (its host-boundary traces are what most checks here read). */
async function openExample(page: Page, name: string, engine: "jco" | "cm" = "jco") {
  await page.addInitScript((e) => localStorage.setItem("playground.engine", e), engine);
  await page.goto("/");
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId(`example-${name}`)).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
}

async function callExport(page: Page, label: string, args: Record<string, string>) {
  await page.getByTestId("export-picker").selectOption({ label });
  for (const [k, v] of Object.entries(args)) await page.getByTestId(`arg-${k}`).fill(v);
  await page.getByTestId("run").click();
}

const idle = (page: Page) => page.waitForFunction(() => window.__timeline?.idle());

/** Pixels of one RGB colour in a small box around a canvas point (CSS pixels). */
async function colourNear(page: Page, p: { x: number; y: number }, rgb: [number, number, number]): Promise<number> {
  return page.getByTestId("timeline-canvas").evaluate(
    (c: HTMLCanvasElement, { p, rgb }) => {
      const dpr = c.width / c.clientWidth;
      const data = c.getContext("2d")!.getImageData(Math.round((p.x - 4) * dpr), Math.round((p.y - 1) * dpr), Math.round(9 * dpr), Math.round(3 * dpr)).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) n++;
      return n;
    },
    { p, rgb },
  );
}

test("sleep-fanout: 50 concurrent waits are 50 overlapping wait-for spans in one lane, drawn on the canvas", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1300 });
  await openExample(page, "sleep-fanout");
  // jco issues the guest's 50 wait-for calls a few ms apart; 1 s waits keep all 50 pending at once.
  await callExport(page, "fanout: async func(count: u32, millis: u32) -> u64", { count: "50", millis: "1000" });
  await expect(page.locator('[data-kind="success"]')).toContainText("returned");
  await idle(page);
  await expect(page.getByTestId("timeline-fidelity")).toHaveText("host-boundary");
  await expect(page.getByTestId("timeline-notes")).toContainText("overlap");

  const spans = await page.evaluate(() => window.__timeline!.spans());
  const waits = spans.filter((s) => s.kind === "host" && s.name === WAIT_FOR);
  expect(waits).toHaveLength(50);
  expect(new Set(waits.map((w) => w.lane))).toEqual(new Set(["sleep-fanout.wasm"]));
  expect(new Set(waits.map((w) => w.task)).size).toBe(1);
  expect(new Set(waits.map((w) => w.row)).size).toBe(50);
  const lastStart = Math.max(...waits.map((w) => w.start));
  const firstEnd = Math.min(...waits.map((w) => w.end!));
  expect(lastStart).toBeLessThan(firstEnd);
  const task = spans.find((s) => s.kind === "task")!;
  expect(task).toMatchObject({ name: "fanout", lane: "sleep-fanout.wasm" });

  // Tall enough for all 50 call tracks; then every one is drawn at the instant they all overlap.
  await page.getByTestId("timeline-canvas").evaluate((c) => (c.parentElement!.style.height = "760px"));
  await page.waitForFunction(() => window.__timeline!.stats().rows > 50);
  await idle(page);
  const mid = (lastStart + firstEnd) / 2;
  for (const w of waits) {
    const p = await page.evaluate(({ t, task, row }) => window.__timeline!.pointOf(t, 1, task, row), { t: mid, task: w.task, row: w.row });
    expect(p, `track ${w.row} is on screen`).not.toBeNull();
    expect(await colourNear(page, p!, [0x13, 0x8d, 0x75]), `track ${w.row} is drawn`).toBeGreaterThan(0);
  }
  expect((await page.evaluate(() => window.__timeline!.stats())).spans).toBeGreaterThanOrEqual(51);

  await test.step("hover shows a span's details", async () => {
    const p = (await page.evaluate(({ t, row }) => window.__timeline!.pointOf(t, 1, 1, row), { t: mid, row: waits[0]!.row }))!;
    const box = (await page.getByTestId("timeline-canvas").boundingBox())!;
    await page.mouse.move(box.x + p.x, box.y + p.y);
    await expect(page.locator(".timeline-tip")).toBeVisible();
    await expect(page.locator(".timeline-tip")).toContainText("wait-for");
  });

  await test.step("clicking the task shows who started it and what it waits on", async () => {
    const p = (await page.evaluate((t) => window.__timeline!.pointOf(t, 1, 1, -1), mid))!;
    const box = (await page.getByTestId("timeline-canvas").boundingBox())!;
    await page.mouse.click(box.x + p.x, box.y + p.y);
    await expect(page.getByTestId("timeline-selection")).toContainText("Started by the host (an export call)");
    await expect(page.getByTestId("timeline-selection")).toContainText("50 × monotonic-clock@0.3.0#wait-for");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("timeline-selection")).toHaveCount(0);
  });

  await test.step("summary: one task, 50 calls in flight, time blocked", async () => {
    await page.getByTestId("timeline-summary-toggle").click();
    const summary = page.getByTestId("timeline-summary");
    await expect(summary).toContainText("1 task started");
    await expect(summary).toContainText("max 50 calls in flight");
    await expect(summary).toContainText("fanout #1");
    const s = await page.evaluate(() => window.__timeline!.summary());
    expect(s.tasks[0]!.blockedNs).toBeGreaterThanOrEqual(1e9);
  });

  await test.step("filters hide host calls and show them again", async () => {
    await page.getByText("Filter").click();
    await page.getByTestId("filter-host").uncheck();
    await expect.poll(() => page.evaluate(() => window.__timeline!.stats().spans)).toBe(1);
    await page.getByTestId("filter-host").check();
    await expect.poll(() => page.evaluate(() => window.__timeline!.stats().spans)).toBeGreaterThanOrEqual(51);
    await page.getByText("Filter").click();
  });

  await test.step("keyboard zooms, pans and fits", async () => {
    const before = await page.evaluate(() => window.__timeline!.view());
    await page.getByTestId("timeline-canvas").focus();
    await page.keyboard.press("w");
    const zoomed = await page.evaluate(() => window.__timeline!.view());
    expect(zoomed.end - zoomed.start).toBeLessThan(before.end - before.start);
    await page.keyboard.press("d");
    const panned = await page.evaluate(() => window.__timeline!.view());
    expect(panned.start).toBeGreaterThan(zoomed.start);
    expect(panned.follow).toBe(false);
    await page.keyboard.press("0");
    const fitted = await page.evaluate(() => window.__timeline!.view());
    expect(fitted.start).toBeCloseTo(before.start, -3);
    expect(fitted.end).toBeCloseTo(before.end, -3);
  });

  await test.step("wheel zooms at the pointer; dragging pans", async () => {
    const box = (await page.getByTestId("timeline-canvas").boundingBox())!;
    const before = await page.evaluate(() => window.__timeline!.view());
    await page.mouse.move(box.x + box.width / 2, box.y + 40);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await page.evaluate(() => window.__timeline!.view())).end - (await page.evaluate(() => window.__timeline!.view())).start).toBeLessThan(before.end - before.start);
    const zoomed = await page.evaluate(() => window.__timeline!.view());
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + 40, { steps: 5 });
    await page.mouse.up();
    const dragged = await page.evaluate(() => window.__timeline!.view());
    expect(dragged.start).toBeGreaterThan(zoomed.start);
  });
});

test("live follow: the view keeps the newest events in sight during a run", async ({ page }) => {
  await openExample(page, "sleep-fanout");
  await callExport(page, "chain: async func(count: u32, millis: u32) -> u64", { count: "30", millis: "60" });
  await page.waitForFunction(() => (window.__timeline?.status().events ?? 0) > 8 && window.__timeline!.status().live);
  const first = await page.evaluate(() => window.__timeline!.view());
  await page.waitForFunction((end) => {
    const v = window.__timeline!.view();
    return v.end > end + 200e6 && window.__timeline!.status().live;
  }, first.end);
  const spans = await page.evaluate(() => window.__timeline!.spans());
  const view = await page.evaluate(() => window.__timeline!.view());
  expect(view.follow).toBe(true);
  // The newest call is inside the window while the run goes on.
  const newest = Math.max(...spans.map((s) => s.start));
  expect(newest).toBeGreaterThanOrEqual(view.start);
  expect(newest).toBeLessThanOrEqual(view.end);
  await expect(page.locator('[data-kind="success"]')).toContainText("returned");
  await idle(page);
  const waits = (await page.evaluate(() => window.__timeline!.spans())).filter((s) => s.name === WAIT_FOR);
  // chain: one after another, so one track.
  expect(waits).toHaveLength(30);
  expect(new Set(waits.map((w) => w.row))).toEqual(new Set([0]));
});

test("stream-upper: stream copies are arrows whose counts add up to the bytes sent", async ({ page }) => {
  await openExample(page, "stream-upper");
  const input = "stream me! ".repeat(15_000); // 165,000 bytes: three 64 KiB chunks each way
  await page.getByTestId("stdin").fill(input);
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("exit status 0");
  await idle(page);
  const transfers = await page.evaluate(() => window.__timeline!.transfers());
  const stdin = transfers.filter((t) => t.label === "wasi:cli/stdin@0.3.0#read-via-stream");
  const stdout = transfers.filter((t) => t.label === "wasi:cli/stdout@0.3.0#write-via-stream");
  expect(stdin.length).toBeGreaterThan(1);
  expect(stdin.reduce((n, t) => n + t.count, 0)).toBe(input.length);
  expect(stdout.reduce((n, t) => n + t.count, 0)).toBe(input.length);
  expect(stdin.every((t) => t.fromLane === "host" && t.toLane === "stream-upper.wasm")).toBe(true);
  expect(stdout.every((t) => t.fromLane === "stream-upper.wasm" && t.toLane === "host")).toBe(true);
  expect((await page.evaluate(() => window.__timeline!.stats())).arrows).toBeGreaterThan(0);
});

test("an exported trace is Chrome Trace Event JSON and re-imports to the same picture", async ({ page }) => {
  await openExample(page, "stream-upper");
  await page.getByTestId("stdin").fill("abc ".repeat(40_000));
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("exit status 0");
  await idle(page);
  await page.getByTestId("timeline").getByRole("button", { name: "Fit", exact: true }).click();
  await idle(page);
  const picture = () =>
    page.evaluate(() => ({
      spans: window.__timeline!.spans(),
      transfers: window.__timeline!.transfers(),
      png: (document.querySelector('[data-testid="timeline-canvas"]') as HTMLCanvasElement).toDataURL(),
    }));
  const before = await picture();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("timeline-export").click()]);
  expect(download.suggestedFilename()).toBe("stream-upper-trace.json");
  const path = await download.path();
  const json = JSON.parse(readFileSync(path, "utf8")) as { traceEvents: Array<Record<string, unknown>> };
  expect(json.traceEvents.length).toBeGreaterThan(20);
  for (const e of json.traceEvents) {
    expect(typeof e.ph).toBe("string");
    expect(typeof e.ts).toBe("number");
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
  }

  await page.getByTestId("timeline-import").setInputFiles(path);
  await expect(page.getByTestId("timeline-status")).toContainText("stream-upper.wasm");
  await idle(page);
  const after = await picture();
  expect(after.spans).toEqual(before.spans);
  expect(after.transfers).toEqual(before.transfers);
  expect(after.png === before.png, "the canvas shows the same picture").toBe(true);
});

test("the panel stays responsive while 100,000 events load", async ({ page }) => {
  const session = new TraceSession();
  session.begin({ kind: "run", component: "synthetic.wasm" });
  const events = syntheticTrace(100_000);
  session.appendEvents(events);
  const text = session.exportText();
  await page.goto("/");
  await expect(page.getByTestId("timeline-canvas")).toBeVisible();
  // Count animation frames and key presses handled while the import is still going.
  await page.evaluate(() => {
    const probe = { frames: 0, keysDuringLoad: 0, loading: false };
    (window as unknown as { probe: typeof probe }).probe = probe;
    const busy = () => window.__timeline !== undefined && !window.__timeline.idle() && window.__timeline.status().events > 0;
    const tick = () => {
      if (busy()) probe.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    document.querySelector('[data-testid="timeline-canvas"]')!.addEventListener("keydown", () => {
      if (busy()) probe.keysDuringLoad++;
    });
  });
  await page.getByTestId("timeline-import").setInputFiles({ name: "synthetic-trace.json", mimeType: "application/json", buffer: Buffer.from(text) });
  await page.getByTestId("timeline-canvas").focus();
  await page.waitForFunction(() => (window.__timeline?.status().events ?? 0) > 0);
  for (let i = 0; i < 20 && !(await page.evaluate(() => window.__timeline!.idle())); i++) await page.keyboard.press(i % 2 ? "s" : "w");
  await idle(page);
  const probe = await page.evaluate(() => (window as unknown as { probe: { frames: number; keysDuringLoad: number } }).probe);
  expect(probe.keysDuringLoad, "key presses were handled during the load").toBeGreaterThan(0);
  expect(probe.frames, "frames were drawn during the load").toBeGreaterThan(5);
  const status = await page.evaluate(() => window.__timeline!.status());
  expect(status.events).toBe(events.length);
  const spans = await page.evaluate(() => window.__timeline!.spans().length);
  expect(spans).toBe(events.filter((e) => e.kind === "host.begin" || e.kind === "task.start" || e.kind === "wait.begin").length);
  await expect(page.getByTestId("timeline-status")).toContainText("100,0");
});

test("engine/cm (the default): an exact trace, the 50 waits overlap inside one task, stream copies add up", async ({ page }) => {
  await openExample(page, "sleep-fanout", "cm");
  await callExport(page, "fanout: async func(count: u32, millis: u32) -> u64", { count: "50", millis: "200" });
  await expect(page.locator('[data-kind="success"]')).toContainText("returned");
  await idle(page);
  await expect(page.getByTestId("timeline-fidelity")).toHaveText("exact");
  const spans = await page.evaluate(() => window.__timeline!.spans());
  const waits = spans.filter((s) => s.kind === "host" && s.name === WAIT_FOR);
  expect(waits).toHaveLength(50);
  expect(new Set(waits.map((w) => w.lane)).size).toBe(1);
  expect(new Set(waits.map((w) => w.task)).size).toBe(1);
  expect(Math.max(...waits.map((w) => w.start))).toBeLessThan(Math.min(...waits.map((w) => w.end!)));
  // engine/cm also records each call as a subtask of the guest's task.
  expect(spans.filter((s) => s.kind === "subtask" && s.name === WAIT_FOR)).toHaveLength(50);

  await openExample(page, "stream-upper", "cm");
  const input = "stream me! ".repeat(15_000);
  await page.getByTestId("stdin").fill(input);
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("exit status 0");
  await idle(page);
  // The host's ends are traced too, so each copy is an arrow between the host and the guest.
  const transfers = await page.evaluate(() => window.__timeline!.transfers());
  const stdin = transfers.filter((t) => t.label === "wasi:cli/stdin@0.3.0#read-via-stream");
  const stdout = transfers.filter((t) => t.label === "wasi:cli/stdout@0.3.0#write-via-stream");
  expect(stdin.length).toBeGreaterThan(1);
  expect(stdin.reduce((n, t) => n + t.count, 0)).toBe(input.length);
  expect(stdout.reduce((n, t) => n + t.count, 0)).toBe(input.length);
  expect(stdin.every((t) => t.fromLane === "host" && t.toLane.startsWith("stream-upper.wasm"))).toBe(true);
  expect(stdout.every((t) => t.fromLane.startsWith("stream-upper.wasm") && t.toLane === "host")).toBe(true);
});
