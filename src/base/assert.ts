/**
 * Two kinds of failure, kept apart (STYLE.md):
 * - `assert` guards our own invariants; a failure is a playground bug.
 * - `Trap` is the guest's fault; its message names the component and the rule it broke.
 */
export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(`playground bug: ${message}`);
}

/** Where in a component a trap happened, for a user-facing message. */
export interface TrapSite {
  component: string;
  iface?: string;
  func?: string;
}

export class Trap extends Error {
  override name = "Trap";
  constructor(
    readonly site: TrapSite,
    readonly rule: string,
  ) {
    super(`${describeSite(site)}: ${rule}`);
  }
}

export function describeSite(site: TrapSite): string {
  const where = [site.iface, site.func].filter(Boolean).join("#");
  return where ? `component '${site.component}' (${where})` : `component '${site.component}'`;
}

/** Best-effort message for an unknown thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
