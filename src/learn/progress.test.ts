import { describe, expect, it } from "vitest";
import { EMPTY_PROGRESS, loadProgress, markPassed, PROGRESS_KEY, saveProgress, withDraft, type KeyValue } from "./progress";

function memory(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe("progress", () => {
  it("round-trips passed lessons, the current lesson and drafts", () => {
    const store = memory();
    let p = markPassed(EMPTY_PROGRESS, "waiting");
    p = markPassed(p, "waiting");
    p = withDraft({ ...p, current: "streams" }, "streams", { guest: "x", wit: "y" });
    saveProgress(store, p);
    expect(loadProgress(store)).toEqual({ version: 1, passed: ["waiting"], current: "streams", drafts: { streams: { guest: "x", wit: "y" } } });
    expect(withDraft(p, "streams", null).drafts).toEqual({});
  });

  it("starts afresh on nothing stored, another version, or unreadable JSON", () => {
    const store = memory();
    expect(loadProgress(store)).toEqual(EMPTY_PROGRESS);
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 0, passed: ["a"] }));
    expect(loadProgress(store)).toEqual(EMPTY_PROGRESS);
    store.setItem(PROGRESS_KEY, "{not json");
    expect(loadProgress(store)).toEqual(EMPTY_PROGRESS);
  });
});
