/**
 * The project state a link, a short link and a project file carry: the loaded component (by
 * sha256), what the run panel asks for and the capabilities it proposes, the engine, the authoring
 * workspace, the composition graph and the dock's layout. Versioned: `parseProject` reads any version this playground
 * knows (older ones through `migrate.ts`), refuses a newer one, and checks the current one
 * strictly (no unknown field, no wrong type, no file path or allow-list entry the app would
 * refuse), naming the place of the first problem.
 */
import { parseAllowEntry } from "../base/allow-list";
import { isProjectPath, PROJECT_KINDS, type ProjectKind } from "../protocol/authoring-api";
import { graphToJson, parseGraph, type GraphJson } from "../compose/json";
import type { EngineName } from "../protocol/runtime";
import { BLOB_HASH, SHARE_LIMITS } from "../protocol/share-api";
import { MIGRATIONS, upgrade, type Migration } from "./migrate";
import { array, boolean, fields, nullable, number, oneOf, record, SchemaError, string } from "./read";

/** The version this playground writes. A change to the shape adds a version and its migration. */
export const PROJECT_VERSION = 2;

/** A component, stored by content: the bytes come from this browser's cache or the share store. */
export interface ComponentRef {
  /** The file name shown and passed as argv[0], e.g. `hello.wasm`. */
  name: string;
  sha256: string;
  size: number;
}

/** A workspace folder a run may touch, and where the guest sees it. */
export interface Preopen {
  workspace: string;
  guestPath: string;
}

/** The run panel as typed, and what the runs get. */
export interface RunState {
  /** The export called: `wasi:cli/run`, `IFACE#FUNC`, `#FUNC` for a world function; "" for the component's default. */
  export: string;
  /** The arguments line, as typed (quotes and all). */
  args: string;
  /** `KEY=VALUE` lines, as typed. */
  env: string;
  stdin: string;
  /** The typed function arguments by parameter name, as typed. */
  typedArgs: Record<string, string>;
  /** Proposed capability: the folders runs get. */
  preopens: Preopen[];
  /** Proposed capability: the network allow-list entries runs get (`HOST:PORT`). */
  allow: string[];
}

export type AuthoringDockTab = "problems" | "log" | "host-types" | "guest-types";
export const AUTHORING_DOCK_TABS: readonly AuthoringDockTab[] = ["problems", "log", "host-types", "guest-types"];

export interface AuthoringProject {
  files: Array<{ path: string; text: string }>;
  /** Paths with a tab, in tab order. */
  open: string[];
  active: string | null;
  world: string | null;
}

/** The "Write a component" editor, shared while it is open. */
export interface AuthoringState {
  kind: ProjectKind;
  projects: Partial<Record<ProjectKind, AuthoringProject>>;
  dock: AuthoringDockTab;
  dockHeight: number;
  outline: boolean;
}

/** The dock: the selected tab per area, the sizes of its groups, folded areas. */
export interface LayoutState {
  active: Record<string, string>;
  sizes: Record<string, Record<string, number>>;
  collapsed: Record<string, boolean>;
}

/**
 * The composition: its graph in `src/compose`'s JSON form, and the components its instances use
 * (each once, by sha256, with the name the library shows), so a missing one can be named.
 */
export interface CompositionState {
  graph: GraphJson;
  components: ComponentRef[];
}

export interface ProjectState {
  version: typeof PROJECT_VERSION;
  component: ComponentRef | null;
  run: RunState;
  engine: EngineName;
  /** Null when the editor is closed: opening the link leaves the opener's own editor as it is. */
  authoring: AuthoringState | null;
  /** Null when there is no composition (version 1 had none). */
  composition: CompositionState | null;
  layout: LayoutState;
}

export const ENGINES: readonly EngineName[] = ["cm", "jco"];

/** The default workspace as `/`: what every run gets unless a project says otherwise. */
export const WORKSPACE_PREOPEN: Preopen = { workspace: "default", guestPath: "/" };

/** A playground with nothing loaded. */
export function emptyProject(): ProjectState {
  return {
    version: PROJECT_VERSION,
    component: null,
    run: { export: "", args: "", env: "", stdin: "", typedArgs: {}, preopens: [{ ...WORKSPACE_PREOPEN }], allow: [] },
    engine: "cm",
    authoring: null,
    composition: null,
    layout: { active: {}, sizes: {}, collapsed: {} },
  };
}

export type Parsed = { ok: true; state: ProjectState; migratedFrom: number | null } | { ok: false; error: string };

/** Reads a project state of any version this playground knows; the error says what is wrong and where. */
export function parseProject(input: unknown, migrations: readonly Migration[] = MIGRATIONS): Parsed {
  try {
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new SchemaError("project", "expected an object");
    const top = input as Record<string, unknown>;
    const version = number(top.version, "project.version", 1, Number.MAX_SAFE_INTEGER, true);
    if (version > PROJECT_VERSION) {
      return { ok: false, error: `it was made by a newer playground (project version ${version}; this one reads versions 1 to ${PROJECT_VERSION}). Reload the playground to update it, then open the link again.` };
    }
    const current = upgrade(top, PROJECT_VERSION, migrations);
    return { ok: true, state: readProject(current), migratedFrom: version < PROJECT_VERSION ? version : null };
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, error: `it is not a valid project: ${err.message}` };
    throw err;
  }
}

/** The one JSON text of a state (fields in schema order, map keys sorted): equal states, equal text. */
export function serializeProject(state: ProjectState): string {
  return JSON.stringify(readProject(state));
}

const PANEL_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const PARAM_NAME = /^[A-Za-z0-9_%-]{1,128}$/;
const WORKSPACE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const GUEST_PATH = /^\/[^\0]{0,255}$/;

function readProject(v: unknown): ProjectState {
  const o = fields(v, "project", ["version", "component", "run", "engine", "authoring", "composition", "layout"]);
  if (o.version !== PROJECT_VERSION) throw new SchemaError("project.version", `expected ${PROJECT_VERSION}`);
  return {
    version: PROJECT_VERSION,
    component: nullable(o.component, "project.component", readComponent),
    run: readRun(o.run, "project.run"),
    engine: oneOf(o.engine, "project.engine", ENGINES),
    authoring: nullable(o.authoring, "project.authoring", readAuthoring),
    composition: nullable(o.composition, "project.composition", readComposition),
    layout: readLayout(o.layout, "project.layout"),
  };
}

function readComponent(v: unknown, at: string): ComponentRef {
  const o = fields(v, at, ["name", "sha256", "size"]);
  return {
    name: string(o.name, `${at}.name`, { max: 255, pattern: /^[^/\\\0]+$/ }),
    sha256: string(o.sha256, `${at}.sha256`, { pattern: BLOB_HASH }),
    size: number(o.size, `${at}.size`, 0, SHARE_LIMITS.blobBytes, true),
  };
}

function readRun(v: unknown, at: string): RunState {
  const o = fields(v, at, ["export", "args", "env", "stdin", "typedArgs", "preopens", "allow"]);
  return {
    export: string(o.export, `${at}.export`, { max: 512 }),
    args: string(o.args, `${at}.args`),
    env: string(o.env, `${at}.env`),
    stdin: string(o.stdin, `${at}.stdin`),
    typedArgs: record(o.typedArgs, `${at}.typedArgs`, PARAM_NAME, string),
    preopens: array(o.preopens, `${at}.preopens`, 16, (x, p) => {
      const po = fields(x, p, ["workspace", "guestPath"]);
      return { workspace: string(po.workspace, `${p}.workspace`, { pattern: WORKSPACE_NAME }), guestPath: string(po.guestPath, `${p}.guestPath`, { pattern: GUEST_PATH }) };
    }),
    allow: array(o.allow, `${at}.allow`, 256, (x, p) => {
      const entry = string(x, p, { max: 300 });
      const parsed = parseAllowEntry(entry);
      if (!parsed.ok) throw new SchemaError(p, parsed.error);
      if (entry !== parsed.entry.text) throw new SchemaError(p, "has spaces around it");
      return entry;
    }),
  };
}

function readAuthoringProject(v: unknown, at: string): AuthoringProject {
  const o = fields(v, at, ["files", "open", "active", "world"]);
  const seen = new Set<string>();
  const files = array(o.files, `${at}.files`, 256, (x, p) => {
    const f = fields(x, p, ["path", "text"]);
    const path = string(f.path, `${p}.path`, { max: 512 });
    if (!isProjectPath(path)) throw new SchemaError(`${p}.path`, `'${path}' is not a project file (wit/NAME.wit, or a top-level .js or .wat file)`);
    if (seen.has(path)) throw new SchemaError(`${p}.path`, `'${path}' is listed twice`);
    seen.add(path);
    return { path, text: string(f.text, `${p}.text`) };
  });
  const known = (x: unknown, p: string) => {
    const path = string(x, p);
    if (!seen.has(path)) throw new SchemaError(p, `'${path}' is not one of the project's files`);
    return path;
  };
  const open = array(o.open, `${at}.open`, 256, known);
  if (new Set(open).size !== open.length) throw new SchemaError(`${at}.open`, "a path is listed twice");
  return { files, open, active: nullable(o.active, `${at}.active`, known), world: nullable(o.world, `${at}.world`, (x, p) => string(x, p, { max: 256, nonEmpty: true })) };
}

function readAuthoring(v: unknown, at: string): AuthoringState {
  const o = fields(v, at, ["kind", "projects", "dock", "dockHeight", "outline"]);
  const kind = oneOf(o.kind, `${at}.kind`, PROJECT_KINDS);
  const projectsObj = fields(o.projects, `${at}.projects`, [], PROJECT_KINDS);
  const projects: AuthoringState["projects"] = {};
  for (const k of PROJECT_KINDS) if (k in projectsObj) projects[k] = readAuthoringProject(projectsObj[k], `${at}.projects.${k}`);
  if (!projects[kind]) throw new SchemaError(`${at}.projects`, `has no '${kind}' project, the kind shown`);
  return {
    kind,
    projects,
    dock: oneOf(o.dock, `${at}.dock`, AUTHORING_DOCK_TABS),
    dockHeight: number(o.dockHeight, `${at}.dockHeight`, 60, 2000),
    outline: boolean(o.outline, `${at}.outline`),
  };
}

function readComposition(v: unknown, at: string): CompositionState {
  const o = fields(v, at, ["graph", "components"]);
  const parsed = parseGraph(o.graph);
  if (!parsed.ok) throw new SchemaError(`${at}.graph`, parsed.error);
  const used = new Set(parsed.graph.instances.map((i) => i.component));
  const seen = new Set<string>();
  const components = array(o.components, `${at}.components`, SHARE_LIMITS.blobsPerLink, (x, p) => {
    const c = readComponent(x, p);
    if (seen.has(c.sha256)) throw new SchemaError(`${p}.sha256`, `${c.sha256} is listed twice`);
    if (!used.has(c.sha256)) throw new SchemaError(`${p}.sha256`, `no instance of the graph uses ${c.sha256}`);
    seen.add(c.sha256);
    return c;
  });
  for (const sha of used) if (!seen.has(sha)) throw new SchemaError(`${at}.components`, `lacks ${sha}, which an instance of the graph uses`);
  return { graph: graphToJson(parsed.graph), components };
}

function readLayout(v: unknown, at: string): LayoutState {
  const o = fields(v, at, ["active", "sizes", "collapsed"]);
  return {
    active: record(o.active, `${at}.active`, PANEL_KEY, (x, p) => string(x, p, { pattern: PANEL_KEY })),
    sizes: record(o.sizes, `${at}.sizes`, PANEL_KEY, (g, p) => record(g, p, PANEL_KEY, (x, q) => number(x, q, 0, 100))),
    collapsed: record(o.collapsed, `${at}.collapsed`, PANEL_KEY, boolean),
  };
}

/** The blobs (sha256) a state references, each once: what a short link lists and a project file holds. */
export function referencedBlobs(state: ProjectState): string[] {
  return [...new Set(referencedComponents(state).map((c) => c.sha256))];
}

/** Every component a state references: the loaded one, then the composition's. */
export function referencedComponents(state: ProjectState): ComponentRef[] {
  return [...(state.component ? [state.component] : []), ...(state.composition?.components ?? [])];
}
