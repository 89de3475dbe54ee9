/**
 * Starting points: a starter project for each kind, and a JS guest generated from a world's
 * exports (componentize-qjs conventions: world functions as exported functions, each exported
 * interface as an exported object named after it in camelCase, resources as classes).
 */
import { camelCase, pascalCase } from "../base/names";
import type { ProjectFile, ProjectKind } from "../protocol/authoring-api";
import type { FuncType, InterfaceItem, ResourceItem, TypeRef } from "../wit/ast";
import type { PackageModel, Scope, WitModel } from "../wit/model";
import { guestWorld } from "./guest-shape";

export const STARTERS: Record<ProjectKind, { title: string; files: ProjectFile[] }> = {
  js: {
    title: "JavaScript guest + WIT (built on the server with componentize-qjs)",
    files: [
      {
        path: "wit/world.wit",
        text: `package playground:my-guest;

world my-guest {
  /// Returns a greeting for \`name\`.
  export greet: func(name: string) -> string;

  use wasi:clocks/types@0.3.0.{duration};
  import wasi:clocks/monotonic-clock@0.3.0;

  /// Waits \`millis\` milliseconds without blocking the host, then returns how long it took.
  export wait: async func(millis: u32) -> duration;
}
`,
      },
      {
        path: "guest.js",
        text: `// A JavaScript guest: each export of the world is an export of this module.
// componentize-qjs hands every WIT integer over as a JS number, u64 and s64 too:
// a duration is a number of nanoseconds.
import { now, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

export function greet(name) {
  return \`Hello, \${name}!\`;
}

export async function wait(millis) {
  const start = now();
  await waitFor(millis * 1_000_000);
  return now() - start;
}
`,
      },
    ],
  },
  "wat-core": {
    title: "WAT core module + WIT (componentEmbed + componentNew in the browser)",
    files: [
      {
        path: "wit/world.wit",
        text: `package playground:adder;

world adder {
  /// Adds two numbers (wrapping).
  export add: func(a: u32, b: u32) -> u32;
}
`,
      },
      {
        path: "module.wat",
        text: `;; A core module whose exports follow the canonical ABI's names for the world's exports.
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
)
`,
      },
    ],
  },
  "wat-component": {
    title: "Component WAT (parsed in the browser)",
    files: [
      {
        path: "component.wat",
        text: `;; A whole component in text: an async export lifted with a callback.
;; \`start\` stores its argument and returns YIELD (1); the runtime then calls \`callback\`,
;; which returns the result through task.return and EXIT (0).
(component
  (core module $m
    (import "" "task.return" (func $task-return (param i32)))
    (global $x (mut i32) (i32.const 0))
    (func (export "start") (param $x i32) (result i32)
      local.get $x
      global.set $x
      i32.const 1 ;; YIELD
    )
    (func (export "callback") (param $event i32) (param $p1 i32) (param $p2 i32) (result i32)
      global.get $x
      i32.const 1
      i32.add
      call $task-return
      i32.const 0 ;; EXIT
    )
  )
  (core func $task-return (canon task.return (result u32)))
  (core instance $i (instantiate $m (with "" (instance (export "task.return" (func $task-return))))))
  (func (export "add-one") async (param "x" u32) (result u32)
    (canon lift (core func $i "start") async (callback (core func $i "callback"))))
)
`,
      },
    ],
  },
};

/** A JS expression of type `t` that a generated stub can return. */
function defaultValue(t: TypeRef | null, scope: Scope, model: WitModel, depth = 0): string {
  if (!t || depth > 4) return "undefined";
  switch (t.kind) {
    case "builtin":
      if (t.name === "bool") return "false";
      if (t.name === "string") return '""';
      if (t.name === "char") return '"a"';
      if (t.name === "error-context") return "undefined";
      return "0";
    case "list":
      return "[]";
    case "option":
      return "null";
    case "result":
      return defaultValue(t.ok, scope, model, depth + 1);
    case "tuple":
      return `[${t.elems.map((e) => defaultValue(e, scope, model, depth + 1)).join(", ")}]`;
    case "map":
      return "new Map()";
    case "stream":
      return "(async function* () {})()";
    case "future":
      return "undefined";
    case "borrow":
    case "own":
      return "undefined";
    case "named": {
      const found = model.lookupType(scope, t.name.name);
      if (!found) return "undefined";
      const d = found.def;
      switch (d.kind) {
        case "type":
          return defaultValue(d.type, found.scope, model, depth + 1);
        case "record":
          return `{ ${d.fields.map((f) => `${camelCase(f.name.name)}: ${defaultValue(f.type, found.scope, model, depth + 1)}`).join(", ")} }`;
        case "variant":
          return d.cases[0] ? `{ tag: "${d.cases[0].name.name}"${d.cases[0].type ? `, val: ${defaultValue(d.cases[0].type, found.scope, model, depth + 1)}` : ""} }` : "undefined";
        case "enum":
          return d.cases[0] ? `"${d.cases[0].name.name}"` : "undefined";
        case "flags":
          return "{}";
        case "resource":
          return "undefined";
      }
    }
  }
}

function funcStub(name: string, f: FuncType, scope: Scope, model: WitModel, indent: string, form: "function" | "method"): string {
  const params = f.params.map((p) => camelCase(p.name.name)).join(", ");
  const head = form === "function" ? `export ${f.async ? "async " : ""}function ${camelCase(name)}(${params})` : `${f.async ? "async " : ""}${camelCase(name)}(${params})`;
  const ret = f.result ? `\n${indent}  return ${defaultValue(f.result, scope, model)};` : "";
  return `${indent}${head} {${ret}\n${indent}}`;
}

function resourceClass(r: ResourceItem, scope: Scope, model: WitModel, indent: string): string {
  const members = (r.funcs ?? []).map((f) => {
    if (f.kind === "constructor") return `${indent}  constructor(${f.func.params.map((p) => camelCase(p.name.name)).join(", ")}) {}`;
    const stub = funcStub(f.name.name, f.func, scope, model, `${indent}  `, "method");
    return f.kind === "static" ? stub.replace(`${indent}  `, `${indent}  static `) : stub;
  });
  return `${indent}class ${pascalCase(r.name.name)} {\n${members.join("\n\n")}${members.length ? "\n" : ""}${indent}}`;
}

function interfaceObject(jsName: string, items: readonly InterfaceItem[], scope: Scope, model: WitModel): string {
  const classes = items.filter((i): i is ResourceItem => i.kind === "resource").map((r) => resourceClass(r, scope, model, ""));
  const members = items.flatMap((i) => (i.kind === "func" ? [funcStub(i.name.name, i.func, scope, model, "  ", "method")] : []));
  const resourceNames = items.filter((i) => i.kind === "resource").map((i) => `  ${pascalCase(i.name.name)},`);
  const body = [...members.map((m) => `${m},`), ...resourceNames].join("\n");
  return `${classes.map((c) => `${c}\n\n`).join("")}export const ${jsName} = {\n${body}\n};`;
}

/**
 * A componentize-qjs guest implementing every export of `worldName` (the project package's first
 * world when null), those of the worlds it `include`s too (`include wasi:http/service@0.3.0` gives
 * `handler`), with `import` lines for the interfaces it imports. Null when there is no such world.
 */
export function jsGuestFromWorld(model: WitModel, pkg: PackageModel, worldName: string | null): string | null {
  const world = guestWorld(model, pkg, worldName);
  if (!world) return null;
  const imports = world.imports.filter((i) => i.names.length > 0).map((i) => `import { ${i.names.join(", ")} } from "${i.specifier}";`);
  const exports = world.exports.flatMap((e) => {
    if (e.kind === "func") return [funcStub(e.wit, e.func, e.scope, model, "", "function")];
    return e.items && e.scope ? [interfaceObject(e.js, e.items, e.scope, model)] : [];
  });
  const header = `// Generated from world \`${world.name}\`: fill in each export.`;
  return [header, ...(imports.length ? [imports.join("\n")] : []), ...exports].join("\n\n") + "\n";
}
