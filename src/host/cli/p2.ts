/** wasi:cli@0.2.x over the shared CliCtx; streams are wasi:io 0.2 resources. */
import type * as Environment from "../generated/host-p2/interfaces/wasi-cli-environment.js";
import type * as Exit from "../generated/host-p2/interfaces/wasi-cli-exit.js";
import type * as TerminalStdin from "../generated/host-p2/interfaces/wasi-cli-terminal-stdin.js";
import type * as TerminalStdout from "../generated/host-p2/interfaces/wasi-cli-terminal-stdout.js";
import type * as TerminalStderr from "../generated/host-p2/interfaces/wasi-cli-terminal-stderr.js";
import type { IoP2 } from "../io/p2";
import { exitWith, type CliCtx } from "./ctx";
import type { Terminals } from "./terminal";

export function cliP2(ctx: CliCtx, io: IoP2, terminals: Terminals) {
  return {
    "wasi:cli/environment@0.2.12": {
      getEnvironment: () => ctx.env.map(([k, v]) => [k, v] as [string, string]),
      getArguments: () => [...ctx.args],
      initialCwd: () => ctx.initialCwd,
    } satisfies typeof Environment,
    "wasi:cli/exit@0.2.12": {
      exit: (status) => exitWith(ctx, status.tag === "ok" ? 0 : 1),
      exitWithCode: (code: number) => exitWith(ctx, code),
    } satisfies typeof Exit & { exitWithCode: (code: number) => never },
    // Each call hands out a fresh resource (the guest owns and drops it) over the same stdio state.
    "wasi:cli/stdin@0.2.12": { getStdin: () => new io.InputStream(ctx.stdin) },
    "wasi:cli/stdout@0.2.12": { getStdout: () => new io.OutputStream(ctx.stdout) },
    "wasi:cli/stderr@0.2.12": { getStderr: () => new io.OutputStream(ctx.stderr) },
    "wasi:cli/terminal-input@0.2.12": { TerminalInput: terminals.TerminalInput },
    "wasi:cli/terminal-output@0.2.12": { TerminalOutput: terminals.TerminalOutput },
    "wasi:cli/terminal-stdin@0.2.12": { getTerminalStdin: () => terminals.stdin() } satisfies typeof TerminalStdin,
    "wasi:cli/terminal-stdout@0.2.12": { getTerminalStdout: () => terminals.stdout() } satisfies typeof TerminalStdout,
    "wasi:cli/terminal-stderr@0.2.12": { getTerminalStderr: () => terminals.stderr() } satisfies typeof TerminalStderr,
  };
}
