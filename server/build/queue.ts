/**
 * Builds wait their turn: at most `concurrency` run at once, the rest wait in order and hear their
 * position as it changes. A build identical to one already waiting or running (same key) shares it.
 */
export class BuildQueue<T> {
  readonly #waiting: Array<{ key: string; start: () => void; listeners: Set<(position: number) => void> }> = [];
  readonly #shared = new Map<string, Promise<T>>();
  #running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  get waiting(): number {
    return this.#waiting.length;
  }

  get running(): number {
    return this.#running;
  }

  /** False when the queue is full (and the build is not already queued). */
  canAccept(key: string): boolean {
    return this.#shared.has(key) || this.#waiting.length < this.maxWaiting;
  }

  /** Runs `job` in turn; `onPosition(n)` says how many builds are ahead while it waits (never called if it starts at once). */
  run(key: string, job: () => Promise<T>, onPosition: (ahead: number) => void): Promise<T> {
    const existing = this.#shared.get(key);
    if (existing) {
      const w = this.#waiting.find((x) => x.key === key);
      if (w) {
        w.listeners.add(onPosition);
        onPosition(this.#waiting.indexOf(w) + 1);
      }
      return existing;
    }
    const promise = new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            this.#running--;
            this.#shared.delete(key);
            this.#next();
          });
      };
      if (this.#running < this.concurrency) start();
      else {
        this.#waiting.push({ key, start, listeners: new Set([onPosition]) });
        onPosition(this.#waiting.length);
      }
    });
    this.#shared.set(key, promise);
    return promise;
  }

  #next(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) this.#waiting.shift()!.start();
    this.#waiting.forEach((w, i) => w.listeners.forEach((l) => l(i + 1)));
  }
}
