/** wasi:cli@0.2.x over the shared CliCtx; streams are wasi:io 0.2 resources. */
import type { ByteSink } from "../io/ctx";
import type { IoP2 } from "../io/p2";
import type { PackageP2 } from "../types";
import { exitWith, type CliCtx, type OutputSink } from "./ctx";
import type { Terminals } from "./terminal";

export function cliP2(ctx: CliCtx, io: IoP2, terminals: Terminals) {
  return {
    "wasi:cli/environment@0.2.12": {
      getEnvironment: () => ctx.env.map(([k, v]) => [k, v] as [string, string]),
      getArguments: () => [...ctx.args],
      initialCwd: () => ctx.initialCwd,
    },
    "wasi:cli/exit@0.2.12": {
      exit: (status) => exitWith(ctx, status.tag === "ok" ? 0 : 1),
      exitWithCode: (code) => exitWith(ctx, code),
    },
    // Each call hands out a fresh resource (the guest owns and drops it) over the same stdio state.
    "wasi:cli/stdin@0.2.12": { getStdin: () => new io.InputStream(ctx.stdin) },
    "wasi:cli/stdout@0.2.12": { getStdout: () => new io.OutputStream(outputByteSink(ctx.stdout)) },
    "wasi:cli/stderr@0.2.12": { getStderr: () => new io.OutputStream(outputByteSink(ctx.stderr)) },
    "wasi:cli/terminal-input@0.2.12": { TerminalInput: terminals.TerminalInput },
    "wasi:cli/terminal-output@0.2.12": { TerminalOutput: terminals.TerminalOutput },
    "wasi:cli/terminal-stdin@0.2.12": { getTerminalStdin: () => terminals.stdin() },
    "wasi:cli/terminal-stdout@0.2.12": { getTerminalStdout: () => terminals.stdout() },
    "wasi:cli/terminal-stderr@0.2.12": { getTerminalStderr: () => terminals.stderr() },
  } satisfies PackageP2<"wasi:cli">;
}

/**
 * A 0.2 output-stream's sink over a run's output. While the output holds all it may (a write
 * answered a Promise), what was written since counts as queued: check-write shrinks, the stream's
 * pollable waits and blocking-write-and-flush waits, until the output has room again.
 */
export function outputByteSink(out: OutputSink): ByteSink {
  let queued = 0;
  let room: Promise<void> | null = null;
  return {
    write(bytes) {
      const full = out.write(bytes);
      if (!full) return;
      queued += bytes.length;
      const r: Promise<void> = full.then(() => {
        if (room !== r) return;
        queued = 0;
        room = null;
      });
      room = r;
    },
    get queued() {
      return queued;
    },
    drained: () => room ?? Promise.resolve(),
  };
}
