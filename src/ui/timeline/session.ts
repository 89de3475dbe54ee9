/**
 * One trace being shown: a run's live events or an imported file. Holds the store and its layout,
 * tells subscribers when either changed; layout work happens in `step`, which the panel calls once
 * per animation frame with a time budget.
 */
import type { TraceChunk, TraceEvent } from "../../protocol/trace-events";
import { batchToChunk, chunkToBatch } from "../../protocol/trace-chunk";
import { rebaseBackground } from "./background";
import { exportChromeTrace, importChromeTrace } from "./chromeTrace";
import { TimelineLayout } from "./layout";
import { TraceStore } from "./traceStore";

export type TraceSource = { kind: "run"; component: string; engine?: string } | { kind: "file"; file: string; component: string };

export class TraceSession {
  store = new TraceStore();
  layout = new TimelineLayout(this.store);
  source: TraceSource | null = null;
  /** A run is still producing events. */
  live = false;
  /** Set while a file loads: fraction read. */
  loading: number | null = null;
  error: string | null = null;
  /** Whether the next run should record a trace (the panel is open). */
  watching = true;
  readonly #listeners = new Set<() => void>();
  /** When the shown run began (main-thread ms): background runs' times are placed against it. */
  #t0Ms = performance.now();
  /** Background runs still going, by key: when each began, and its instances (to name its lanes in the next trace too). */
  readonly #background = new Map<number, { startMs: number; instances: TraceEvent[] }>();

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }

  /** Starts showing a new trace (the previous one is dropped). */
  begin(source: TraceSource, maxEvents?: number): void {
    this.store = new TraceStore(maxEvents);
    this.layout = new TimelineLayout(this.store);
    this.source = source;
    this.live = source.kind === "run";
    this.loading = null;
    this.error = null;
    this.#t0Ms = performance.now();
    if (source.kind === "run") for (const [key, b] of this.#background) this.#appendBackground(key, b.startMs, batchToChunk({ fidelity: "exact", events: b.instances, dropped: 0 }));
    this.#changed();
  }

  /**
   * A background run's events (its key unique among background runs; `startMs`: when it began,
   * main-thread ms), shown with the run in view: rebased onto its clock and into ids of their own
   * (background.ts). Not mixed into an imported file; with nothing shown yet, they start a trace.
   */
  appendBackground(key: number, startMs: number, chunk: TraceChunk): void {
    if (this.source?.kind === "file") return;
    let b = this.#background.get(key);
    if (!b) this.#background.set(key, (b = { startMs, instances: [] }));
    b.instances.push(...chunkToBatch(chunk).events.filter((e) => e.kind === "instance"));
    if (!this.source) this.begin({ kind: "run", component: "background runs" });
    this.#appendBackground(key, startMs, chunk);
    this.#changed();
  }

  /** The background run `key` ended: the next trace no longer names its lanes. */
  endBackground(key: number): void {
    this.#background.delete(key);
  }

  #appendBackground(key: number, startMs: number, chunk: TraceChunk): void {
    this.store.append(rebaseBackground(chunk, key, Math.round((startMs - this.#t0Ms) * 1e6)));
  }

  /** A live run's events; ignored once something else is shown (a file opened meanwhile). */
  append(chunk: TraceChunk): void {
    if (!this.live) return;
    this.store.append(chunk);
    this.#changed();
  }

  /** Events of the trace being shown (tests, imports). */
  appendEvents(events: TraceEvent[]): void {
    this.store.append(batchToChunk({ fidelity: this.store.fidelity ?? "host-boundary", events, dropped: this.store.droppedByRecorder }));
    this.#changed();
  }

  /** The run finished (or was stopped). */
  end(): void {
    if (!this.live) return;
    this.live = false;
    this.#changed();
  }

  /** Lays out pending events within `budgetMs`; true if more remain. */
  step(budgetMs: number): boolean {
    if (this.layout.stale) this.layout = new TimelineLayout(this.store);
    return this.layout.advance(budgetMs);
  }

  /** Lays out everything now (export, tests). */
  settle(): void {
    while (this.step(1000));
  }

  exportText(): string {
    this.settle();
    return exportChromeTrace(this.store, this.layout, { component: this.source?.component ?? "trace" });
  }

  /**
   * Loads a Chrome trace exported by the playground, in slices; input stays responsive meanwhile.
   * A run or another import started before it finishes supersedes it.
   */
  async importText(file: string, text: string, yieldNow?: () => Promise<void>): Promise<void> {
    const previous = { source: this.source, store: this.store, layout: this.layout };
    this.begin({ kind: "file", file, component: file });
    const store = this.store;
    const current = () => this.store === store;
    this.loading = 0;
    this.#changed();
    try {
      await importChromeTrace(
        text,
        (events, progress) => {
          if (!current()) return;
          this.appendEvents(events);
          this.loading = progress;
        },
        {
          yieldNow,
          onMeta: (meta) => {
            store.fidelity = meta.fidelity;
            store.droppedByRecorder = meta.dropped;
            if (current()) this.source = { kind: "file", file, component: meta.component };
          },
        },
      );
    } catch (err) {
      if (!current()) return;
      Object.assign(this, previous);
      this.error = `Could not open '${file}': ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (current() || this.store === previous.store) {
        this.loading = null;
        this.#changed();
      }
    }
  }
}
