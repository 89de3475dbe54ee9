// keys: the key store the auth component asks. An async export that waits (wasi:clocks wait-for)
// to stand in for a database lookup, so concurrent lookups overlap in this one instance.
import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

const NS_PER_MS = 1_000_000;
const LOOKUP_MS = 5;

/** Issued tokens and their users. `tok_carol_5d10` was issued once and has been revoked. */
const ISSUED = new Map([
  ["tok_alice_7f3a", "alice"],
  ["tok_bob_91c2", "bob"],
]);

export const keys = {
  // option<string>: a string for some, null for none.
  async lookup(token) {
    await waitFor(LOOKUP_MS * NS_PER_MS);
    return ISSUED.get(token) ?? null;
  },
};
