/** State of wasi:cli for one run, shared by its 0.2 and 0.3 views. */
import { ByteQueue } from "../streams";

/**
 * Where a run's stdout/stderr bytes go (the worker batches them to the UI). `write` answers a
 * Promise while the sink holds all it may: the guest's next write waits until it settles.
 */
export interface OutputSink {
  write(bytes: Uint8Array): void | Promise<void>;
}

export interface CliCtx {
  /** argv, program name first. */
  readonly args: readonly string[];
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly initialCwd: string | undefined;
  readonly stdin: ByteQueue;
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  /** Set once the guest calls exit; the engine reads it even if the unwind is wrapped. */
  exitCode: number | undefined;
}

/**
 * Thrown by `exit` to unwind the guest. The engine turns it into the run's exit status; it never
 * reaches the user as an error.
 */
export class ExitSignal extends Error {
  override name = "ExitSignal";
  constructor(readonly code: number) {
    super(`component exited with code ${code}`);
  }
}

export interface CliInit {
  args: readonly string[];
  env: ReadonlyArray<readonly [string, string]>;
  stdin: Uint8Array;
  stdout: OutputSink;
  stderr: OutputSink;
  initialCwd?: string;
}

export function createCliCtx(init: CliInit): CliCtx {
  const stdin = new ByteQueue();
  stdin.push(init.stdin);
  stdin.close();
  return {
    args: init.args,
    env: init.env,
    initialCwd: init.initialCwd,
    stdin,
    stdout: init.stdout,
    stderr: init.stderr,
    exitCode: undefined,
  };
}

export function exitWith(ctx: CliCtx, code: number): never {
  ctx.exitCode = code;
  throw new ExitSignal(code);
}
