/**
 * The baseline: jco's documented browser setup, preview2-shim for 0.2 and preview3-shim for 0.3,
 * merged by unversioned interface name the way jco's output looks imports up.
 */
import * as p2cli from "@bytecodealliance/preview2-shim/cli";
import * as p2clocks from "@bytecodealliance/preview2-shim/clocks";
import * as p2fs from "@bytecodealliance/preview2-shim/filesystem";
import * as p2io from "@bytecodealliance/preview2-shim/io";
import * as p2random from "@bytecodealliance/preview2-shim/random";
import * as p3 from "@bytecodealliance/preview3-shim";

export function baselineImports(): Record<string, Record<string, unknown>> {
  const byName: Record<string, object> = {
    "wasi:cli/environment": { ...p2cli.environment, ...p3.cli.environment },
    "wasi:cli/exit": { ...p2cli.exit, ...p3.cli.exit },
    "wasi:cli/stdin": { ...p2cli.stdin, ...p3.cli.stdin },
    "wasi:cli/stdout": { ...p2cli.stdout, ...p3.cli.stdout },
    "wasi:cli/stderr": { ...p2cli.stderr, ...p3.cli.stderr },
    "wasi:cli/terminal-input": p2cli.terminalInput,
    "wasi:cli/terminal-output": p2cli.terminalOutput,
    "wasi:cli/terminal-stdin": p2cli.terminalStdin,
    "wasi:cli/terminal-stdout": p2cli.terminalStdout,
    "wasi:cli/terminal-stderr": p2cli.terminalStderr,
    "wasi:cli/types": {},
    "wasi:clocks/types": {},
    "wasi:clocks/monotonic-clock": { ...p2clocks.monotonicClock, ...p3.clocks.monotonicClock },
    "wasi:clocks/wall-clock": p2clocks.wallClock,
    "wasi:clocks/system-clock": p3.clocks.systemClock,
    "wasi:filesystem/types": p2fs.types,
    "wasi:filesystem/preopens": p2fs.preopens,
    "wasi:io/error": p2io.error,
    "wasi:io/poll": p2io.poll,
    "wasi:io/streams": p2io.streams,
    "wasi:random/insecure-seed": { ...p2random.insecureSeed, ...p3.random.insecureSeed },
    "wasi:random/insecure": { ...p2random.insecure, ...p3.random.insecure },
    "wasi:random/random": { ...p2random.random, ...p3.random.random },
  };
  return byName as Record<string, Record<string, unknown>>;
}
