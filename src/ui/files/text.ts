/** Pure helpers for opening a file: is it text, and which editor language suits its name. */
import { baseName } from "./tree";

/** Files above this open in the hex view without trying to decode them. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/**
 * The file as text, or null when it is binary: larger than `maxBytes`, not valid UTF-8, or with a
 * NUL byte in its first 8 KiB (valid UTF-8, but no text file has one). A BOM is kept so saving
 * writes the same bytes back.
 */
export function decodeText(bytes: Uint8Array, maxBytes = MAX_TEXT_BYTES): string | null {
  if (bytes.length > maxBytes) return null;
  if (bytes.subarray(0, 8192).includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

const LANGUAGES: Record<string, string> = {
  js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript", json: "javascript",
  ts: "typescript", mts: "typescript", cts: "typescript", tsx: "typescript",
  md: "markdown", markdown: "markdown",
  py: "python", rs: "rust", go: "go",
  c: "cpp", h: "cpp", cc: "cpp", cpp: "cpp", hpp: "cpp",
  sh: "shell", bash: "shell",
  yml: "yaml", yaml: "yaml",
  html: "html", htm: "html", css: "css", xml: "xml", svg: "xml",
  ini: "ini", toml: "ini", cfg: "ini", conf: "ini",
  wit: "rust",
};

/** The Monaco language id for `path` (one of those registered in monaco.ts), else `plaintext`. */
export function languageFor(path: string): string {
  const name = baseName(path).toLowerCase();
  const dot = name.lastIndexOf(".");
  return (dot > 0 && LANGUAGES[name.slice(dot + 1)]) || "plaintext";
}
