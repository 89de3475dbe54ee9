// Every real component we run (../shared/conformance and the built examples) decodes, and its
// top-level imports and exports match what jco's wasm-tools reads from the same bytes.
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComponentAst } from "./ast";
import { decode } from "./decode";

const root = fileURLToPath(new URL("../../", import.meta.url));
const conformance = join(root, "..", "shared", "conformance");
const examples = join(root, "public", "components");

function wasmFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => join(dir, f))
    .sort();
}

/**
 * The component whose `thread.yield` is `cancellable`: component-model#716 removed that flag, the
 * spec has it again (the reference tests' binary.wast), and jco's wasm-tools predates its return.
 */
const NEWER_THAN_JCO = "component-model-async/yield/async-yield-callee-synchronous.wasm";

/** `import`/`export` items directly in the first world of printed WIT, in order: interface names as written, else the plain name. */
function worldItems(wit: string): { imports: string[]; exports: string[] } {
  const start = wit.search(/^world\s/m);
  const out = { imports: [] as string[], exports: [] as string[] };
  let depth = 0;
  for (const line of wit.slice(start).split("\n")) {
    const before = depth;
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (before !== 1) {
      if (before >= 1 && depth <= 0) break;
      continue;
    }
    const m = /^\s*(import|export)\s+%?([^\s:;{]+(?::[^\s;{]+)?)\s*[;:]/.exec(line);
    if (m) (m[1] === "import" ? out.imports : out.exports).push(m[2]!);
  }
  return out;
}

/** Top-level instance and func imports/exports: what a WIT world shows (type imports and exports appear as `use`/`resource` there). */
function astItems(ast: ComponentAst): { imports: string[]; exports: string[] } {
  const shown = (sort: string) => sort === "instance" || sort === "func";
  return {
    imports: ast.definitions.flatMap((d) => (d.kind === "import" && shown(d.desc.sort) ? [d.name.name] : [])),
    exports: ast.definitions.flatMap((d) => (d.kind === "export" && shown(d.target.sort) ? [d.name.name] : [])),
  };
}

describe("real components", () => {
  beforeAll(() => {
    // Cached by content hash: a no-op when public/components is current.
    execFileSync(process.execPath, [join(root, "scripts", "build-examples.mjs")], { cwd: root, stdio: "pipe" });
  }, 300_000);

  it("finds the conformance suite and the examples", () => {
    expect(wasmFiles(conformance).length).toBeGreaterThanOrEqual(80);
    expect(wasmFiles(examples).map((f) => relative(examples, f))).toEqual(
      expect.arrayContaining(["hello.wasm", "sleep-fanout.wasm", "stream-upper.wasm", "spin.wasm", "files.wasm"]),
    );
  });

  const files = () => [...wasmFiles(conformance), ...wasmFiles(examples)].filter((f) => !f.endsWith(NEWER_THAN_JCO));

  it("decodes each one, with imports and exports (names and versions) as jco's wasm-tools reads them", async () => {
    const checked: string[] = [];
    for (const file of files()) {
      const bytes = readFileSync(file);
      const ast = decode(bytes);
      const fromWit = worldItems(await componentWit(bytes));
      const ours = astItems(ast);
      expect(fromWit.exports.length, `${relative(root, file)}: WIT world with no exports`).toBeGreaterThan(0);
      expect(ours, relative(root, file)).toEqual(fromWit);
      for (const d of ast.definitions) {
        if ((d.kind === "import" || d.kind === "export") && d.name.isInterface) {
          expect(d.name.name).toBe(d.name.version === undefined ? d.name.unversioned : `${d.name.unversioned}@${d.name.version}`);
        }
      }
      // Every core module is handed on as a view that WebAssembly accepts as a module preamble.
      for (const d of ast.definitions) if (d.kind === "core module") expect(WebAssembly.validate(d.bytes.subarray(0, 8))).toBe(true);
      checked.push(file);
    }
    expect(checked.length).toBeGreaterThanOrEqual(85);
  }, 120_000);

  it("uses the async builtins the runtime must implement", () => {
    const ops = new Set<string>();
    const visit = (ast: ComponentAst) => {
      for (const d of ast.definitions) {
        if (d.kind === "canon") ops.add(d.canon.op);
        if (d.kind === "component") visit(d.component);
      }
    };
    for (const file of files()) visit(decode(readFileSync(file)));
    for (const op of ["lift", "lower", "task.return", "waitable-set.wait", "stream.read", "future.write", "subtask.cancel", "context.get", "error-context.new", "backpressure.inc", "thread.yield"]) {
      expect(ops).toContain(op);
    }
  });

  it(`decodes ${NEWER_THAN_JCO}, whose \`thread.yield\` is \`cancellable\` (jco's wasm-tools cannot read it)`, async () => {
    const bytes = readFileSync(join(conformance, NEWER_THAN_JCO));
    const yields = decode(bytes).definitions.flatMap((d) => (d.kind === "canon" && d.canon.op === "thread.yield" ? [d.canon] : []));
    expect(yields).toEqual([{ op: "thread.yield", cancellable: true }]);
    await expect(componentWit(bytes)).rejects.toBeDefined();
  });
});
