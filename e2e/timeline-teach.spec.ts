/**
 * The timeline as a teacher (issue 15) and for compositions (issue 12), in Chromium through the
 * real worker on engine/cm: a guest that never yields keeps its trace live and after Stop; the
 * legend, a tooltip on a mark, step mode naming spec steps; the gateway composition (opened from
 * the gallery, composed and run from the app on engine/cm) drawn one lane per instance with call
 * arrows; a background run beside the foreground one.
 * Checks read the drawn model through `window.__timeline`.
 */
import { expect, test, type Page } from "@playwright/test";
import { GATEWAY_API } from "../src/examples/graphs";

async function openExample(page: Page, name: string) {
  await page.addInitScript(() => localStorage.setItem("playground.engine", "cm"));
  await page.goto("/");
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId(`example-${name}`)).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
}

/** Hovers canvas point `p` (CSS pixels in the canvas) and returns the tooltip's text. */
async function tipAt(page: Page, p: { x: number; y: number }): Promise<string> {
  const box = (await page.getByTestId("timeline-canvas").boundingBox())!;
  await page.mouse.move(box.x + p.x, box.y + p.y);
  await expect(page.locator(".timeline-tip")).toBeVisible();
  return page.locator(".timeline-tip").innerText();
}

test("spin on engine/cm: its trace shows while it spins and is kept after Stop; legend, tooltip, step mode", async ({ page }) => {
  await openExample(page, "spin");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("spinning...");
  // The guest never yields again, yet what it did before is drawn: its task, still running.
  await page.waitForFunction(() => window.__timeline!.spans().some((s) => s.kind === "task" && s.end === null));
  expect((await page.evaluate(() => window.__timeline!.status())).live).toBe(true);
  const before = await page.evaluate(() => window.__timeline!.status().events);

  await page.getByTestId("stop").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.waitForFunction(() => !window.__timeline!.status().live);
  const after = await page.evaluate(() => ({ events: window.__timeline!.status().events, spans: window.__timeline!.spans() }));
  expect(after.events).toBeGreaterThanOrEqual(before);
  const task = after.spans.find((s) => s.kind === "task")!;
  expect(task).toMatchObject({ lane: "spin.wasm", end: null });
  expect(after.spans.some((s) => s.kind === "subtask" && s.name.endsWith("#write-via-stream"))).toBe(true);

  await test.step("the legend names busy, idle and scheduled apart", async () => {
    const legend = page.getByTestId("timeline-legend");
    await expect(legend).toBeVisible();
    for (const word of ["busy", "idle", "scheduled", "backpressure", "call"]) await expect(legend).toContainText(word);
  });

  await test.step("hovering the task's bar shows what it is", async () => {
    await page.getByTestId("timeline").getByRole("button", { name: "Fit", exact: true }).click();
    await page.waitForFunction(() => window.__timeline!.idle());
    const instance = (await page.evaluate(() => window.__timeline!.lanes()))[0]!.instance;
    // At the right edge: the open bar runs on, past the last event (and its markers) Fit put 10 px inside.
    const end = (await page.evaluate(() => window.__timeline!.view())).end;
    const p = (await page.evaluate(({ t, instance, task }) => window.__timeline!.pointOf(t, instance, task, -1), { t: end, instance, task: task.task }))!;
    expect(p).not.toBeNull();
    const tip = await tipAt(page, { x: p.x - 3, y: p.y });
    // engine/cm names a task by its function; still running, in the component's lane.
    expect(tip).toMatch(/^task: run\n.* \+ still running\nspin\.wasm · task \d+ \(run\)$/);
  });

  await test.step("step mode walks the events, naming each spec step", async () => {
    await page.getByTestId("timeline-step-toggle").click();
    const stepText = page.getByTestId("timeline-step");
    await expect(stepText).toContainText("#1 of");
    await expect(stepText).toContainText("instantiate");
    const seen = new Set<string>();
    for (let i = 0; i < 60 && !(seen.has("canon lift") && seen.has("canon lower")); i++) {
      const text = await stepText.innerText();
      seen.add(/ · ([^·:]+): /.exec(text)![1]!);
      await page.getByTestId("timeline-step-next").click();
    }
    expect(seen).toContain("canon lift");
    expect(seen).toContain("canon lower");
  });
});

/** The gateway graph (src/examples/graphs.ts) composed into one component, the router's API exported. */
test("the gateway composition runs from the app, answers, and its timeline draws one lane per instance with call arrows between them", async ({ page }) => {
  // Tall enough that all six lanes (and so every call arrow's ends) are on screen.
  await page.setViewportSize({ width: 1280, height: 1300 });
  await page.addInitScript(() => localStorage.setItem("playground.engine", "cm"));
  await page.goto("/");
  await page.getByTestId("group-gateway").locator("summary").click();
  await page.getByTestId("open-graph-gateway").click();
  await page.getByTestId("composition-run").click();
  await expect(page.locator(".run-controls h2")).toContainText("gateway.wasm");
  await expect(page.getByTestId("run")).toBeEnabled();
  await expect(page.getByTestId("export-picker")).toContainText(`${GATEWAY_API}#handle`);
  await page.getByTestId("arg-client").fill("10.0.0.1");
  await page.getByTestId("arg-token").fill("tok_alice_7f3a");
  await page.getByTestId("arg-path").fill("/me");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText('\\"name\\":\\"Alice\\"');
  await page.waitForFunction(() => window.__timeline?.idle() && !window.__timeline.status().live && window.__timeline.status().events > 0);

  const lanes = await page.evaluate(() => window.__timeline!.lanes());
  const withTasks = lanes.filter((l) => l.tasks > 0).map((l) => l.name);
  expect(withTasks.length, withTasks.join(", ")).toBeGreaterThanOrEqual(3);
  for (const name of ["router", "rate-limiter", "auth", "keys", "users", "orders"]) expect(withTasks).toContain(name);
  expect(lanes.find((l) => l.name === "router")!.path).toBe("gateway.wasm/router");

  const calls = await page.evaluate(() => window.__timeline!.calls());
  const across = calls.filter((c) => c.fromLane !== c.toLane);
  expect(across.map((c) => `${c.fromLane} -> ${c.toLane}`)).toEqual(expect.arrayContaining(["router -> rate-limiter", "router -> auth", "auth -> keys", "router -> users", "router -> orders"]));
  for (const c of across) expect(c.to).toBeGreaterThanOrEqual(c.from);
  await page.getByTestId("timeline-canvas").evaluate((c) => (c.parentElement!.style.height = "900px"));
  await page.getByTestId("timeline").getByRole("button", { name: "Fit", exact: true }).click();
  await page.waitForFunction(() => window.__timeline!.idle());
  // Drawn, not just modelled: the frame drew the call arrows between the lanes.
  expect((await page.evaluate(() => window.__timeline!.stats())).calls).toBeGreaterThanOrEqual(5);
});

test("a background run's trace is shown beside the foreground run's, in lanes of its own", async ({ page }) => {
  await openExample(page, "echo-server");
  await page.getByTestId("args").fill("7300");
  await page.getByTestId("run-background").click();
  const service = page.getByTestId("service").filter({ hasText: "echo-server.wasm 7300" });
  await expect(service.getByTestId("service-output")).toContainText("listening on tcp and udp port 7300");

  await page.getByTestId("example-net-client").click();
  await expect(page.getByTestId("example-net-client")).toHaveClass(/selected/);
  await expect(page.getByRole("heading", { name: "Run net-client.wasm" })).toBeVisible();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill("127.0.0.1 7300 seen from both sides");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText("echo: seen from both sides");
  await expect(page.getByTestId("console")).toContainText(/exit status 0/);
  // The server's side of the connection arrives in its own lane, on the foreground run's clock.
  await page.waitForFunction(() => window.__timeline!.lanes().some((l) => l.name === "echo-server.wasm (background)" && l.tasks > 0));
  const lanes = await page.evaluate(() => window.__timeline!.lanes());
  expect(lanes.map((l) => l.name)).toContain("net-client.wasm");
  const spans = await page.evaluate(() => window.__timeline!.spans());
  const server = spans.filter((s) => s.lane === "echo-server.wasm (background)");
  const client = spans.filter((s) => s.lane === "net-client.wasm");
  expect(server.length).toBeGreaterThan(0);
  expect(client.length).toBeGreaterThan(0);
  expect(Math.min(...server.map((s) => s.start))).toBeGreaterThanOrEqual(0);
  await service.getByTestId("service-stop").click();
  await expect(service.getByTestId("service-output")).toContainText("stopped by user");
});
