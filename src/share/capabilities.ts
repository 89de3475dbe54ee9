/**
 * What a project proposes that reaches outside the run (DESIGN.md "Capabilities"): the folders
 * its runs get, its network allow-list, its environment. A link that proposes any of them runs
 * nothing until the user has seen and accepted them; declining keeps the project but drops them.
 */
import type { Preopen, ProjectState } from "./schema";

export interface Capabilities {
  preopens: Preopen[];
  allow: string[];
  /** `KEY=VALUE` lines, as the run panel has them. */
  env: string;
}

export function proposedCapabilities(state: ProjectState): Capabilities {
  return { preopens: state.run.preopens, allow: state.run.allow, env: state.run.env };
}

/** Whether there is anything to accept (an environment of blank lines and comments proposes nothing). */
export function proposesAny(c: Capabilities): boolean {
  return c.preopens.length > 0 || c.allow.length > 0 || c.env.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

export function sameCapabilities(a: Capabilities, b: Capabilities): boolean {
  const samePreopens = a.preopens.length === b.preopens.length && a.preopens.every((p, i) => p.workspace === b.preopens[i]!.workspace && p.guestPath === b.preopens[i]!.guestPath);
  return samePreopens && a.allow.length === b.allow.length && a.allow.every((e, i) => e === b.allow[i]) && a.env === b.env;
}

/** The project without its proposals: no folders, no network, no environment. */
export function withoutCapabilities(state: ProjectState): ProjectState {
  return { ...state, run: { ...state.run, preopens: [], allow: [], env: "" } };
}
