/** Debian's Firefox ESR driven over WebDriver BiDi by puppeteer-core (which never downloads a browser). */
import puppeteer from "puppeteer-core";
import { signal } from "./processes";
import type { BrowserSession } from "./session";

export const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export async function openFirefox(origin: string): Promise<BrowserSession> {
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
  const pid = browser.process()?.pid;
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    return {
      page: {
        goto: async (path) => void (await page.goto(new URL(path, origin).href, { waitUntil: "load" })),
        evaluateExpression: (expression) => page.evaluate(expression),
      },
      close: async () => {
        await browser.close().catch(() => {});
        killIfAlive(pid);
      },
    };
  } catch (err) {
    await browser.close().catch(() => {});
    killIfAlive(pid);
    throw err;
  }
}

/** Firefox's parent process, should `close` not have ended it. */
function killIfAlive(pid: number | undefined): void {
  if (pid !== undefined) signal(pid, "SIGKILL");
}
