// For tests: the runner's host in Node (core WAT and validation by jco's wasm-tools), and a way to
// run a small script and list what failed.
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { runScript, type ScriptResult, type WastHost } from "./run";

const compiled = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

export const nodeHost: WastHost = {
  coreWat: (text) => {
    let p = compiled.get(text);
    if (!p) compiled.set(text, (p = parse(text) as Promise<Uint8Array<ArrayBuffer>>));
    return p;
  },
  validate: async (bytes) => {
    await componentWit(bytes);
  },
};

export const failures = (r: ScriptResult): string[] => r.commands.filter((c) => !c.ok).map((c) => `line ${c.line} ${c.command}: ${c.detail}`);

/** Runs script `text` in Node; a call that has not finished after `callTimeoutMs` fails. */
export function runWast(text: string, callTimeoutMs = 1000): Promise<ScriptResult> {
  return runScript(text, nodeHost, { name: "test.wast", callTimeoutMs });
}
