/**
 * Debian's WebKitGTK driven over classic WebDriver: Xvfb for a display, WebKitWebDriver on a free
 * port, MiniBrowser in automation mode, selenium-webdriver as the client.
 */
import { Builder, type WebDriver } from "selenium-webdriver";
import { freePort, startProcess, waitForHttp, type Started } from "./processes";
import type { BrowserSession } from "./session";

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver";
export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const XVFB = "Xvfb";

export async function openWebKit(origin: string, preferredDriverPort: number): Promise<BrowserSession> {
  const started: Started[] = [];
  let driver: WebDriver | null = null;
  const close = async () => {
    await driver?.quit().catch(() => {});
    for (const p of started.reverse()) await p.stop();
  };
  try {
    // -displayfd: Xvfb picks a free display and prints its number.
    const xvfb = startProcess(XVFB, ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]);
    started.push(xvfb);
    const display = (await xvfb.waitForOutput(/^(\d+)$/m, 10_000))[1];
    const port = await freePort(preferredDriverPort);
    const wd = startProcess(WEBKIT_DRIVER, [`--port=${port}`], { env: { ...process.env, DISPLAY: `:${display}` } });
    started.push(wd);
    await waitForHttp(`http://127.0.0.1:${port}/status`, 15_000, wd, "WebKitWebDriver");
    driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({ browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } })
      .build();
    await driver.manage().window().setRect({ width: 1280, height: 1000 });
    const d = driver;
    return {
      page: {
        goto: (path) => d.get(new URL(path, origin).href),
        // Classic WebDriver runs a function body and awaits a returned Promise.
        evaluateExpression: (expression) => d.executeScript(`return ${expression};`),
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
