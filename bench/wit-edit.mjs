// The WIT editor's live diagnostics, from outside the page (Node + Playwright) like page-load.mjs:
// `wit_edit_squiggle` is a keystroke that breaks the starter world (`string;` -> `strin;`) to the
// squiggle being drawn under it, `cleared` the keystroke that fixes it to the squiggle being gone.
// Both are timed on the page's own clock, from the key event's timestamp to the DOM mutation that
// adds or removes Monaco's `.squiggly-error` (so the e2e that checks the squiggle's place need not
// time it). Goal: at most 1000 ms each. Used by scripts/bench.mjs (`BENCH_ONLY=page`).

/** Records the last key event's time and when the authoring editor gains or loses its error squiggle. */
const WATCH_SQUIGGLES = () => {
  window.__witEdit = { key: 0, shown: [], cleared: [] };
  addEventListener("keydown", (e) => (window.__witEdit.key = e.timeStamp), true);
  let had = false;
  new MutationObserver(() => {
    const has = document.querySelector(".authoring-monaco .squiggly-error") !== null;
    if (has === had) return;
    had = has;
    const w = window.__witEdit;
    (has ? w.shown : w.cleared).push(performance.now() - w.key);
  }).observe(document, { childList: true, subtree: true });
};

export async function measureWitEdit(browser, url, reps = 5) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(WATCH_SQUIGGLES);
  try {
    await page.goto(url);
    await page.getByTestId("dock-tab-write").click();
    await page.getByTestId("authoring-open").click();
    await page.waitForSelector('[data-testid="authoring-editor"][data-state="ready"]', { timeout: 60_000 });
    await page.getByTestId("build-status").filter({ hasText: "WIT ok" }).waitFor({ timeout: 60_000 });
    await page.getByTestId("tab-wit/world.wit").click();
    const where = await page.evaluate(() => {
      const lines = window.__authoring.value("wit/world.wit").split("\n");
      const line = lines.findIndex((l) => l.includes("string;"));
      return { line: line + 1, column: lines[line].indexOf("string;") + "string".length + 1 };
    });
    for (let i = 0; i < reps; i++) {
      // The cursor after `string`, then delete its `g` and type it again.
      await page.evaluate(({ line, column }) => window.__authoring.select("wit/world.wit", line, column), where);
      const n = await page.evaluate(() => window.__witEdit.shown.length);
      await page.keyboard.press("Backspace");
      await page.waitForFunction((k) => window.__witEdit.shown.length > k, n, { timeout: 30_000 });
      await page.keyboard.type("g");
      await page.waitForFunction((k) => window.__witEdit.cleared.length > k, n, { timeout: 30_000 });
    }
    const { shown, cleared } = await page.evaluate(() => window.__witEdit);
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { wit_edit_squiggle: { ours: median(shown), cleared: median(cleared), samples: reps } };
  } finally {
    await context.close();
  }
}
