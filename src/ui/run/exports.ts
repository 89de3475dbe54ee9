/**
 * Which exported functions the run panel offers, and which it picks first. Toolchains add exports
 * of their own that nobody wrote in a world: componentize-qjs exports `init`, which it calls at
 * build time to snapshot the JS engine. Those are internal: hidden unless asked for, never the
 * default.
 */
import type { ComponentInfo, FuncInfo } from "../../protocol/runtime";

/** The `run` of `wasi:cli/run`, the export a command is started by. */
export const RUN = "wasi:cli/run";

/** Toolchain exports by their exact signature (a user's own `init` with other types stays visible). */
const INTERNAL: ReadonlyArray<{ toolchain: string; signature: string }> = [
  { toolchain: "componentize-qjs", signature: "init(shim: string, script: string, entry-path: option<string>, disable-gc: bool) -> result<_, string>" },
];

export const funcKey = (f: FuncInfo) => `${f.iface ?? ""}#${f.name}`;

const signature = (f: FuncInfo) => `${f.name}(${f.params.map((p) => `${p.name}: ${p.type}`).join(", ")})${f.result ? ` -> ${f.result.replace(/\s+/g, " ")}` : ""}`;

/** The toolchain that added `f`, or null when it is the author's own. */
export function internalExport(f: FuncInfo): string | null {
  if (f.iface !== null || f.isAsync) return null;
  return INTERNAL.find((i) => i.signature === signature(f))?.toolchain ?? null;
}

/** Functions the picker lists, `wasi:cli/run` aside (it has an entry of its own): the author's, then the toolchain's when asked for. */
export function callableFuncs(info: ComponentInfo, showInternal: boolean): FuncInfo[] {
  const funcs = info.funcs.filter((f) => f.iface === null || !f.iface.startsWith(`${RUN}@`));
  return showInternal ? funcs : funcs.filter((f) => internalExport(f) === null);
}

/** What a freshly loaded component calls: `wasi:cli/run` for a command, else its first own function. */
export function defaultTarget(info: ComponentInfo): string {
  if (info.isCommand) return RUN;
  const first = callableFuncs(info, false)[0];
  return first ? funcKey(first) : RUN;
}
