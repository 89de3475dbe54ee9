/**
 * Structural types (types.ts) as WIT text, for people: `async func(x: borrow<x>) -> string`, or an
 * interface body with resources, their methods folded in as WIT writes them, named types and
 * functions. A type that an instance exports under a name is printed by that name wherever the
 * instance uses it: found by identity (which types.ts keeps), else, for records, variants, enums
 * and flags, by structure (a wit-component shim re-creates them, so identity is lost on exports).
 */
import type { ExternType, FuncSig, InstanceSig, Member, Resource, ValueType } from "./types";

/** Names of the types an instance exports. */
class Names {
  readonly #byIdentity = new Map<object, string>();
  readonly #byStructure = new Map<string, string>();

  constructor(members: readonly Member[] = []) {
    for (const m of members) {
      if (m.type.kind !== "type" || typeof m.type.type !== "object") continue;
      this.#byIdentity.set(m.type.type, m.name);
      if (NOMINAL.has(m.type.type.kind)) this.#byStructure.set(valueTypeText(m.type.type as ValueType), m.name);
    }
  }

  get(t: object): string | undefined {
    const named = this.#byIdentity.get(t);
    if (named !== undefined || !this.#byStructure.size || !NOMINAL.has((t as { kind: string }).kind)) return named;
    return this.#byStructure.get(valueTypeText(t as ValueType));
  }

  /** These names but `name`, for printing the definition of `name` itself. */
  without(name: string): Names {
    const n = new Names();
    for (const [k, v] of this.#byIdentity) if (v !== name) n.#byIdentity.set(k, v);
    for (const [k, v] of this.#byStructure) if (v !== name) n.#byStructure.set(k, v);
    return n;
  }
}

const NOMINAL = new Set(["record", "variant", "enum", "flags"]);
const NO_NAMES = new Names();

/** `list<u8>`, `borrow<x>`, `result<string, error-code>`; named types by their name in `names`. */
export function valueTypeText(t: ValueType, names: Names = NO_NAMES): string {
  if (typeof t === "string") return t;
  const named = names.get(t);
  if (named !== undefined) return named;
  const v = (x: ValueType) => valueTypeText(x, names);
  switch (t.kind) {
    case "record":
      return `record { ${t.fields.map((f) => `${f.name}: ${v(f.type)}`).join(", ")} }`;
    case "variant":
      return `variant { ${t.cases.map((c) => (c.type === undefined ? c.name : `${c.name}(${v(c.type)})`)).join(", ")} }`;
    case "list":
      return t.length === undefined ? `list<${v(t.element)}>` : `list<${v(t.element)}, ${t.length}>`;
    case "tuple":
      return `tuple<${t.types.map(v).join(", ")}>`;
    case "flags":
      return `flags { ${t.names.join(", ")} }`;
    case "enum":
      return `enum { ${t.names.join(", ")} }`;
    case "option":
      return `option<${v(t.type)}>`;
    case "result":
      if (t.ok === undefined && t.err === undefined) return "result";
      return t.err === undefined ? `result<${v(t.ok!)}>` : `result<${t.ok === undefined ? "_" : v(t.ok)}, ${v(t.err)}>`;
    case "own":
      return resourceText(t.resource, names);
    case "borrow":
      return `borrow<${resourceText(t.resource, names)}>`;
    case "stream":
    case "future":
      return t.element === undefined ? t.kind : `${t.kind}<${v(t.element)}>`;
    case "map":
      return `map<${v(t.key)}, ${v(t.value)}>`;
  }
}

function resourceText(r: Resource, names: Names): string {
  return names.get(r) ?? r.name;
}

/** `async func(a: u32, b: string) -> bool`, or a method's part after its name (`self` left out). */
export function funcText(f: FuncSig, names: Names = NO_NAMES, opts: { skipSelf?: boolean; keyword?: string } = {}): string {
  const params = (opts.skipSelf ? f.params.slice(1) : f.params).map((p) => `${p.name}: ${valueTypeText(p.type, names)}`).join(", ");
  const result = f.result === undefined ? "" : ` -> ${valueTypeText(f.result, names)}`;
  return `${f.async ? "async " : ""}${opts.keyword ?? "func"}(${params})${result}`;
}

/** The WIT text of any extern type; an instance as an interface body (several lines). */
export function externTypeText(t: ExternType): string {
  switch (t.kind) {
    case "func":
      return funcText(t);
    case "instance":
      return `interface {\n${interfaceLines(t).map((l) => `  ${l}`).join("\n")}\n}`;
    case "type":
      return t.type !== null && typeof t.type === "object" && t.type.kind === "resource" ? "resource" : `type ${valueTypeText(t.type as ValueType)}`;
    case "value":
      return `value ${valueTypeText(t.type)}`;
    case "core module":
      return "core module";
    case "component":
      return `component {\n${[...t.imports.map((m) => `import ${memberLine(m)}`), ...t.exports.map((m) => `export ${memberLine(m)}`)].map((l) => `  ${l}`).join("\n")}\n}`;
  }
}

function memberLine(m: Member): string {
  const text = externTypeText(m.type);
  return `${m.name}: ${text.includes("\n") ? text : `${text};`}`;
}

const METHOD = /^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$/;

/** The lines of an interface body: resources with their methods, named types, then functions. */
export function interfaceLines(inst: InstanceSig): string[] {
  const names = new Names(inst.exports);
  const methods = new Map<string, string[]>();
  const lines: string[] = [];
  const funcs: string[] = [];
  for (const m of inst.exports) {
    if (m.type.kind !== "func") continue;
    const method = METHOD.exec(m.name);
    if (!method) {
      funcs.push(`${m.name}: ${funcText(m.type, names)};`);
      continue;
    }
    const [, kind, resource, name] = method;
    let list = methods.get(resource!);
    if (!list) methods.set(resource!, (list = []));
    if (kind === "constructor") list.push(`${funcText({ ...m.type, result: undefined }, names, { keyword: "constructor" })};`.replace(/^async /, ""));
    else if (kind === "method") list.push(`${name}: ${funcText(m.type, names, { skipSelf: true })};`);
    else list.push(`${name}: static ${funcText(m.type, names)};`);
  }
  for (const m of inst.exports) {
    if (m.type.kind === "type") lines.push(...typeDeclLines(m.name, m.type.type, names, methods.get(m.name) ?? []));
    else if (m.type.kind !== "func") lines.push(memberLine(m));
  }
  return [...lines, ...funcs];
}

function typeDeclLines(name: string, t: ValueType | Resource, names: Names, methods: readonly string[]): string[] {
  if (typeof t === "object" && t.kind === "resource") {
    if (!methods.length) return [`resource ${name};`];
    return [`resource ${name} {`, ...methods.map((m) => `  ${m}`), "}"];
  }
  if (typeof t === "object") {
    const others = names.without(name);
    const v = (x: ValueType) => valueTypeText(x, others);
    switch (t.kind) {
      case "record":
        return [`record ${name} { ${t.fields.map((f) => `${f.name}: ${v(f.type)}`).join(", ")} }`];
      case "variant":
        return [`variant ${name} { ${t.cases.map((c) => (c.type === undefined ? c.name : `${c.name}(${v(c.type)})`)).join(", ")} }`];
      case "enum":
        return [`enum ${name} { ${t.names.join(", ")} }`];
      case "flags":
        return [`flags ${name} { ${t.names.join(", ")} }`];
      default:
        return [`type ${name} = ${v(t)};`];
    }
  }
  return [`type ${name} = ${t};`];
}
