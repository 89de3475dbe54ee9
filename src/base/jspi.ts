/**
 * JSPI, WebAssembly JavaScript Promise Integration (W3C WebAssembly JS-PI proposal, Phase 4):
 * `WebAssembly.Suspending` wraps a host function that returns a Promise so that a core module
 * importing it suspends its stack until the Promise settles; `WebAssembly.promising` wraps an
 * exported core function so that calling it returns a Promise of its result. TypeScript's lib
 * does not declare either yet, and browsers without JSPI lack both, so this is the one place
 * that reaches for them.
 */
import { assert } from "./assert";

/** The two JSPI members of the `WebAssembly` namespace. */
export interface Jspi {
  /** Marks `f` (which may return a Promise) as an import that suspends the calling stack. */
  Suspending: new (f: (...args: never[]) => unknown) => object;
  /** `f` as an entry whose callers get a Promise; imports marked `Suspending` may suspend under it. */
  promising<A extends unknown[]>(f: (...args: A) => unknown): (...args: A) => Promise<unknown>;
}

function hasJspi(wa: typeof WebAssembly): wa is typeof WebAssembly & Jspi {
  return "Suspending" in wa && typeof wa.Suspending === "function" && "promising" in wa && typeof wa.promising === "function";
}

/** The browsers that offer JSPI (the README's browser table): what runs where JSPI is needed. */
export const JSPI_BROWSERS = "Chromium and Firefox";

/**
 * What the user reads where something needs JSPI and the browser lacks it (WebKit): `what` says
 * what waits synchronously; the rest names the feature and where it runs instead.
 */
export function needsJspiMessage(what: string): string {
  return `${what} and needs JavaScript Promise Integration (JSPI), which this browser lacks; it runs in ${JSPI_BROWSERS}`;
}

/** Why engine/jco cannot run without JSPI: its refusal, and the engine selector's note. */
export const JCO_NEEDS_JSPI = needsJspiMessage("engine/jco suspends every component on jco's async runtime");

/** Whether this JS engine offers JSPI (Chromium 137 and newer, Firefox 153 ESR, Node 24). */
export function jspiAvailable(): boolean {
  return hasJspi(WebAssembly);
}

/** `new WebAssembly.Suspending(f)`, an import value. Callers check `jspiAvailable()` first. */
export function suspending(f: (...args: never[]) => unknown): object {
  const wa = WebAssembly;
  assert(hasJspi(wa), "WebAssembly.Suspending used where JSPI is not available");
  return new wa.Suspending(f);
}

/** `WebAssembly.promising(f)`. Callers check `jspiAvailable()` first. */
export function promising<A extends unknown[]>(f: (...args: A) => unknown): (...args: A) => Promise<unknown> {
  const wa = WebAssembly;
  assert(hasJspi(wa), "WebAssembly.promising used where JSPI is not available");
  return wa.promising(f);
}
