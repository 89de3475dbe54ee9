/**
 * Samples the JS heap of a page, its dedicated workers and named shared workers over CDP
 * (`Runtime.getHeapUsage`), for e2e/bounded-memory.spec.ts. A sample counts the V8 heap in use and
 * the ArrayBuffer backing stores outside it (`backingStorageSize`), where transferred bytes live.
 * Our own sessions only call Runtime.getHeapUsage: no domain is enabled, nothing else is observed.
 */
import type { Browser, CDPSession, Page } from "@playwright/test";

interface HeapUsage {
  usedSize: number;
  backingStorageSize?: number;
}

interface Target {
  name: string;
  sample(): Promise<HeapUsage>;
}

/** Talks to a target attached without flattening: requests and answers are wrapped in Target messages. */
function wrapped(session: CDPSession, sessionId: string, name: string): Target {
  let nextId = 1;
  const waiting = new Map<number, (m: { result?: HeapUsage; error?: { message: string } }) => void>();
  session.on("Target.receivedMessageFromTarget", (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: HeapUsage; error?: { message: string } };
    if (m.id === undefined) return;
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  return {
    name,
    async sample() {
      const id = nextId++;
      const answered = new Promise<{ result?: HeapUsage; error?: { message: string } }>((r) => waiting.set(id, r));
      await session.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method: "Runtime.getHeapUsage" }) });
      const m = await answered;
      if (!m.result) throw new Error(`Runtime.getHeapUsage failed in ${name}: ${m.error?.message}`);
      return m.result;
    },
  };
}

export interface HeapPeak {
  target: string;
  /** Largest usedSize + backingStorageSize seen, bytes. */
  peak: number;
  /** The first sample, bytes. */
  base: number;
}

export class HeapSampler {
  #targets: Target[] = [];
  #peaks = new Map<string, HeapPeak>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #sampling: Promise<void> = Promise.resolve();

  private constructor() {}

  /** The page, its dedicated workers (present now), and the shared workers whose name contains `shared`. */
  static async attach(page: Page, browser: Browser, shared: string): Promise<HeapSampler> {
    const s = new HeapSampler();
    const cdp = await page.context().newCDPSession(page);
    s.#targets.push({ name: "page", sample: () => cdp.send("Runtime.getHeapUsage") as Promise<HeapUsage> });
    const workers: Array<{ sessionId: string; name: string }> = [];
    cdp.on("Target.attachedToTarget", (e) => workers.push({ sessionId: e.sessionId, name: `worker ${e.targetInfo.title || e.targetInfo.url}` }));
    await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    await page.waitForTimeout(200);
    for (const w of workers) s.#targets.push(wrapped(cdp, w.sessionId, w.name));
    const root = await browser.newBrowserCDPSession();
    const { targetInfos } = await root.send("Target.getTargets");
    for (const t of targetInfos.filter((t) => t.type === "shared_worker" && (t.title.includes(shared) || t.url.includes(shared)))) {
      const { sessionId } = await root.send("Target.attachToTarget", { targetId: t.targetId, flatten: false });
      s.#targets.push(wrapped(root, sessionId, `shared worker ${t.title || t.url}`));
    }
    return s;
  }

  get targets(): string[] {
    return this.#targets.map((t) => t.name);
  }

  /** Samples every target now and then every `ms` until `stop`. */
  start(ms: number): void {
    const tick = () => {
      this.#sampling = this.#sampling.then(() => this.#sampleAll());
    };
    tick();
    this.#timer = setInterval(tick, ms);
  }

  async #sampleAll(): Promise<void> {
    await Promise.all(
      this.#targets.map(async (t) => {
        const u = await t.sample();
        const bytes = u.usedSize + (u.backingStorageSize ?? 0);
        const p = this.#peaks.get(t.name);
        if (!p) this.#peaks.set(t.name, { target: t.name, peak: bytes, base: bytes });
        else p.peak = Math.max(p.peak, bytes);
      }),
    );
  }

  /** Stops sampling (after one last sample) and returns each target's peak. */
  async stop(): Promise<HeapPeak[]> {
    clearInterval(this.#timer);
    this.#sampling = this.#sampling.then(() => this.#sampleAll());
    await this.#sampling;
    return [...this.#peaks.values()];
  }
}
