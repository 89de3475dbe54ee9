/**
 * The example gallery as a learning path: components/index.json's entries (in the order
 * examples/order.json gives them) in their sections, the parts of a composition gathered under one
 * entry for their group. A part whose world imports its group's own interfaces (`needs`) runs only
 * inside the composition, so it is listed but not offered to run alone.
 */

/** One entry of components/index.json (written by scripts/build-examples.mjs). */
export interface ExampleEntry {
  name: string;
  file: string;
  description: string;
  size: number;
  /** Of the file's content: the server serves it as `components/<sha256>.wasm`, cached for good. */
  sha256: string;
  /** The learning path's section. */
  section?: string;
  /** For a part of a composition: the group, its name in it, the group's description, and the group's interfaces it imports. */
  group?: string;
  part?: string;
  groupDescription?: string;
  needs?: string[];
  /** The other groups whose parts the group's graph uses too (gateway-http uses gateway's). */
  borrows?: string[];
}

export interface PathPart {
  entry: ExampleEntry;
  /** The part's name within its group. */
  name: string;
  /** Its world imports only WASI, so the host can run it by itself. */
  runsAlone: boolean;
  needs: string[];
}

/** A step of the path (`step` counts from 1 across sections): an example, or a composition's parts. */
export type PathItem =
  | { kind: "example"; step: number; entry: ExampleEntry }
  | { kind: "group"; step: number; name: string; description: string; parts: PathPart[]; borrows: string[] };

export interface PathSection {
  title: string;
  items: PathItem[];
}

const FALLBACK_SECTION = "Examples";

/** Sections in the order their first entry comes; a group's parts in one item where its first part comes. */
export function learningPath(entries: readonly ExampleEntry[]): PathSection[] {
  const sections: PathSection[] = [];
  const groups = new Map<string, Extract<PathItem, { kind: "group" }>>();
  let step = 0;
  for (const entry of entries) {
    const title = entry.section ?? FALLBACK_SECTION;
    let section = sections.find((s) => s.title === title);
    if (!section) sections.push((section = { title, items: [] }));
    if (!entry.group) {
      section.items.push({ kind: "example", step: ++step, entry });
      continue;
    }
    let group = groups.get(entry.group);
    if (!group) {
      group = { kind: "group", step: ++step, name: entry.group, description: entry.groupDescription ?? "", parts: [], borrows: entry.borrows ?? [] };
      groups.set(entry.group, group);
      section.items.push(group);
    }
    const needs = entry.needs ?? [];
    group.parts.push({ entry, name: entry.part ?? entry.name, runsAlone: needs.length === 0, needs });
  }
  return sections;
}

/** What a group's entry says it is made of: "a composition of 5 parts", "... of 1 part and the parts of gateway". */
export function compositionOf(parts: number, borrows: readonly string[]): string {
  const own = `a composition of ${parts} part${parts === 1 ? "" : "s"}`;
  return borrows.length ? `${own} and the parts of ${borrows.join(" and ")}` : own;
}
