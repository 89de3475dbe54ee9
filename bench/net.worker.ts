/**
 * The relay and virtual-network benchmarks, in a SharedWorker: Playwright, which drives the bench
 * page, attaches to pages and dedicated workers with the DevTools Network domain on, and that copies
 * every WebSocket frame (base64) into the protocol; measured, it held the relay and the direct
 * WebSocket echo to a tenth of their speed. It does not attach to shared workers.
 */
import { expose } from "comlink";
import { netBenchmarks, type NetBenchConfig } from "./net";
import { time } from "./measure";

const api = {
  run: (reps: number, cfg: NetBenchConfig, log: (line: string) => void) => netBenchmarks(time, reps, cfg, log),
};
export type NetBenchApi = typeof api;

(self as unknown as { onconnect: (e: MessageEvent) => void }).onconnect = (e) => expose(api, e.ports[0]!);
