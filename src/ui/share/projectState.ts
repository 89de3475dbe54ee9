/**
 * The app's own shapes to the project state of `src/share` and back: the authoring workspace, the
 * dock, the run panel's inputs and capabilities. Pure; `useShare` gathers the values through the
 * seams of `parts.tsx`.
 */
import type { PreopenSpec } from "../../protocol/runtime";
import { PROJECT_VERSION, type AuthoringState, type LayoutState, type ProjectState } from "../../share/schema";
import { AREAS, type AreaId } from "../layout/registry";
import type { DockState } from "../layout/dockState";
import type { RunInputs } from "../run/inputs";
import type { WorkspaceState } from "../wit-editor/workspace";
import type { PartValues } from "./parts";

export function toSharedWorkspace(ws: WorkspaceState): AuthoringState {
  const projects: AuthoringState["projects"] = {};
  for (const [kind, p] of Object.entries(ws.projects) as Array<[keyof WorkspaceState["projects"], NonNullable<WorkspaceState["projects"][keyof WorkspaceState["projects"]]>]>) {
    projects[kind] = { files: p.files.map((f) => ({ path: f.path, text: f.text })), open: [...p.open], active: p.active, world: p.world };
  }
  return { kind: ws.kind, projects, dock: ws.layout.dock, dockHeight: ws.layout.dockHeight, outline: ws.layout.outline };
}

/** A shared workspace as the editor's; `seq` continues from the one it replaces so the save journal stays ordered. */
export function fromSharedWorkspace(a: AuthoringState, open: boolean, replacing: WorkspaceState | null): WorkspaceState {
  const projects: WorkspaceState["projects"] = {};
  for (const [kind, p] of Object.entries(a.projects) as Array<[keyof AuthoringState["projects"], NonNullable<AuthoringState["projects"][keyof AuthoringState["projects"]]>]>) {
    projects[kind] = { files: p.files.map((f) => ({ ...f })), open: [...p.open], active: p.active, world: p.world };
  }
  return { version: 1, kind: a.kind, projects, layout: { open, dock: a.dock, dockHeight: a.dockHeight, outline: a.outline }, seq: (replacing?.seq ?? 0) + 1 };
}

export function toSharedLayout(d: DockState): LayoutState {
  const active: Record<string, string> = {};
  const collapsed: Record<string, boolean> = {};
  for (const area of AREAS) {
    const id = d.active[area];
    if (id) active[area] = id;
    if (d.collapsed[area]) collapsed[area] = true;
  }
  return { active, sizes: Object.fromEntries(Object.entries(d.sizes).map(([g, s]) => [g, { ...s }])), collapsed };
}

export function fromSharedLayout(l: LayoutState): DockState {
  const isArea = (k: string): k is AreaId => (AREAS as readonly string[]).includes(k);
  return {
    active: Object.fromEntries(Object.entries(l.active).filter(([k]) => isArea(k))),
    sizes: Object.fromEntries(Object.entries(l.sizes).map(([g, s]) => [g, { ...s }])),
    collapsed: Object.fromEntries(Object.entries(l.collapsed).filter(([k, v]) => isArea(k) && v)),
  };
}

/** What the seams hold now, gathered for a project state. */
export interface Gathered {
  component: PartValues["component"] | undefined;
  inputs: RunInputs | undefined;
  preopens: readonly PreopenSpec[] | undefined;
  engine: PartValues["engine"] | undefined;
  allow: readonly string[] | undefined;
  authoring: PartValues["authoring"] | undefined;
  layout: DockState | undefined;
  composition: PartValues["composition"] | undefined;
}

/** Every component the seams hold: the loaded one, then the composition's. */
export function gatheredComponents(g: Gathered): Array<{ name: string; bytes: Uint8Array }> {
  return [...(g.component ? [g.component] : []), ...(g.composition?.components ?? [])];
}

/**
 * The project state of what the page shows; `sha256` gives the hash of each of its components'
 * bytes. The editor's workspace goes in while the editor is open (or always, with
 * `withClosedEditor`, for the copy kept before a link replaces it).
 */
export function projectOf(g: Gathered, sha256: (bytes: Uint8Array) => string, withClosedEditor = false): ProjectState {
  const inputs = g.inputs;
  const ref = (c: { name: string; bytes: Uint8Array }) => ({ name: c.name, sha256: sha256(c.bytes), size: c.bytes.length });
  return {
    version: PROJECT_VERSION,
    component: g.component ? ref(g.component) : null,
    run: {
      export: inputs?.target ?? "",
      args: inputs?.args ?? "",
      env: inputs?.env ?? "",
      stdin: inputs?.stdin ?? "",
      typedArgs: { ...inputs?.fnArgs },
      preopens: (g.preopens ?? []).map((p) => ({ workspace: p.workspace, guestPath: p.guestPath })),
      allow: [...(g.allow ?? [])],
    },
    engine: g.engine ?? "cm",
    authoring: g.authoring && (g.authoring.open || withClosedEditor) ? g.authoring.workspace : null,
    composition: g.composition ? { graph: g.composition.graph, components: uniqueBy(g.composition.components.map(ref), (c) => c.sha256) } : null,
    layout: toSharedLayout(g.layout ?? { active: {}, sizes: {}, collapsed: {} }),
  };
}

/** The run panel's inputs in a project state. */
export function inputsOf(state: ProjectState): RunInputs {
  return { target: state.run.export, args: state.run.args, env: state.run.env, stdin: state.run.stdin, fnArgs: { ...state.run.typedArgs } };
}

/** `items` without repeats of the same key, first ones kept. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && Boolean(seen.add(key(item))));
}
