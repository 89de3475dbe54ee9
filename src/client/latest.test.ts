import { describe, expect, it } from "vitest";
import { LatestOnly } from "./latest";

describe("LatestOnly", () => {
  it("runs the first request, drops the ones overtaken while it runs, runs the last", async () => {
    const sent: number[] = [];
    let release: () => void = () => {};
    const l = new LatestOnly<number, number>(async (n) => {
      sent.push(n);
      if (n === 1) await new Promise<void>((r) => (release = r));
      return n * 10;
    });
    const a = l.run(1);
    const b = l.run(2);
    const c = l.run(3);
    release();
    expect(await Promise.all([a, b, c])).toEqual([null, null, 30]);
    expect(sent).toEqual([1, 3]);
    expect(await l.run(4)).toBe(40);
  });

  it("passes errors of the latest request on", async () => {
    const l = new LatestOnly<number, number>(async () => {
      throw new Error("boom");
    });
    await expect(l.run(1)).rejects.toThrow("boom");
  });
});
