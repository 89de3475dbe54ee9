// The WIT parser and model against mutated WIT: every input parses to a tree with errors inside
// the text (each naming its span), never a throw or a hang; the model builds over whatever parsed.
// Seeded (base/fuzz.fixture.ts); the inputs are the corpus with random cuts, copies and tokens.
import { describe, expect, it } from "vitest";
import { below, fuzzIterations, fuzzSeed, prng } from "../base/fuzz.fixture";
import { WitModel } from "./model";
import { parseWit } from "./parser";
import { CONSTRUCTS, DEPS } from "./testdata/corpus";

const TOKENS = ["{", "}", ";", "<", ">", "(", ")", ",", ":", "->", "=", "%", "@", "/", "*", ".", '"', "\n", "///", "/*", "*/", "//", "_", "-", "1.0.0",
  "func", "async", "resource", "use", "import", "export", "include", "with", "as", "package", "interface", "world", "type", "record", "variant", "flags", "enum",
  "list<", "stream<", "future<", "own<", "borrow<", "result<", "option<", "tuple<", "static", "constructor", "@since(version = 0.3.0)", "@unstable(feature = x)", "@deprecated", "\u00e9", "\u{1F600}"];

/** `text` with 1-4 random edits: a cut, a copied range, or a token put somewhere. */
function mutate(text: string, rand: () => number): string {
  let t = text;
  for (let k = below(rand, 4); k >= 0; k--) {
    const at = below(rand, t.length + 1);
    const len = below(rand, 40);
    const edit = below(rand, 3);
    if (edit === 0) t = t.slice(0, at) + t.slice(at + len);
    else if (edit === 1) t = t.slice(0, at) + t.slice(below(rand, t.length + 1), at) + t.slice(at);
    else t = t.slice(0, at) + TOKENS[below(rand, TOKENS.length)] + t.slice(at);
  }
  return t;
}

/** Parses and models `text`; throws, naming the input, if anything is out of place. */
function check(text: string, what: string): number {
  let errors: Array<{ message: string; span: { start: number; end: number } }>;
  try {
    errors = parseWit(text).errors;
    new WitModel([{ path: "fuzz.wit", text, group: "fuzz" }]);
  } catch (err) {
    throw new Error(`${what}: threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n--- input ---\n${text}`);
  }
  for (const e of errors) {
    if (!e.message || !(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length)) {
      throw new Error(`${what}: error ${JSON.stringify(e)} is not inside the ${text.length}-character input\n--- input ---\n${text}`);
    }
  }
  return errors.length;
}

describe("parseWit on fuzzed WIT", () => {
  it("mutated corpus files parse with their errors in place, and model", () => {
    const corpus = [CONSTRUCTS, ...DEPS.map(([, text]) => text)];
    const rand = prng(fuzzSeed(31));
    const n = fuzzIterations(150);
    let withErrors = 0;
    for (let i = 0; i < n; i++) {
      const source = below(rand, corpus.length);
      if (check(mutate(corpus[source]!, rand), `input ${i} of seed ${fuzzSeed(31)} (corpus file ${source})`) > 0) withErrors++;
    }
    // Most edits break the syntax; some (a doc comment, a copied item) do not.
    expect(withErrors).toBeGreaterThan(n / 4);
    expect(withErrors).toBeLessThan(n);
  });

  it("random token soup parses, and models", () => {
    const rand = prng(fuzzSeed(37));
    for (let i = 0; i < fuzzIterations(2000); i++) {
      const text = Array.from({ length: below(rand, 30) }, () => TOKENS[below(rand, TOKENS.length)]).join(rand() < 0.5 ? " " : "");
      check(text, `token soup ${i} of seed ${fuzzSeed(37)}`);
    }
  });
});
