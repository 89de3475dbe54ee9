/** wasi:cli@0.3.0 over the shared CliCtx. */
import type * as Environment from "../generated/host-p3/interfaces/wasi-cli-environment.js";
import type * as Exit from "../generated/host-p3/interfaces/wasi-cli-exit.js";
import type * as Stdin from "../generated/host-p3/interfaces/wasi-cli-stdin.js";
import type * as Stdout from "../generated/host-p3/interfaces/wasi-cli-stdout.js";
import type * as Stderr from "../generated/host-p3/interfaces/wasi-cli-stderr.js";
import type * as TerminalStdin from "../generated/host-p3/interfaces/wasi-cli-terminal-stdin.js";
import type * as TerminalStdout from "../generated/host-p3/interfaces/wasi-cli-terminal-stdout.js";
import type * as TerminalStderr from "../generated/host-p3/interfaces/wasi-cli-terminal-stderr.js";
import type { ErrorCode } from "../generated/host-p3/interfaces/wasi-cli-types.js";
import { liftedBytesToReadable, type LiftedByteStream } from "../streams";
import { exitWith, type CliCtx, type OutputSink } from "./ctx";
import type { Terminals } from "./terminal";

type Result = { tag: "ok"; val: void } | { tag: "err"; val: ErrorCode };

/** Drains a guest-written stream into a sink; resolves with the WASI result when it ends. */
async function drainTo(data: LiftedByteStream, sink: OutputSink): Promise<Result> {
  const reader = liftedBytesToReadable(data).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { tag: "ok", val: undefined };
      sink.write(value);
    }
  } catch {
    return { tag: "err", val: "io" };
  } finally {
    reader.releaseLock();
  }
}

export function cliP3(ctx: CliCtx, terminals: Terminals) {
  return {
    "wasi:cli/environment@0.3.0": {
      getEnvironment: () => ctx.env.map(([k, v]) => [k, v] as [string, string]),
      getArguments: () => [...ctx.args],
      getInitialCwd: () => ctx.initialCwd,
    } satisfies typeof Environment,
    "wasi:cli/exit@0.3.0": {
      exit: (status) => exitWith(ctx, status.tag === "ok" ? 0 : 1),
      exitWithCode: (code) => exitWith(ctx, code),
    } satisfies typeof Exit,
    "wasi:cli/stdin@0.3.0": {
      readViaStream: () => {
        const readable = ctx.stdin.toReadable();
        const done = ctx.stdin.ready().then(() => ({ tag: "ok", val: undefined }) as Result);
        return [readable as unknown as AsyncIterable<number>, done];
      },
    } satisfies typeof Stdin,
    "wasi:cli/stdout@0.3.0": {
      writeViaStream: (data) => drainTo(data as LiftedByteStream, ctx.stdout),
    } satisfies typeof Stdout,
    "wasi:cli/stderr@0.3.0": {
      writeViaStream: (data) => drainTo(data as LiftedByteStream, ctx.stderr),
    } satisfies typeof Stderr,
    "wasi:cli/terminal-input@0.3.0": { TerminalInput: terminals.TerminalInput },
    "wasi:cli/terminal-output@0.3.0": { TerminalOutput: terminals.TerminalOutput },
    "wasi:cli/terminal-stdin@0.3.0": {
      getTerminalStdin: () => terminals.stdin(),
    } satisfies typeof TerminalStdin,
    "wasi:cli/terminal-stdout@0.3.0": {
      getTerminalStdout: () => terminals.stdout(),
    } satisfies typeof TerminalStdout,
    "wasi:cli/terminal-stderr@0.3.0": {
      getTerminalStderr: () => terminals.stderr(),
    } satisfies typeof TerminalStderr,
    "wasi:cli/types@0.3.0": {},
  };
}
