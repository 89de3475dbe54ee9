/**
 * What the smoke checks do to a page, the same in every browser: each action is a small function
 * run inside the page (the drivers only navigate and evaluate), so one check reads the same over
 * WebDriver BiDi (Firefox) and classic WebDriver (WebKit). Elements are found by `data-testid`;
 * an action refuses an element that is not rendered (e.g. in a dock tab that is not forward), so a
 * check brings the tab forward (`showTab`) as a user would.
 */

/** One page of one browser session, as the drivers expose it. */
export interface BrowserPage {
  /** Opens `path` (relative to the app's origin) and waits for the document to load. */
  goto(path: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page; a Promise is awaited; the value comes back as JSON. */
  evaluateExpression(expression: string): Promise<unknown>;
}

/**
 * Runs `fn(...args)` in the page. The function travels as its source text, so it may use only its
 * arguments and page globals. tsx (which runs this harness) wraps named inner functions in a
 * `__name` helper that exists only in Node: the page gets an identity stand-in.
 */
export async function inPage<A extends unknown[], R>(page: BrowserPage, fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
  return (await page.evaluateExpression(`((__name) => (${fn.toString()})(...${JSON.stringify(args)}))((f) => f)`)) as Awaited<R>;
}

const POLL_MS = 100;

/**
 * Polls `fn` in the page until it returns a truthy value, and returns that. On timeout the error
 * says what was awaited, what `fn` last returned and how the console ended.
 */
export async function waitIn<A extends unknown[], R>(page: BrowserPage, what: string, timeoutMs: number, fn: (...args: A) => R, ...args: A): Promise<NonNullable<Awaited<R>>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await inPage(page, fn, ...args);
    } catch (err) {
      // A navigation in progress replaces the document under the script: try again.
      last = err instanceof Error ? `error: ${err.message}` : err;
    }
    if (last) return last as NonNullable<Awaited<R>>;
    if (Date.now() > deadline) {
      const tail = await inPage(page, consoleText).catch(() => null);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})${tail ? `\nconsole:\n${tail.slice(-1500)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

// ------------------------------------------------------------ run inside the page

/** Clicks an enabled element; false when it is missing, disabled or not rendered. */
export function click(testId: string): boolean {
  const el = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
  if (!el || el.disabled || el.getClientRects().length === 0) return false;
  el.click();
  return true;
}

/** Sets a rendered input's or textarea's value the way typing does, so React's onChange sees it. */
export function fill(testId: string, value: string): boolean {
  const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testId}"]`);
  if (!el || el.getClientRects().length === 0) return false;
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
  return el.value === value;
}

/** Picks the option whose text is `label` (or, with `byValue`, whose value is) and says so to React. */
export function select(testId: string, label: string, byValue = false): boolean {
  const el = document.querySelector<HTMLSelectElement>(`[data-testid="${testId}"]`);
  const option = el ? [...el.options].find((o) => (byValue ? o.value : o.text) === label) : undefined;
  if (!el || !option || option.disabled || el.getClientRects().length === 0) return false;
  Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(el, option.value);
  el.dispatchEvent(new Event("change", { bubbles: true }));
  return true;
}

/** Brings dock panel `panelId` forward by its tab; true once the panel is shown. */
export function showTab(panelId: string): boolean {
  const tab = document.querySelector<HTMLButtonElement>(`[data-testid="dock-tab-${panelId}"]`);
  if (tab?.getAttribute("aria-selected") !== "true") tab?.click();
  return document.querySelector<HTMLElement>(`[data-testid="dock-panel-${panelId}"]`)?.hidden === false;
}

/** Whether dock panel `panelId`'s tab is the one forward in its area. */
export function tabForward(panelId: string): boolean {
  return document.querySelector(`[data-testid="dock-tab-${panelId}"]`)?.getAttribute("aria-selected") === "true";
}

/** The text of an element, null when it is missing. */
export function text(testId: string): string | null {
  return document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;
}

/** The console's text. */
export function consoleText(): string | null {
  return document.querySelector('[data-testid="console"]')?.textContent ?? null;
}

/** Whether an element has a class (the gallery marks the loaded example `selected`). */
export function hasClass(testId: string, cls: string): boolean {
  return document.querySelector(`[data-testid="${testId}"]`)?.classList.contains(cls) ?? false;
}

/** Whether an element exists and is not disabled. */
export function enabled(testId: string): boolean {
  const el = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
  return el !== null && !el.disabled;
}
