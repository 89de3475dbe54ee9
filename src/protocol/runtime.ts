/** The runtime worker's API: what the main thread sends to run a component, and what comes back. */
import type { RunFilesystem } from "./fs";
import type { TraceChunk } from "./trace-events";

/**
 * `jco`: jco transpile + jco's async runtime (needs JSPI). `cm`: our own Component Model runtime
 * (src/engine/cm), which runs callback-lifted components without JSPI.
 */
export type EngineName = "jco" | "cm";

/** Which export a run calls. */
export type Invocation =
  | { kind: "run" }
  /** A function export: `iface` is the exported interface name, or null for a world-level function. */
  | { kind: "call"; iface: string | null; func: string; args: string[] }
  /**
   * Serve `wasi:http/handler` until `shutdown()` (or a trap): requests come through `connectHttp`
   * ports (the preview Service Worker) and, on the playground's network, to `localhost:port`
   * (default 8080, else any free port).
   */
  | { kind: "serve"; port?: number };

export interface RunManifest {
  /** Name shown in messages, e.g. the file name. */
  componentName: string;
  bytes: Uint8Array;
  /** argv; the program name comes first. */
  args: string[];
  env: Array<[string, string]>;
  /** All of stdin; the guest sees end-of-file after it. */
  stdin: Uint8Array;
  invoke: Invocation;
  /**
   * For a `call`: how many calls of the function to start at once on the one instance (1 when
   * absent); each result is printed, in call order, once all have settled.
   */
  calls?: number;
  engine: EngineName;
  /** Workspace folders the guest may touch; none when absent. */
  preopens?: PreopenSpec[];
  /** Record trace events and send them as `trace` run events (off when nobody watches). */
  trace?: boolean;
  /**
   * Destinations outside the playground the run may reach (`HOST:PORT` lines); none when absent.
   * `http`: how wasi:http requests go out: `network` (HTTP/1.1 through the relay, the default) or
   * `fetch` (the browser's, for hosts that allow CORS; a CORS failure is reported as such).
   */
  network?: { allow: string[]; http?: "network" | "fetch" };
}

/** A run's place on the playground's virtual network: its node id and its port to the hub. */
export interface RunNetwork {
  node: number;
  port: MessagePort;
}

export interface PreopenSpec {
  /** IndexedDB workspace name. */
  workspace: string;
  /** Where the guest sees it, e.g. "/". */
  guestPath: string;
  readOnly?: boolean;
  /** Empty the workspace first, then write these files (path relative to its root, bytes). */
  reset?: { files: Array<[string, Uint8Array]> };
}

export type RunPhase = "decoding" | "transpiling" | "compiling" | "instantiating" | "running";

export type RunEvent =
  | { kind: "phase"; phase: RunPhase; detail?: string; atMs: number }
  | { kind: "output"; stream: "stdout" | "stderr"; data: Uint8Array }
  /** Trace events recorded since the previous `trace` event of this run. */
  | { kind: "trace"; chunk: TraceChunk }
  /**
   * A `serve` run is ready: requests reach `handler`; other components reach it at `listen`
   * (`localhost:8080`); the page at `preview` (`/preview/<id>/`, added by RuntimeClient).
   */
  | { kind: "serving"; handler: string; listen: string | null; preview?: string };

export interface RunTimings {
  /** The engine that ran. */
  engine: EngineName;
  /** Time to turn bytes into something instantiable (transpile or cache hit). */
  prepareMs: number;
  prepareCached: boolean;
  instantiateMs: number;
  runMs: number;
  totalMs: number;
}

export type RunOutcome =
  /** `wasi:cli/run` finished or the guest called exit. */
  | { kind: "exit"; code: number; timings: RunTimings }
  /** A called function export returned; `value` is its result rendered as text. */
  | { kind: "returned"; value: string; timings: RunTimings }
  /** The guest trapped (its fault): message names the component and what broke. */
  | { kind: "trap"; message: string; timings: RunTimings }
  /** The run could not start: not a component, missing imports, bad arguments... */
  | { kind: "error"; message: string; hint?: string };

export interface ImportInfo {
  name: string;
  /** The host interface serving it, if any. */
  providedBy: string | null;
}

export interface FuncInfo {
  iface: string | null;
  name: string;
  isAsync: boolean;
  params: Array<{ name: string; type: string }>;
  result: string | null;
}

export interface ComponentInfo {
  name: string;
  size: number;
  sha256: string;
  wit: string;
  imports: ImportInfo[];
  exports: string[];
  funcs: FuncInfo[];
  /** True when it exports wasi:cli/run (any 0.3 or 0.2 version). */
  isCommand: boolean;
}

export type InspectResult = { ok: true; info: ComponentInfo } | { ok: false; message: string; hint?: string };

/** Exposed by `workers/runtime.worker.ts` through comlink. */
export interface RuntimeApi {
  inspect(name: string, bytes: Uint8Array): Promise<InspectResult>;
  /**
   * `net` (transferred) joins the run to the playground's network; without it the run has its own.
   * `fs` (transferred) connects it to the fs-owner; a run with preopens needs it.
   */
  run(manifest: RunManifest, onEvents: (events: RunEvent[]) => void, net?: RunNetwork, fs?: RunFilesystem): Promise<RunOutcome>;
  /** Whether this worker's browser offers JSPI (`WebAssembly.Suspending`). */
  features(): Promise<{ jspi: boolean }>;
  /**
   * Serves HTTP requests (`protocol/preview.ts`) arriving on `port` (transferred) to the current
   * `serve` run; answered 503 while none is serving.
   */
  connectHttp(port: MessagePort): Promise<void>;
  /** Ends a `serve` run as a SIGINT would: its run resolves with exit code 0. */
  shutdown(): Promise<void>;
}
