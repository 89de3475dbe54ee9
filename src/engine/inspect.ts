/** What a component is: its WIT, imports (and which the host serves), exports and functions. */
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { errorMessage } from "../base/assert";
import type { ComponentInfo, ImportInfo } from "../protocol/runtime";
import { worldExports } from "../wit/signatures";
import { notAComponentMessage } from "./binary";

/** Import names of the first world: `import ns:pkg/iface@ver;` and named function/interface imports. */
export function worldImports(wit: string): string[] {
  const world = /world\s+%?[a-z][a-z0-9-]*\s*\{([\s\S]*?)\n\}/.exec(wit);
  if (!world) return [];
  const names: string[] = [];
  for (const m of world[1]!.matchAll(/^\s*import\s+(%?[^\s:;]+(?::[^\s;]+)?)\s*[;:]/gm)) names.push(m[1]!.replace(/^%/, ""));
  return names;
}

export class NotAComponentError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** `sha256` is the caller's hash of `bytes` (callers key their caches by it too). */
export async function inspectComponent(
  name: string,
  bytes: Uint8Array,
  sha256: string,
  resolve: (importName: string) => string | null,
): Promise<ComponentInfo> {
  const bad = notAComponentMessage(name, bytes);
  if (bad) throw new NotAComponentError(bad.message, bad.hint);
  let wit: string;
  try {
    wit = await componentWit(bytes);
  } catch (err) {
    throw new NotAComponentError(
      `'${name}' could not be decoded as a component: ${errorMessage(err)}`,
      "The binary may be truncated, or use a component-model feature this version of wasm-tools does not know.",
    );
  }
  const imports: ImportInfo[] = worldImports(wit).map((n) => ({ name: n, providedBy: resolve(n) }));
  const { exports, funcs } = worldExports(wit);
  return {
    name,
    size: bytes.length,
    sha256,
    wit,
    imports,
    exports,
    funcs,
    isCommand: exports.some((e) => e.startsWith("wasi:cli/run@")),
  };
}
