/**
 * The WASI packages vendored in `wit/deps` (0.3.0 and 0.2.x), as sources any project can `use`
 * without copying them. Bundled as text by Vite (and read the same way under Vitest).
 */
import type { SourceFile } from "./model";

const raw = import.meta.glob("../../wit/deps/*/*.wit", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export const VENDORED_WIT: readonly SourceFile[] = Object.entries(raw)
  .map(([file, text]) => {
    const rel = file.slice(file.indexOf("/deps/") + "/deps/".length);
    return { path: `vendor/${rel}`, text, group: `vendor/${rel.split("/")[0]}` };
  })
  .sort((a, b) => a.path.localeCompare(b.path));
