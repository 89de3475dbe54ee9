// wasi-testsuite manifests, real and mutated: every real one parses; a mutated one parses and then
// plans and checks without a throw, or fails with a ManifestError naming the test and the JSON
// path, which exists in the input. Seeded (base/fuzz.fixture.ts).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { below, fuzzIterations, fuzzSeed, jsonPlaces, mutateJson, namesPlaceIn, prng } from "../base/fuzz.fixture";
import { check, checkAnswer, ManifestError, parseManifest, plan, type HttpExchange } from "./manifest";

const suite = new URL("../../../shared/conformance/wasi-testsuite/", import.meta.url);
const MANIFESTS: Array<[string, unknown]> = readdirSync(suite)
  .filter((f) => f.endsWith(".json") && f !== "manifest.json")
  .sort()
  .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(new URL(f, suite), "utf8"))]);

const VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 40, "", "x", "stdout", "stdin", "tcp", "udp", "run", "wait", "read", "request", [], [1], {}, { type: "run" }, { type: 7 }];

/** "ok" or "refused"; a throw of anything else, or a path not in the input, fails naming the input. */
function attempt(name: string, raw: unknown, what: string): "ok" | "refused" {
  try {
    const m = parseManifest(name, raw);
    const p = plan(name, m);
    check(m, { exitCode: 0, failure: null, stdout: "", stderr: "" });
    for (const ex of p.requests) checkAnswer(ex as HttpExchange, { status: 200, headers: [], body: "" });
    return "ok";
  } catch (err) {
    const input = JSON.stringify(raw);
    if (!(err instanceof ManifestError)) throw new Error(`${what}: threw ${String(err)}\n--- input ---\n${input}`);
    if (err.test !== name || !namesPlaceIn(err.path, jsonPlaces(raw, "$"))) {
      throw new Error(`${what}: ${err.message} names no place in the input\n--- input ---\n${input}`);
    }
    return "refused";
  }
}

describe("conformance manifests on fuzzed input", () => {
  it("every wasi-testsuite manifest parses as it is", () => {
    expect(MANIFESTS.length).toBeGreaterThan(30);
    for (const [name, raw] of MANIFESTS) expect(attempt(name, raw, name)).toBe("ok");
  });

  it("mutated manifests plan and check, or are refused at a path of theirs", () => {
    const rand = prng(fuzzSeed(41));
    const n = fuzzIterations(3000);
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < n; i++) {
      const [name, raw] = MANIFESTS[below(rand, MANIFESTS.length)]!;
      outcomes[attempt(name, mutateJson(raw, rand, VALUES), `input ${i} of seed ${fuzzSeed(41)} (${name})`)]++;
    }
    expect(outcomes.ok).toBeGreaterThan(n / 10);
    expect(outcomes.refused).toBeGreaterThan(n / 10);
  });
});
