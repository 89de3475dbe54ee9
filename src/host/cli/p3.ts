/** wasi:cli@0.3.0 over the shared CliCtx. */
import type { ErrorCode } from "../generated/host-p3/interfaces/wasi-cli-types.js";
import { drainBytes, STREAM_CHUNK, streamWithCompletion } from "../streams";
import type { PackageP3 } from "../types";
import { exitWith, type CliCtx } from "./ctx";
import type { Terminals } from "./terminal";

/** A console sink cannot fail; a broken guest stream is an `io` error. */
const ioError = (): ErrorCode => "io";

export function cliP3(ctx: CliCtx, terminals: Terminals) {
  return {
    "wasi:cli/environment@0.3.0": {
      getEnvironment: () => ctx.env.map(([k, v]) => [k, v] as [string, string]),
      getArguments: () => [...ctx.args],
      getInitialCwd: () => ctx.initialCwd,
    },
    "wasi:cli/exit@0.3.0": {
      exit: (status) => exitWith(ctx, status.tag === "ok" ? 0 : 1),
      exitWithCode: (code) => exitWith(ctx, code),
    },
    "wasi:cli/stdin@0.3.0": {
      // The future says how the stream ended, so it settles at the end (or the guest's drop), not
      // as soon as stdin has bytes.
      readViaStream: () =>
        streamWithCompletion({
          next: async () => {
            await ctx.stdin.ready();
            const bytes = ctx.stdin.take(STREAM_CHUNK);
            return bytes.length > 0 ? bytes : undefined;
          },
          errorCode: ioError,
        }),
    },
    "wasi:cli/stdout@0.3.0": {
      writeViaStream: (data) => drainBytes(data, { write: (bytes) => ctx.stdout.write(bytes), errorCode: ioError }),
    },
    "wasi:cli/stderr@0.3.0": {
      writeViaStream: (data) => drainBytes(data, { write: (bytes) => ctx.stderr.write(bytes), errorCode: ioError }),
    },
    "wasi:cli/terminal-input@0.3.0": { TerminalInput: terminals.TerminalInput },
    "wasi:cli/terminal-output@0.3.0": { TerminalOutput: terminals.TerminalOutput },
    "wasi:cli/terminal-stdin@0.3.0": { getTerminalStdin: () => terminals.stdin() },
    "wasi:cli/terminal-stdout@0.3.0": { getTerminalStdout: () => terminals.stdout() },
    "wasi:cli/terminal-stderr@0.3.0": { getTerminalStderr: () => terminals.stderr() },
    "wasi:cli/types@0.3.0": {},
  } satisfies PackageP3<"wasi:cli">;
}
