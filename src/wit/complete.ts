/**
 * Completions at a position in a WIT file: the keywords that may start an item there, built-in
 * types and the names in scope where a type goes, interface and world paths (this package's and
 * every known dependency's) after `use`, `import`, `export` and `include`, and a used interface's
 * types inside `use path.{...}`.
 *
 * The context comes from the tokens before the cursor, not the syntax tree, because the text
 * being typed is usually not valid WIT yet.
 */
import type { Span, UsePath } from "./ast";
import { BUILTIN_DOCS } from "./hover";
import { isSignificant, lex, type Token } from "./lexer";
import { interfaceScope, topItems, type PackageModel, type Scope, type WitModel } from "./model";

export type CompletionKind = "keyword" | "builtin" | "type" | "interface" | "world" | "function" | "snippet";

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** Text to insert, in Monaco snippet syntax when `snippet` is set; `label` otherwise. */
  insertText?: string;
  snippet?: boolean;
  detail?: string;
  documentation?: string;
}

type Frame =
  | "interface" | "world" | "package" | "resource" | "record" | "variant" | "enum" | "flags" | "use-names" | "include-with"
  | "params" | "case" | "gate" | "type-args" | "handle-args";

/** What the cursor is in: the innermost open bracket and the statement typed so far inside it. */
export interface CompletionContext {
  frame: Frame | "top";
  /** Significant tokens' texts from the start of the current statement up to the cursor (the word being typed excluded). */
  stmt: string[];
  /** For `use-names`: the path text before `.{`. */
  usePath: string | null;
}

const BLOCK_OWNERS: ReadonlyArray<Frame> = ["interface", "world", "package", "resource", "record", "variant", "enum", "flags"];

/** Works out the context from the tokens before `offset`. */
export function contextAt(text: string, offset: number): CompletionContext {
  const toks = lex(text.slice(0, offset)).tokens.filter(isSignificant);
  const last = toks[toks.length - 1];
  // The word under the cursor is being replaced, not part of the context.
  if (last && last.end === offset && (last.kind === "id" || last.kind === "keyword" || last.kind === "type" || last.kind === "gate")) toks.pop();
  const src = (t: Token) => text.slice(t.start, t.end);
  const frames: Array<{ frame: Frame; stmtStart: number }> = [];
  let stmtStart = 0;
  let usePath: string | null = null;
  for (let i = 0; i < toks.length; i++) {
    const s = src(toks[i]!);
    const opener = toks[i]!.kind === "op";
    if (opener && s === "{") {
      const stmt = toks.slice(stmtStart, i).map(src);
      let frame: Frame = "interface";
      if (stmt[stmt.length - 1] === ".") {
        frame = "use-names";
        usePath = stmt.slice(1, -1).join("");
      } else if (stmt.includes("with")) frame = "include-with";
      else frame = BLOCK_OWNERS.find((o) => stmt.includes(o)) ?? "interface";
      frames.push({ frame, stmtStart });
      stmtStart = i + 1;
    } else if (opener && s === "(") {
      const prev = i > 0 ? src(toks[i - 1]!) : "";
      const frame: Frame = prev === "func" || prev === "constructor" ? "params" : toks[i - 1]?.kind === "gate" ? "gate" : "case";
      frames.push({ frame, stmtStart });
      stmtStart = i + 1;
    } else if (opener && s === "<") {
      const prev = i > 0 ? src(toks[i - 1]!) : "";
      frames.push({ frame: prev === "borrow" || prev === "own" ? "handle-args" : "type-args", stmtStart });
      stmtStart = i + 1;
    } else if (opener && (s === "}" || s === ")" || s === ">")) {
      const f = frames.pop();
      // A closed `{...}` ends its item (`record r {...}`, `interface i {...}`), except `use p.{...};`;
      // a closed `(...)` or `<...>` returns to the statement it was in.
      stmtStart = s === "}" && f?.frame !== "use-names" ? i + 1 : (f?.stmtStart ?? 0);
    } else if (opener && (s === ";" || s === ",")) {
      const top = frames[frames.length - 1];
      // Inside brackets a comma starts the next element.
      if (s === ";" || (top && top.frame !== "interface" && top.frame !== "world")) stmtStart = i + 1;
    }
  }
  const top = frames[frames.length - 1];
  return { frame: top?.frame ?? "top", stmt: toks.slice(stmtStart).map(src), usePath: top?.frame === "use-names" ? usePath : null };
}

const kw = (label: string, detail?: string): Completion => ({ label, kind: "keyword", detail });
const snippet = (label: string, insertText: string, detail: string): Completion => ({ label, kind: "snippet", insertText, snippet: true, detail });

const GATES: Completion[] = [
  snippet("@since", "@since(version = ${1:0.1.0})", "feature gate: added in this version"),
  snippet("@unstable", "@unstable(feature = ${1:name})", "feature gate: unstable feature"),
  snippet("@deprecated", "@deprecated(version = ${1:0.1.0})", "feature gate: deprecated since"),
];

const TYPE_DEFS: Completion[] = [
  snippet("record", "record ${1:name} {\n\t${2:field}: ${3:u32},\n}", "record type"),
  snippet("variant", "variant ${1:name} {\n\t${2:case}(${3:u32}),\n}", "variant type"),
  snippet("enum", "enum ${1:name} {\n\t${2:case},\n}", "enum type"),
  snippet("flags", "flags ${1:name} {\n\t${2:flag},\n}", "flags type"),
  snippet("resource", "resource ${1:name} {\n\tconstructor(${2});\n}", "resource type"),
  snippet("type", "type ${1:name} = ${2:u32};", "type alias"),
  snippet("use", "use ${1:interface}.{${2:name}};", "use types from an interface"),
];

const FUNC_SNIPPETS: Completion[] = [
  snippet("func", "${1:name}: func(${2}) -> ${3:u32};", "function"),
  snippet("async func", "${1:name}: async func(${2}) -> ${3:u32};", "async function (component-model async)"),
];

const BUILTIN_SNIPPETS: Record<string, string> = {
  list: "list<$1>",
  option: "option<$1>",
  result: "result<${1:_}, ${2:error}>",
  tuple: "tuple<$1>",
  map: "map<${1:string}, $2>",
  future: "future<$1>",
  stream: "stream<${1:u8}>",
  borrow: "borrow<$1>",
  own: "own<$1>",
};

const BUILTINS = ["bool", "char", "string", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "list", "option", "result", "tuple", "map", "future", "stream", "borrow", "own", "error-context"];

function builtinCompletions(): Completion[] {
  return BUILTINS.map((b) => {
    const s = BUILTIN_SNIPPETS[b];
    return { label: b, kind: "builtin", documentation: BUILTIN_DOCS[b], ...(s ? { insertText: s, snippet: true } : {}) };
  });
}

/** Type names visible in a scope: its definitions and the names it `use`s. */
export function scopeTypeNames(scope: Scope): Completion[] {
  const out: Completion[] = [];
  for (const item of scope.items) {
    if (item.kind === "use") for (const n of item.names) out.push({ label: (n.as ?? n.name).name, kind: "type", detail: `use ${n.name.name}` });
    else if (item.kind === "type" || item.kind === "record" || item.kind === "variant" || item.kind === "enum" || item.kind === "flags" || item.kind === "resource") {
      out.push({ label: item.name.name, kind: "type", detail: item.kind, documentation: item.docs || undefined });
    }
  }
  return out;
}

function pathCompletions(model: WitModel, pkg: PackageModel | undefined, path: string, offset: number, role: "interface" | "world"): Completion[] {
  const out: Completion[] = [];
  const pick = (p: PackageModel) => (role === "interface" ? p.interfaces : p.worlds);
  if (pkg) for (const [name, { decl }] of pick(pkg)) out.push({ label: name, kind: role, detail: `${pkg.name} (this package)`, documentation: decl.docs || undefined });
  const file = model.files.get(path);
  if (role === "interface" && file) {
    for (const item of topItems(file.ast)) if (item.kind === "top-use" && item.as) out.push({ label: item.as.name, kind: "interface", detail: "use … as" });
  }
  const here = model.packageAt(path, offset);
  for (const p of model.packages.values()) {
    if (p === here || p.name === "(unnamed)") continue;
    for (const [name, { decl }] of pick(p)) {
      out.push({ label: `${p.base}/${name}${p.version ? `@${p.version}` : ""}`, kind: role, detail: p.name, documentation: decl.docs || undefined });
    }
  }
  return out;
}

/** The `UsePath` written as `text` (`types` or `wasi:cli/types@0.3.0`). */
function parsePathText(text: string): UsePath | null {
  const span = { start: 0, end: 0 };
  const m = /^([A-Za-z0-9-]+(?::[A-Za-z0-9-]+)+)\/([A-Za-z0-9-%]+)(?:@(.+))?$/.exec(text);
  if (m) {
    const version = m[3] ?? null;
    return { kind: "qualified", pkg: { base: m[1]!, version, text: version ? `${m[1]}@${version}` : m[1]!, span }, iface: { name: m[2]!.replace(/^%/, ""), span }, span };
  }
  return /^%?[A-Za-z][A-Za-z0-9-]*$/.test(text) ? { kind: "local", name: { name: text.replace(/^%/, ""), span }, span } : null;
}

/** The span of the word being completed: identifier characters, and for paths `: / @ .` too. */
function wordSpan(text: string, offset: number, path: boolean): Span {
  const re = path ? /[A-Za-z0-9\-%:/@.]/ : /[A-Za-z0-9\-%@]/;
  let start = offset;
  while (start > 0 && re.test(text[start - 1]!)) start--;
  return { start, end: offset };
}

export function completeAt(model: WitModel, path: string, offset: number): { items: Completion[]; replace: Span } {
  const file = model.files.get(path);
  if (!file) return { items: [], replace: { start: offset, end: offset } };
  const { text } = file;
  const ctx = contextAt(text, offset);
  const { stmt } = ctx;
  const pkg = model.packageAt(path, offset);
  const scope = model.scopeAt(path, offset);
  const types = () => [...builtinCompletions(), ...(scope ? scopeTypeNames(scope) : [])];
  const result = (items: Completion[], isPath = false) => ({ items, replace: wordSpan(text, offset, isPath) });

  switch (ctx.frame) {
    case "type-args":
    case "case":
      return result(types());
    case "handle-args":
      return result(scope ? scopeTypeNames(scope).filter((c) => c.detail === "resource" || c.detail?.startsWith("use")) : []);
    case "params":
    case "record":
      return result(stmt[stmt.length - 1] === ":" ? types() : []);
    case "gate":
      return result(stmt.length === 0 ? [kw("version"), kw("feature")] : []);
    case "use-names": {
      const usePath = ctx.usePath ? parsePathText(ctx.usePath) : null;
      const target = usePath ? model.resolveInterface(usePath, pkg, file) : undefined;
      return result(target ? scopeTypeNames(interfaceScope(target.decl, target.pkg, target.file)) : []);
    }
    case "variant":
    case "enum":
    case "flags":
    case "include-with":
      return result([]);
  }

  // A statement inside an interface, world, resource, package block, or at the top of the file,
  // after any feature gates it starts with.
  const rest = stripGates(stmt);
  const head = rest[0];
  const lastTok = rest[rest.length - 1];
  if (lastTok === "->" || lastTok === "=" || (lastTok === ":" && head !== "import" && head !== "export" && rest.length > 2)) return result(types());
  if (head === "use" || head === "include" || ((head === "import" || head === "export") && rest.length === 1)) {
    return result(rest.length === 1 ? pathCompletions(model, pkg, path, offset, head === "include" ? "world" : "interface") : [], true);
  }
  if ((head === "import" || head === "export") && lastTok === ":") {
    return result([kw("func"), kw("async"), kw("interface"), ...pathCompletions(model, pkg, path, offset, "interface")], true);
  }
  if (lastTok === ":" && rest.length === 2) return result(ctx.frame === "resource" ? [kw("func"), kw("async"), kw("static")] : [kw("func"), kw("async")]);
  if (lastTok === "static") return result([kw("func"), kw("async")]);
  if (lastTok === "async") return result([kw("func")]);
  if (rest.length > 0) return result([]);

  switch (ctx.frame) {
    case "interface":
      return result([...TYPE_DEFS, ...FUNC_SNIPPETS, ...GATES]);
    case "resource":
      return result([snippet("constructor", "constructor(${1});", "resource constructor"), ...FUNC_SNIPPETS, snippet("static func", "${1:name}: static func(${2}) -> ${3:u32};", "static function"), ...GATES]);
    case "world":
      return result([
        snippet("import", "import ${1:interface};", "import an interface or function"),
        snippet("export", "export ${1:interface};", "export an interface or function"),
        snippet("include", "include ${1:world};", "include another world"),
        ...TYPE_DEFS,
        ...GATES,
      ]);
    default: {
      const atFileStart = ctx.frame === "top" && !file.ast.package && toksBefore(text, offset) === 0;
      return result([
        ...(atFileStart ? [snippet("package", "package ${1:namespace}:${2:name};", "package declaration")] : []),
        snippet("interface", "interface ${1:name} {\n\t$0\n}", "interface"),
        snippet("world", "world ${1:name} {\n\t$0\n}", "world"),
        snippet("use", "use ${1:namespace:package/interface};", "bring an interface into this file's scope"),
        ...GATES,
      ]);
    }
  }
}

function toksBefore(text: string, offset: number): number {
  return lex(text.slice(0, offset)).tokens.filter(isSignificant).filter((t) => t.end < offset).length;
}

/** The statement without the `@gate(...)` attributes it starts with. */
function stripGates(stmt: string[]): string[] {
  let i = 0;
  while (stmt[i]?.startsWith("@")) {
    const close = stmt.indexOf(")", i);
    if (close === -1) return stmt.slice(stmt.length);
    i = close + 1;
  }
  return stmt.slice(i);
}
