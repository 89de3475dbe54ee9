// For tests: an AST as plain data that `toEqual` compares quickly and can compare without
// positions (offsets, sizes, section headers), which differ whenever the bytes do.
import type { ComponentAst } from "./ast";

/** Keys that say where something was in the bytes rather than what it is. */
const POSITIONS = new Set(["offset", "size", "sections"]);

/**
 * `ast` with byte views replaced by their length and an FNV-1a digest (megabytes of core module
 * compare in one step) and, unless `positions`, without offsets, sizes and section headers.
 */
export function plainAst(ast: ComponentAst, positions: boolean): unknown {
  return plain(ast, positions);
}

function plain(v: unknown, positions: boolean): unknown {
  if (v instanceof Uint8Array) return `${v.length} bytes, fnv1a ${fnv1a(v)}`;
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, plain(x, positions)]));
  if (Array.isArray(v)) return v.map((x) => plain(x, positions));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (positions || !POSITIONS.has(k)) out[k] = plain(x, positions);
    return out;
  }
  return v;
}

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}
