/**
 * Learn (`#/learn`, issue 15) in Chromium: every lesson's check fails with its starter and passes
 * with its reference solution, each built by the real build endpoint (componentize-qjs), run on
 * engine/cm with the timeline recording (composed into the gateway, or served and sent concurrent
 * requests, where the lesson says), and checked from the trace. Progress survives a reload.
 */
import { expect, test, type Page } from "@playwright/test";
import { LESSONS } from "../src/learn/lessons";

async function runAndCheck(page: Page, expected: "true" | "false") {
  const result = page.getByTestId("learn-result");
  await page.getByTestId("learn-run").click();
  await expect(page.getByTestId("learn-run")).toBeDisabled();
  await expect(page.getByTestId("learn-run")).toBeEnabled({ timeout: 120_000 });
  await expect(result).toHaveAttribute("data-pass", /true|false/);
  const text = (await result.textContent()) ?? "";
  expect(await result.getAttribute("data-pass"), text).toBe(expected);
  return text;
}

test("every lesson: the starter fails its check, the reference solution passes; progress is kept", async ({ page }) => {
  test.setTimeout(LESSONS.length * 150_000);
  await page.addInitScript(() => localStorage.setItem("playground.engine", "cm"));
  await page.goto("/#/learn");
  await expect(page.getByTestId("dock-tab-learn")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("learn-progress")).toHaveText(`0 of ${LESSONS.length} done`);

  for (const [i, lesson] of LESSONS.entries()) {
    await test.step(lesson.id, async () => {
      await page.getByTestId(`lesson-${lesson.id}`).click();
      await expect(page.getByTestId(`lesson-${lesson.id}`)).toHaveAttribute("aria-current", "step");
      await page.getByTestId("learn-reset").click();
      await expect(page.getByTestId("learn-guest")).toHaveValue(lesson.exercise.starter.guest);
      const failed = await runAndCheck(page, "false");
      expect(failed).toContain("Not yet");
      await page.getByTestId("learn-solution").click();
      await expect(page.getByTestId("learn-guest")).toHaveValue(lesson.exercise.solution.guest);
      await runAndCheck(page, "true");
      await expect(page.getByTestId("learn-progress")).toHaveText(`${i + 1} of ${LESSONS.length} done`);
    });
  }

  // The timeline drew the last run with the lesson's emphasis, and progress survives a reload.
  expect((await page.evaluate(() => window.__timeline!.lanes())).some((l) => l.tasks > 0)).toBe(true);
  await page.reload();
  await expect(page.getByTestId("learn-progress")).toHaveText(`${LESSONS.length} of ${LESSONS.length} done`);
});

test("the header's Learn link opens the lessons, and they answer the keyboard", async ({ page }) => {
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
});
