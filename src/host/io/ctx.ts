/**
 * What a blocking 0.2 call may do. Where the engine suspends the guest through JSPI, a call that
 * must wait returns a Promise; elsewhere it fails with a message saying why.
 */
import { needsJspiMessage } from "../../base/jspi";

export interface BlockingCtx {
  /** True when the engine lets the imports `suspendingFunctions` names return a Promise (JSPI). */
  readonly canSuspend: boolean;
}

/**
 * The 0.2 functions of each served interface that may wait, by WIT name (`poll`,
 * `[method]pollable.block`). Engines that suspend through JSPI mark exactly these imports as
 * suspending (jco: `asyncImports`); every other import must answer synchronously.
 */
export type Suspending = Record<string, readonly string[]>;

/** Something a 0.2 `pollable` waits on. */
export interface Readiness {
  isReady(): boolean;
  whenReady(): Promise<void>;
}

export const alwaysReady: Readiness = {
  isReady: () => true,
  whenReady: () => Promise.resolve(),
};

/** Why a stream stopped working: a sentence, and the owning interface's error code (if any). */
export interface StreamFailure {
  message: string;
  /** For streams of wasi:filesystem, its `error-code` (read back by `filesystem-error-code`). */
  code?: string;
}

/**
 * What a 0.2 `input-stream` reads from. `take` never waits: it hands out what is there now
 * (possibly nothing); `ready` resolves once `take` has bytes, the source ended or it failed.
 * (`ByteQueue` for stdin; a file's reader for wasi:filesystem.)
 */
export interface ByteSource {
  take(max: number): Uint8Array;
  readonly isReady: boolean;
  ready(): Promise<void>;
  /** No more bytes will come (once `available` is 0 the stream is `closed`). */
  readonly closed: boolean;
  readonly available: number;
  readonly failure?: StreamFailure;
}

/**
 * What a 0.2 `output-stream` writes to. `write` never waits; a sink that lands bytes later (a
 * file: one IndexedDB transaction per write) reports what is still `queued`, lets the stream wait
 * for it with `drained`, and keeps the first failure for the next call to report.
 */
export interface ByteSink {
  write(bytes: Uint8Array): void;
  readonly queued?: number;
  drained?(): Promise<void>;
  readonly failure?: StreamFailure;
}

export class NeedsJspiError extends Error {
  override name = "NeedsJspiError";
  constructor(call: string) {
    super(
      `${needsJspiMessage(`This component blocks synchronously (the WASI 0.2 call ${call} must wait, which suspends the guest)`)}. ` +
        `Components that use the 0.3 async interfaces instead run in every browser.`,
    );
  }
}

declare const suspended: unique symbol;

/**
 * A 0.2 call's answer that comes later: the Promise the engine suspends the guest on (JSPI), for a
 * function the interface declares suspending. Only `suspend` makes one (`andThen` continues one),
 * so a 0.2 function's type says where it may wait.
 */
export type Suspended<T> = Promise<T> & { readonly [suspended]: true };

/** What a 0.2 call that may wait answers: its value now, or the value to come. */
export type Suspendable<T> = T | Suspended<T>;

/** The answer of a 0.2 call that has to wait for `work`; a NeedsJspiError where it cannot. */
export function suspend<T>(blocking: BlockingCtx, call: string, work: () => Promise<T>): Suspended<T> {
  if (!blocking.canSuspend) throw new NeedsJspiError(call);
  return work() as Suspended<T>;
}

/** `then` applied to a 0.2 answer: at once, or once a suspended answer came. */
export function andThen<T, U>(answer: Suspendable<T>, then: (value: T) => U): Suspendable<U> {
  return answer instanceof Promise ? ((answer as Suspended<T>).then(then) as Suspended<U>) : then(answer as T);
}
