/** Project states for the tests of this folder: hello with its inputs, and one with the editor open. */
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
