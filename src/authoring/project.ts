/**
 * How an authoring project's files map onto WIT packages: every `.wit` file directly in `wit/` is
 * the project's package; each folder (or single file) in `wit/deps/` is a dependency package.
 */
import type { ProjectFile } from "../protocol/authoring-api";
import type { SourceFile } from "../wit/model";

export const WIT_DIR = "wit/";
export const DEPS_DIR = "wit/deps/";

export function isWitFile(path: string): boolean {
  return path.startsWith(WIT_DIR) && path.endsWith(".wit");
}

/** The project's package files and its own dependency files, as `SourceFile`s grouped by package. */
export function witSources(files: readonly ProjectFile[]): { project: SourceFile[]; deps: SourceFile[] } {
  const project: SourceFile[] = [];
  const deps: SourceFile[] = [];
  for (const f of files) {
    if (!isWitFile(f.path)) continue;
    if (f.path.startsWith(DEPS_DIR)) {
      const first = f.path.slice(DEPS_DIR.length).split("/")[0]!;
      deps.push({ path: f.path, text: f.text, group: `deps/${first}` });
    } else if (!f.path.slice(WIT_DIR.length).includes("/")) {
      project.push({ path: f.path, text: f.text, group: "project" });
    }
  }
  const byPath = (a: SourceFile, b: SourceFile) => a.path.localeCompare(b.path);
  return { project: project.sort(byPath), deps: deps.sort(byPath) };
}
