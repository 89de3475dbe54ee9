/** What each composition example must return, on every engine and in every browser. */
import { PIPELINE_TEXT } from "../../src/examples/graphs";
import type { Outcome } from "./main";

export type { Outcome };

/** The router's replies to main.ts's three requests: Alice's profile, Bob's orders, Carol refused. */
export const GATEWAY_REPLIES = [
  { tag: "ok", val: '{"user":{"name":"Alice","plan":"pro"},"orders":[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]}' },
  { tag: "ok", val: "[]" },
  { tag: "err", val: "401 unknown or revoked token" },
];

/** What is wrong with one outcome, or null when it is what the example must return. */
export function outcomeProblem(r: Outcome): string | null {
  const what = `${r.engine} ${r.scenario}`;
  if (!r.ok) return `${what} failed: ${r.message}`;
  if (r.scenario === "gateway") {
    // Rebuilt in one key order: WebDriver hands objects back with their keys in any order.
    const replies = (r.value as Array<{ tag: string; val: string }>).map(({ tag, val }) => ({ tag, val }));
    return JSON.stringify(replies) === JSON.stringify(GATEWAY_REPLIES) ? null : `${what} returned ${JSON.stringify(r.value)}, expected ${JSON.stringify(GATEWAY_REPLIES)}`;
  }
  const { result, stdout } = r.value as { result: { tag: string }; stdout: string };
  if (result.tag !== "ok") return `${what}: run returned ${JSON.stringify(result)}`;
  if (stdout.slice(0, PIPELINE_TEXT.length) !== PIPELINE_TEXT.toUpperCase()) return `${what} printed ${JSON.stringify(stdout.slice(0, 200))}, expected the text uppercased`;
  const tail = stdout.slice(PIPELINE_TEXT.length);
  return new RegExp(`^consumer: ${PIPELINE_TEXT.length} bytes in \\d+ reads\\n$`).test(tail) ? null : `${what} ended with ${JSON.stringify(tail)}, expected the consumer's byte count`;
}
