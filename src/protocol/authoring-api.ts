/**
 * The authoring workers' APIs (`workers/wit.worker.ts`, `workers/build.worker.ts`) and the
 * server's JS build endpoint (`POST /api/build`): WIT checks, generated types, builds, and
 * details of any component.
 */

/** A file of an authoring project; `path` is relative to the project (`wit/world.wit`, `wit/deps/x/a.wit`, `guest.js`). */
export interface ProjectFile {
  path: string;
  text: string;
}

/** A problem at a place in a project file (lines and columns 1-based; the end is exclusive). */
export interface SourceDiagnostic {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: "error" | "warning";
}

export interface WitCheck {
  diagnostics: SourceDiagnostic[];
  /** Worlds of the project's package, in file order. */
  worlds: string[];
  rootPackage: string | null;
  /** How long wasm-tools took (bundling included). */
  ms: number;
}

export interface GeneratedFile {
  name: string;
  text: string;
}

export type GeneratedTypes =
  | { ok: true; world: string; host: GeneratedFile[]; guest: GeneratedFile[] }
  | { ok: false; message: string };

/** Exposed by `workers/wit.worker.ts`. */
export interface WitApi {
  /** Checks the project's WIT (`wit/**.wit`) with wasm-tools; diagnostics are placed at lines and columns. */
  check(files: ProjectFile[]): Promise<WitCheck>;
  /**
   * jco's TypeScript for a world: the host side (`jco types`) and the guest side (`jco guest-types`,
   * adjusted to the values componentize-qjs hands a JS guest: numbers for u64/s64, null for none).
   */
  types(files: ProjectFile[], world: string | null): Promise<GeneratedTypes>;
  /** A componentize-qjs `guest.js` implementing the world's exports (null when there is no such world). */
  jsGuest(files: ProjectFile[], world: string | null): Promise<string | null>;
  /** The starter files of a new project of this kind. */
  starter(kind: ProjectKind): Promise<ProjectFile[]>;
}

/** How a project becomes a component. */
export type ProjectKind =
  /** `guest.js` + `wit/`: componentize-qjs on the server. */
  | "js"
  /** `module.wat` (a core module) + `wit/`: componentEmbed + componentNew in the browser. */
  | "wat-core"
  /** `component.wat`: a whole component in text, parsed in the browser. */
  | "wat-component";

export const PROJECT_KINDS: readonly ProjectKind[] = ["js", "wat-core", "wat-component"];

/**
 * Paths a project file may have: `wit/**.wit` and top-level source files (the editor, saved
 * workspaces and shared projects all hold to it).
 */
export function isProjectPath(path: string): boolean {
  return /^(?:wit\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\.wit|[A-Za-z0-9._-]+\.(?:m?js|wat))$/.test(path) && !path.split("/").some((s) => s === "." || s === "..");
}

export interface BuildRequest {
  kind: ProjectKind;
  files: ProjectFile[];
  /** The world to build (null: the package's only world). */
  world: string | null;
  /** Name for the built component, e.g. `my-project.wasm`. */
  name: string;
}

export type BuildEvent =
  | { kind: "log"; line: string }
  /** Waiting behind other builds on the server. */
  | { kind: "queued"; position: number };

export type BuildOutcome =
  | { ok: true; bytes: Uint8Array; ms: number; cached: boolean }
  | { ok: false; message: string; diagnostics: SourceDiagnostic[]; ms: number };

export interface ProducerField {
  /** `language`, `processed-by` or `sdk`. */
  field: string;
  values: Array<{ name: string; version: string }>;
}

/** One module or component inside a component binary, with its producers section. */
export interface ProducerEntry {
  kind: "component" | "module";
  name: string | null;
  /** Byte range in the binary. */
  range: [number, number];
  /** Index of the enclosing component in the list, null for the outermost. */
  parent: number | null;
  fields: ProducerField[];
}

export type ComponentDetails = { ok: true; size: number; producers: ProducerEntry[] } | { ok: false; message: string };

export type PrintedWat = { ok: true; text: string } | { ok: false; message: string };

/** Exposed by `workers/build.worker.ts`. */
export interface BuildApi {
  build(req: BuildRequest, onEvent: (e: BuildEvent) => void): Promise<BuildOutcome>;
  details(bytes: Uint8Array): Promise<ComponentDetails>;
  print(bytes: Uint8Array): Promise<PrintedWat>;
  /** The component's WIT as wasm-tools prints it (`component wit`), or why it cannot. */
  wit(bytes: Uint8Array): Promise<PrintedWat>;
}

/** `POST /api/build` body. The response is NDJSON: `JsBuildStreamEvent` lines. */
export interface JsBuildRequestBody {
  files: ProjectFile[];
  /** The JS entry file among `files`. */
  entry: string;
  world: string | null;
}

export type JsBuildStreamEvent =
  | { type: "queued"; position: number }
  | { type: "log"; line: string }
  /** Success: the component is at `GET /api/build/<hash>.wasm`. */
  | { type: "done"; ok: true; hash: string; size: number; cached: boolean; ms: number }
  | { type: "done"; ok: false; message: string; diagnostics: SourceDiagnostic[]; ms: number; timedOut: boolean };
