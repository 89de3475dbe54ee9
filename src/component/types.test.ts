// Structural types of imports and exports: every real component resolves, with the names the AST
// has and the world-level function signatures jco's wasm-tools prints; resources keep their
// identity across imports and through wit-component's export shims; WIT text of interfaces.
import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decode } from "./decode";
import { externTypeText, funcText, interfaceLines } from "./type-text";
import { ComponentTypeError, componentTypes, memberAt, resourceKey, type ExternType, type InstanceSig, type Resource } from "./types";

const root = fileURLToPath(new URL("../../", import.meta.url));
const conformance = join(root, "..", "shared", "conformance");
const examples = join(root, "public", "components");
const OUTDATED = "component-model-async/yield/async-yield-callee-synchronous.wasm";
const asyncFixture = (f: string) => decode(readFileSync(join(conformance, "component-model-async", f)));

function wasmFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".wasm") && !f.endsWith(OUTDATED))
    .map((f) => join(dir, f))
    .sort();
}

/** The type of the member `name` of a list of imports or exports. */
const member = (list: readonly { name: string; type: ExternType }[], name: string): ExternType => {
  const m = list.find((x) => x.name === name);
  if (!m) throw new Error(`no member ${name}`);
  return m.type;
};

const resourceAt = (t: ExternType, path: string[]): Resource => {
  const m = memberAt(t, path);
  if (m?.kind !== "type" || typeof m.type !== "object" || m.type.kind !== "resource") throw new Error(`no resource at ${path.join(".")}`);
  return m.type;
};

describe("componentTypes on real components", () => {
  it("resolves every one, with the AST's import and export names and wasm-tools' world-level function signatures", async () => {
    let checked = 0;
    let funcs = 0;
    for (const file of [...wasmFiles(conformance), ...wasmFiles(examples)]) {
      const bytes = readFileSync(file);
      const ast = decode(bytes);
      const types = componentTypes(ast);
      const where = relative(root, file);
      expect(types.imports.map((m) => m.name), where).toEqual(ast.definitions.flatMap((d) => (d.kind === "import" ? [d.name.name] : [])));
      expect(types.exports.map((m) => m.name), where).toEqual(ast.definitions.flatMap((d) => (d.kind === "export" ? [d.name.name] : [])));
      const wit = await componentWit(bytes);
      for (const [kind, list] of [["import", types.imports], ["export", types.exports]] as const) {
        for (const m of list) {
          if (m.type.kind !== "func") continue;
          expect(wit, where).toContain(`${kind} ${m.name}: ${funcText(m.type)};`);
          funcs++;
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(85);
    expect(funcs).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("keeps a resource one object across the imports that share it", () => {
    const t = componentTypes(asyncFixture("general/async-borrowing-callee.wasm"));
    const error = resourceAt(member(t.imports, "wasi:io/error@0.2.12"), ["error"]);
    expect(error.origin).toEqual({ kind: "import", path: ["wasi:io/error@0.2.12", "error"] });
    expect(resourceAt(member(t.imports, "wasi:io/streams@0.2.12"), ["error"])).toBe(error);
    expect(resourceAt(member(t.imports, "wasi:filesystem/types@0.2.12"), ["output-stream"])).toBe(resourceAt(member(t.imports, "wasi:io/streams@0.2.12"), ["output-stream"]));
  });

  it("sees through wit-component's export shims: the exported interface uses the imported resource", () => {
    const t = componentTypes(asyncFixture("general/async-borrowing-callee.wasm"));
    const exported = member(t.exports, "local:local/borrowing") as InstanceSig;
    const x = resourceAt(exported, ["x"]);
    expect(resourceKey(x)).toBe(resourceKey(resourceAt(member(t.imports, "local:local/borrowing-types"), ["x"])));
    expect(member(exported.exports, "foo")).toEqual({
      kind: "func",
      async: true,
      params: [
        { name: "x", type: { kind: "borrow", resource: x } },
        { name: "misbehave", type: "bool" },
      ],
    });
  });

  it("prints interfaces as WIT: resources with their methods, named types by name", () => {
    const t = componentTypes(asyncFixture("general/async-borrowing-callee.wasm"));
    expect(interfaceLines(member(t.imports, "wasi:io/streams@0.2.12") as InstanceSig)).toEqual([
      "resource error;",
      "resource output-stream {",
      "  check-write: func() -> result<u64, stream-error>;",
      "  write: func(contents: list<u8>) -> result<_, stream-error>;",
      "  blocking-write-and-flush: func(contents: list<u8>) -> result<_, stream-error>;",
      "  blocking-flush: func() -> result<_, stream-error>;",
      "}",
      "resource input-stream;",
      "variant stream-error { last-operation-failed(error), closed }",
    ]);
    expect(externTypeText(member(t.imports, "local:local/borrowing-types"))).toBe("interface {\n  resource x {\n    constructor();\n    foo: func();\n  }\n}");
    // The shim re-creates `stuff`; it is still printed by name.
    const many = componentTypes(asyncFixture("round-trip/async-round-trip-many-stackless.wasm"));
    expect(interfaceLines(member(many.exports, "local:local/many") as InstanceSig).at(-1)).toBe(
      "foo: async func(a: string, b: u32, c: list<u8>, d: tuple<u64, u64>, e: stuff, f: option<stuff>, g: result<stuff>) -> tuple<string, u32, list<u8>, tuple<u64, u64>, stuff, option<stuff>, result<stuff>>;",
    );
  });

  it("gives a resource a component defines a defined origin", () => {
    const t = componentTypes(asyncFixture("general/async-short-reads.wasm"));
    const exported = member(t.exports, "local:local/short-reads");
    expect(resourceAt(exported, ["thing"]).origin.kind).toBe("defined");
    expect(externTypeText(exported)).toBe(
      "interface {\n  resource thing {\n    constructor(s: string);\n    get: async func() -> string;\n  }\n  short-reads: async func(s: stream<thing>) -> stream<thing>;\n}",
    );
  });
});

describe("componentTypes on constructs", () => {
  it("defines fresh resources per instantiation of a nested component", async () => {
    const t = componentTypes(
      decode(
        await parse(`(component
          (component $c (type $r (resource (rep i32))) (export "r" (type $r)))
          (instance $a (instantiate $c))
          (instance $b (instantiate $c))
          (export "a" (instance $a))
          (export "b" (instance $b)))`),
      ),
    );
    const a = resourceAt(member(t.exports, "a"), ["r"]);
    const b = resourceAt(member(t.exports, "b"), ["r"]);
    expect([a.origin.kind, b.origin.kind]).toEqual(["defined", "defined"]);
    expect(resourceKey(a)).not.toBe(resourceKey(b));
  });

  it("narrows an instance export to the members its ascribed type lists", async () => {
    const t = componentTypes(
      decode(
        await parse(`(component
          (import "i" (instance $i (export "f" (func)) (export "g" (func (param "x" u32)))))
          (export "e" (instance $i) (instance (export "g" (func (param "x" u32))))))`),
      ),
    );
    expect(member(t.exports, "e")).toEqual({ kind: "instance", exports: [{ name: "g", type: { kind: "func", async: false, params: [{ name: "x", type: "u32" }] } }] });
    expect(member(t.imports, "i")).toMatchObject({ kind: "instance", exports: [{ name: "f" }, { name: "g" }] });
  });

  it("resolves type imports, and refuses an AST that refers to what is not there", async () => {
    const ast = decode(await parse(`(component (type $t (record (field "a" u8))) (import "t" (type $u (eq $t))) (import "f" (func (param "v" $u))))`));
    const t = componentTypes(ast);
    const rec = { kind: "record", fields: [{ name: "a", type: "u8" }] };
    expect(t.imports).toEqual([
      { name: "t", type: { kind: "type", type: rec } },
      { name: "f", type: { kind: "func", async: false, params: [{ name: "v", type: rec }] } },
    ]);
    const broken = { ...ast, definitions: ast.definitions.slice(1) };
    expect(() => componentTypes(broken)).toThrow(ComponentTypeError);
    expect(() => componentTypes(broken)).toThrow("component: type 0 is not defined");
  });
});
