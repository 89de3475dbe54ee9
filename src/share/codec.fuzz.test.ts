// Share links on fuzzed input, at both layers a link has. Link text (base64url of gzip of JSON)
// with characters changed, added, dropped or cut: decoding never throws and either refuses with one
// of the codec's sentences or gives a state that serializes back to itself. Project JSON with
// values replaced or deleted: parsing never throws and either gives a state that reads back equal
// from its own serialization, or refuses naming a place that is in the input. Seeded
// (base/fuzz.fixture.ts).
import { describe, expect, it } from "vitest";
import { below, fuzzIterations, fuzzSeed, jsonPlaces, mutateJson, namesPlaceIn, prng } from "../base/fuzz.fixture";
import { decodeProject, encodeProject } from "./codec";
import { authoringProject, compositionProject, helloProject } from "./fixtures";
import { emptyProject, parseProject, serializeProject, type Parsed } from "./schema";

const STATES = [emptyProject(), helloProject(), authoringProject(), compositionProject()];
const LINK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** What a damaged link is refused with: the codec's own sentences, nothing else. */
const LINK_REFUSALS = [/^the link is damaged: it has characters or a length a link never has/, /^the link is damaged or cut short: its compressed data does not check out$/, /^the link is damaged: what it holds is not a project \(not JSON text\)$/, /^it is not a valid project: /, /^it was made by a newer playground/];
const VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, "", "x", "cm", "jco", "wasi:cli/run", "a".repeat(64), "wit/world.wit", "guest.js", [], [""], {}, { version: 2 }];

/** `text` with 1-3 characters changed, inserted or dropped, or cut short. */
function mutateLink(text: string, rand: () => number): string {
  let s = text;
  for (let k = below(rand, 3); k >= 0; k--) {
    const at = below(rand, s.length + 1);
    const c = rand() < 0.9 ? LINK_ALPHABET[below(rand, LINK_ALPHABET.length)]! : String.fromCharCode(below(rand, 128));
    const op = below(rand, 4);
    if (op === 0) s = s.slice(0, at) + c + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + c + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at);
  }
  return s;
}

/** A state read from a link or JSON must be one: its own serialization reads back to the same state. */
function expectCanonical(r: Extract<Parsed, { ok: true }>, what: string): void {
  const again = parseProject(JSON.parse(serializeProject(r.state)));
  if (!again.ok || serializeProject(again.state) !== serializeProject(r.state)) throw new Error(`${what}: the state read does not read back from its own serialization`);
}

describe("share links on fuzzed input", () => {
  it("changed link text is refused with the codec's sentences, never a throw", async () => {
    const rand = prng(fuzzSeed(53));
    const n = fuzzIterations(1500);
    const links = await Promise.all(STATES.map(async (s) => ((await encodeProject(s)) as { data: string }).data));
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < n; i++) {
      const data = mutateLink(links[below(rand, links.length)]!, rand);
      const what = `input ${i} of seed ${fuzzSeed(53)} (${JSON.stringify(data)})`;
      let r: Parsed;
      try {
        r = await decodeProject(data);
      } catch (err) {
        throw new Error(`${what}: threw ${String(err)}`);
      }
      if (r.ok) {
        expectCanonical(r, what);
        outcomes.read++;
      } else {
        if (!LINK_REFUSALS.some((re) => re.test(r.error))) throw new Error(`${what}: refused with an unknown sentence: ${r.error}`);
        outcomes.refused++;
      }
    }
    // A changed character in the gzip data fails its CRC-32, so almost every input is refused;
    // the few read are changes to the base64 padding bits, which leave the bytes as they were.
    expect(outcomes.refused).toBeGreaterThan(n * 0.9);
  });

  it("changed project JSON reads back canonically or is refused at a place of its own", () => {
    const rand = prng(fuzzSeed(59));
    const n = fuzzIterations(3000);
    const docs = STATES.map((s) => JSON.parse(serializeProject(s)) as unknown);
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < n; i++) {
      const doc = mutateJson(docs[below(rand, docs.length)], rand, VALUES);
      const what = `input ${i} of seed ${fuzzSeed(59)}\n--- input ---\n${JSON.stringify(doc)}`;
      let r: Parsed;
      try {
        r = parseProject(doc);
      } catch (err) {
        throw new Error(`${what}\nthrew ${String(err)}`);
      }
      if (r.ok) {
        expectCanonical(r, what);
        outcomes.read++;
        continue;
      }
      outcomes.refused++;
      if (/^it was made by a newer playground/.test(r.error)) continue;
      const at = /^it is not a valid project: (\S+?): /.exec(r.error)?.[1];
      if (!at || !namesPlaceIn(at, jsonPlaces(doc, "project"))) throw new Error(`${what}\nrefused naming no place of the input: ${r.error}`);
    }
    expect(outcomes.read).toBeGreaterThan(n / 50);
    expect(outcomes.refused).toBeGreaterThan(n / 2);
  });
});
