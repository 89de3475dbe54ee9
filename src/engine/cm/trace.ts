/** What engine/cm needs from a trace recorder (src/engine/trace.ts implements it). */
import type { TraceKind } from "../../protocol/trace-events";

export interface TraceSink {
  readonly enabled: boolean;
  emit(kind: TraceKind, instance: number, task: number, id?: number, name?: string, count?: number, end?: "readable" | "writable", detail?: string): void;
}
