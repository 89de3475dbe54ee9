/**
 * A recursive-descent parser for one WIT file (component-model `design/mvp/WIT.md`, the EBNF of
 * "Top-level items" onwards). It never throws: syntax errors are collected with their spans and
 * parsing resumes at the next `;` or `}` of the enclosing block, so an editor still gets an
 * outline, hovers and completions while the user is mid-edit.
 */
import type {
  Attrs, BuiltinName, Case, ExternType, Field, FuncType, Gate, Ident, ImportExportItem, IncludeItem, InterfaceDecl,
  InterfaceItem, NestedPackage, PackageItem, PackageName, Param, ParseError, ResourceFunc, ResourceItem, Span, TopUse,
  TypeDef, TypeRef, UseItem, UseName, UsePath, WitFile, WorldDecl, WorldItem,
} from "./ast";
import { isKebabCase, isSignificant, lex, type Token } from "./lexer";

class SyntaxFail {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

const SIMPLE_BUILTINS: ReadonlySet<string> = new Set([
  "bool", "char", "string", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "error-context",
]);

/** Keywords that start an item: after an error, parsing resumes at one of these. */
const ITEM_STARTS: ReadonlySet<string> = new Set([
  "interface", "world", "package", "use", "type", "record", "variant", "enum", "flags", "resource", "import", "export", "include",
]);

/** The text of a doc comment without its markers: `/// a` -> `a`; `/** a *\/` -> `a`. */
export function docText(raw: string): string {
  if (raw.startsWith("///")) return raw.slice(3).replace(/^ /, "");
  return raw
    .slice(3, raw.endsWith("*/") ? -2 : undefined)
    .split("\n")
    .map((l) => l.replace(/^\s*\* ?/, "").replace(/^ /, ""))
    .join("\n")
    .trim();
}

class Parser {
  readonly toks: Token[] = [];
  /** Doc comment text written right before significant token i. */
  readonly docsBefore = new Map<number, string>();
  readonly errors: ParseError[] = [];
  pos = 0;
  depth = 0;

  constructor(readonly text: string) {
    let docs: string[] = [];
    for (const t of lex(text).tokens) {
      if (t.kind === "doc") docs.push(docText(text.slice(t.start, t.end)));
      else if (isSignificant(t)) {
        if (docs.length > 0) this.docsBefore.set(this.toks.length, docs.join("\n"));
        docs = [];
        this.toks.push(t);
      }
    }
  }

  peek(k = 0): Token | undefined {
    return this.toks[this.pos + k];
  }

  src(t: Token | undefined): string {
    return t ? this.text.slice(t.start, t.end) : "";
  }

  /** Whether the token k ahead is the operator or keyword `s`. */
  is(s: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && (t.kind === "op" || t.kind === "keyword" || t.kind === "type") && this.src(t) === s;
  }

  eofSpan(): Span {
    return { start: this.text.length, end: this.text.length };
  }

  here(): Span {
    const t = this.peek();
    return t ? { start: t.start, end: t.end } : this.eofSpan();
  }

  /** The end offset of the last consumed token. */
  lastEnd(): number {
    return this.toks[this.pos - 1]?.end ?? 0;
  }

  advance(): Token {
    const t = this.toks[this.pos++]!;
    if (t.kind === "op") {
      const s = this.src(t);
      if (s === "{") this.depth++;
      else if (s === "}" && this.depth > 0) this.depth--;
    }
    return t;
  }

  describe(t: Token | undefined): string {
    if (!t) return "end of file";
    const s = this.src(t);
    switch (t.kind) {
      case "id":
        return "an identifier";
      case "keyword":
      case "type":
        return `keyword \`${s}\``;
      case "integer":
        return "an integer";
      case "version":
        return `version \`${s}\``;
      case "string":
        return "a string";
      case "gate":
        return `\`${s}\``;
      case "error":
        return `invalid character \`${s}\``;
      default:
        return `'${s}'`;
    }
  }

  fail(expected: string): never {
    // When what is missing belongs at the end of a line (a `;`), point there, at the token before,
    // rather than at whatever starts the next line.
    const prev = this.toks[this.pos - 1];
    const next = this.peek();
    const span = prev && (!next || this.text.slice(prev.end, next.start).includes("\n")) ? { start: prev.start, end: prev.end } : this.here();
    throw new SyntaxFail(`expected ${expected}, found ${this.describe(next)}`, span);
  }

  expect(s: string): Token {
    if (!this.is(s)) this.fail(s.length === 1 || s === "->" ? `'${s}'` : `\`${s}\``);
    return this.advance();
  }

  eat(s: string): boolean {
    if (!this.is(s)) return false;
    this.advance();
    return true;
  }

  ident(): Ident {
    const t = this.peek();
    if (!t || t.kind !== "id") this.fail("an identifier");
    this.advance();
    const raw = this.src(t);
    const name = raw.startsWith("%") ? raw.slice(1) : raw;
    if (!isKebabCase(name)) throw new SyntaxFail(`identifier \`${name}\` must be in kebab-case`, { start: t.start, end: t.end });
    return { name, span: { start: t.start, end: t.end } };
  }

  /** Doc comments and gates before an item. */
  attrs(): Attrs & { start: number } {
    const start = this.here().start;
    const docs: string[] = [];
    const gates: Gate[] = [];
    for (;;) {
      const d = this.docsBefore.get(this.pos);
      if (d !== undefined && !docs.includes(d)) docs.push(d);
      const t = this.peek();
      if (!t || t.kind !== "gate") break;
      gates.push(this.gate());
    }
    return { docs: docs.join("\n"), gates, start };
  }

  gate(): Gate {
    const t = this.advance();
    const name = this.src(t);
    const span = (): Span => ({ start: t.start, end: this.lastEnd() });
    this.expect("(");
    if (name === "@external-id") {
      const s = this.peek();
      if (!s || s.kind !== "string") this.fail("a string");
      this.advance();
      this.expect(")");
      return { kind: "external-id", value: JSON.parse(this.src(s)) as string, span: span() };
    }
    if (name === "@since" || name === "@deprecated") {
      const key = this.ident();
      if (key.name !== "version") throw new SyntaxFail(`expected \`version\`, found \`${key.name}\``, key.span);
      this.expect("=");
      const v = this.peek();
      if (!v || v.kind !== "version") this.fail("a semver version");
      this.advance();
      this.expect(")");
      return { kind: name === "@since" ? "since" : "deprecated", value: this.src(v), span: span() };
    }
    if (name === "@unstable") {
      const key = this.ident();
      if (key.name !== "feature") throw new SyntaxFail(`expected \`feature\`, found \`${key.name}\``, key.span);
      this.expect("=");
      const feature = this.ident();
      this.expect(")");
      return { kind: "unstable", value: feature.name, span: span() };
    }
    throw new SyntaxFail(`unknown attribute \`${name}\`; expected @since, @unstable, @deprecated or @external-id`, { start: t.start, end: t.end });
  }

  /** After an error: skip to the end of the item that started at brace depth `itemDepth`. */
  recover(itemDepth: number, skipped: number): void {
    while (this.pos < this.toks.length) {
      const t = this.peek()!;
      const s = this.src(t);
      if (this.depth === itemDepth) {
        if (s === ";" && t.kind === "op") {
          this.advance();
          return;
        }
        if (s === "}" && t.kind === "op") return;
        if (skipped > 0 && (t.kind === "gate" || (t.kind === "keyword" && ITEM_STARTS.has(s)))) return;
      }
      this.advance();
      skipped++;
      if (s === "}" && t.kind === "op" && this.depth === itemDepth) return;
    }
  }

  /** Runs `parse` for one item; on a syntax error, records it and skips the rest of the item. */
  item<T>(parse: () => T): T | null {
    const depth = this.depth;
    const pos = this.pos;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof SyntaxFail)) throw e;
      this.errors.push({ message: e.message, span: e.span });
      this.recover(depth, this.pos - pos);
      return null;
    }
  }

  /** `{ item* }`: the body of an interface, world or package; returns its span (braces included). */
  block<T>(parseItem: () => T | null, out: T[]): Span {
    const open = this.expect("{");
    const depth = this.depth;
    while (this.pos < this.toks.length && !(this.depth === depth && this.is("}"))) {
      const before = this.pos;
      const it = this.item(parseItem);
      if (it) out.push(it);
      if (this.pos === before) this.advance();
    }
    if (!this.is("}")) {
      this.errors.push({ message: "expected '}', found end of file", span: this.eofSpan() });
      return { start: open.start, end: this.text.length };
    }
    const close = this.advance();
    return { start: open.start, end: close.end };
  }

  packageName(): PackageName {
    const first = this.ident();
    const parts = [first.name];
    if (!this.is(":")) this.fail("':' (a package name is `namespace:name`)");
    while (this.eat(":")) parts.push(this.ident().name);
    let base = parts.join(":");
    while (this.is("/")) {
      this.advance();
      base += `/${this.ident().name}`;
    }
    const version = this.optVersion();
    return { text: version ? `${base}@${version}` : base, base, version, span: { start: first.span.start, end: this.lastEnd() } };
  }

  optVersion(): string | null {
    if (!this.is("@")) return null;
    this.advance();
    const v = this.peek();
    if (!v || v.kind !== "version") this.fail("a semver version after '@'");
    this.advance();
    return this.src(v);
  }

  usePath(): UsePath {
    const first = this.ident();
    if (!this.is(":")) return { kind: "local", name: first, span: first.span };
    const parts = [first.name];
    while (this.eat(":")) parts.push(this.ident().name);
    this.expect("/");
    let iface = this.ident();
    let base = parts.join(":");
    while (this.is("/")) {
      this.advance();
      base += `/${iface.name}`;
      iface = this.ident();
    }
    const pkgEnd = this.lastEnd();
    const version = this.optVersion();
    const span = { start: first.span.start, end: this.lastEnd() };
    return {
      kind: "qualified",
      pkg: { text: version ? `${base}@${version}` : base, base, version, span: { start: first.span.start, end: version ? this.lastEnd() : pkgEnd } },
      iface,
      span,
    };
  }

  type(): TypeRef {
    const t = this.peek();
    if (t?.kind === "id") {
      const name = this.ident();
      return { kind: "named", name, span: name.span };
    }
    if (t?.kind !== "type") this.fail("a type");
    const name = this.src(t);
    this.advance();
    const span = (): Span => ({ start: t.start, end: this.lastEnd() });
    if (SIMPLE_BUILTINS.has(name)) return { kind: "builtin", name: name as BuiltinName, span: span() };
    switch (name) {
      case "list": {
        this.expect("<");
        const elem = this.type();
        let length: number | null = null;
        if (this.eat(",")) {
          const n = this.peek();
          if (!n || n.kind !== "integer") this.fail("a list length");
          this.advance();
          length = Number(this.src(n));
        }
        this.expect(">");
        return { kind: "list", elem, length, span: span() };
      }
      case "option": {
        this.expect("<");
        const elem = this.type();
        this.expect(">");
        return { kind: "option", elem, span: span() };
      }
      case "result": {
        if (!this.eat("<")) return { kind: "result", ok: null, err: null, span: span() };
        let ok: TypeRef | null = null;
        let err: TypeRef | null = null;
        if (this.eat("_")) {
          this.expect(",");
          err = this.type();
        } else {
          ok = this.type();
          if (this.eat(",")) err = this.type();
        }
        this.expect(">");
        return { kind: "result", ok, err, span: span() };
      }
      case "tuple": {
        this.expect("<");
        const elems: TypeRef[] = [];
        while (!this.is(">")) {
          elems.push(this.type());
          if (!this.eat(",")) break;
        }
        this.expect(">");
        return { kind: "tuple", elems, span: span() };
      }
      case "map": {
        this.expect("<");
        const key = this.type();
        this.expect(",");
        const value = this.type();
        this.expect(">");
        return { kind: "map", key, value, span: span() };
      }
      case "future":
      case "stream": {
        let elem: TypeRef | null = null;
        if (this.eat("<")) {
          elem = this.type();
          this.expect(">");
        }
        return { kind: name, elem, span: span() };
      }
      case "borrow":
      case "own": {
        this.expect("<");
        const resource = this.ident();
        this.expect(">");
        return { kind: name, resource, span: span() };
      }
    }
    return this.fail("a type");
  }

  /** `(params) (-> result)?` after `func`; `start` is where `async`/`func` began. */
  funcRest(isAsync: boolean, start: number): FuncType {
    const params = this.params();
    const result = this.eat("->") ? this.type() : null;
    return { async: isAsync, params, result, span: { start, end: this.lastEnd() } };
  }

  params(): Param[] {
    this.expect("(");
    const params: Param[] = [];
    while (!this.is(")")) {
      const name = this.ident();
      this.expect(":");
      params.push({ name, type: this.type() });
      if (!this.eat(",")) break;
    }
    this.expect(")");
    return params;
  }

  /** `async? func(...) -> ...` */
  funcType(): FuncType {
    const start = this.here().start;
    const isAsync = this.eat("async");
    this.expect("func");
    return this.funcRest(isAsync, start);
  }

  /** Comma-separated members of a record/variant/enum/flags body. */
  members<T>(parse: (a: Attrs, start: number) => T): { list: T[]; body: Span } {
    const open = this.expect("{");
    const list: T[] = [];
    while (!this.is("}")) {
      const a = this.attrs();
      list.push(parse(a, a.start));
      if (!this.eat(",")) break;
    }
    const close = this.expect("}");
    return { list, body: { start: open.start, end: close.end } };
  }

  useItem(a: Attrs, start: number): UseItem {
    this.expect("use");
    const path = this.usePath();
    this.expect(".");
    this.expect("{");
    const names: UseName[] = [];
    while (!this.is("}")) {
      const name = this.ident();
      names.push({ name, as: this.eat("as") ? this.ident() : null });
      if (!this.eat(",")) break;
    }
    this.expect("}");
    this.expect(";");
    return { kind: "use", path, names, docs: a.docs, gates: a.gates, span: { start, end: this.lastEnd() } };
  }

  /** A type definition, or null when the next token does not start one. */
  typeDef(a: Attrs, start: number): TypeDef | null {
    const kw = this.peek();
    if (!kw || kw.kind !== "keyword") return null;
    const base = { docs: a.docs, gates: a.gates };
    const end = () => ({ start, end: this.lastEnd() });
    switch (this.src(kw)) {
      case "type": {
        this.advance();
        const name = this.ident();
        this.expect("=");
        const type = this.type();
        this.expect(";");
        return { kind: "type", name, type, ...base, span: end() };
      }
      case "record": {
        this.advance();
        const name = this.ident();
        const { list, body } = this.members<Field>((fa, fs) => {
          const n = this.ident();
          this.expect(":");
          const type = this.type();
          return { name: n, type, docs: fa.docs, gates: fa.gates, span: { start: fs, end: this.lastEnd() } };
        });
        return { kind: "record", name, fields: list, body, ...base, span: end() };
      }
      case "variant": {
        this.advance();
        const name = this.ident();
        const { list, body } = this.members<Case>((ca, cs) => {
          const n = this.ident();
          let type: TypeRef | null = null;
          if (this.eat("(")) {
            type = this.type();
            this.expect(")");
          }
          return { name: n, type, docs: ca.docs, gates: ca.gates, span: { start: cs, end: this.lastEnd() } };
        });
        return { kind: "variant", name, cases: list, body, ...base, span: end() };
      }
      case "enum":
      case "flags": {
        const which = this.src(this.advance());
        const name = this.ident();
        const { list, body } = this.members<Case>((ca, cs) => {
          const n = this.ident();
          return { name: n, type: null, docs: ca.docs, gates: ca.gates, span: { start: cs, end: this.lastEnd() } };
        });
        return which === "enum"
          ? { kind: "enum", name, cases: list, body, ...base, span: end() }
          : { kind: "flags", name, flags: list, body, ...base, span: end() };
      }
      case "resource":
        return this.resource(a, start);
    }
    return null;
  }

  resource(a: Attrs, start: number): ResourceItem {
    this.expect("resource");
    const name = this.ident();
    if (this.eat(";")) return { kind: "resource", name, funcs: null, body: null, docs: a.docs, gates: a.gates, span: { start, end: this.lastEnd() } };
    const funcs: ResourceFunc[] = [];
    const body = this.block(() => {
      const fa = this.attrs();
      if (this.is("constructor")) {
        const kw = this.advance();
        const func = this.funcRest(false, kw.start);
        this.expect(";");
        return { kind: "constructor" as const, name: { name: "constructor", span: { start: kw.start, end: kw.end } }, func, docs: fa.docs, gates: fa.gates, span: { start: fa.start, end: this.lastEnd() } };
      }
      const n = this.ident();
      this.expect(":");
      const isStatic = this.eat("static");
      const func = this.funcType();
      this.expect(";");
      return { kind: isStatic ? ("static" as const) : ("method" as const), name: n, func, docs: fa.docs, gates: fa.gates, span: { start: fa.start, end: this.lastEnd() } };
    }, funcs);
    return { kind: "resource", name, funcs, body, docs: a.docs, gates: a.gates, span: { start, end: this.lastEnd() } };
  }

  interfaceItem(): InterfaceItem {
    const a = this.attrs();
    if (this.is("use")) return this.useItem(a, a.start);
    const td = this.typeDef(a, a.start);
    if (td) return td;
    const t = this.peek();
    if (t?.kind !== "id") this.fail("`use`, a type definition or a function (`name: func(...)`)");
    const name = this.ident();
    this.expect(":");
    const func = this.funcType();
    this.expect(";");
    return { kind: "func", name, func, docs: a.docs, gates: a.gates, span: { start: a.start, end: this.lastEnd() } };
  }

  /** What follows `import`/`export`. */
  importExport(kind: "import" | "export", a: Attrs, start: number): ImportExportItem {
    this.advance();
    const [t0, t1, t2] = [this.peek(), this.peek(1), this.peek(2)];
    // `name: ...` has a plain name, unless the colon is part of a package path: `wasi:cli/stdout`,
    // or (nested namespaces, written without a space after the colon) `a:b:c/d`.
    let isPlain = t0?.kind === "id" && this.is(":", 1);
    if (isPlain && t2?.kind === "id" && (this.is("/", 3) || (this.is(":", 3) && t1!.end === t2.start))) isPlain = false;
    const done = (name: Ident | null, extern: ExternType): ImportExportItem => ({ kind, name, extern, docs: a.docs, gates: a.gates, span: { start, end: this.lastEnd() } });
    if (!isPlain) {
      const path = this.usePath();
      this.expect(";");
      return done(null, { kind: "path", path });
    }
    const name = this.ident();
    this.expect(":");
    if (this.is("func") || this.is("async")) {
      const func = this.funcType();
      this.expect(";");
      return done(name, { kind: "func", func });
    }
    if (this.is("interface")) {
      this.advance();
      const items: InterfaceItem[] = [];
      const body = this.block(() => this.interfaceItem(), items);
      return done(name, { kind: "interface", items, body });
    }
    const path = this.usePath();
    this.expect(";");
    return done(name, { kind: "path", path });
  }

  include(a: Attrs, start: number): IncludeItem {
    this.expect("include");
    const path = this.usePath();
    const renames: IncludeItem["with"] = [];
    if (this.eat("with")) {
      this.expect("{");
      while (!this.is("}")) {
        const from = this.ident();
        this.expect("as");
        renames.push({ from, to: this.ident() });
        if (!this.eat(",")) break;
      }
      this.expect("}");
      this.eat(";");
    } else this.expect(";");
    return { kind: "include", path, with: renames, docs: a.docs, gates: a.gates, span: { start, end: this.lastEnd() } };
  }

  worldItem(): WorldItem {
    const a = this.attrs();
    if (this.is("import")) return this.importExport("import", a, a.start);
    if (this.is("export")) return this.importExport("export", a, a.start);
    if (this.is("include")) return this.include(a, a.start);
    if (this.is("use")) return this.useItem(a, a.start);
    const td = this.typeDef(a, a.start);
    if (td) return td;
    return this.fail("`import`, `export`, `include`, `use` or a type definition");
  }

  packageItem(a: Attrs & { start: number }): PackageItem {
    if (this.is("interface")) {
      this.advance();
      const name = this.ident();
      const items: InterfaceItem[] = [];
      const body = this.block(() => this.interfaceItem(), items);
      return { kind: "interface", name, items, body, docs: a.docs, gates: a.gates, span: { start: a.start, end: this.lastEnd() } } satisfies InterfaceDecl;
    }
    if (this.is("world")) {
      this.advance();
      const name = this.ident();
      const items: WorldItem[] = [];
      const body = this.block(() => this.worldItem(), items);
      return { kind: "world", name, items, body, docs: a.docs, gates: a.gates, span: { start: a.start, end: this.lastEnd() } } satisfies WorldDecl;
    }
    if (this.is("use")) {
      this.advance();
      const path = this.usePath();
      const as = this.eat("as") ? this.ident() : null;
      this.expect(";");
      return { kind: "top-use", path, as, docs: a.docs, gates: a.gates, span: { start: a.start, end: this.lastEnd() } } satisfies TopUse;
    }
    return this.fail("`interface`, `world`, `use` or `package`");
  }

  file(): WitFile {
    let pkg: PackageName | null = null;
    const items: Array<PackageItem | NestedPackage> = [];
    // The header: `package name;` (a `package name {` is a nested package instead).
    if (this.is("package")) {
      const save = this.pos;
      const header = this.item(() => {
        const a = this.attrs();
        this.advance();
        const name = this.packageName();
        if (this.is("{")) return { nested: true as const, a, name };
        this.expect(";");
        return { nested: false as const, a, name };
      });
      if (header && !header.nested) pkg = header.name;
      else if (header) this.pos = save;
    }
    while (this.pos < this.toks.length) {
      const before = this.pos;
      const it = this.item(() => {
        const a = this.attrs();
        if (this.is("package")) {
          this.advance();
          const name = this.packageName();
          const inner: PackageItem[] = [];
          const body = this.block(() => this.packageItem(this.attrs()), inner);
          return { kind: "package", name, items: inner, body, docs: a.docs, gates: a.gates, span: { start: a.start, end: this.lastEnd() } } satisfies NestedPackage;
        }
        return this.packageItem(a);
      });
      if (it) items.push(it);
      if (this.pos === before) this.advance();
    }
    return { text: this.text, package: pkg, items, errors: this.errors };
  }
}

export function parseWit(text: string): WitFile {
  return new Parser(text).file();
}
