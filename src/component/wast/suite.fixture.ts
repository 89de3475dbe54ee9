// For tests: where the Component Model's reference tests are (../shared/conformance/component-model-wast/).
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const SUITE = join(import.meta.dirname, "..", "..", "..", "..", "shared", "conformance", "component-model-wast");

/** The suite's scripts, relative to it (`async/deadlock.wast`), sorted. */
export function suiteScripts(): string[] {
  return readdirSync(SUITE, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".wast"))
    .map((f) => f.split("\\").join("/"))
    .sort();
}
