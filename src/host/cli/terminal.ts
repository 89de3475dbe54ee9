/**
 * wasi:cli terminal-* resources. The playground console is not a TTY, so a run sees no terminal
 * unless its manifest says otherwise; the same classes serve 0.2 and 0.3 (engines merge them).
 */
import type * as InputP2 from "../generated/host-p2/interfaces/wasi-cli-terminal-input.js";
import type * as OutputP2 from "../generated/host-p2/interfaces/wasi-cli-terminal-output.js";
import type * as InputP3 from "../generated/host-p3/interfaces/wasi-cli-terminal-input.js";
import type * as OutputP3 from "../generated/host-p3/interfaces/wasi-cli-terminal-output.js";
import type { P2, P3 } from "../types";

export interface TerminalFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export function createTerminals(flags: TerminalFlags) {
  class TerminalInput implements P2<InputP2.TerminalInput>, P3<InputP3.TerminalInput> {}
  class TerminalOutput implements P2<OutputP2.TerminalOutput>, P3<OutputP3.TerminalOutput> {}
  return {
    TerminalInput,
    TerminalOutput,
    stdin: () => (flags.stdin ? new TerminalInput() : undefined),
    stdout: () => (flags.stdout ? new TerminalOutput() : undefined),
    stderr: () => (flags.stderr ? new TerminalOutput() : undefined),
  };
}

export type Terminals = ReturnType<typeof createTerminals>;
