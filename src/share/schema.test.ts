import { describe, expect, it } from "vitest";
import { authoringProject, compositionProject, HELLO_SHA, helloProject, UPPER_SHA } from "./fixtures";
import { emptyProject, parseProject, PROJECT_VERSION, referencedBlobs, serializeProject } from "./schema";

/** A state as plain JSON, to be damaged by a test. */
const json = (s: unknown) => JSON.parse(JSON.stringify(s));

const error = (input: unknown) => {
  const r = parseProject(input);
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
};

describe("project state, version 2", () => {
  it("round-trips the empty, hello, authoring and composition projects exactly", () => {
    for (const state of [emptyProject(), helloProject(), authoringProject(), compositionProject()]) {
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

  it("refuses a composition whose graph is not well formed, or whose components do not match its instances", () => {
    const s = json(compositionProject());
    const c = s.composition;
    expect(error({ ...s, composition: { ...c, graph: { ...c.graph, version: 9 } } })).toBe(
      "it is not a valid project: project.composition.graph: not a valid composition graph: graph.version: it is version 9, saved by a newer playground; this one reads version 1 (reload to update)",
    );
    expect(error({ ...s, composition: { ...c, graph: { ...c.graph, wires: [{ ...c.graph.wires[0], to: { instance: "i7", import: "x" } }] } } })).toBe(
      "it is not a valid project: project.composition.graph: not a valid composition graph: graph.wires[0].to.instance: there is no instance `i7`",
    );
    expect(error({ ...s, composition: { ...c, components: [c.components[1]] } })).toBe(`it is not a valid project: project.composition.components: lacks ${UPPER_SHA}, which an instance of the graph uses`);
    expect(error({ ...s, composition: { ...c, components: [...c.components, { name: "x.wasm", sha256: "c".repeat(64), size: 1 }] } })).toBe(
      `it is not a valid project: project.composition.components[2].sha256: no instance of the graph uses ${"c".repeat(64)}`,
    );
    expect(error({ ...s, composition: { ...c, components: [...c.components, c.components[0]] } })).toBe(`it is not a valid project: project.composition.components[2].sha256: ${UPPER_SHA} is listed twice`);
  });

  it("lists the blobs a state references, each once", () => {
    expect(referencedBlobs(emptyProject())).toEqual([]);
    expect(referencedBlobs(helloProject())).toEqual([HELLO_SHA]);
    // hello is both the loaded component and an instance of the composition.
    expect(referencedBlobs(compositionProject())).toEqual([HELLO_SHA, UPPER_SHA]);
  });
});
