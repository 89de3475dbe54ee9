/**
 * A project as one file to download and import: the state and every binary it references, so it
 * opens with no server at all. JSON, readable and diffable:
 * `{ "format": "wasi-playground-project", "version": 1, "state": {...}, "blobs": { "<sha256>": "<base64url>" } }`.
 * Reading it checks the container as strictly as the state: each blob must hash to its name,
 * every referenced blob must be there and no other.
 */
import { BLOB_HASH, formatBytes, SHARE_LIMITS } from "../protocol/share-api";
import { fromBase64url, toBase64url } from "./base64url";
import { fields, record, SchemaError, string } from "./read";
import { parseProject, referencedBlobs, serializeProject, type ProjectState } from "./schema";

export const PROJECT_FILE_FORMAT = "wasi-playground-project";
export const PROJECT_FILE_VERSION = 1;
/** A project file holds its binaries as base64 (4/3 of their size): room for a large component and some more. */
export const PROJECT_FILE_MAX_BYTES = 64 * 1024 * 1024;
export const PROJECT_FILE_EXTENSION = ".wasi-project.json";

export type ProjectFileRead = { ok: true; state: ProjectState; blobs: Map<string, Uint8Array<ArrayBuffer>> } | { ok: false; error: string };

/** The file's text. `blobs` must hold every blob the state references (by sha256). */
export function projectFileText(state: ProjectState, blobs: ReadonlyMap<string, Uint8Array>): string {
  const encoded: Record<string, string> = {};
  for (const sha of referencedBlobs(state)) {
    const bytes = blobs.get(sha);
    if (!bytes) throw new Error(`playground bug: the project file lacks blob ${sha}`);
    encoded[sha] = toBase64url(bytes);
  }
  return `{"format":${JSON.stringify(PROJECT_FILE_FORMAT)},"version":${PROJECT_FILE_VERSION},"state":${serializeProject(state)},"blobs":${JSON.stringify(encoded)}}\n`;
}

/** Refuses a file past the limit before it is read, with its size. */
export function projectFileTooLarge(size: number): string | null {
  return size > PROJECT_FILE_MAX_BYTES ? `the file is ${formatBytes(size)} (${size} bytes); a project file may be at most ${formatBytes(PROJECT_FILE_MAX_BYTES)}` : null;
}

/** The project in a file's text; `sha256` hashes a blob (Web Crypto in the page). */
export async function readProjectFile(text: string, sha256: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>): Promise<ProjectFileRead> {
  const tooLarge = projectFileTooLarge(text.length);
  if (tooLarge) return { ok: false, error: tooLarge };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "it is not a project file (not JSON)" };
  }
  let encoded: Record<string, string>;
  let stateJson: unknown;
  try {
    const top = fields(json, "file", ["format", "version", "state", "blobs"]);
    if (top.format !== PROJECT_FILE_FORMAT) throw new SchemaError("file.format", `expected "${PROJECT_FILE_FORMAT}"`);
    if (typeof top.version !== "number" || top.version > PROJECT_FILE_VERSION) throw new SchemaError("file.version", `this playground reads version ${PROJECT_FILE_VERSION}; a newer playground wrote this file (reload to update)`);
    if (top.version !== PROJECT_FILE_VERSION) throw new SchemaError("file.version", `expected ${PROJECT_FILE_VERSION}`);
    encoded = record(top.blobs, "file.blobs", BLOB_HASH, (v, at) => string(v, at, { max: Math.ceil((SHARE_LIMITS.blobBytes * 4) / 3) }));
    stateJson = top.state;
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, error: `it is not a valid project file: ${err.message}` };
    throw err;
  }
  const parsed = parseProject(stateJson);
  if (!parsed.ok) return parsed;
  const wanted = referencedBlobs(parsed.state);
  const blobs = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const [sha, text64] of Object.entries(encoded)) {
    if (!wanted.includes(sha)) return { ok: false, error: `it is not a valid project file: file.blobs.${sha} is not used by the project` };
    const bytes = fromBase64url(text64);
    if (!bytes) return { ok: false, error: `it is damaged: blob ${sha} is not base64url` };
    const actual = await sha256(bytes);
    if (actual !== sha) return { ok: false, error: `it is damaged: blob ${sha} hashes to ${actual}` };
    blobs.set(sha, bytes);
  }
  const missing = wanted.filter((sha) => !blobs.has(sha));
  if (missing.length > 0) return { ok: false, error: `it is incomplete: it lacks the blob${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` };
  return { ok: true, state: parsed.state, blobs };
}
