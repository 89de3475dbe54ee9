/**
 * A project state as link text and back: canonical JSON -> gzip (`CompressionStream`, whose CRC-32
 * catches a changed or cut link) -> base64url. Decoding checks every layer and stops unpacking
 * past `SHARE_LIMITS.stateBytes`, so a damaged, truncated, oversized or newer link is refused with
 * a sentence that says which.
 */
import { formatBytes, SHARE_LIMITS } from "../protocol/share-api";
import { fromBase64url, toBase64url } from "./base64url";
import { parseProject, serializeProject, type Parsed, type ProjectState } from "./schema";

export type Encoded = { ok: true; data: string; jsonBytes: number } | { ok: false; error: string; size: number };

/** The link text of `state`, or why it cannot be one (its size past the limit). */
export async function encodeProject(state: ProjectState): Promise<Encoded> {
  const json = new TextEncoder().encode(serializeProject(state));
  if (json.length > SHARE_LIMITS.stateBytes) return { ok: false, error: tooLarge(json.length, true), size: json.length };
  return { ok: true, data: toBase64url(await gzip(json)), jsonBytes: json.length };
}

/** The state in link text `data`, or why it cannot be read. */
export async function decodeProject(data: string): Promise<Parsed> {
  const packed = fromBase64url(data);
  if (!packed || packed.length === 0) return { ok: false, error: "the link is damaged: it has characters or a length a link never has (was it cut short or edited?)" };
  const unpacked = await gunzip(packed, SHARE_LIMITS.stateBytes);
  if (!unpacked.ok) return unpacked;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unpacked.bytes));
  } catch {
    return { ok: false, error: "the link is damaged: what it holds is not a project (not JSON text)" };
  }
  return parseProject(json);
}

/** The project's size against what a link (and a short link) holds. */
function tooLarge(size: number, exact: boolean): string {
  const limit = SHARE_LIMITS.stateBytes;
  const is = exact ? `is ${formatBytes(size)} (${size} bytes)` : `is more than ${formatBytes(limit)} unpacked`;
  return `the project ${is}; a link holds at most ${formatBytes(limit)} (${limit} bytes)`;
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

/** Unpacks up to `limit` bytes; more is refused without unpacking the rest (a small link can expand a lot). */
async function gunzip(bytes: Uint8Array<ArrayBuffer>, limit: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        return { ok: false, error: tooLarge(limit, false) };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, error: "the link is damaged or cut short: its compressed data does not check out" };
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes: out };
}
