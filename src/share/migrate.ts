/**
 * Older project states brought to the current version, one version at a time, so a link made by
 * any earlier playground still opens. Each step is a pure function from one version's JSON to the
 * next's; the result is then checked as the current version (`schema.ts`), so a step need not
 * validate what it does not touch. Every step has a test with a state of its `from` version.
 *
 * Version 1 is the first; version 2 added the composition (a version-1 project has none).
 */
import { assert } from "../base/assert";

export interface Migration {
  /** The version this step reads; it writes `from + 1`. */
  from: number;
  /** What changed, for the reader of this list. */
  change: string;
  up(doc: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** In order of `from`; the last one's `from + 1` is `PROJECT_VERSION`. */
export const MIGRATIONS: readonly Migration[] = [{ from: 1, change: "`composition` added", up: (doc) => ({ ...doc, composition: null }) }];

/** `doc` (at its own `version`) brought to version `target` through `migrations`. */
export function upgrade(doc: Readonly<Record<string, unknown>>, target: number, migrations: readonly Migration[]): Record<string, unknown> {
  let current: Record<string, unknown> = { ...doc };
  for (let v = current.version as number; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    assert(step, `no migration from project version ${v} to ${v + 1}`);
    current = { ...step.up(current), version: v + 1 };
  }
  return current;
}
