/**
 * The run panel's inputs as typed (export, arguments line, environment lines, stdin, typed function
 * arguments), kept by the playground so a link or a reload can restore them, and the request they
 * make for a component.
 */
import type { ComponentInfo, FuncInfo, Invocation } from "../../protocol/runtime";
import { parseEnv, splitArgs } from "../app/argv";
import { callableFuncs, defaultTarget, funcKey, RUN } from "./exports";
import type { RunRequest } from "./manifest";

export interface RunInputs {
  /** `wasi:cli/run`, or a function as `IFACE#FUNC` (`#FUNC` for a world function); "" for the component's default. */
  target: string;
  args: string;
  env: string;
  stdin: string;
  /** Typed function arguments by parameter name. */
  fnArgs: Record<string, string>;
}

export const EMPTY_INPUTS: RunInputs = { target: "", args: "", env: "", stdin: "", fnArgs: {} };

/** `target` if the component has it (a toolchain's export too, when asked for), else its default (`exports.ts`). */
export function resolveTarget(info: ComponentInfo, target: string): string {
  if ((target === RUN && info.isCommand) || callableFuncs(info, true).some((f) => funcKey(f) === target)) return target;
  return defaultTarget(info);
}

/**
 * The inputs for a newly inspected component: the export asked for if it has one by that name (a
 * restored link, the same component loaded again), otherwise its default with no typed arguments.
 * Inputs that need no change come back as they are.
 */
export function inspectedInputs(info: ComponentInfo, inputs: RunInputs): RunInputs {
  const target = resolveTarget(info, inputs.target);
  return target === inputs.target ? inputs : { ...inputs, target, fnArgs: {} };
}

/** The function the inputs call (undefined for the command). */
export function targetFunc(info: ComponentInfo, inputs: RunInputs): FuncInfo | undefined {
  return callableFuncs(info, true).find((f) => funcKey(f) === inputs.target);
}

/** What a run with these inputs asks for, or the problems that stop it. */
export function runRequest(info: ComponentInfo, inputs: RunInputs): { request: RunRequest; errors: [] } | { request: null; errors: string[] } {
  const env = parseEnv(inputs.env);
  if (env.errors.length > 0) return { request: null, errors: env.errors };
  const fn = targetFunc(info, inputs);
  const invoke: Invocation = fn ? { kind: "call", iface: fn.iface, func: fn.name, args: fn.params.map((p) => inputs.fnArgs[p.name] ?? "") } : { kind: "run" };
  return { request: { args: splitArgs(inputs.args), env: env.env, stdin: inputs.stdin, invoke }, errors: [] };
}
