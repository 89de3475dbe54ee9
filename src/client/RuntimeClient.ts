/**
 * Owns the runtime worker. One run at a time; `stop()` terminates the worker (the only way to stop
 * a guest stuck in a loop) and a fresh one is spawned for the next run. Events and results of a
 * stopped or superseded run are dropped.
 */
import { proxy, transfer, wrap, type Remote } from "comlink";
import type { InspectResult, RunEvent, RunManifest, RunNetwork, RunOutcome, RuntimeApi } from "../protocol/runtime";
import type { RunFilesystem } from "../protocol/fs";
import { PREVIEW_PREFIX } from "../protocol/preview";
import { previewId, type PreviewHost } from "./PreviewClient";

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
  #activeRun: { id: number; resolve: (o: ClientOutcome) => void; node?: number; unexpose?: () => void } | undefined;
  #previewId: string | undefined;

  constructor(
    private readonly spawn: () => Worker,
    private readonly networks?: RunNetworks,
    /** The fs-owner (src/client/FsClient.ts): a connection per run, for its preopens. */
    private readonly filesystems?: { connectRun(): RunFilesystem },
    /** The preview Service Worker's page side (src/client/PreviewClient.ts), for `serve` runs. */
    private readonly previews?: PreviewHost,
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

  /** The preview id of the `serve` run going on (its URL is `/preview/<id>/`), if any. */
  get previewId(): string | undefined {
    return this.#activeRun ? this.#previewId : undefined;
  }

  /**
   * A port to this client's runtime worker answering HTTP (`protocol/preview.ts`) with the `serve`
   * run going on: the Service Worker's way in, and the conformance runner's.
   */
  httpPort(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    void this.#ensure().connectHttp(transfer(port2, [port2]));
    return port1;
  }

  /** Ends the `serve` run going on as a SIGINT would: it resolves with exit code 0. */
  async shutdown(): Promise<void> {
    if (this.#activeRun) await this.#api?.shutdown();
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
    const serveId = manifest.invoke.kind === "serve" ? previewId() : undefined;
    this.#previewId = serveId;
    return new Promise<ClientOutcome>((resolve) => {
      const unexpose = serveId ? this.previews?.expose(serveId, () => this.httpPort()) : undefined;
      this.#activeRun = { id, resolve, node: net?.node, unexpose };
      const live = () => this.#activeRun?.id === id;
      const done = () => {
        unexpose?.();
        this.#activeRun = undefined;
      };
      api
        .run(
          manifest,
          proxy((events: RunEvent[]) => {
            // The worker does not know the run's preview URL; the client that made it does.
            if (live()) onEvents(serveId ? events.map((e) => (e.kind === "serving" ? { ...e, preview: `${PREVIEW_PREFIX}${serveId}/` } : e)) : events);
          }),
          net ? transfer(net, [net.port]) : undefined,
          fs ? transfer(fs, [fs.port]) : undefined,
        )
        .then(
          (outcome) => {
            if (!live()) return;
            done();
            resolve(outcome);
          },
          (err: unknown) => {
            if (net) this.networks?.leave(net.node);
            if (!live()) return;
            done();
            resolve({ kind: "error", message: `The runtime worker failed: ${err instanceof Error ? err.message : String(err)}` });
          },
        );
    });
  }

  /** Kills the worker at once; the current run resolves as stopped. */
  stop(): void {
    const run = this.#activeRun;
    this.#activeRun = undefined;
    run?.unexpose?.();
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
