// Component text to binary: every component of the reference tests compiles, and the AST is the one
// jco's wasm-tools builds from the same text wherever that can read it; names resolve (or fail) as
// the text format says. Core modules go through jco's wasm-tools, as in the page.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import type { ComponentAst, Definition } from "../ast";
import { plainAst } from "../compare.fixture";
import { decode } from "../decode";
import { EncodeError } from "../encode";
import { compileModule, type CoreWat } from "./compile";
import { WastSyntaxError } from "./lexer";
import { SUITE, suiteScripts } from "./suite.fixture";
import { parseScript, type ModuleForm, type Script } from "./script";

const compiled = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const coreWat: CoreWat = (text) => {
  let p = compiled.get(text);
  if (!p) compiled.set(text, (p = parse(text) as Promise<Uint8Array<ArrayBuffer>>));
  return p;
};

/** The AST without positions and custom sections (the `component-name` section may order its maps differently). */
function comparable(ast: ComponentAst): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object" && !(v instanceof Map)) return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "customSections").map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(plainAst(ast, false));
}

function forms(script: Script): { form: ModuleForm; kind: string; line: number }[] {
  return script.commands.flatMap((c): { form: ModuleForm; kind: string; line: number }[] => {
    if (c.kind === "module" || c.kind === "assert_invalid" || c.kind === "assert_malformed" || c.kind === "assert_unlinkable") return [{ form: c.module, kind: c.kind, line: c.line }];
    if (c.kind === "assert_trap" && "module" in c.target) return [{ form: c.target.module, kind: c.kind, line: c.line }];
    return [];
  });
}

async function compileText(text: string): Promise<ComponentAst> {
  const script = parseScript(text);
  const c = script.commands[0]!;
  if (c.kind !== "module") throw new Error("expected a component");
  return decode(await compileModule(script.source, c.module, coreWat));
}

async function compileError(text: string): Promise<WastSyntaxError> {
  try {
    await compileText(text);
  } catch (err) {
    expect(err).toBeInstanceOf(WastSyntaxError);
    return err as WastSyntaxError;
  }
  throw new Error("expected a WastSyntaxError");
}

const defs = (ast: ComponentAst) => ast.definitions.map((d: Definition) => `${d.kind}${d.space ? ` ${d.space} ${d.index}` : ""}`);

describe("the reference tests' components", () => {
  it(
    "all compile (or are refused where a script expects that); the AST is jco's wherever jco's wasm-tools reads the text",
    async () => {
      let same = 0;
      let newerThanJco = 0;
      const differ: string[] = [];
      const failed: string[] = [];
      const refused = new Map<string, number>();
      for (const file of suiteScripts()) {
        const text = readFileSync(join(SUITE, file), "utf8");
        const script = parseScript(text);
        for (const { form, kind, line } of forms(script)) {
          const where = `${file}:${line} (${kind})`;
          let bytes: Uint8Array<ArrayBuffer>;
          try {
            bytes = await compileModule(script.source, form, coreWat);
          } catch (err) {
            // Refusing text is right only where a script expects it invalid or malformed, for a reason text can show.
            const why = err instanceof EncodeError ? "EncodeError" : err instanceof WastSyntaxError ? err.kind : `${String(err)}`;
            if (kind === "assert_invalid" || kind === "assert_malformed") refused.set(why, (refused.get(why) ?? 0) + 1);
            else failed.push(`${where}: ${why}`);
            continue;
          }
          if (kind === "assert_malformed" || form.kind !== "text") continue;
          let ours: ComponentAst;
          try {
            ours = decode(bytes);
          } catch (err) {
            // The decoder refuses what it validates (interface names in the gated nested syntax).
            if (kind !== "assert_invalid") throw err;
            refused.set("DecodeError", (refused.get("DecodeError") ?? 0) + 1);
            continue;
          }
          let theirs: ComponentAst;
          try {
            theirs = decode(await parse(text.slice(form.list.start, form.list.end).replace(/^\(component\s+definition/, "(component")));
          } catch {
            if (kind !== "assert_invalid") newerThanJco++;
            continue;
          }
          if (isDeepStrictEqual(comparable(ours), comparable(theirs))) same++;
          else differ.push(where);
        }
      }
      expect(failed).toEqual([]);
      expect(differ).toEqual([]);
      expect(same).toBeGreaterThanOrEqual(559);
      // async/cancellable.wast: its `cancellable` immediates are newer than jco's wasm-tools.
      expect(newerThanJco).toBe(1);
      expect(Object.fromEntries(refused)).toEqual({ EncodeError: 46, DecodeError: 2, "duplicate canonical option": 6, "outer item not aliasable": 1, "invalid string escape": 2, "unexpected token": 2 });
    },
    120_000,
  );

  it("reads what jco's wasm-tools cannot yet: `cancellable` and `external-id`", async () => {
    const ast = await compileText(`(component
      (core module $M (memory (export "mem") 1))
      (core instance $m (instantiate $M))
      (canon waitable-set.wait cancellable (memory (core memory $m "mem")) (core func))
      (canon waitable-set.poll (memory (core memory $m "mem")) (core func))
      (canon thread.yield cancellable (core func))
      (import "a" (implements "a:b/c") (external-id "☃︎") (instance)))`);
    expect(ast.definitions.flatMap((d) => (d.kind === "canon" ? [d.canon] : []))).toEqual([
      { op: "waitable-set.wait", cancellable: true, memory: 0 },
      // Each `(core memory $m "mem")` is an alias of its own.
      { op: "waitable-set.poll", cancellable: false, memory: 1 },
      { op: "thread.yield", cancellable: true },
    ]);
    expect(ast.definitions.at(-1)).toMatchObject({ kind: "import", name: { name: "a", implements: "a:b/c", externalId: "☃︎", encoding: 2 } });
  });
});

describe("expansion and names", () => {
  it("defines inline types before their user, and moves inline exports to the end", async () => {
    const ast = await compileText(`(component
      (core module $m (func (export "f") (param i32)))
      (core instance $i (instantiate $m))
      (func $f (export "a") (param "x" (list u8)) (canon lift (core func $i "f")))
      (type $t u8))`);
    expect(defs(ast)).toEqual([
      "core module core module 0",
      "core instance core instance 0",
      "type type 0", // (list u8)
      "type type 1", // the func type using it
      "alias core func 0", // $i "f"
      "canon func 0",
      "type type 2", // $t
      "export func 1", // (export "a"), last
    ]);
    expect(ast.names?.sorts.get("func")?.get(0)).toBe("f");
  });

  it("resolves an outer name with an outer alias at each use, and a bundle argument with an instance before the instantiation", async () => {
    const ast = await compileText(`(component $C
      (type $T u32)
      (component $D (import "x" (func)) (type (func (param "a" $T))) (type (func (param "b" $T))))
      (import "f" (func $f))
      (instance (instantiate $D (with "x" (instance (export "g" (func $f)))))))`);
    const nested = ast.definitions[1];
    expect(nested?.kind === "component" && nested.component.definitions.map((d) => (d.kind === "alias" ? d.alias : d.kind))).toEqual([
      "type",
      "import",
      { sort: "type", target: { kind: "outer", count: 1, index: 0 } },
      "type",
      { sort: "type", target: { kind: "outer", count: 1, index: 0 } },
      "type",
    ]);
    expect(defs(ast).slice(-2)).toEqual(["instance instance 0", "instance instance 1"]);
  });

  it.each([
    ['(component (core instance (instantiate $M)))', "unknown name", "unknown core module: failed to find name `$M`", 1, 40],
    ['(component\n  (core module $M)\n  (core module $M))', "duplicate name", "duplicate core module identifier $M", 3, 3],
    ['(component (import "x" (func $x)) (component (export "x" (func $x))))', "outer item not aliasable", "outer item `x` is not a module, type, or component", 1, 64],
    ['(component (alias outer $Nope 0 (type)))', "unknown name", "outer component `$Nope` not found", 1, 25],
    ['(component (type $a (list $b)) (type $b u8))', "unknown name", "unknown type: failed to find name `$b`", 1, 27],
    ['(component (canon lower (func 0) (memory 0) (memory 0) (core func)))', "duplicate canonical option", "canonical option `memory` is given more than once", 1, 12],
    ['(component (canon frobnicate (core func)))', "unexpected token", "unknown canonical built-in `frobnicate`", 1, 19],
    ['(component (import "a" (func (result "r" u32))))', "unsupported", "named function results were removed", 1, 38],
  ])("refuses %s (%s)", async (text, kind, message, line, column) => {
    const err = await compileError(text);
    expect(err.kind).toBe(kind);
    expect(err.detail).toContain(message);
    expect(err.position).toEqual({ line, column });
  });
});
