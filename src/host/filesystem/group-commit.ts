/**
 * Group commit, the scheduling core of the fs-owner's store (kv-cached.ts): while one batch of
 * jobs is being committed, jobs that arrive wait; when it settles, every job that waited goes into
 * ONE next batch. A job is answered only after the batch holding it committed, so no caller ever
 * hears of a change that could still be lost; a batch whose commit fails fails every job in it.
 */
import { assert } from "../../base/assert";

/** One job's answer within a committed batch: its own value, or its own error. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<J, R> {
  job: J;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<J, R> {
  #waiting: Array<Waiting<J, R>> = [];
  #busy = false;

  /**
   * `commit` runs one batch (the jobs in the order they arrived) and commits it; it resolves with
   * each job's outcome once the commit is complete, and rejects when the commit failed.
   */
  constructor(private readonly commit: (jobs: readonly J[]) => Promise<Array<Outcome<R>>>) {}

  /** Queues `job` for the next batch; settles once that batch committed (or failed to). */
  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      if (this.#busy) return;
      this.#busy = true;
      // Jobs submitted in the same turn start together.
      queueMicrotask(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0);
      let outcomes: Array<Outcome<R>>;
      try {
        outcomes = await this.commit(batch.map((w) => w.job));
      } catch (error) {
        for (const w of batch) w.reject(error);
        continue;
      }
      assert(outcomes.length === batch.length, `group commit: ${outcomes.length} outcomes for ${batch.length} jobs`);
      batch.forEach((w, i) => {
        const o = outcomes[i]!;
        if (o.ok) w.resolve(o.value);
        else w.reject(o.error);
      });
    }
    this.#busy = false;
  }
}
