/**
 * Human-readable summaries of the decoded AST, for debugging and for error messages: one line per
 * definition in a WAT-like notation (`describeDefinition`), value and function types as WIT-like
 * text with unresolved indices shown as `type N` (`describeType`), and a whole component
 * (`describe`).
 */
import type {
  Canon,
  CanonOptions,
  ComponentAst,
  CoreDefType,
  CoreValType,
  DefType,
  Definition,
  ExternDesc,
  ExternName,
  IndexSpace,
  SortIdx,
  ValType,
} from "./ast";

/** `u8`, or `type 3` for an index. */
export function describeValType(t: ValType): string {
  return typeof t === "number" ? `type ${t}` : t;
}

function coreValType(t: CoreValType): string {
  if (typeof t === "string") return t;
  const heap = typeof t.heap === "number" ? `type ${t.heap}` : t.heap;
  return t.nullable ? `(ref null ${heap})` : `(ref ${heap})`;
}

function coreType(t: CoreDefType): string {
  if (t.kind === "module") return `(module, ${count(t.decls.length, "declarator")})`;
  const sig = `(${t.params.map(coreValType).join(", ")}) -> (${t.results.map(coreValType).join(", ")})`;
  return t.shared ? `shared func ${sig}` : `func ${sig}`;
}

/** A `deftype` as WIT-like text: `list<u8>`, `func async (x: string) -> type 4`, `resource (dtor core func 3)`. */
export function describeType(t: DefType): string {
  const v = describeValType;
  switch (t.kind) {
    case "primitive":
      return t.type;
    case "record":
      return `record { ${t.fields.map((f) => `${f.label}: ${v(f.type)}`).join(", ")} }`;
    case "variant":
      return `variant { ${t.cases.map((c) => (c.type === undefined ? c.label : `${c.label}(${v(c.type)})`)).join(", ")} }`;
    case "list":
      return t.length === undefined ? `list<${v(t.element)}>` : `list<${v(t.element)}, ${t.length}>`;
    case "tuple":
      return `tuple<${t.types.map(v).join(", ")}>`;
    case "flags":
      return `flags { ${t.labels.join(", ")} }`;
    case "enum":
      return `enum { ${t.labels.join(", ")} }`;
    case "option":
      return `option<${v(t.type)}>`;
    case "result":
      if (t.ok === undefined && t.err === undefined) return "result";
      return `result<${t.ok === undefined ? "_" : v(t.ok)}${t.err === undefined ? "" : `, ${v(t.err)}`}>`;
    case "own":
      return `own<type ${t.resource}>`;
    case "borrow":
      return `borrow<type ${t.resource}>`;
    case "stream":
    case "future":
      return t.element === undefined ? t.kind : `${t.kind}<${v(t.element)}>`;
    case "map":
      return `map<${v(t.key)}, ${v(t.value)}>`;
    case "func": {
      const params = t.params.map((p) => `${p.label}: ${v(p.type)}`).join(", ");
      return `func${t.async ? " async" : ""} (${params})${t.result === undefined ? "" : ` -> ${v(t.result)}`}`;
    }
    case "component":
    case "instance":
      return `${t.kind} (${count(t.decls.length, "declarator")})`;
    case "resource": {
      if (t.dtor === undefined) return "resource";
      const cb = t.dtorCallback === undefined ? "" : ` (callback core func ${t.dtorCallback})`;
      return `resource (dtor${t.dtorAsync ? " async" : ""} core func ${t.dtor}${cb})`;
    }
  }
}

function sortIdx(s: SortIdx): string {
  return `${s.sort} ${s.index}`;
}

function externDesc(d: ExternDesc): string {
  switch (d.sort) {
    case "type":
      return d.bound.kind === "eq" ? `type (eq ${d.bound.type})` : "type (sub resource)";
    case "value":
      return `value ${describeValType(d.type)}`;
    default:
      return `${d.sort} (type ${d.type})`;
  }
}

function externName(n: ExternName): string {
  const extra = [
    n.implements !== undefined ? `implements ${n.implements}` : "",
    n.versionSuffix !== undefined ? `versionsuffix ${n.versionSuffix}` : "",
    n.externalId !== undefined ? `external-id ${JSON.stringify(n.externalId)}` : "",
  ].filter(Boolean);
  return extra.length ? `"${n.name}" (${extra.join(", ")})` : `"${n.name}"`;
}

function options(o: CanonOptions): string {
  const parts: string[] = [];
  if (o.async) parts.push("async");
  if (o.callback !== undefined) parts.push(`(callback core func ${o.callback})`);
  if (o.stringEncoding !== undefined) parts.push(`string-encoding=${o.stringEncoding}`);
  if (o.memory !== undefined) parts.push(`(memory ${o.memory})`);
  if (o.realloc !== undefined) parts.push(`(realloc core func ${o.realloc})`);
  if (o.postReturn !== undefined) parts.push(`(post-return core func ${o.postReturn})`);
  if (o.gc) parts.push("gc");
  if (o.coreType !== undefined) parts.push(`(core-type ${o.coreType})`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}

/** A canon builtin as WAT-like text: `canon lower func 3 async (memory 0)`, `canon stream.read type 7 (memory 0)`. */
export function describeCanon(c: Canon): string {
  switch (c.op) {
    case "lift":
      return `canon lift core func ${c.coreFunc}${options(c.options)} (type ${c.type})`;
    case "lower":
      return `canon lower func ${c.func}${options(c.options)}`;
    case "resource.new":
    case "resource.rep":
      return `canon ${c.op} type ${c.resource}`;
    case "resource.drop":
      return `canon resource.drop type ${c.resource}${c.async ? " async" : ""}`;
    case "task.return":
      return `canon task.return${c.result === undefined ? "" : ` (result ${describeValType(c.result)})`}${options(c.options)}`;
    case "context.get":
    case "context.set":
      return `canon ${c.op} ${coreValType(c.type)} ${c.slot}`;
    case "subtask.cancel":
      return `canon subtask.cancel${c.async ? " async" : ""}`;
    case "error-context.new":
    case "error-context.debug-message":
      return `canon ${c.op}${options(c.options)}`;
    case "waitable-set.wait":
    case "waitable-set.poll":
      return `canon ${c.op}${c.cancellable ? " cancellable" : ""} (memory ${c.memory})`;
    case "thread.new-indirect":
    case "thread.spawn-indirect":
      return `canon ${c.op} core type ${c.type} (table ${c.table})`;
    case "thread.spawn-ref":
      return `canon ${c.op} core type ${c.type}`;
  }
  if ("cancellable" in c) return `canon ${c.op}${c.cancellable ? " cancellable" : ""}`;
  if ("options" in c) return `canon ${c.op} type ${c.type}${options(c.options)}`;
  if ("async" in c) return `canon ${c.op} type ${c.type}${c.async ? " async" : ""}`;
  if ("type" in c) return `canon ${c.op} type ${c.type}`;
  return `canon ${c.op}`;
}

/** One definition, prefixed by where it lands: `core func 12 = canon stream.read type 7 (memory 0)`. */
export function describeDefinition(d: Definition): string {
  const slot = d.space === null ? "" : d.kind === "start" ? `value ${d.index}..${d.index + d.results - 1} = ` : `${d.space} ${d.index} = `;
  return slot + definitionBody(d);
}

function definitionBody(d: Definition): string {
  switch (d.kind) {
    case "core module":
      return `core module (${bytes(d.bytes.length)})`;
    case "core instance":
      return d.expr.kind === "instantiate"
        ? `core instantiate module ${d.expr.module}${d.expr.args.map((a) => ` (with "${a.name}" core instance ${a.instance})`).join("")}`
        : `core instance {${d.expr.exports.map((e) => ` "${e.name}": ${sortIdx(e.target)}`).join(",")} }`;
    case "core type":
      return `core type ${coreType(d.type)}`;
    case "component":
      return `component${d.component.names?.component ? ` "${d.component.names.component}"` : ""} (${count(d.component.definitions.length, "definition")})`;
    case "instance":
      return d.expr.kind === "instantiate"
        ? `instantiate component ${d.expr.component}${d.expr.args.map((a) => ` (with "${a.name}" ${sortIdx(a.target)})`).join("")}`
        : `instance {${d.expr.exports.map((e) => ` ${externName(e.name)}: ${sortIdx(e.target)}`).join(",")} }`;
    case "alias": {
      const t = d.alias.target;
      if (t.kind === "outer") return `alias outer ${t.count} ${d.alias.sort} ${t.index}`;
      return `alias ${t.kind === "core export" ? "core export of core instance" : "export of instance"} ${t.instance} "${t.name}"`;
    }
    case "type":
      return `type ${describeType(d.type)}`;
    case "canon":
      return describeCanon(d.canon);
    case "start":
      return `start func ${d.func} (${d.args.map((a) => `value ${a}`).join(", ")})`;
    case "import":
      return `import ${externName(d.name)} ${externDesc(d.desc)}`;
    case "export":
      return `export ${externName(d.name)} ${sortIdx(d.target)}${d.desc ? ` as ${externDesc(d.desc)}` : ""}`;
    case "value":
      return `value ${describeValType(d.type)} (${bytes(d.bytes.length)})`;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export interface DescribeOptions {
  /** List every definition (default false: imports, exports, modules, builtins and nested components only). */
  readonly definitions?: boolean;
  /** How deep to describe nested components (default 2; deeper ones are counted). */
  readonly depth?: number;
}

/**
 * A multi-line summary of a component: size, name, producers, imports and exports with their
 * index-space slots, core modules, canon builtins by count, index space sizes, and nested
 * components (indented), plus every definition when asked.
 */
export function describe(ast: ComponentAst, opts: DescribeOptions = {}): string {
  const lines: string[] = [];
  summarize(ast, "component", opts, opts.depth ?? 2, "", lines);
  return lines.join("\n");
}

function summarize(ast: ComponentAst, label: string, opts: DescribeOptions, depth: number, indent: string, out: string[]): void {
  const name = ast.names?.component ? ` "${ast.names.component}"` : "";
  const version = ast.version.toString(16).padStart(2, "0");
  out.push(`${indent}${label}${name}: ${bytes(ast.size)}, version 0x${version}, ${count(ast.definitions.length, "definition")}`);
  const at = indent + "  ";
  if (ast.producers) {
    const p = [...ast.producers].map(([field, values]) => `${field} ${values.map((v) => `${v.name} ${v.version}`.trim()).join(", ")}`);
    out.push(`${at}producers: ${p.join("; ")}`);
  }
  const spaces = (Object.entries(ast.counts) as [IndexSpace, number][]).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`);
  out.push(`${at}index spaces: ${spaces.length ? spaces.join(", ") : "(empty)"}`);
  const imports = ast.definitions.filter((d) => d.kind === "import");
  const exports = ast.definitions.filter((d) => d.kind === "export");
  out.push(`${at}imports (${imports.length}):`, ...imports.map((d) => `${at}  ${describeDefinition(d)}`));
  out.push(`${at}exports (${exports.length}):`, ...exports.map((d) => `${at}  ${describeDefinition(d)}`));
  const modules = ast.definitions.filter((d) => d.kind === "core module");
  if (modules.length) out.push(`${at}core modules: ${modules.map((d) => `${d.index} (${bytes(d.bytes.length)})`).join(", ")}`);
  const ops = new Map<string, number>();
  for (const d of ast.definitions) if (d.kind === "canon") ops.set(d.canon.op, (ops.get(d.canon.op) ?? 0) + 1);
  if (ops.size) out.push(`${at}canon: ${[...ops].map(([op, n]) => (n === 1 ? op : `${op} x${n}`)).join(", ")}`);
  for (const w of ast.customSectionWarnings) out.push(`${at}warning: ${w}`);
  if (opts.definitions) out.push(`${at}definitions:`, ...ast.definitions.map((d) => `${at}  ${describeDefinition(d)}`));
  const nested = ast.definitions.filter((d) => d.kind === "component");
  if (!nested.length) return;
  if (depth <= 0) {
    out.push(`${at}${count(nested.length, "nested component")} (not shown)`);
    return;
  }
  for (const d of nested) summarize(d.component, `component ${d.index}`, opts, depth - 1, at, out);
}
