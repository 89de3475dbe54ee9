// rate-limiter: sliding-window admission per client, kept in this instance's memory. `admit` is a
// plain synchronous export: the router calls it like a function and never waits on it.
import { now } from "wasi:clocks/monotonic-clock@0.3.0";

const LIMIT = 5;
const WINDOW_MS = 10_000;
const NS_PER_MS = 1_000_000;

/** client -> monotonic times (ns) of its admitted requests still inside the window, oldest first. */
const admitted = new Map();

export const limits = {
  // result<u32, string>: return the ok value, throw the err value.
  admit(client) {
    const t = Number(now());
    const recent = (admitted.get(client) ?? []).filter((at) => t - at < WINDOW_MS * NS_PER_MS);
    admitted.set(client, recent);
    if (recent.length >= LIMIT) {
      const retryMs = Math.ceil((recent[0] + WINDOW_MS * NS_PER_MS - t) / NS_PER_MS);
      throw `rate limited: ${LIMIT} requests from ${client} in the last ${WINDOW_MS / 1000} s; retry in ${retryMs} ms`;
    }
    recent.push(t);
    return LIMIT - recent.length;
  },
};
