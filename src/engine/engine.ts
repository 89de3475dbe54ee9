/**
 * One shape for every engine: what the run path (runtime-service.ts) needs from engine/jco and
 * engine/cm. A run goes through three stages, each returned by the one before:
 *
 * ```ts
 * const prepared = await engine.prepare(bytes, { componentName, sha256, info, onPhase });
 * if (isRefusal(prepared)) return prepared;
 * const instance = await prepared.instantiate({ componentName, info, host, trace, beforeResume });
 * if (isRefusal(instance)) return instance;
 * const fn = instance.func({ iface: null, func: "greet", label: "greet" });
 * if (isRefusal(fn)) return fn;
 * const result = await fn(["Ada"]); // { kind: "value", value: "Hello, Ada" }
 * ```
 *
 * Failures come in three kinds, as everywhere (STYLE.md): a `Refusal` is returned when the
 * component cannot run as given and no guest code is at fault (it does not decode, an import
 * does not link, an export is not there); a trap or the guest's `exit` is thrown by
 * `instantiate` or the call; anything else thrown is a playground bug.
 *
 * engine/cm implements this shape structurally (`CmRunEngine`): it imports only base, protocol,
 * host and component, so it cannot name these types; runtime-service checks that it fits.
 */
import type { Host } from "../host";
import type { ComponentInfo, EngineName, RunOutcome } from "../protocol/runtime";
import type { TraceFidelity } from "../protocol/trace-events";
import type { TraceRecorder } from "./trace";

/** The run could not start, and no guest code is at fault: the run's outcome is this error. */
export type Refusal = Extract<RunOutcome, { kind: "error" }>;

export function isRefusal<T extends object>(v: T | Refusal): v is Refusal {
  return "kind" in v && v.kind === "error" && "message" in v;
}

/** What an engine is told when it prepares a component. */
export interface PrepareContext {
  /** The name in messages, e.g. the file name. */
  componentName: string;
  /** sha256 of the bytes, hex: engines keep prepared components warm by it. */
  sha256: string;
  /** The component as `inspectComponent` saw it (engine/jco plans its transpile from it). */
  info: ComponentInfo;
  /** Reports progress while preparing: the run shows it as a phase. */
  onPhase(phase: "transpiling" | "compiling", detail: string): void;
}

/** What an engine is told when it instantiates a prepared component. */
export interface InstantiateContext {
  componentName: string;
  info: ComponentInfo;
  /** The run's host: every import is resolved against it. */
  host: Host;
  /** Records the run's trace at the engine's fidelity; null when nobody watches. */
  trace: TraceRecorder | null;
  /**
   * Called before the engine resumes waiting guest code, so output gathered so far reaches the
   * page first (engine/cm's scheduler resumes by microtasks; engine/jco needs no such hook).
   */
  beforeResume(): void;
}

/** An export function by WIT names. */
export interface ExportRef {
  /** The exported interface (`wasi:cli/run@0.3.0`), or null for a world-level function. */
  iface: string | null;
  /** The WIT function name (`run`, `get-name`). */
  func: string;
  /** How messages name it: `iface#func`, or `func`. */
  label: string;
}

/**
 * What a settled call returned, in jco's JS conventions: `value` (a `result`'s ok payload when the
 * function returns one), or `err` with the payload of a `result` error.
 */
export type CallResult = { kind: "value"; value: unknown } | { kind: "err"; payload: unknown };

/** Calls the export with lowered-from-JS arguments; rejects with the trap or exit that ended it. */
export type ExportFunc = (args: unknown[]) => Promise<CallResult>;

/** A running instance of a component. */
export interface EngineInstance {
  /** The export `exp`, ready to call (any number of times), or why it cannot be called. */
  func(exp: ExportRef): ExportFunc | Refusal;
  /**
   * Calls `f` if the instance traps while no call is there to reject (a task running on after its
   * export returned: a served handler writing its response body). Engines that cannot tell omit it.
   */
  onTrap?(f: (err: unknown) => void): void;
}

/** A component made ready to instantiate: compiled, and for engine/jco transpiled. */
export interface PreparedComponent {
  /** Whether it came warm from this engine's cache (a cold one was decoded or transpiled now). */
  readonly cached: boolean;
  /** Links it against the context's host; rejects with the trap or exit of a start function. */
  instantiate(ctx: InstantiateContext): Promise<EngineInstance | Refusal>;
}

/** An engine as the run path sees it. */
export interface Engine {
  readonly name: EngineName;
  /** What this engine's trace can see: the UI labels the timeline with it. */
  readonly fidelity: TraceFidelity;
  /** Null when this engine can run in this JS engine; else why it cannot. */
  unavailable(): Refusal | null;
  /** Whether host calls that must wait (0.2 blocking calls) may suspend the guest (JSPI) here. */
  canSuspend(): boolean;
  prepare(bytes: Uint8Array, ctx: PrepareContext): Promise<PreparedComponent | Refusal>;
}
