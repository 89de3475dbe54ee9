// upstream: a backend service with a small fixed data set. The gateway instantiates this one
// component twice (as its `users` and its `orders` backend); each instance answers after the
// resource's simulated latency (wasi:clocks wait-for), so the router's two calls overlap.
import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

const NS_PER_MS = 1_000_000;
const NOT_FOUND_MS = 2;

/** path -> [latency in ms, JSON body]. */
const RESOURCES = new Map([
  ["/users/alice", [30, '{"name":"Alice","plan":"pro"}']],
  ["/users/bob", [30, '{"name":"Bob","plan":"free"}']],
  ["/orders/alice", [40, '[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]']],
  ["/orders/bob", [40, "[]"]],
]);

export const upstream = {
  // result<string, string>: return the body, throw the reason.
  async fetch(path) {
    const found = RESOURCES.get(path);
    await waitFor((found ? found[0] : NOT_FOUND_MS) * NS_PER_MS);
    if (!found) throw `404 nothing at ${path}`;
    return found[1];
  },
};
