/**
 * The lint rules of eslint.config.js on a small tree of fixture files: the layer allow-list (a
 * forbidden layer, a folder nobody listed) and import cycles. The fixtures sit in a temporary
 * project root so they never enter the real tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const config = path.resolve(import.meta.dirname, "../eslint.config.js");

const fixtures: Record<string, string> = {
  "src/base/time.ts": "export const now = 1;\n",
  "src/host/index.ts": "export const host = 1;\n",
  "src/client/FsClient.ts": 'import { now } from "../base/time";\nexport const client = now;\n',
  "src/ui/ok.ts": 'import { client } from "../client/FsClient";\nimport { now } from "../base/time";\nexport const ok = client + now;\n',
  "src/ui/reaches-host.ts": 'import { host } from "../host";\nexport const bad = host;\n',
  "src/newfolder/x.ts": 'import { now } from "../base/time";\nexport const x = now;\n',
  "src/ui/uses-newfolder.ts": 'import { x } from "../newfolder/x";\nexport const y = x;\n',
  "src/engine/cm/uses-jco.ts": 'import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";\nexport const p = parse;\n',
  "src/engine/cm/uses-jco.test.ts": 'import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";\nexport const q = parse;\n',
  "src/wit/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
  "src/wit/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
  "src/wit/types.ts": 'import type { Instance } from "./instance";\nexport type Handle = { owner: Instance };\n',
  "src/wit/instance.ts": 'import type { Handle } from "./types";\nexport interface Instance { handles: Handle[] }\n',
};

let root: string;
let problems: Map<string, string[]>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "lint-layers-"));
  for (const [file, text] of Object.entries(fixtures)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  // The project's config with the fixture folder as the project root.
  const eslint = new ESLint({ cwd: root, overrideConfigFile: config, overrideConfig: { settings: { projectRoot: root } } });
  const results = await eslint.lintFiles(["src"]);
  problems = new Map(results.map((r) => [path.relative(root, r.filePath).split(path.sep).join("/"), r.messages.map((m) => `${m.ruleId}: ${m.message}`)]));
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("layer allow-list", () => {
  it("lets a layer import what it lists", () => {
    expect(problems.get("src/ui/ok.ts")).toEqual([]);
    expect(problems.get("src/client/FsClient.ts")).toEqual([]);
  });

  it("refuses a layer it does not list: ui -> host", () => {
    expect(problems.get("src/ui/reaches-host.ts")).toEqual([expect.stringMatching(/^layers\/allowed-imports: src\/ui may not import src\/host; it may import src\/base, src\/protocol, src\/client/)]);
  });

  it("keeps a folder nobody listed closed both ways", () => {
    expect(problems.get("src/newfolder/x.ts")).toEqual([expect.stringMatching(/^layers\/allowed-imports: src\/newfolder is not a listed layer/)]);
    expect(problems.get("src/ui/uses-newfolder.ts")).toEqual([expect.stringMatching(/^layers\/allowed-imports: src\/newfolder is not a listed layer/)]);
  });

  it("keeps jco out of engine/cm, except in its tests", () => {
    expect(problems.get("src/engine/cm/uses-jco.ts")).toEqual([expect.stringMatching(/^layers\/allowed-imports: src\/engine\/cm may not import jco/)]);
    expect(problems.get("src/engine/cm/uses-jco.test.ts")).toEqual([]);
  });
});

describe("import cycles", () => {
  it("names the cycle on each module in it", () => {
    expect(problems.get("src/wit/a.ts")).toEqual(["cycles/no-cycle: import cycle: src/wit/a.ts -> src/wit/b.ts -> src/wit/a.ts"]);
    expect(problems.get("src/wit/b.ts")).toEqual(["cycles/no-cycle: import cycle: src/wit/b.ts -> src/wit/a.ts -> src/wit/b.ts"]);
  });

  it("counts type-only imports: two modules whose types need each other are a cycle too", () => {
    expect(problems.get("src/wit/types.ts")).toEqual(["cycles/no-cycle: import cycle: src/wit/types.ts -> src/wit/instance.ts -> src/wit/types.ts"]);
  });
});
