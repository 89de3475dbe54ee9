// Lint: typescript-eslint's recommended rules plus the import boundaries of DESIGN.md
// (base <- protocol <- host <- engine <- workers; base <- protocol <- wit <- authoring <- workers;
// ui -> client -> protocol).
import tseslint from "typescript-eslint";

const layer = (name) => [`**/${name}`, `**/${name}/*`, `**/${name}/**`];
const forbid = (files, layers, why) => ({
  files,
  rules: {
    "no-restricted-imports": ["error", { patterns: [{ group: layers.flatMap(layer), message: why }] }],
  },
});

export default tseslint.config(
  { ignores: ["dist", "node_modules", "public", "test-results", "reports", "src/host/generated", "bench/results"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  forbid(["src/base/**"], ["protocol", "host", "engine", "ui", "client", "wit", "conformance", "authoring"], "base imports nothing from the project."),
  forbid(["src/protocol/**"], ["host", "engine", "ui", "client", "wit", "conformance", "authoring"], "protocol holds only cross-thread types."),
  forbid(["src/host/**"], ["engine", "ui", "client", "conformance"], "host knows nothing of engines or the UI."),
  forbid(["src/engine/**"], ["ui", "client", "conformance"], "engine knows nothing of the UI."),
  // engine/cm (our runtime) builds on base, protocol, host and component only; component on base only.
  // Relative imports are checked by depth, so "leaving cm" means climbing above src/engine/cm.
  ...[0, 1, 2, 3].map((depth) => ({
    files: [`src/engine/cm/${"*/".repeat(depth)}*.ts`],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth + 1}}(?!\\.\\./(base|protocol|host|component)(/|$))`,
              message: "engine/cm may import base, protocol, host and component only (and its own folders).",
            },
            { group: ["@bytecodealliance/jco", "@bytecodealliance/jco/*"], message: "engine/cm does not build on jco (tests may compare with it)." },
          ],
        },
      ],
    },
  })),
  {
    files: ["src/component/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(?!\\./|\\.\\./base/)", message: "the component layer imports nothing but base (and its own folder)." }] },
      ],
    },
  },
  forbid(["src/wit/**"], ["host", "engine", "ui", "client", "conformance", "authoring"], "wit helpers are pure."),
  forbid(["src/authoring/**"], ["host", "engine", "ui", "client", "conformance"], "authoring builds components in workers; it knows nothing of engines or the UI."),
  forbid(["src/client/**", "src/conformance/**"], ["host", "engine", "ui", "authoring"], "the main thread reaches workers only through protocol types."),
  forbid(["src/ui/**"], ["host", "engine", "authoring"], "the UI reaches host, engine and authoring only through src/client."),
);
