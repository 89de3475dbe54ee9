import { describe, expect, it } from "vitest";
import { BuildQueue } from "./queue";

const deferred = () => {
  let resolve: (v: string) => void = () => {};
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};

describe("BuildQueue", () => {
  it("runs one at a time in order; waiting builds hear their position move up", async () => {
    const q = new BuildQueue<string>(1, 10);
    const jobs = [deferred(), deferred(), deferred()];
    const positions: Record<string, number[]> = { a: [], b: [], c: [] };
    const started: string[] = [];
    const run = (key: string, i: number) =>
      q.run(key, () => (started.push(key), jobs[i]!.promise), (n) => positions[key]!.push(n));
    const results = [run("a", 0), run("b", 1), run("c", 2)];
    expect(started).toEqual(["a"]);
    expect(positions).toEqual({ a: [], b: [1], c: [2] });
    jobs[0]!.resolve("A");
    await results[0];
    await Promise.resolve();
    expect(started).toEqual(["a", "b"]);
    expect(positions.c).toEqual([2, 1]);
    jobs[1]!.resolve("B");
    jobs[2]!.resolve("C");
    expect(await Promise.all(results)).toEqual(["A", "B", "C"]);
    expect(q.running).toBe(0);
  });

  it("an identical build shares the one already queued or running", async () => {
    const q = new BuildQueue<string>(1, 10);
    const d = deferred();
    let calls = 0;
    const job = () => (calls++, d.promise);
    const a = q.run("same", job, () => {});
    const b = q.run("same", job, () => {});
    d.resolve("done");
    expect(await Promise.all([a, b])).toEqual(["done", "done"]);
    expect(calls).toBe(1);
  });

  it("refuses new builds when the waiting line is full", () => {
    const q = new BuildQueue<string>(1, 1);
    void q.run("a", () => new Promise(() => {}), () => {});
    void q.run("b", () => new Promise(() => {}), () => {});
    expect(q.canAccept("c")).toBe(false);
    expect(q.canAccept("b")).toBe(true);
  });
});
