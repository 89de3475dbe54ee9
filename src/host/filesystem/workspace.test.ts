/** The owner's change notices: a burst of changes reaches the tabs as one notice per kind. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { noticeBursts } from "./workspace";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("noticeBursts", () => {
  it("sends a burst of changes as one notice per kind, once the burst's window has passed", () => {
    const send = vi.fn();
    const post = noticeBursts(50, send);
    for (let i = 0; i < 100; i++) post("a", "write");
    post("a", "create");
    post("a", "write");
    vi.advanceTimersByTime(49);
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(send.mock.calls).toEqual([
      ["a", "write"],
      ["a", "create"],
    ]);
    // The next change starts a new burst.
    post("a", "remove");
    vi.advanceTimersByTime(50);
    expect(send.mock.calls.map(([, kind]) => kind)).toEqual(["write", "create", "remove"]);
  });

  it("says a full store at once, and keeps workspaces apart", () => {
    const send = vi.fn();
    const post = noticeBursts(50, send);
    post("a", "write");
    vi.advanceTimersByTime(30);
    post("b", "write");
    post("b", "quota");
    expect(send.mock.calls).toEqual([["b", "quota"]]);
    vi.advanceTimersByTime(20);
    expect(send.mock.calls).toEqual([
      ["b", "quota"],
      ["a", "write"],
    ]);
    vi.advanceTimersByTime(30);
    expect(send.mock.calls.at(-1)).toEqual(["b", "write"]);
  });
});
