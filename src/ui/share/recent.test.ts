import { describe, expect, it } from "vitest";
import { keepRecent } from "./recent";

describe("keepRecent", () => {
  it("keeps the most recently used, each hash once at its latest use", () => {
    const r = keepRecent(
      [
        { sha: "a", usedAt: 1 },
        { sha: "b", usedAt: 2 },
        { sha: "c", usedAt: 3 },
        { sha: "a", usedAt: 4 },
      ],
      2,
    );
    expect(r.keep).toEqual([
      { sha: "a", usedAt: 4 },
      { sha: "c", usedAt: 3 },
    ]);
    expect(r.drop).toEqual([{ sha: "b", usedAt: 2 }]);
  });
});
