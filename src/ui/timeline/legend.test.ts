import { describe, expect, it } from "vitest";
import { legendEntries } from "./legend";
import { DARK_TIMELINE, LIGHT_TIMELINE } from "./palette";

describe("legendEntries", () => {
  it("names busy, idle and scheduled apart, and every colour is the palette's own", () => {
    for (const p of [LIGHT_TIMELINE, DARK_TIMELINE]) {
      const e = legendEntries(p);
      expect(e.slice(0, 3).map((x) => x.label)).toEqual(["busy", "idle", "scheduled"]);
      expect(new Set(e.map((x) => x.label)).size).toBe(e.length);
      expect(e.find((x) => x.label === "scheduled")!.color).toBe(p.scheduled);
      expect(e.find((x) => x.label === "call")).toMatchObject({ shape: "dashed", color: p.callArrow });
    }
  });
});
