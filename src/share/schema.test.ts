import { describe, expect, it } from "vitest";
import { authoringProject, helloProject } from "./fixtures";
import { emptyProject, parseProject, PROJECT_VERSION, referencedBlobs, serializeProject } from "./schema";

/** A state as plain JSON, to be damaged by a test. */
const json = (s: unknown) => JSON.parse(JSON.stringify(s));

const error = (input: unknown) => {
  const r = parseProject(input);
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
};

describe("project state, version 1", () => {
  it("round-trips the empty, hello and authoring projects exactly", () => {
    for (const state of [emptyProject(), helloProject(), authoringProject()]) {
      const r = parseProject(JSON.parse(serializeProject(state)));
      expect(r).toEqual({ ok: true, state, migratedFrom: null });
    }
  });

  it("serializes equal states to equal text whatever their key order", () => {
    const state = { ...helloProject(), run: { ...helloProject().run, typedArgs: { a: "1", b: "2" } } };
    const reversed = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
    const shuffled = reversed({ ...json(state), run: reversed({ ...json(state.run), typedArgs: { b: "2", a: "1" } }) });
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(state));
    const r = parseProject(shuffled);
    expect(r.ok && serializeProject(r.state)).toBe(serializeProject(state));
  });

  it("refuses a newer version, saying what to do", () => {
    expect(error({ ...json(helloProject()), version: PROJECT_VERSION + 1 })).toBe(
      `it was made by a newer playground (project version ${PROJECT_VERSION + 1}; this one reads versions 1 to ${PROJECT_VERSION}). Reload the playground to update it, then open the link again.`,
    );
  });

  it("refuses unknown fields, missing fields and wrong types, naming the place", () => {
    const s = json(authoringProject());
    expect(error({ ...s, extra: 1 })).toBe("it is not a valid project: project: unexpected field `extra`");
    expect(error({ ...s, run: { ...s.run, secret: true } })).toBe("it is not a valid project: project.run: unexpected field `secret`");
    const { engine: _, ...noEngine } = s;
    expect(error(noEngine)).toBe("it is not a valid project: project: missing field `engine`");
    expect(error({ ...s, engine: "wasmtime" })).toBe('it is not a valid project: project.engine: expected one of "cm", "jco", got string "wasmtime"');
    expect(error({ ...s, run: { ...s.run, args: ["Ada"] } })).toBe("it is not a valid project: project.run.args: expected a string, got an array");
    expect(error({ ...s, run: { ...s.run, typedArgs: { count: 3 } } })).toBe("it is not a valid project: project.run.typedArgs.count: expected a string, got number 3");
    expect(error({ ...s, version: "1" })).toBe('it is not a valid project: project.version: expected an integer, got string "1"');
    expect(error([s])).toBe("it is not a valid project: project: expected an object");
    expect(error({ ...s, component: { ...s.component, sha256: "abc" } })).toBe('it is not a valid project: project.component.sha256: "abc" is not valid here');
    expect(error({ ...s, layout: { ...s.layout, sizes: { g: { a: 150 } } } })).toBe("it is not a valid project: project.layout.sizes.g.a: 150 is outside 0..100");
  });

  it("refuses capabilities the app would not take: a bad allow-list entry, a relative guest path", () => {
    const s = json(helloProject());
    expect(error({ ...s, run: { ...s.run, allow: ["example.com"] } })).toBe("it is not a valid project: project.run.allow[0]: 'example.com': write HOST:PORT, e.g. example.com:443 or 127.0.0.1:8000-8099");
    expect(error({ ...s, run: { ...s.run, preopens: [{ workspace: "default", guestPath: "data" }] } })).toBe('it is not a valid project: project.run.preopens[0].guestPath: "data" is not valid here');
  });

  it("refuses an authoring workspace the editor would not hold", () => {
    const s = json(authoringProject());
    const files = s.authoring.projects.js.files;
    const with_ = (patch: object) => ({ ...s, authoring: { ...s.authoring, projects: { js: { ...s.authoring.projects.js, ...patch } } } });
    expect(error(with_({ files: [...files, { path: "../etc/passwd", text: "" }] }))).toBe(
      "it is not a valid project: project.authoring.projects.js.files[2].path: '../etc/passwd' is not a project file (wit/NAME.wit, or a top-level .js or .wat file)",
    );
    expect(error(with_({ files: [...files, files[0]] }))).toBe("it is not a valid project: project.authoring.projects.js.files[2].path: 'wit/world.wit' is listed twice");
    expect(error(with_({ active: "other.js" }))).toBe("it is not a valid project: project.authoring.projects.js.active: 'other.js' is not one of the project's files");
    expect(error({ ...s, authoring: { ...s.authoring, kind: "wat-core" } })).toBe("it is not a valid project: project.authoring.projects: has no 'wat-core' project, the kind shown");
  });

  it("lists the blobs a state references", () => {
    expect(referencedBlobs(emptyProject())).toEqual([]);
    expect(referencedBlobs(helloProject())).toEqual(["a".repeat(64)]);
  });
});
