/**
 * Learn (`#/learn`, issue 15) in Chromium: every lesson's check fails with its starter and passes
 * with its reference solution, each built by the real build endpoint (componentize-qjs), run on
 * engine/cm with the timeline recording (composed into the gateway, or served and sent concurrent
 * requests, where the lesson says), and checked from the trace. The run shows its progress; a
 * build error is the verdict; progress survives a reload.
 */
import { expect, test, type Page } from "@playwright/test";
import { LESSONS } from "../src/learn/lessons";

type Steps = { __learnSteps: string[] };

/** Records every text the run's status line shows (a cached build can be over before a poll sees it). */
async function watchSteps(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as Steps).__learnSteps = []);
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="learn-status"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Build, run and check through the UI; returns the verdict's text once it is `expected`, and the steps it showed. */
async function runAndCheck(page: Page, expected: "true" | "false") {
  const result = page.getByTestId("learn-result");
  await page.evaluate(() => ((window as unknown as Steps).__learnSteps.length = 0));
  await page.getByTestId("learn-run").click();
  await expect(result).toHaveAttribute("data-pass", /true|false/, { timeout: 60_000 });
  // The verdict replaces the status line, and the run can be started again.
  await expect(page.getByTestId("learn-status")).toHaveCount(0);
  await expect(page.getByTestId("learn-run")).toBeEnabled();
  const text = (await result.textContent()) ?? "";
  expect(await result.getAttribute("data-pass"), text).toBe(expected);
  return { text, steps: (await page.evaluate(() => (window as unknown as Steps).__learnSteps)).join(" | ") };
}

test("every lesson: the starter fails its check, the reference solution passes; progress survives a reload", async ({ page }) => {
  test.setTimeout(LESSONS.length * 40_000);
  await page.addInitScript(() => localStorage.setItem("playground.engine", "cm"));
  await page.goto("/#/learn");
  await expect(page.getByTestId("dock-tab-learn")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("learn-progress")).toHaveText(`0 of ${LESSONS.length} done`);
  await watchSteps(page);

  for (const [i, lesson] of LESSONS.entries()) {
    await test.step(lesson.id, async () => {
      const t0 = Date.now();
      await page.getByTestId(`lesson-${lesson.id}`).click();
      await expect(page.getByTestId(`lesson-${lesson.id}`)).toHaveAttribute("aria-current", "step");
      await page.getByTestId("learn-reset").click();
      await expect(page.getByTestId("learn-guest")).toHaveValue(lesson.exercise.starter.guest);
      const starter = await runAndCheck(page, "false");
      expect(starter.text).toContain("Not yet");
      // While it worked, the run said what it was doing: building, then running or serving.
      expect(starter.steps).toMatch(/Building guest\.js.*(Running|Serving)/);
      await expect(page.getByTestId(`lesson-${lesson.id}`)).toContainText("○");
      await page.getByTestId("learn-solution").click();
      await expect(page.getByTestId("learn-guest")).toHaveValue(lesson.exercise.solution.guest);
      expect((await runAndCheck(page, "true")).text).toContain("Passed");
      await expect(page.getByTestId("learn-progress")).toHaveText(`${i + 1} of ${LESSONS.length} done`);
      await expect(page.getByTestId(`lesson-${lesson.id}`)).toContainText("✓");
      // The Learn tab stays in front whatever the component is (the HTTP lesson's handler too).
      await expect(page.getByTestId("dock-tab-learn")).toHaveAttribute("aria-selected", "true");
      test.info().annotations.push({ type: "lesson time", description: `${lesson.id}: ${((Date.now() - t0) / 1000).toFixed(1)} s` });
    });
  }

  // The timeline drew the last run, and progress (passed lessons, the lesson open) survives a reload.
  expect((await page.evaluate(() => window.__timeline!.lanes())).some((l) => l.tasks > 0)).toBe(true);
  const last = LESSONS[LESSONS.length - 1]!;
  await page.reload();
  await expect(page.getByTestId("learn-progress")).toHaveText(`${LESSONS.length} of ${LESSONS.length} done`);
  for (const lesson of LESSONS) await expect(page.getByTestId(`lesson-${lesson.id}`)).toContainText("✓");
  await expect(page.getByTestId(`lesson-${last.id}`)).toHaveAttribute("aria-current", "step");
  await expect(page.getByTestId("learn-guest")).toHaveValue(last.exercise.solution.guest);
  for (const a of test.info().annotations) if (a.type === "lesson time") console.log(a.description);
});

test("the header's Learn link opens the lessons, they answer the keyboard, and a build error is the verdict", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("nav-learn").click();
  await expect(page.getByTestId("learn")).toBeVisible();
  const first = page.getByTestId(`lesson-${LESSONS[0]!.id}`);
  const second = page.getByTestId(`lesson-${LESSONS[1]!.id}`);
  await first.focus();
  await page.keyboard.press("Tab");
  await expect(second).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(second).toHaveAttribute("aria-current", "step");
  await expect(page.getByTestId("learn-goal")).toHaveText(LESSONS[1]!.exercise.goal);
  await watchSteps(page);

  // A WIT that does not parse: the verdict is the build's own reason.
  await page.getByTestId("learn-wit").fill(LESSONS[1]!.exercise.wit.replace("-> u32", "-> u33"));
  const { text, steps } = await runAndCheck(page, "false");
  expect(text).toMatch(/The build failed: .*`u33` does not exist/);
  expect(steps).toContain("Building guest.js");
  await expect(second).toContainText("○");
});
