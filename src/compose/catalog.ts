/**
 * The components a graph instantiates, by sha256: a {@link Library} supplies the bytes (examples,
 * uploads, authored builds), a {@link Catalog} decodes each once and resolves its typed ports.
 */
import type { ComponentAst, ExternName } from "../component/ast";
import { decode, DecodeError } from "../component/decode";
import { externName } from "../component/extern-name";
import { externTypeText } from "../component/type-text";
import { componentTypes, ComponentTypeError, type ExternType, type Member } from "../component/types";

export interface LibraryEntry {
  /** sha256 (hex) of `bytes`. */
  readonly sha256: string;
  /** File name for people (`rate-limiter.wasm`). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Where component bytes come from. Entries are trusted to be keyed by their bytes' sha256. */
export interface Library {
  entry(sha256: string): LibraryEntry | undefined;
}

/** A library held in memory; `add` hashes the bytes. */
export class MemoryLibrary implements Library {
  readonly #entries = new Map<string, LibraryEntry>();

  async add(name: string, bytes: Uint8Array): Promise<LibraryEntry> {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
    const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    const entry = { sha256, name, bytes };
    this.#entries.set(sha256, entry);
    return entry;
  }

  entry(sha256: string): LibraryEntry | undefined {
    return this.#entries.get(sha256);
  }
}

/** One import or export of a component, as an editor shows it. */
export interface Port {
  readonly name: string;
  readonly externName: ExternName;
  readonly type: ExternType;
  /** The WIT of its type: a function signature, or an interface body (several lines). */
  readonly wit: string;
}

/** A library component, decoded, with its typed ports: imports on one side, exports on the other. */
export interface ComponentInfo {
  readonly sha256: string;
  readonly name: string;
  readonly ast: ComponentAst;
  readonly imports: readonly Port[];
  readonly exports: readonly Port[];
}

export type Lookup = { readonly ok: true; readonly info: ComponentInfo } | { readonly ok: false; readonly reason: string };

const port = (m: Member): Port => ({ name: m.name, externName: externName(m.name), type: m.type, wit: externTypeText(m.type) });

/** Decodes and types a library entry; a binary that is not a component is refused with the decoder's reason. */
export function inspect(entry: LibraryEntry): Lookup {
  let ast: ComponentAst;
  try {
    ast = decode(entry.bytes);
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, reason: `\`${entry.name}\` is not a component this playground can compose: ${err.message}` };
    throw err;
  }
  try {
    const types = componentTypes(ast);
    return { ok: true, info: { sha256: entry.sha256, name: entry.name, ast, imports: types.imports.map(port), exports: types.exports.map(port) } };
  } catch (err) {
    if (err instanceof ComponentTypeError) return { ok: false, reason: `\`${entry.name}\` is not a valid component: ${err.message}` };
    throw err;
  }
}

/** Inspected library components by sha256, each inspected once. */
export class Catalog {
  readonly #seen = new Map<string, Lookup>();

  constructor(readonly library: Library) {}

  lookup(sha256: string): Lookup {
    let l = this.#seen.get(sha256);
    if (!l) {
      const entry = this.library.entry(sha256);
      if (!entry) return { ok: false, reason: `component ${sha256.slice(0, 12)}… is not in the library` };
      l = inspect(entry);
      this.#seen.set(sha256, l);
    }
    return l;
  }

  /** The component's info, or undefined when it is missing or not a component (validate says why). */
  info(sha256: string): ComponentInfo | undefined {
    const l = this.lookup(sha256);
    return l.ok ? l.info : undefined;
  }
}
