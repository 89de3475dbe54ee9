/** wasi:cli as the host serves it: 0.2 and 0.3 over one CliCtx; nothing in it suspends. */
import type { IoP2 } from "../io/p2";
import { interfacesAt, wasiPackage } from "../package";
import type { CliCtx } from "./ctx";
import { cliP2 } from "./p2";
import { cliP3 } from "./p3";
import type { Terminals } from "./terminal";

const BOTH = ["environment", "exit", "stdin", "stdout", "stderr", "terminal-input", "terminal-output", "terminal-stdin", "terminal-stdout", "terminal-stderr"] as const;

export const cliPackage = wasiPackage({
  interfaces: [...interfacesAt("wasi:cli", "0.2.12", BOTH), ...interfacesAt("wasi:cli", "0.3.0", [...BOTH, "types"])],
  suspending: {},
  serve: (run: { cli: CliCtx; io: IoP2; terminals: Terminals }) => ({ ...cliP2(run.cli, run.io, run.terminals), ...cliP3(run.cli, run.terminals) }),
});
