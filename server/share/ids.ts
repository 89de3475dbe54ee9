/** Content addresses: a blob's sha256, a project state's canonical JSON and its short link id. */
import { createHash } from "node:crypto";

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The one JSON text of a parsed JSON value: object keys sorted, no whitespace. Two clients that serialize the
 * same state differently (key order, spacing) get the same text, so the same short link.
 * Throws a `RangeError` naming the limit past `maxDepth` nested arrays and objects.
 */
export function canonicalJson(value: unknown, maxDepth: number): string {
  const walk = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (depth >= maxDepth) throw new RangeError(`objects and arrays are nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) return `[${v.map((x) => walk(x, depth + 1)).join(",")}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${walk(o[k], depth + 1)}`)
      .join(",")}}`;
  };
  return walk(value, 0);
}

/**
 * A short link's id: the first 12 bytes of the sha256 of the link's canonical record, in base64url
 * (16 characters). 96 bits keep the link short while making a collision negligible: among a
 * billion links the chance that any two share an id is about 6e-12 (n^2 / 2^97), and forging a
 * state that takes over an existing id means a 2^96 second-preimage search. A collision could
 * only come from someone colliding two states of their own, at 2^48 work, and it would hand them
 * their own other state.
 */
export function linkId(canonicalRecord: string): string {
  return createHash("sha256").update(canonicalRecord).digest().subarray(0, 12).toString("base64url");
}
