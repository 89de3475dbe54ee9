/**
 * Background runs ("services"): a component started with "Run in background" keeps running in its
 * own runtime worker while other components run in the foreground, so servers and clients of one
 * playground can talk over the virtual network (a wasi:http handler served in the background answers
 * other components at `http://NAME.localhost:8080/`). Each service has its console; Stop terminates it.
 */
import { RuntimeClient, spawnRuntimeWorker, type ClientOutcome } from "../../client/RuntimeClient";
import type { RunFilesystem } from "../../protocol/fs";
import type { NetClient } from "../../client/NetClient";
import type { RunEvent } from "../../protocol/runtime";
import type { TraceChunk } from "../../protocol/trace-events";
import { ConsoleModel } from "../console/consoleModel";
import { servingLine } from "../http/serving";
import { commandLine, runManifest, type RunRequest, type RunSettings } from "../run/manifest";
import { describeOutcome } from "../run/outcome";

/** Where a background run's trace goes (the timeline's `TraceSession`). */
export interface BackgroundTrace {
  appendBackground(key: number, startMs: number, chunk: TraceChunk): void;
  endBackground(key: number): void;
}

export interface Service {
  id: number;
  name: string;
  args: string[];
  running: boolean;
  /** How it ended (the console's last line), once it has. */
  ended: string | null;
  console: ConsoleModel;
  /** What started it, so it can be started again (after a reload stopped it). */
  start: ServiceStart;
}

/** A background run's component, request and settings. */
export interface ServiceStart {
  name: string;
  bytes: Uint8Array;
  req: RunRequest;
  settings: Omit<RunSettings, "trace">;
}

export class Services {
  #list: Service[] = [];
  #clients = new Map<number, RuntimeClient>();
  #nextId = 1;
  #listeners = new Set<() => void>();
  #version = 0;

  constructor(private readonly net: NetClient) {}

  get list(): readonly Service[] {
    return this.#list;
  }
  /** Changes whenever a service's state or output does (for useSyncExternalStore). */
  get version(): number {
    return this.#version;
  }

  subscribe(f: () => void): () => void {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }

  #changed(): void {
    this.#version++;
    for (const f of this.#listeners) f();
  }

  /**
   * `files`: the fs-owner, for the run's preopens (the same folders a foreground run gets).
   * `trace`: where its trace goes (the timeline's session, shown beside the run in view), if watched.
   */
  start(name: string, bytes: Uint8Array, req: RunRequest, settings: Omit<RunSettings, "trace">, files: { connectRun(): RunFilesystem }, trace?: BackgroundTrace): void {
    const id = this.#nextId++;
    const client = new RuntimeClient(spawnRuntimeWorker, this.net, files);
    const model = new ConsoleModel();
    const service: Service = { id, name, args: req.args, running: true, ended: null, console: model, start: { name, bytes, req, settings } };
    model.push("info", `$ ${commandLine(name, req)}\n`);
    this.#clients.set(id, client);
    this.#list = [...this.#list, service];
    this.#changed();
    const t0 = performance.now();
    // The run's time zero on this thread: its first phase event's arrival less the time it reports.
    let startMs: number | undefined;
    void client
      .run(runManifest({ name, bytes }, req, { ...settings, trace: trace !== undefined }), (events: RunEvent[]) => {
        model.apply(events);
        for (const e of events) {
          if (e.kind === "serving") model.push("info", servingLine({ component: name, handler: e.handler, listen: e.listen, preview: null, previewId: null }, "Stop ends it."));
          else if (e.kind === "phase") startMs ??= performance.now() - e.atMs;
          else if (e.kind === "trace") trace?.appendBackground(id, startMs ?? t0, e.chunk);
        }
        this.#changed();
      })
      .then((outcome: ClientOutcome) => {
        trace?.endBackground(id);
        describeOutcome(model, outcome, performance.now() - t0);
        this.#finish(id, model.entries.at(-1)?.text.trim() ?? outcome.kind);
      });
  }

  stop(id: number): void {
    this.#clients.get(id)?.stop();
  }

  /** Stops it if it runs, and takes it off the list. */
  remove(id: number): void {
    this.stop(id);
    this.#clients.get(id)?.dispose();
    this.#clients.delete(id);
    this.#list = this.#list.filter((s) => s.id !== id);
    this.#changed();
  }

  #finish(id: number, ended: string): void {
    this.#list = this.#list.map((s) => (s.id === id ? { ...s, running: false, ended } : s));
    this.#changed();
  }
}
