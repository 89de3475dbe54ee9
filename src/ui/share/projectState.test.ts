import { describe, expect, it } from "vitest";
import { authoringProject, compositionProject } from "../../share/fixtures";
import { parseProject, serializeProject } from "../../share/schema";
import type { DockState } from "../layout/dockState";
import { fromSharedLayout, fromSharedWorkspace, gatheredComponents, inputsOf, projectOf, toSharedLayout, toSharedWorkspace, type Gathered } from "./projectState";

const bytesA = new Uint8Array([0, 97, 115, 109, 1]);
const bytesB = new Uint8Array([0, 97, 115, 109, 2]);
const hashes = new Map<Uint8Array, string>([
  [bytesA, "a".repeat(64)],
  [bytesB, "b".repeat(64)],
]);
const sha = (bytes: Uint8Array) => hashes.get(bytes)!;

const page = (): Gathered => ({
  component: { name: "hello.wasm", bytes: bytesA },
  inputs: { target: "wasi:cli/run", args: "Ada", env: "A=1", stdin: "", fnArgs: { n: "3" } },
  preopens: [{ workspace: "default", guestPath: "/" }],
  engine: "jco",
  allow: ["127.0.0.1:7000"],
  authoring: { workspace: authoringProject().authoring!, open: true },
  layout: { active: { centre: "write" }, sizes: { "dock-columns": { "dock-left": 20, "dock-centre": 50, "dock-right": 30 } }, collapsed: { bottom: true } },
  composition: null,
});

describe("the page as a project state", () => {
  it("gathers every seam into a valid state, and the run panel's inputs come back from it", () => {
    const state = projectOf(page(), sha);
    expect(parseProject(JSON.parse(serializeProject(state)))).toMatchObject({ ok: true, state });
    expect(state.component).toEqual({ name: "hello.wasm", sha256: "a".repeat(64), size: 5 });
    expect(state.run).toEqual({ export: "wasi:cli/run", args: "Ada", env: "A=1", stdin: "", typedArgs: { n: "3" }, preopens: [{ workspace: "default", guestPath: "/" }], allow: ["127.0.0.1:7000"] });
    expect(inputsOf(state)).toEqual(page().inputs);
  });

  it("carries the editor's workspace only while the editor is open (or when asked to)", () => {
    const closed = { ...page(), authoring: { workspace: authoringProject().authoring!, open: false } };
    expect(projectOf(closed, sha).authoring).toBeNull();
    expect(projectOf(closed, sha, true).authoring).toEqual(authoringProject().authoring);
  });

  it("carries a composition's components once each, by hash", () => {
    const graph = compositionProject().composition!.graph;
    const g = { ...page(), composition: { graph, components: [{ name: "upper.wasm", bytes: bytesB }, { name: "hello.wasm", bytes: bytesA }, { name: "again.wasm", bytes: bytesB }] } };
    expect(projectOf(g, sha).composition!.components).toEqual([
      { name: "upper.wasm", sha256: "b".repeat(64), size: 5 },
      { name: "hello.wasm", sha256: "a".repeat(64), size: 5 },
    ]);
    expect(gatheredComponents(g).map((c) => c.name)).toEqual(["hello.wasm", "upper.wasm", "hello.wasm", "again.wasm"]);
  });

  it("an empty page (nothing mounted yet) is the empty project", () => {
    const none: Gathered = { component: undefined, inputs: undefined, preopens: undefined, engine: undefined, allow: undefined, authoring: undefined, layout: undefined, composition: undefined };
    expect(projectOf(none, sha)).toMatchObject({ component: null, engine: "cm", authoring: null, composition: null, run: { args: "", preopens: [], allow: [] } });
  });
});

describe("the app's shapes and the project's", () => {
  it("the editor's workspace round-trips, its save counter moving on from the one replaced", () => {
    const shared = authoringProject().authoring!;
    const ws = fromSharedWorkspace(shared, true, { ...fromSharedWorkspace(shared, false, null), seq: 41 });
    expect(ws.seq).toBe(42);
    expect(ws.layout.open).toBe(true);
    expect(toSharedWorkspace(ws)).toEqual(shared);
  });

  it("the dock's layout round-trips; areas this page does not have are dropped", () => {
    const dock: DockState = { active: { centre: "files", left: "library" }, sizes: { "dock-rows": { "dock-main": 70, "dock-bottom": 30 } }, collapsed: { bottom: true, right: false } };
    const shared = toSharedLayout(dock);
    expect(shared).toEqual({ active: { centre: "files", left: "library" }, sizes: { "dock-rows": { "dock-main": 70, "dock-bottom": 30 } }, collapsed: { bottom: true } });
    expect(fromSharedLayout(shared)).toEqual({ ...dock, collapsed: { bottom: true } });
    expect(fromSharedLayout({ active: { elsewhere: "x" }, sizes: {}, collapsed: { elsewhere: true } })).toEqual({ active: {}, sizes: {}, collapsed: {} });
  });
});
