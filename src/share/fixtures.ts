/** Project states for the tests of this folder: hello with its inputs, one with the editor open, one with a composition. */
import { emptyProject, type ProjectState } from "./schema";

export const HELLO_SHA = "a".repeat(64);

export function helloProject(): ProjectState {
  const p = emptyProject();
  return {
    ...p,
    component: { name: "hello.wasm", sha256: HELLO_SHA, size: 12345 },
    run: { ...p.run, export: "wasi:cli/run", args: 'Ada "Lovelace"', env: "GREETING_STYLE=plain", stdin: "", allow: ["127.0.0.1:7000", "*.example.com:443"] },
    layout: { active: { centre: "component" }, sizes: { "dock-columns": { "dock-left": 20, "dock-centre": 45, "dock-right": 35 } }, collapsed: { bottom: true } },
  };
}

export function authoringProject(): ProjectState {
  return {
    ...helloProject(),
    authoring: {
      kind: "js",
      projects: {
        js: {
          files: [
            { path: "wit/world.wit", text: "package playground:my-guest;\n\nworld my-guest {\n  export greet: func(name: string) -> string;\n}\n" },
            { path: "guest.js", text: "export function greet(name) {\n  return `Hi, ${name}!`;\n}\n" },
          ],
          open: ["wit/world.wit", "guest.js"],
          active: "guest.js",
          world: null,
        },
      },
      dock: "problems",
      dockHeight: 180,
      outline: true,
    },
  };
}

export const UPPER_SHA = "b".repeat(64);

/** Hello with a composition: two instances of one library component, one wired into the other. */
export function compositionProject(): ProjectState {
  return {
    ...helloProject(),
    composition: {
      graph: {
        version: 1,
        instances: [
          { id: "i1", name: "upper", component: UPPER_SHA, open: {} },
          { id: "i2", name: "app", component: HELLO_SHA, open: { "wasi:http/handler@0.3.0": "refuse" } },
        ],
        wires: [{ from: { kind: "instance", instance: "i1", export: "local:demo/upper" }, to: { instance: "i2", import: "local:demo/upper" } }],
        exports: [{ name: "wasi:cli/run@0.3.0", instance: "i2", export: "wasi:cli/run@0.3.0" }],
      },
      components: [
        { name: "upper.wasm", sha256: UPPER_SHA, size: 2048 },
        { name: "hello.wasm", sha256: HELLO_SHA, size: 12345 },
      ],
    },
  };
}
