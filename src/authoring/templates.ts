/**
 * Starting points: a starter project for each kind, and a JS guest generated from a world's
 * exports (componentize-qjs conventions: world functions as exported functions, each exported
 * interface as an exported object named after it in camelCase, resources as classes).
 */
import { camelCase, pascalCase } from "../base/names";
import type { ProjectFile, ProjectKind } from "../protocol/authoring-api";
import type { FuncType, InterfaceItem, ResourceItem, TypeRef, UsePath, WorldDecl, WorldItem } from "../wit/ast";
import { interfaceScope, type PackageModel, type ParsedSource, type Scope, type WitModel } from "../wit/model";

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

  /// Waits \`millis\` milliseconds without blocking the host, then returns how long it took.
  export wait: async func(millis: u32) -> u64;

  import wasi:clocks/monotonic-clock@0.3.0;
}
`,
      },
      {
        path: "guest.js",
        text: `// A JavaScript guest: each export of the world is an export of this module.
import { now, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

export function greet(name) {
  return \`Hello, \${name}!\`;
}

export async function wait(millis) {
  const start = now();
  await waitFor(BigInt(millis) * 1000000n);
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
      if (t.name === "u64" || t.name === "s64") return "0n";
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

function interfaceObject(exportName: string, items: readonly InterfaceItem[], scope: Scope, model: WitModel): string {
  const classes = items.filter((i): i is ResourceItem => i.kind === "resource").map((r) => resourceClass(r, scope, model, ""));
  const members = items.flatMap((i) => (i.kind === "func" ? [funcStub(i.name.name, i.func, scope, model, "  ", "method")] : []));
  const resourceNames = items.filter((i) => i.kind === "resource").map((i) => `  ${pascalCase(i.name.name)},`);
  const body = [...members.map((m) => `${m},`), ...resourceNames].join("\n");
  return `${classes.map((c) => `${c}\n\n`).join("")}export const ${camelCase(exportName)} = {\n${body}\n};`;
}

/** A world's items with the world they are written in: its own, then those of worlds it `include`s. */
interface WorldEntry {
  item: WorldItem;
  pkg: PackageModel;
  file: ParsedSource;
  scope: Scope;
}

function worldEntries(model: WitModel, decl: WorldDecl, pkg: PackageModel, file: ParsedSource, seen = new Set<string>()): WorldEntry[] {
  const key = `${pkg.name}/${decl.name.name}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const scope: Scope = { kind: "world", name: decl.name.name, items: decl.items, pkg, file, span: decl.body };
  return decl.items.flatMap((item): WorldEntry[] => {
    if (item.kind !== "include") return [{ item, pkg, file, scope }];
    const inc = model.resolveWorld(item.path, pkg);
    return inc ? worldEntries(model, inc.decl, inc.pkg, inc.file, seen) : [];
  });
}

/** `wasi:cli/stdout@0.3.0` for a path written in `pkg`. */
function interfaceSpec(p: UsePath, pkg: PackageModel): string {
  return p.kind === "qualified" ? `${p.pkg.base}/${p.iface.name}${p.pkg.version ? `@${p.pkg.version}` : ""}` : `${pkg.base}/${p.name.name}${pkg.version ? `@${pkg.version}` : ""}`;
}

/**
 * A componentize-qjs guest implementing every export of `worldName` (the project package's first
 * world when null), those of the worlds it `include`s too (`include wasi:http/service@0.3.0` gives
 * `handler`), with `import` lines for the interfaces it imports. Null when there is no such world.
 */
export function jsGuestFromWorld(model: WitModel, pkg: PackageModel, worldName: string | null): string | null {
  const entry = worldName ? pkg.worlds.get(worldName) : pkg.worlds.values().next().value;
  if (!entry) return null;
  const { decl, file } = entry;
  const imports = new Set<string>();
  const exports = new Map<string, string>();
  for (const { item, pkg: at, file: inFile, scope: worldScope } of worldEntries(model, decl, pkg, file as ParsedSource)) {
    if (item.kind === "import" && item.extern.kind === "path" && !item.name) {
      const target = model.resolveInterface(item.extern.path, at, inFile);
      const names = target ? target.decl.items.flatMap((i) => (i.kind === "func" ? [camelCase(i.name.name)] : i.kind === "resource" ? [pascalCase(i.name.name)] : [])) : [];
      if (names.length > 0) imports.add(`import { ${names.join(", ")} } from "${interfaceSpec(item.extern.path, at)}";`);
    }
    if (item.kind !== "export") continue;
    const e = item.extern;
    if (e.kind === "func" && item.name) {
      exports.set(item.name.name, funcStub(item.name.name, e.func, worldScope, model, "", "function"));
    } else if (e.kind === "interface" && item.name) {
      const scope: Scope = { kind: "interface", name: item.name.name, items: e.items, pkg: at, file: inFile, span: e.body };
      exports.set(item.name.name, interfaceObject(item.name.name, e.items, scope, model));
    } else if (e.kind === "path") {
      const target = model.resolveInterface(e.path, at, inFile);
      const name = item.name?.name ?? (e.path.kind === "qualified" ? e.path.iface.name : e.path.name.name);
      if (target) exports.set(name, interfaceObject(name, target.decl.items, interfaceScope(target.decl, target.pkg, target.file), model));
    }
  }
  const header = `// Generated from world \`${decl.name.name}\`: fill in each export.`;
  return [header, ...(imports.size ? [[...imports].join("\n")] : []), ...exports.values()].join("\n\n") + "\n";
}
