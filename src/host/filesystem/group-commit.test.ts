/** Group commit against a store that commits after a real delay: batching, and no answer before the commit. */
import { describe, expect, it } from "vitest";
import { GroupCommit, type Outcome } from "./group-commit";

type Job = { key: string; value: number } | { key: string; fail: string };

/** A key-value store whose commits take a few milliseconds (timers, like IndexedDB's round trip). */
class SlowStore {
  readonly committed = new Map<string, number>();
  readonly batches: string[][] = [];
  /** The next commit to start fails with this. */
  failNext: Error | undefined;
  /** When set, the next commit to start waits for this instead of its few milliseconds. */
  holdNext: Promise<void> | undefined;

  async commit(jobs: readonly Job[]): Promise<Array<Outcome<number>>> {
    this.batches.push(jobs.map((j) => j.key));
    const fail = this.failNext;
    this.failNext = undefined;
    const hold = this.holdNext;
    this.holdNext = undefined;
    const staged = new Map<string, number>();
    const outcomes = jobs.map((j): Outcome<number> => {
      if ("fail" in j) return { ok: false, error: new Error(j.fail) };
      staged.set(j.key, j.value);
      return { ok: true, value: j.value };
    });
    await (hold ?? new Promise((r) => setTimeout(r, 5)));
    if (fail) throw fail;
    for (const [k, v] of staged) this.committed.set(k, v);
    return outcomes;
  }
}

function setup() {
  const store = new SlowStore();
  const gc = new GroupCommit<Job, number>((jobs) => store.commit(jobs));
  /** Submits a job; when it is answered, records whether its write was committed by then. */
  const put = (key: string, value: number) =>
    gc.submit({ key, value }).then((v) => ({ v, committedBeforeAnswer: store.committed.get(key) === value }));
  return { store, gc, put };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("GroupCommit", () => {
  it("jobs that arrive while a batch commits go together into one next batch", async () => {
    const { store, put } = setup();
    // The first commit stays open until all three have arrived, however slowly this machine runs
    // (with its 5 ms timer, a loaded machine finished it between the second and the third).
    let release!: () => void;
    store.holdNext = new Promise((r) => (release = r));
    const first = put("a", 1);
    await tick(); // the first batch is committing now
    const rest = [put("b", 2), put("c", 3)];
    await tick();
    rest.push(put("d", 4));
    release();
    await Promise.all([first, ...rest]);
    expect(store.batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("jobs submitted in one turn share a batch", async () => {
    const { store, put } = setup();
    await Promise.all([put("a", 1), put("b", 2), put("c", 3)]);
    expect(store.batches).toEqual([["a", "b", "c"]]);
  });

  it("answers each job only once the batch holding it committed", async () => {
    const { store, put } = setup();
    const answers = [put("a", 1)];
    await tick();
    answers.push(put("b", 2), put("c", 3));
    for (const a of await Promise.all(answers)) expect(a.committedBeforeAnswer).toBe(true);
    expect([...store.committed]).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ]);
  });

  it("a job's own error fails that job alone, after its batch committed", async () => {
    const { store, gc, put } = setup();
    const ok = put("a", 1);
    const bad = gc.submit({ key: "x", fail: "no-entry" }).catch((e: Error) => ({ error: e.message, aCommitted: store.committed.has("a") }));
    expect(await bad).toEqual({ error: "no-entry", aCommitted: true });
    expect((await ok).v).toBe(1);
    expect(store.batches).toEqual([["a", "x"]]);
  });

  it("a failed commit fails every job in its batch, and the next batch still runs", async () => {
    const { store, put } = setup();
    const first = put("a", 1);
    await tick();
    store.failNext = new Error("quota");
    const failed = [put("b", 2), put("c", 3)].map((p) => p.then(() => "answered", (e: Error) => e.message));
    await first;
    expect(await Promise.all(failed)).toEqual(["quota", "quota"]);
    expect(store.committed.has("b") || store.committed.has("c")).toBe(false);
    expect((await put("d", 4)).committedBeforeAnswer).toBe(true);
    expect(store.batches).toEqual([["a"], ["b", "c"], ["d"]]);
  });
});
