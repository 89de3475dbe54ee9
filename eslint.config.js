// Lint: typescript-eslint's recommended rules and two local rules (src/lint.test.ts checks both):
// - layers/allowed-imports: the layers of DESIGN.md "Layout" and what each MAY import. A folder of
//   src/ that is not listed is closed (imports no project code, and nothing imports it) until
//   someone lists it here.
// - cycles/no-cycle: no import cycles in src/ and workers/, type-only imports included.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import tseslint from "typescript-eslint";

// "jco" stands for every @bytecodealliance package: jco, its wasm-tools, the WASI shims.
const srcLayers = {
  "src/base": [],
  "src/protocol": ["src/base"],
  "src/component": ["src/base"],
  "src/wit": ["src/base", "src/protocol"],
  "src/host": ["src/base", "src/protocol", "src/wit"],
  "src/engine": ["src/base", "src/protocol", "src/host", "src/component", "src/wit", "src/engine/cm", "jco"],
  // Our runtime: no jco, and nothing of the rest of engine/ (jco's engine, the runtime service).
  "src/engine/cm": ["src/base", "src/protocol", "src/host", "src/component"],
  "src/authoring": ["src/base", "src/protocol", "src/wit", "src/component", "jco"],
  "src/compose": ["src/base", "src/component", "src/wit"],
  "src/share": ["src/base", "src/protocol", "src/compose"],
  "src/learn": ["src/base", "src/protocol"],
  "src/client": ["src/base", "src/protocol"],
  // Main-thread code over the clients; the UI's conformance page drives it.
  "src/conformance": ["src/base", "src/protocol", "src/client"],
  "src/ui": ["src/base", "src/protocol", "src/client", "src/wit", "src/compose", "src/share", "src/learn", "src/conformance"],
  // The composition examples linked and run together on engine/cm: test support, not part of the app.
  "src/examples": ["src/base", "src/protocol", "src/host", "src/engine", "src/engine/cm", "src/compose"],
};
// "*": every listed layer (these folders are tools and entry points over the whole tree).
const layers = {
  ...srcLayers,
  workers: Object.keys(srcLayers).filter((layer) => layer !== "src/ui"),
  server: ["*"],
  bench: ["*"],
  e2e: ["*"],
  scripts: ["*"],
};
// What tests may use besides their layer's list: jco to compile fixtures and compare results; real
// servers (the relay for the host's sockets, the share store for its client); engine/cm to run the
// components the component layer builds (and compose composes, on a real host); engine/cm tests
// record with the engine's trace recorder; lessons run end to end (built, composed, run, checked
// by the timeline's trace query).
const testLayers = { "*": ["jco"], "src/learn": ["*"], "src/host": ["server"], "src/client": ["server"], "src/component": ["src/engine/cm"], "src/compose": ["src/engine/cm", "src/host"], "src/engine/cm": ["src/engine"] };

/** `file` relative to the project root, with "/" separators: the form the tables above use. */
const projectPath = (root, file) => path.relative(root, file).split(path.sep).join("/");

/** The layer a project-relative path belongs to: the longest listed prefix, else its own closed folder. */
function layerOf(rel) {
  let best;
  for (const layer of Object.keys(layers)) {
    if ((rel === layer || rel.startsWith(`${layer}/`)) && (best === undefined || layer.length > best.length)) best = layer;
  }
  if (best !== undefined) return best;
  const [top, second] = rel.split("/");
  return top === "src" && second !== undefined ? `src/${second}` : undefined;
}

/** Calls `check(source)` for the string source of every import, re-export and dynamic import. */
function visitImports(check) {
  const visit = (node) => {
    if (node.source?.type === "Literal" && typeof node.source.value === "string") check(node.source);
  };
  return { ImportDeclaration: visit, ExportNamedDeclaration: visit, ExportAllDeclaration: visit, ImportExpression: visit };
}

const layerRule = {
  meta: {
    type: "problem",
    docs: { description: "imports follow the layer allow-list (eslint.config.js, DESIGN.md \"Layout\")" },
    schema: [],
    messages: {
      forbidden: "{{from}} may not import {{to}}; it may import {{allowed}} (the allow-list is in eslint.config.js).",
      closed: "{{folder}} is not a listed layer: it imports no project code and nothing imports it until eslint.config.js lists it.",
    },
  },
  create(context) {
    const root = context.settings.projectRoot;
    const rel = projectPath(root, context.physicalFilename);
    const from = layerOf(rel);
    if (from === undefined) return {};
    // `*.fixture.ts` files are test support, imported only by tests.
    const isTest = /\.(test|fixture)\.tsx?$/.test(rel);
    const allowed = [...(layers[from] ?? []), ...(isTest ? [...testLayers["*"], ...(testLayers[from] ?? [])] : [])];
    return visitImports((source) => {
      let to;
      if (source.value.startsWith("@bytecodealliance/")) to = "jco";
      else if (source.value.startsWith(".")) {
        const target = projectPath(root, path.resolve(path.dirname(context.physicalFilename), source.value.replace(/\?.*$/, "")));
        to = layerOf(target) ?? target;
      } else return;
      if (to === from) return;
      if (!(to in layers) && to !== "jco") context.report({ node: source, messageId: "closed", data: { folder: to } });
      else if (!(from in layers)) context.report({ node: source, messageId: "closed", data: { folder: from } });
      else if (!allowed.includes("*") && !allowed.includes(to)) {
        context.report({ node: source, messageId: "forbidden", data: { from, to, allowed: allowed.join(", ") || "nothing" } });
      }
    });
  },
};

/** The project file a relative specifier names, as the bundler resolves it (extension or index optional). */
function resolveModule(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec.replace(/\?.*$/, ""));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return undefined;
}

// Each file's relative imports (type-only ones too: a cycle of types is still two modules that
// cannot be understood apart), read once per version of the file.
const importCache = new Map();
function importsOf(file) {
  if (!/\.(ts|tsx|js|mjs)$/.test(file)) return [];
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = importCache.get(file);
  if (cached?.stamp === stamp) return cached.targets;
  const specs = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
  const targets = specs.filter((spec) => spec.startsWith(".")).flatMap((spec) => resolveModule(file, spec) ?? []);
  importCache.set(file, { stamp, targets });
  return targets;
}

/** The shortest import path from `start` back to `file`, or undefined when there is none. */
function pathBack(start, file) {
  const cameFrom = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift();
    if (at === file) {
      const route = [];
      for (let step = at; step !== undefined; step = cameFrom.get(step)) route.unshift(step);
      return route;
    }
    for (const next of importsOf(at)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

const cycleRule = {
  meta: {
    type: "problem",
    docs: { description: "no import cycles, type-only imports included" },
    schema: [],
    messages: { cycle: "import cycle: {{route}}" },
  },
  create(context) {
    const file = context.physicalFilename;
    const root = context.settings.projectRoot;
    return visitImports((source) => {
      if (!source.value.startsWith(".")) return;
      const target = resolveModule(file, source.value);
      const route = target === undefined ? undefined : pathBack(target, file);
      if (route === undefined) return;
      const names = [file, ...route].map((f) => projectPath(root, f));
      context.report({ node: source, messageId: "cycle", data: { route: names.join(" -> ") } });
    });
  },
};

export default tseslint.config(
  { ignores: ["dist", "dist-test", "node_modules", "public", "test-results", "reports", "src/host/generated", "bench/results"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The DOM lib this project types against gives ReadableStream no async iteration (WebKit has
      // none), so `for await` over a stream needs a cast: the cast is what this catches.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ForOfStatement[await=true] > TSAsExpression.right",
          message: "`for await` over a cast may iterate a ReadableStream, which WebKit cannot: iterate chunksOf(stream) (src/base/streams.ts).",
        },
      ],
    },
  },
  {
    plugins: { layers: { rules: { "allowed-imports": layerRule } } },
    settings: { projectRoot: import.meta.dirname },
    rules: { "layers/allowed-imports": "error" },
  },
  {
    files: ["src/**", "workers/**"],
    plugins: { cycles: { rules: { "no-cycle": cycleRule } } },
    rules: { "cycles/no-cycle": "error" },
  },
);
