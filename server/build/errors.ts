/**
 * componentize-qjs failures as diagnostics on the project's files, each `path:line:column: reason`:
 * - QuickJS reports JS errors as `... Error: Unexpected token ';'\n    at /guest.js:3:21` (paths
 *   under the build's module root);
 * - an import it cannot resolve (`Error resolving module 'x' from '/guest.js'`, `Could not find
 *   export 'y' in module 'x'`) has no place: it is found in the source, and the message says what
 *   the world offers instead;
 * - the checker module (`src/authoring/guest-shape.ts`) reports exports the guest lacks, placed on
 *   the world's export;
 * - WIT errors name files under the build folder's `wit/`.
 */
import { MISSING_EXPORTS, missingExports, type GuestWorld } from "../../src/authoring/guest-shape.ts";
import type { ProjectFile, SourceDiagnostic } from "../../src/protocol/authoring-api.ts";
import { lineCol } from "../../src/wit/position.ts";

export interface MappedError {
  message: string;
  diagnostics: SourceDiagnostic[];
}

/** What the build knew of the project, for errors that need its sources or its world. */
export interface BuildContext {
  files: readonly ProjectFile[];
  entry: string;
  /** The world being built, as the project's WIT declares it (null when it could not be read). */
  world: GuestWorld | null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function at(file: ProjectFile, offset: number, length: number, message: string): SourceDiagnostic {
  const start = lineCol(file.text, offset);
  return { path: file.path, line: start.line, column: start.column, endLine: start.line, endColumn: start.column + length, message, severity: "error" };
}

/** `import ... from "spec"` that the module loader could not resolve, placed on the specifier. */
function unresolvedModule(spec: string, from: string, ctx: BuildContext): SourceDiagnostic | null {
  const file = ctx.files.find((f) => f.path === from.replace(/^\//, ""));
  const m = file && new RegExp(`(["'])${escape(spec)}\\1`).exec(file.text);
  if (!file || !m) return null;
  const world = ctx.world;
  let reason: string;
  if (/^[a-z][a-z0-9-]*:/.test(spec)) {
    const offered = world?.imports.map((i) => i.specifier) ?? [];
    reason = `cannot import "${spec}": world \`${world?.name ?? "?"}\` does not import it. Add \`import ${spec};\` to the world${offered.length ? ` (it imports ${offered.join(", ")})` : ""}.`;
  } else {
    reason = `cannot import "${spec}": the project has no such file (JS files: ${ctx.files.filter((f) => /\.m?js$/.test(f.path)).map((f) => f.path).join(", ")}).`;
  }
  return at(file, m.index, m[0].length, reason);
}

/** `import { name } from "spec"` where the module has no `name`, placed on the name. */
function unknownImportName(name: string, spec: string, ctx: BuildContext): SourceDiagnostic | null {
  const names = ctx.world?.imports.find((i) => i.specifier === spec)?.names ?? [];
  const reason = `"${spec}" has no export \`${name}\`${names.length ? ` (it exports ${names.join(", ")})` : ""}.`;
  for (const file of ctx.files) {
    const stmt = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*(["'])${escape(spec)}\\2`, "g");
    for (let m = stmt.exec(file.text); m; m = stmt.exec(file.text)) {
      const inner = new RegExp(`\\b${escape(name)}\\b`).exec(m[1]!);
      if (inner) return at(file, m.index + m[0].indexOf("{") + 1 + inner.index, name.length, reason);
    }
  }
  return null;
}

/** `root` is the temporary build folder; paths under it become project paths. */
export function mapBuildError(raw: string, root: string, ctx?: BuildContext): MappedError {
  const text = raw.split(root).join("").replace(/^[:\s]+/, "").trimEnd();
  const diagnostics: SourceDiagnostic[] = [];
  const missing = text.indexOf(MISSING_EXPORTS);
  if (missing >= 0 && ctx?.world) {
    const paths = JSON.parse(text.slice(missing + MISSING_EXPORTS.length).split("\n")[0]!) as string[][];
    return missingExports(paths, ctx.world, ctx.entry);
  }
  const unresolved = /Error resolving module '([^']+)' from '([^']+)'/.exec(text);
  const unknownName = /Could not find export '([^']+)' in module '([^']+)'/.exec(text);
  const placed = ctx && (unresolved ? unresolvedModule(unresolved[1]!, unresolved[2]!, ctx) : unknownName ? unknownImportName(unknownName[1]!, unknownName[2]!, ctx) : null);
  if (placed) diagnostics.push(placed);
  // The innermost "Error: ..." of QuickJS's chain is what the author needs to read.
  const reason = /(?:^|: )((?:[A-Za-z]*Error): [^\n]*)\n/.exec(`${text}\n`)?.[1]?.replace(/^Error: /, "");
  const stage = /Failed to declare JavaScript module/.test(text)
    ? "while parsing the module"
    : /Failed to finish JavaScript module evaluation|Failed to evaluate/.test(text)
      ? "while running its top-level code, at build time"
      : "";
  const js = !placed && /(?:at |\()\/?([A-Za-z0-9._/-]+\.m?js):(\d+):(\d+)/.exec(text);
  if (js) {
    const line = Number(js[2]);
    const column = Number(js[3]);
    diagnostics.push({ path: js[1]!, line, column, endLine: line, endColumn: column + 1, message: `${reason ?? text.split("\n")[0]}${stage ? ` (${stage})` : ""}`, severity: "error" });
  }
  const wit = /\/?(wit\/[A-Za-z0-9._/-]+\.wit):(\d+):(\d+)/.exec(text);
  if (wit) {
    const line = Number(wit[2]);
    const column = Number(wit[3]);
    diagnostics.push({ path: wit[1]!, line, column, endLine: line, endColumn: column + 1, message: text.split("\n")[0]!, severity: "error" });
  }
  const first = diagnostics[0];
  const message = first ? `${first.path}:${first.line}:${first.column}: ${first.message}` : text;
  return { message, diagnostics };
}
