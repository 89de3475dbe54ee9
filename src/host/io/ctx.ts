/**
 * What a blocking 0.2 call may do. Where the engine suspends the guest through JSPI, a call that
 * must wait returns a Promise; elsewhere it fails with a message saying why.
 */
export interface BlockingCtx {
  /** True when the engine lets marked 0.2 imports return a Promise (JSPI). */
  readonly canSuspend: boolean;
}

/** Something a 0.2 `pollable` waits on. */
export interface Readiness {
  isReady(): boolean;
  whenReady(): Promise<void>;
}

export const alwaysReady: Readiness = {
  isReady: () => true,
  whenReady: () => Promise.resolve(),
};

export class NeedsJspiError extends Error {
  override name = "NeedsJspiError";
  constructor(call: string) {
    super(
      `${call} must wait, and a WASI 0.2 call can only wait by suspending the guest through JSPI ` +
        `(WebAssembly.Suspending), which this engine or browser does not offer. Use the 0.3 async ` +
        `interface, or run in Chromium with JSPI.`,
    );
  }
}
