/** The build endpoint over real HTTP, building with the real componentize-qjs in a child process. */
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STARTERS } from "../../src/authoring/templates";
import { parseBuildBody } from "./endpoint";
import { buildBody, doneOf, serveBuilds } from "./serve-for-tests";

const WIT = "package demo:greeter;\nworld greeter {\n  export greet: func(name: string) -> string;\n}\n";
const body = (js: string, wit = WIT) => buildBody(js, wit);

describe("POST /api/build", () => {
  let s: Awaited<ReturnType<typeof serveBuilds>>;
  beforeAll(async () => {
    s = await serveBuilds();
  });
  afterAll(() => s.close());

  it("builds, queues a concurrent build behind it, caches by content", async () => {
    const [a, b] = await Promise.all([s.build(body("export function greet(n) { return `A ${n}`; }")), s.build(body("export function greet(n) { return `B ${n}`; }"))]);
    const [da, db] = [doneOf(a.events), doneOf(b.events)];
    expect(da).toMatchObject({ ok: true, cached: false });
    expect(db).toMatchObject({ ok: true, cached: false });
    // Exactly one of the two waited behind the other.
    const queued = [a, b].filter((r) => r.events.some((e) => e.type === "queued" && e.position === 1));
    expect(queued).toHaveLength(1);
    expect(a.events.filter((e) => e.type === "log").map((e) => (e as { line: string }).line).join("\n")).toMatch(/componentize-qjs@.*guest\.js[\s\S]*built in/);

    if (!da.ok) return;
    const wasm = new Uint8Array(await (await fetch(`${s.base}/api/build/${da.hash}.wasm`)).arrayBuffer());
    expect(wasm.length).toBe(da.size);
    expect(await componentWit(wasm)).toContain("export greet: func(name: string) -> string;");

    const again = doneOf((await s.build(body("export function greet(n) { return `A ${n}`; }"))).events);
    expect(again).toMatchObject({ ok: true, cached: true, hash: da.hash });
  }, 120_000);

  it("a JS syntax error comes back at its line", async () => {
    const d = doneOf((await s.build(body("export function greet(n) {\n  const x = ;\n  return n;\n}\n"))).events);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.diagnostics).toEqual([expect.objectContaining({ path: "guest.js", line: 2 })]);
    expect(d.message).toMatch(/^guest\.js:2:\d+: /);
  }, 60_000);

  it("a JS error thrown by top-level code comes back at its line and column (QuickJS places it on the constructor call)", async () => {
    const d = doneOf((await s.build(body("export function greet(n) { return n; }\n\n  throw new TypeError('bad');\n"))).events);
    expect(d).toMatchObject({ ok: false, message: "guest.js:3:13: bad (while running its top-level code, at build time)" });
  }, 60_000);

  it("a missing export is a build error naming it, placed on the world's export", async () => {
    const wit = "package demo:greeter;\nworld greeter {\n  export greet: func(name: string) -> string;\n  export wait: async func(millis: u32) -> u64;\n}\n";
    const d = doneOf((await s.build(body("export function greet(n) { return n; }\n", wit))).events);
    expect(d).toMatchObject({ ok: false, message: "world `greeter`: guest.js does not export `wait` (the world exports `wait: async func(millis: u32) -> u64`)." });
    if (d.ok) return;
    expect(d.diagnostics).toEqual([expect.objectContaining({ path: "wit/world.wit", line: 4, column: 10, endColumn: 14 })]);
  }, 60_000);

  it("an interface the world does not import, and a name an interface does not have, are placed in guest.js", async () => {
    const wit = "package demo:greeter;\nworld greeter {\n  import wasi:clocks/monotonic-clock@0.3.0;\n  export greet: func(name: string) -> string;\n}\n";
    const unknown = doneOf((await s.build(body('import { get } from "wasi:random/random@0.3.0";\nexport function greet(n) { return n; }\n', wit))).events);
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/^guest\.js:1:21: cannot import "wasi:random\/random@0\.3\.0": world `greeter` does not import it/) });
    const name = doneOf((await s.build(body('import { nowz } from "wasi:clocks/monotonic-clock@0.3.0";\nexport function greet(n) { return n; }\n', wit))).events);
    expect(name).toMatchObject({ ok: false, message: 'guest.js:1:10: "wasi:clocks/monotonic-clock@0.3.0" has no export `nowz` (it exports now, getResolution, waitUntil, waitFor).' });
  }, 120_000);

  it("the JS starter project builds", async () => {
    const d = doneOf((await s.build({ files: STARTERS.js.files, entry: "guest.js", world: null })).events);
    expect(d).toMatchObject({ ok: true });
  }, 60_000);

  it("refuses bad requests with a reason", async () => {
    expect(await s.build({ files: [] })).toMatchObject({ status: 400, json: { message: expect.stringContaining("entry") } });
    expect((await s.build({ ...body("x"), files: [{ path: "../etc/passwd.js", text: "" }, { path: "guest.js", text: "" }] })).json?.message).toContain("is not a WIT file");
    expect(parseBuildBody("{")).toBe("the body is not JSON");
    expect((await fetch(`${s.base}/api/build/${"0".repeat(64)}.wasm`)).status).toBe(404);
  });
});

describe("a build that runs too long", () => {
  it("is stopped with a message", async () => {
    const s = await serveBuilds({ timeoutMs: 3_000 });
    try {
      const d = doneOf((await s.build(body("while (true) {}\nexport function greet(n) { return n; }\n"))).events);
      expect(d).toMatchObject({ ok: false, timedOut: true, message: expect.stringContaining("longer than 3 s and was stopped") });
    } finally {
      s.close();
    }
  }, 60_000);
});
