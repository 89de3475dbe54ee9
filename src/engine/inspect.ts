/** What a component is: its WIT, imports (and which the host serves), exports and functions. */
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { errorMessage } from "../base/assert";
import { decode } from "../component/decode";
import { valueTypeText } from "../component/type-text";
import { componentTypes } from "../component/types";
import type { ComponentInfo, FuncInfo, ImportInfo } from "../protocol/runtime";
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

/**
 * The functions of exported interfaces `ifaces`, read from the component's own types: wasm-tools
 * prints only the root package, so the body of an interface of another package that the component
 * itself exports (a composition's `playground:gateway/api`) is not in the printed WIT.
 */
export function exportedFuncs(bytes: Uint8Array, ifaces: readonly string[]): FuncInfo[] {
  let exports;
  try {
    exports = componentTypes(decode(bytes)).exports;
  } catch {
    // Our decoder does not know it (wasm-tools did): the run panel offers what the WIT shows.
    return [];
  }
  return exports.flatMap((e) =>
    ifaces.includes(e.name) && e.type.kind === "instance"
      ? e.type.exports.flatMap((m): FuncInfo[] =>
          m.type.kind === "func" && !m.name.startsWith("[")
            ? [{ iface: e.name, name: m.name, isAsync: m.type.async, params: m.type.params.map((p) => ({ name: p.name, type: valueTypeText(p.type) })), result: m.type.result === undefined ? null : valueTypeText(m.type.result) }]
            : [],
        )
      : [],
  );
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
  const described = new Set(funcs.map((f) => f.iface));
  const bodiless = exports.filter((e) => e.includes("/") && !described.has(e));
  if (bodiless.length) funcs.push(...exportedFuncs(bytes, bodiless));
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
