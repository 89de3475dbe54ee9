/**
 * wasi:cli terminal-* resources. The playground console is not a TTY, so a run sees no terminal
 * unless its manifest says otherwise; the same classes serve 0.2 and 0.3 (engines merge them).
 */
export interface TerminalFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export function createTerminals(flags: TerminalFlags) {
  class TerminalInput {}
  class TerminalOutput {}
  return {
    TerminalInput,
    TerminalOutput,
    stdin: () => (flags.stdin ? (new TerminalInput() as never) : undefined),
    stdout: () => (flags.stdout ? (new TerminalOutput() as never) : undefined),
    stderr: () => (flags.stderr ? (new TerminalOutput() as never) : undefined),
  };
}

export type Terminals = ReturnType<typeof createTerminals>;
