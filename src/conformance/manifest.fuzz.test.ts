// wasi-testsuite manifests, real and mutated: every real one parses; a mutated one parses and then
// plans and checks without a throw, or fails with a ManifestError naming the test and the JSON
// path, which exists in the input. Seeded (base/fuzz.fixture.ts).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { below, fuzzIterations, fuzzSeed, prng } from "../base/fuzz.fixture";
import { check, checkAnswer, ManifestError, parseManifest, plan, type HttpExchange } from "./manifest";

const suite = new URL("../../../shared/conformance/wasi-testsuite/", import.meta.url);
const MANIFESTS: Array<[string, unknown]> = readdirSync(suite)
  .filter((f) => f.endsWith(".json") && f !== "manifest.json")
  .sort()
  .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(new URL(f, suite), "utf8"))]);

const VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 40, "", "x", "stdout", "stdin", "tcp", "udp", "run", "wait", "read", "request", [], [1], {}, { type: "run" }, { type: 7 }];

/** Every JSON path in `v` ($, $.operations, $.operations[0].type, ...) with its parent and key. */
function paths(v: unknown, path = "$", out: Array<{ path: string; parent: unknown; key: string | number | null }> = []) {
  if (out.length === 0) out.push({ path, parent: null, key: null });
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ path: `${path}[${i}]`, parent: v, key: i });
      paths(x, `${path}[${i}]`, out);
    });
  } else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push({ path: `${path}.${k}`, parent: v, key: k });
      paths(x, `${path}.${k}`, out);
    }
  }
  return out;
}

/** A deep copy of `raw` with 1-3 nodes replaced, deleted, or given an extra key or element. */
function mutate(raw: unknown, rand: () => number): unknown {
  let root = structuredClone(raw);
  for (let k = below(rand, 3); k >= 0; k--) {
    const all = paths(root);
    const { parent, key } = all[below(rand, all.length)]!;
    const value = structuredClone(VALUES[below(rand, VALUES.length)]);
    if (key === null) root = rand() < 0.2 ? value : root;
    else if (rand() < 0.25) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key];
    } else if (Array.isArray(parent)) parent[key as number] = value;
    else (parent as Record<string, unknown>)[key] = value;
  }
  return root;
}

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
    if (err.test !== name || !paths(raw).some((p) => p.path === err.path || err.path.startsWith(`${p.path}.`))) {
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
      outcomes[attempt(name, mutate(raw, rand), `input ${i} of seed ${fuzzSeed(41)} (${name})`)]++;
    }
    expect(outcomes.ok).toBeGreaterThan(n / 10);
    expect(outcomes.refused).toBeGreaterThan(n / 10);
  });
});
