/**
 * componentize-qjs failures as diagnostics on the project's files. QuickJS reports JS errors as
 * `... Error: Unexpected token ';'\n    at /guest.js:3:21` (paths under the build's module root);
 * WIT errors name files under the build folder's `wit/`.
 */
import type { SourceDiagnostic } from "../../src/protocol/authoring-api.ts";

export interface MappedError {
  message: string;
  diagnostics: SourceDiagnostic[];
}

/** `root` is the temporary build folder; paths under it become project paths. */
export function mapBuildError(raw: string, root: string): MappedError {
  const text = raw.split(root).join("").replace(/^[:\s]+/, "").trimEnd();
  const diagnostics: SourceDiagnostic[] = [];
  // The innermost "Error: ..." of QuickJS's chain is what the author needs to read.
  const reason = /(?:^|: )((?:[A-Za-z]*Error): [^\n]*)\n/.exec(`${text}\n`)?.[1]?.replace(/^Error: /, "");
  const stage = /Failed to declare JavaScript module/.test(text)
    ? "while parsing the module"
    : /Failed to finish JavaScript module evaluation|Failed to evaluate/.test(text)
      ? "while running its top-level code, at build time"
      : "";
  const js = /(?:at |\()\/?([A-Za-z0-9._/-]+\.m?js):(\d+):(\d+)/.exec(text);
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
