/** The WIT corpus the tests read: every construct in one package, and the vendored WASI deps. */
import { readdirSync, readFileSync } from "node:fs";

const depsDir = new URL("../../../wit/deps/", import.meta.url);

/** `[folder, text]` for each package under wit/deps (WASI 0.3.0 and 0.2.x). */
export const DEPS: Array<[string, string]> = readdirSync(depsDir)
  .sort()
  .map((d) => [d, readFileSync(new URL(`${d}/package.wit`, depsDir), "utf8")]);

export const CONSTRUCTS = readFileSync(new URL("./constructs.wit", import.meta.url), "utf8");
