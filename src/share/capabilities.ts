/**
 * What a project proposes that reaches outside the run (DESIGN.md "Capabilities"): the folders
 * its runs get, its network allow-list, its environment. Opening a project compares its proposal
 * with what the page already allows (`capabilityDiff`); anything new waits for the user, and runs
 * wait with it. Declining keeps the project with only what was already allowed (`narrowTo`).
 */
import type { Preopen, ProjectState } from "./schema";

export interface Capabilities {
  preopens: Preopen[];
  allow: string[];
  /** `KEY=VALUE` lines, as the run panel has them. */
  env: string;
}

/** What a proposal adds to what is allowed: each list holds only the new entries. */
export interface CapabilityDiff {
  preopens: Preopen[];
  allow: string[];
  /** New environment lines (trimmed; blank lines and `#` comments propose nothing). */
  env: string[];
}

export function proposedCapabilities(state: ProjectState): Capabilities {
  return { preopens: state.run.preopens, allow: state.run.allow, env: state.run.env };
}

/** The lines of an environment text that set something. */
function envLines(env: string): string[] {
  return env
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const samePreopen = (a: Preopen, b: Preopen) => a.workspace === b.workspace && a.guestPath === b.guestPath;

/** What `proposed` asks for beyond `allowed` (the page's own capabilities, and those this tab accepted). */
export function capabilityDiff(allowed: Capabilities, proposed: Capabilities): CapabilityDiff {
  const allowedEnv = new Set(envLines(allowed.env));
  return {
    preopens: proposed.preopens.filter((p) => !allowed.preopens.some((a) => samePreopen(a, p))),
    allow: proposed.allow.filter((e) => !allowed.allow.includes(e)),
    env: envLines(proposed.env).filter((l) => !allowedEnv.has(l)),
  };
}

export function isEmptyDiff(d: CapabilityDiff): boolean {
  return d.preopens.length === 0 && d.allow.length === 0 && d.env.length === 0;
}

/** Both lists of capabilities together (each entry once): what a tab has accepted so far. */
export function unionOf(a: Capabilities, b: Capabilities): Capabilities {
  const more = capabilityDiff(a, b);
  return { preopens: [...a.preopens, ...more.preopens], allow: [...a.allow, ...more.allow], env: [...envLines(a.env), ...more.env].join("\n") };
}

/** The project with only the capabilities `allowed` already has: what declining its proposal leaves. */
export function narrowTo(state: ProjectState, allowed: Capabilities): ProjectState {
  const extra = capabilityDiff(allowed, proposedCapabilities(state));
  const run = state.run;
  return {
    ...state,
    run: {
      ...run,
      preopens: run.preopens.filter((p) => !extra.preopens.some((x) => samePreopen(x, p))),
      allow: run.allow.filter((e) => !extra.allow.includes(e)),
      env: run.env
        .split("\n")
        .filter((l) => !extra.env.includes(l.trim()))
        .join("\n"),
    },
  };
}
