/**
 * Owns the runtime worker. One run at a time; `stop()` terminates the worker (the only way to stop
 * a guest stuck in a loop) and a fresh one is spawned for the next run. Events and results of a
 * stopped or superseded run are dropped.
 */
import { proxy, transfer, wrap, type Remote } from "comlink";
import type { InspectResult, RunEvent, RunManifest, RunNetwork, RunOutcome, RuntimeApi } from "../protocol/runtime";
import type { RunFilesystem } from "../protocol/fs";

export type ClientOutcome = RunOutcome | { kind: "stopped" };

/** The playground's network (src/client/NetClient.ts): a node per run. */
export interface RunNetworks {
  join(component: string): RunNetwork;
  leave(node: number): void;
}

export class RuntimeClient {
  #worker: Worker | undefined;
  #api: Remote<RuntimeApi> | undefined;
  #runId = 0;
  #activeRun: { id: number; resolve: (o: ClientOutcome) => void; node?: number } | undefined;

  constructor(
    private readonly spawn: () => Worker,
    private readonly networks?: RunNetworks,
    /** The fs-owner (src/client/FsClient.ts): a connection per run, for its preopens. */
    private readonly filesystems?: { connectRun(): RunFilesystem },
  ) {}

  #ensure(): Remote<RuntimeApi> {
    if (!this.#api) {
      this.#worker = this.spawn();
      this.#api = wrap<RuntimeApi>(this.#worker);
    }
    return this.#api;
  }

  get running(): boolean {
    return this.#activeRun !== undefined;
  }

  inspect(name: string, bytes: Uint8Array): Promise<InspectResult> {
    return this.#ensure().inspect(name, bytes);
  }

  features(): Promise<{ jspi: boolean }> {
    return this.#ensure().features();
  }

  /** Starts a run; a run already going is stopped first. */
  run(manifest: RunManifest, onEvents: (events: RunEvent[]) => void): Promise<ClientOutcome> {
    if (this.#activeRun) this.stop();
    const id = ++this.#runId;
    const api = this.#ensure();
    const net = this.networks?.join(manifest.componentName);
    const fs = manifest.preopens?.length ? this.filesystems?.connectRun() : undefined;
    return new Promise<ClientOutcome>((resolve) => {
      this.#activeRun = { id, resolve, node: net?.node };
      const live = () => this.#activeRun?.id === id;
      api
        .run(
          manifest,
          proxy((events: RunEvent[]) => {
            if (live()) onEvents(events);
          }),
          net ? transfer(net, [net.port]) : undefined,
          fs ? transfer(fs, [fs.port]) : undefined,
        )
        .then(
          (outcome) => {
            if (!live()) return;
            this.#activeRun = undefined;
            resolve(outcome);
          },
          (err: unknown) => {
            if (net) this.networks?.leave(net.node);
            if (!live()) return;
            this.#activeRun = undefined;
            resolve({ kind: "error", message: `The runtime worker failed: ${err instanceof Error ? err.message : String(err)}` });
          },
        );
    });
  }

  /** Kills the worker at once; the current run resolves as stopped. */
  stop(): void {
    const run = this.#activeRun;
    this.#activeRun = undefined;
    this.#worker?.terminate();
    if (run?.node !== undefined) this.networks?.leave(run.node);
    this.#worker = undefined;
    this.#api = undefined;
    run?.resolve({ kind: "stopped" });
  }

  dispose(): void {
    this.stop();
  }
}

/** The default worker, bundled by Vite. */
export function spawnRuntimeWorker(): Worker {
  return new Worker(new URL("../../workers/runtime.worker.ts", import.meta.url), { type: "module", name: "runtime" });
}
