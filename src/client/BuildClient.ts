/**
 * Owns the build worker: builds (WAT in the worker, JS through the server), a component's
 * producers metadata, its printed WAT and its WIT. One build at a time; `cancel()` kills a build in
 * progress (a fresh worker serves the next request).
 */
import { proxy, wrap, type Remote } from "comlink";
import type { BuildApi, BuildEvent, BuildOutcome, BuildRequest, ComponentDetails, PrintedWat } from "../protocol/authoring-api";

export class BuildClient {
  #worker: Worker | undefined;
  #api: Remote<BuildApi> | undefined;
  #build: { resolve: (o: BuildOutcome) => void } | undefined;

  constructor(private readonly spawn: () => Worker = spawnBuildWorker) {}

  #ensure(): Remote<BuildApi> {
    if (!this.#api) {
      this.#worker = this.spawn();
      this.#api = wrap<BuildApi>(this.#worker);
    }
    return this.#api;
  }

  build(req: BuildRequest, onEvent: (e: BuildEvent) => void): Promise<BuildOutcome> {
    this.cancel();
    const api = this.#ensure();
    return new Promise((resolve) => {
      const mine = { resolve };
      this.#build = mine;
      const live = () => this.#build === mine;
      api.build(req, proxy((e: BuildEvent) => live() && onEvent(e))).then(
        (o) => {
          if (!live()) return;
          this.#build = undefined;
          resolve(o);
        },
        (err: unknown) => {
          if (!live()) return;
          this.#build = undefined;
          resolve({ ok: false, message: `The build worker failed: ${err instanceof Error ? err.message : String(err)}`, diagnostics: [], ms: 0 });
        },
      );
    });
  }

  /** Stops the build in progress (its promise resolves as cancelled). */
  cancel(): void {
    const b = this.#build;
    if (!b) return;
    this.#build = undefined;
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
    b.resolve({ ok: false, message: "Build cancelled.", diagnostics: [], ms: 0 });
  }

  details(bytes: Uint8Array): Promise<ComponentDetails> {
    return this.#ensure().details(bytes);
  }

  print(bytes: Uint8Array): Promise<PrintedWat> {
    return this.#ensure().print(bytes);
  }

  /** The component's WIT, printed by wasm-tools in the worker. */
  wit(bytes: Uint8Array): Promise<PrintedWat> {
    return this.#ensure().wit(bytes);
  }

  dispose(): void {
    this.cancel();
    this.#worker?.terminate();
  }
}

export function spawnBuildWorker(): Worker {
  return new Worker(new URL("../../workers/build.worker.ts", import.meta.url), { type: "module", name: "build" });
}
