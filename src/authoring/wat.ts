/**
 * WAT builds in the browser, with jco's wasm-tools:
 * - a whole component in component WAT: `parse`, then decode its WIT (which validates it);
 * - a core module in WAT plus the project's WIT: `parse`, validate the module (V8 names the
 *   failing function), `componentEmbed` the WIT, `componentNew`.
 * Errors become diagnostics at the WAT (or WIT) line and column they concern.
 */
import { componentEmbed, componentNew, componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { errorMessage } from "../base/assert";
import type { BuildOutcome, ProjectFile, SourceDiagnostic } from "../protocol/authoring-api";
import { bundle, type ParseCache } from "../wit/bundle";
import { locateWitError } from "../wit/locate";
import { WitModel } from "../wit/model";
import { VENDORED_WIT } from "../wit/vendored";
import { witSources } from "./project";

function diag(path: string, text: string, line: number, column: number, message: string, length = 1): SourceDiagnostic {
  const lineText = text.split("\n")[line - 1] ?? "";
  const end = length > 0 ? Math.min(column + length, lineText.length + 1) : lineText.length + 1;
  return { path, line, column, endLine: line, endColumn: Math.max(end, column + 1), message, severity: "error" };
}

/** `CamelCase` -> `camel case`. */
const words = (s: string) => s.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

const LEX_MESSAGES: Record<string, string> = {
  UnexpectedEof: "unexpected end of file (an unclosed string, comment or parenthesis?)",
  DanglingBlockComment: "unclosed block comment `(;`",
};

/** Reads a Rust `Debug` string literal (`"a \"b\" \u{1f600}"`). */
function rustString(quoted: string): string {
  return quoted
    .slice(1, -1)
    .replace(/\\u\{([0-9a-fA-F]+)\}/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/**
 * wasm-tools' `parse` errors are wast's `Debug` output:
 * `Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 17, col: 52, ... }), ..., kind: Custom("...") } }) }`
 * with 0-based line and column.
 */
export function watParseDiagnostic(raw: string, path: string, text: string): SourceDiagnostic {
  const pos = /line: (\d+), col: (\d+)/.exec(raw);
  const custom = /kind: Custom\(("(?:[^"\\]|\\.)*")\)/.exec(raw);
  const lexKind = /kind: Lex\((\w+)/.exec(raw);
  const message = custom ? rustString(custom[1]!) : lexKind ? (LEX_MESSAGES[lexKind[1]!] ?? words(lexKind[1]!)) : raw;
  if (!pos) return diag(path, text, 1, 1, message, 0);
  return diag(path, text, Number(pos[1]) + 1, Number(pos[2]) + 1, message);
}

/**
 * The position of the `index`th function of a WAT module, counting imported functions first as
 * the function index space does (the `(func` forms directly in the module or in an `import`).
 */
export function watFunctionPosition(text: string, index: number): { line: number; column: number } | null {
  const parents: string[] = [];
  let count = 0;
  let line = 1;
  let col = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      col = 1;
      continue;
    }
    if (text.startsWith(";;", i)) {
      const nl = text.indexOf("\n", i);
      i = (nl === -1 ? text.length : nl) - 1;
      continue;
    }
    if (text.startsWith("(;", i)) {
      const end = text.indexOf(";)", i);
      const skipped = text.slice(i, end === -1 ? text.length : end + 2);
      const nls = skipped.split("\n").length - 1;
      if (nls > 0) {
        line += nls;
        col = skipped.length - skipped.lastIndexOf("\n");
      } else col += skipped.length;
      i += skipped.length - 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      col += j - i + 1;
      i = j;
      continue;
    }
    if (c === "(") {
      const name = /^\(([a-z][a-z0-9._]*)/.exec(text.slice(i, i + 32))?.[1] ?? "";
      if (name === "func" && (parents[parents.length - 1] === "module" || parents[parents.length - 1] === "import")) {
        if (count === index) return { line, column: col };
        count++;
      }
      parents.push(name);
    } else if (c === ")") parents.pop();
    col++;
  }
  return null;
}

/** V8's compile error for a core module, placed on the function it names. */
function coreValidationDiagnostic(err: unknown, path: string, text: string): SourceDiagnostic {
  const message = errorMessage(err).replace(/^WebAssembly\.Module\(\): /, "");
  const fn = /function #(\d+)/.exec(message);
  const pos = fn ? watFunctionPosition(text, Number(fn[1])) : null;
  return pos ? diag(path, text, pos.line, pos.column, message, 5) : diag(path, text, 1, 1, message, 0);
}

/** A wasm-tools message that names something (`failed to find export of function \`add\``): put it where the name is written. */
function namedDiagnostic(message: string, places: Array<{ path: string; text: string }>): SourceDiagnostic {
  const name = /[`']([^`']+)[`']/.exec(message)?.[1];
  if (name) {
    for (const p of places) {
      const re = new RegExp(`(?<![A-Za-z0-9_.$-])\\$?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_-])`);
      const m = re.exec(p.text);
      if (m) {
        const before = p.text.slice(0, m.index).split("\n");
        return diag(p.path, p.text, before.length, before[before.length - 1]!.length + 1, message, m[0].length);
      }
    }
  }
  const first = places[0]!;
  return diag(first.path, first.text, 1, 1, message, 0);
}

/** The first line of an anyhow chain is the context; the cause is what helps ("Caused by: ..."). */
function cleanToolMessage(raw: string): string {
  const lines = raw.split("\n").map((l) => l.trim().replace(/^\$/, "")).filter(Boolean);
  const causes = lines.filter((l) => /^\d+: /.test(l)).map((l) => l.replace(/^\d+: /, ""));
  const rest = lines.filter((l) => l !== "Caused by:" && !/^\d+: /.test(l));
  return [...rest, ...causes].join(": ");
}

/** A failed build with one diagnostic, timed from `t0`. */
function failed(d: SourceDiagnostic, t0: number): BuildOutcome {
  return { ok: false, message: `${d.path}:${d.line}:${d.column}: ${d.message}`, diagnostics: [d], ms: performance.now() - t0 };
}

export async function buildComponentWat(file: ProjectFile): Promise<BuildOutcome> {
  const t0 = performance.now();
  const fail = (d: SourceDiagnostic) => failed(d, t0);
  let bytes: Uint8Array;
  try {
    bytes = await parse(file.text);
  } catch (err) {
    return fail(watParseDiagnostic(errorMessage(err), file.path, file.text));
  }
  if (bytes[4] !== 0x0d || bytes[6] !== 0x01) {
    return fail(diag(file.path, file.text, 1, 1, "this is a core module; write `(component ...)`, or make a WAT core module project with WIT", 0));
  }
  try {
    // Decoding the component's WIT validates it (types, canonical options, lifts and lowers).
    await componentWit(bytes);
  } catch (err) {
    return fail(namedDiagnostic(cleanToolMessage(errorMessage(err)), [file]));
  }
  return { ok: true, bytes, ms: performance.now() - t0, cached: false };
}

export async function buildCoreWat(module: ProjectFile, files: readonly ProjectFile[], world: string | null, cache: ParseCache): Promise<BuildOutcome> {
  const t0 = performance.now();
  const fail = (d: SourceDiagnostic) => failed(d, t0);
  let core: Uint8Array;
  try {
    core = await parse(module.text);
  } catch (err) {
    return fail(watParseDiagnostic(errorMessage(err), module.path, module.text));
  }
  if (core[4] !== 0x01) return fail(diag(module.path, module.text, 1, 1, "this is a component; write a core `(module ...)` here, or make a component WAT project", 0));
  try {
    new WebAssembly.Module(core as Uint8Array<ArrayBuffer>);
  } catch (err) {
    return fail(coreValidationDiagnostic(err, module.path, module.text));
  }
  const { project, deps } = witSources(files);
  const b = bundle(project, [...deps, ...VENDORED_WIT], cache);
  if (b.problems.length > 0) return fail(b.problems[0]!);
  const chosen = world ?? b.worlds[0];
  if (!chosen) return fail(diag(project[0]?.path ?? module.path, project[0]?.text ?? module.text, 1, 1, "the WIT package has no world: add one saying what the module imports and exports", 0));
  let embedded: Uint8Array;
  try {
    embedded = await componentEmbed({ binary: core, witSource: b.source, world: chosen });
  } catch (err) {
    const model = new WitModel([...project, ...deps, ...VENDORED_WIT], (text) => cache.get(text));
    return fail(locateWitError(errorMessage(err), model, [...project, ...deps].map((f) => f.path), b));
  }
  try {
    return { ok: true, bytes: await componentNew(embedded), ms: performance.now() - t0, cached: false };
  } catch (err) {
    return fail(namedDiagnostic(cleanToolMessage(errorMessage(err)), [module, ...project]));
  }
}
