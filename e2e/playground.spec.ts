/** The foundation's user-visible behaviour, in Chromium, through the real worker and host. */
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";

const consoleText = (page: Page) => page.getByTestId("console");
const FANOUT = "fanout: async func(count: u32, millis: u32) -> u64";

async function openExample(page: Page, name: string) {
  await page.goto("/");
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId("run")).toBeEnabled();
}

test("hello prints its greeting with the args from the UI and exits 0", async ({ page }) => {
  await openExample(page, "hello");
  await page.getByTestId("args").fill('Ada "Lovelace"');
  await page.getByTestId("env").fill("GREETING_STYLE=plain");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(consoleText(page)).toContainText("Hello, Ada Lovelace!");
  await expect(consoleText(page)).toContainText("env: GREETING_STYLE");
  // stderr is shown, marked as stderr, in order after stdout.
  await expect(page.locator('[data-kind="stderr"]')).toContainText("hello: 2 args, 1 env vars");
  // engine/cm is the default, and the outcome says which engine ran.
  await expect(page.getByTestId("engine-select")).toHaveValue("cm");
  await expect(consoleText(page)).toContainText(/exit status 0 · \d+ ms · engine\/cm/);
});

test("hello's exit code comes from the guest", async ({ page }) => {
  await openExample(page, "hello");
  await page.getByTestId("env").fill("EXIT_CODE=7");
  await page.keyboard.press("Control+Enter");
  await expect(consoleText(page)).toContainText("exit status 7");
});

test("sleep-fanout: 100 concurrent 10 ms waits overlap and return the elapsed time", async ({ page }) => {
  await openExample(page, "sleep-fanout");
  await page.getByTestId("export-picker").selectOption({ label: FANOUT });
  await page.getByTestId("arg-count").fill("100");
  await page.getByTestId("arg-millis").fill("10");
  await page.getByTestId("run").click();
  const line = page.locator('[data-kind="success"]');
  await expect(line).toContainText("returned");
  const ns = Number(/returned (\d+)/.exec(await line.innerText())![1]);
  // At least one wait long; far less than the 1 s that 100 waits in sequence would take.
  expect(ns).toBeGreaterThanOrEqual(10e6);
  expect(ns).toBeLessThan(1000e6);
});

test("an export picked the moment the run panel shows stands: the newly inspected component's default does not replace it", async ({ page }) => {
  await page.goto("/");
  // The pick lands in the task that rendered the picker, before React ran the panel's effects.
  // A user's pick can land there: WebKit ran those effects up to a second after the render.
  await page.evaluate((label) => {
    new MutationObserver((_, observer) => {
      const picker = document.querySelector<HTMLSelectElement>('[data-testid="export-picker"]');
      const option = picker && [...picker.options].find((o) => o.text === label);
      if (!option) return;
      observer.disconnect();
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(picker, option.value);
      picker.dispatchEvent(new Event("change", { bubbles: true }));
    }).observe(document.body, { childList: true, subtree: true });
  }, FANOUT);
  await page.getByTestId("example-sleep-fanout").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await expect(page.getByTestId("export-picker")).toHaveValue("#fanout");
  await expect(page.getByTestId("arg-count")).toBeVisible();
});

test("a bad typed argument is refused with the parameter named", async ({ page }) => {
  await openExample(page, "sleep-fanout");
  await page.getByTestId("export-picker").selectOption({ label: FANOUT });
  await page.getByTestId("arg-count").fill("-1");
  await page.getByTestId("arg-millis").fill("10");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("argument 'count' (u32): -1 is out of range");
});

test("stream-upper uppercases stdin", async ({ page }) => {
  await openExample(page, "stream-upper");
  await page.getByTestId("stdin").fill("hello, streams! ünïcode stays\n");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("HELLO, STREAMS! üNïCODE STAYS\n");
});

test("stream-upper's upper export takes and returns stream<u8>", async ({ page }) => {
  await openExample(page, "stream-upper");
  await page.getByTestId("export-picker").selectOption({ label: "upper: async func(input: stream<u8>) -> stream<u8>" });
  await page.getByTestId("arg-input").fill("abc xyz");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("returned stream<u8> of 7 bytes");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("ABC XYZ");
});

test("an endless loop is stopped by Stop within 1 s and the next run works", async ({ page }) => {
  await openExample(page, "spin");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("spinning...");
  // The page stays responsive while the guest spins.
  await page.getByTestId("args").fill("still typing");
  await expect(page.getByTestId("args")).toHaveValue("still typing");
  // Timed on the page's clock, from the click event to the console line and the enabled Run button,
  // so the test's own round trips under the full suite's load do not count.
  const stopped = page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let clicked = 0;
        document.querySelector('[data-testid="stop"]')!.addEventListener("click", (e) => (clicked = e.timeStamp), { capture: true, once: true });
        const done = () =>
          clicked > 0 &&
          document.querySelector('[data-testid="console"]')!.textContent!.includes("stopped by user") &&
          !(document.querySelector('[data-testid="run"]') as HTMLButtonElement).disabled;
        new MutationObserver((_, o) => {
          if (!done()) return;
          o.disconnect();
          resolve(performance.now() - clicked);
        }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      }),
  );
  await page.getByTestId("stop").click();
  expect(await stopped).toBeLessThan(1000);
  await expect(consoleText(page)).toContainText("stopped by user");
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("example-hello").click();
  // The gallery fetches hello before loading it: until then spin's Run button is still enabled.
  await expect(page.getByTestId("example-hello")).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("exit status 0");
});

test.describe("bad input gives a clear message and leaves the page usable", () => {
  const usable = async (page: Page) => {
    await page.getByTestId("example-hello").click();
    // The previous component's run panel stays until hello is fetched: wait for hello's.
    await expect(page.getByTestId("example-hello")).toHaveClass(/selected/);
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText("exit status 0");
  };

  test("a file that is not wasm", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("file-input").setInputFiles("e2e/fixtures/not-wasm.txt");
    await expect(page.getByTestId("load-error")).toContainText("'not-wasm.txt' is not a WebAssembly file");
    await usable(page);
  });

  test("a core module", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("file-input").setInputFiles("e2e/fixtures/core-module.wasm");
    await expect(page.getByTestId("load-error")).toContainText("'core-module.wasm' is a core WebAssembly module, not a component");
    await expect(page.getByTestId("load-error")).toContainText("wasm-tools component new");
    await usable(page);
  });

  test("a component importing an interface the host lacks", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("file-input").setInputFiles({
      name: "async-yield-caller.wasm",
      mimeType: "application/wasm",
      buffer: readFileSync("../shared/conformance/component-model-async/yield/async-yield-caller.wasm"),
    });
    await expect(page.getByTestId("missing-imports")).toContainText("local:local/continue");
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText("Component 'async-yield-caller.wasm' imports 'local:local/continue', 'local:local/ready', 'local:local/run', which this host does not provide");
    await usable(page);
  });

  test("drag and drop loads a component", async ({ page }) => {
    await page.goto("/");
    const bytes = readFileSync("public/components/hello.wasm").toString("base64");
    const dt = await page.evaluateHandle((b64) => {
      const dt = new DataTransfer();
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], "dropped-hello.wasm", { type: "application/wasm" }));
      return dt;
    }, bytes);
    await page.dispatchEvent("main", "drop", { dataTransfer: dt });
    await expect(page.getByTestId("exports")).toContainText("wasi:cli/run@0.3.0");
    await page.getByTestId("run").click();
    await expect(consoleText(page)).toContainText("Hello, world!");
  });
});

test("a transpiled component is cached by content hash across reloads (engine/jco)", async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem("playground.engine", "jco"));
  await openExample(page, "hello");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("exit status 0");
  await page.reload();
  await page.getByTestId("example-hello").click();
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("transpile cache hit");
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(consoleText(page)).not.toContainText("· transpiling");
});
