/**
 * Owns the WIT worker. Checks and type generation keep only the latest request (see LatestOnly),
 * so a burst of keystrokes costs one wasm-tools run and the editor never waits on old results.
 */
import { wrap, type Remote } from "comlink";
import type { GeneratedTypes, ProjectFile, ProjectKind, WitApi, WitCheck } from "../protocol/authoring-api";
import { LatestOnly } from "./latest";

export class WitClient {
  readonly #worker: Worker;
  readonly #api: Remote<WitApi>;
  readonly #checks: LatestOnly<ProjectFile[], WitCheck>;
  readonly #types: LatestOnly<{ files: ProjectFile[]; world: string | null }, GeneratedTypes>;

  constructor(spawn: () => Worker = spawnWitWorker) {
    this.#worker = spawn();
    this.#api = wrap<WitApi>(this.#worker);
    this.#checks = new LatestOnly((files) => this.#api.check(files));
    this.#types = new LatestOnly(({ files, world }): Promise<GeneratedTypes> => this.#api.types(files, world));
  }

  /** Null when a newer check overtook this one. */
  check(files: ProjectFile[]): Promise<WitCheck | null> {
    return this.#checks.run(files);
  }

  types(files: ProjectFile[], world: string | null): Promise<GeneratedTypes | null> {
    return this.#types.run({ files, world });
  }

  jsGuest(files: ProjectFile[], world: string | null): Promise<string | null> {
    return this.#api.jsGuest(files, world);
  }

  starter(kind: ProjectKind): Promise<ProjectFile[]> {
    return this.#api.starter(kind);
  }

  dispose(): void {
    this.#worker.terminate();
  }
}

export function spawnWitWorker(): Worker {
  return new Worker(new URL("../../workers/wit.worker.ts", import.meta.url), { type: "module", name: "wit" });
}
