/**
 * Encoder for the component binary format (component-model `design/mvp/Binary.md`, version 0x0d,
 * with the async 🔀, error-context 📝 and thread 🧵 builtins of `CanonicalABI.md`): the inverse of
 * `decode.ts`, from the AST of `./ast.ts` back to bytes.
 *
 * The encoder walks definitions in order with the index spaces of each scope, as validation
 * does, and refuses an AST that is not consistent: an index past the end of its index space, a
 * definition whose `space`/`index` differ from where it lands, `counts` that do not match, a name
 * whose parsed parts disagree with it. It does not type-check (that a `valtype` index names a
 * value type, that a lift's core func has the right signature): wasm-tools' validator does that.
 *
 * Layout: a decoded AST is written back in its sections as read (`sections`, with custom sections
 * in place), so a component decoded and encoded again comes out byte for byte the same when the
 * decoder kept everything (see README). An AST whose `sections` do not describe its definitions
 * (a built or edited one) gets one section per run of definitions of the same kind, custom
 * sections last.
 */
import type {
  Alias,
  Canon,
  CanonOptions,
  ComponentAst,
  ComponentDecl,
  ComponentNames,
  CoreDefType,
  CoreImportDesc,
  CoreLimits,
  CoreValType,
  CustomSection,
  DefType,
  Definition,
  ExternDesc,
  ExternName,
  IndexSpace,
  ModuleDecl,
  Producers,
  SortIdx,
  ValType,
} from "./ast";
import { CANON_OPTION_ORDER, INDEX_SPACES, definitionSpace, type CanonOptionName } from "./ast";
import {
  CANON_OPCODES,
  COMPONENT_LAYER,
  COMPONENT_VERSION,
  CORE_NUM_TYPES,
  CORE_SORTS,
  HEAP_TYPES,
  MAGIC,
  PRIM_VAL_TYPES,
  CANCELLABLE_OPS,
  RESOURCE_DROP_ASYNC,
  SECTION_IDS,
  SORTS,
  STRING_ENCODINGS,
} from "./binary";
import { describeDefinition } from "./describe";
import { externName } from "./extern-name";
import { EncodeError, Writer } from "./writer";

export { EncodeError } from "./writer";

/**
 * Encodes a component AST. Throws {@link EncodeError} (naming the construct and why) for an AST
 * that is not consistent, never another error.
 */
export function encode(ast: ComponentAst): Uint8Array<ArrayBuffer> {
  const e = new Encoder();
  try {
    return e.component(ast, null).finish();
  } catch (err) {
    if (err instanceof EncodeError) throw err;
    // A malformed AST (a missing field, a wrong type) that the checks did not name.
    throw new EncodeError(`malformed AST: ${err instanceof Error ? err.message : String(err)}`, e.where);
  }
}

/** The payload of a `component-name` custom section (Binary.md "Name Section"), for built components. */
export function encodeComponentNames(names: ComponentNames): Uint8Array<ArrayBuffer> {
  const e = new Encoder();
  const w = e.writer();
  const sub = (id: number, body: (s: Writer) => void) => {
    const s = e.writer();
    body(s);
    w.u8(id);
    w.sized(s, "name subsection");
  };
  if (names.component !== undefined) sub(0, (s) => s.name(names.component!, "component name"));
  for (const [space, map] of names.sorts) {
    sub(1, (s) => {
      e.sort(s, space);
      s.vec([...map], "name map", ([index, name]) => {
        s.u32(index, "named index");
        s.name(name, "name");
      });
    });
  }
  return w.finish();
}

/** The payload of a `producers` custom section (tool-conventions `ProducersSection.md`). */
export function encodeProducers(producers: Producers): Uint8Array<ArrayBuffer> {
  const w = new Encoder().writer();
  w.vec([...producers], "producers fields", ([field, values]) => {
    w.name(field, "producers field name");
    w.vec(values, "producers values", (v) => {
      w.name(v.name, "producer name");
      w.name(v.version, "producer version");
    });
  });
  return w.finish();
}

/** Index counters of one scope: a component, or a component, instance or core module type. */
class Scope {
  private readonly counts = new Map<IndexSpace, number>();
  constructor(readonly parent: Scope | null) {}
  size(space: IndexSpace): number {
    return this.counts.get(space) ?? 0;
  }
  add(space: IndexSpace, n = 1): number {
    const index = this.size(space);
    this.counts.set(space, index + n);
    return index;
  }
}

/** One section to write: definitions of one kind, or a custom section. */
type Section = { readonly id: number; readonly defs: readonly Definition[] } | { readonly custom: CustomSection };

/** Sections that hold exactly one definition rather than a `vec`. */
const SINGLE = new Set([SECTION_IDS["core module"], SECTION_IDS.component, SECTION_IDS.start]);

const CORE_PREAMBLE = [...MAGIC, 0x01, 0x00, 0x00, 0x00];

class Encoder {
  /** Where the encoder is, for errors: definitions (described only when needed), declarators. */
  private readonly labels: (string | (() => string))[] = [];

  get where(): string[] {
    return this.labels.map((l) => (typeof l === "string" ? l : l()));
  }

  fail(reason: string): never {
    throw new EncodeError(reason, this.where);
  }

  writer(): Writer {
    return new Writer((reason) => this.fail(reason));
  }

  private within<T>(label: string | (() => string), body: () => T): T {
    this.labels.push(label);
    const result = body();
    this.labels.pop();
    return result;
  }

  /** Checks that `index` is in `space` of `scope` as it stands. */
  private ref(scope: Scope, space: IndexSpace, index: number, what: string): void {
    if (!Number.isInteger(index) || index < 0) this.fail(`${what} ${String(index)} is not an index`);
    const n = scope.size(space);
    if (index >= n) this.fail(`${what} is ${space} ${index}, past the end of the ${space} index space (${n} ${n === 1 ? "entry" : "entries"} here)`);
  }

  private index(w: Writer, scope: Scope, space: IndexSpace, index: number, what: string): void {
    this.ref(scope, space, index, what);
    w.u32(index, what);
  }

  /** Appends to `space` (or nothing) and checks that the definition says so. */
  private place(scope: Scope, d: { readonly space: IndexSpace | null; readonly index: number }, space: IndexSpace | null, n = 1): void {
    const index = space === null ? -1 : scope.add(space, n);
    if (d.space !== space || d.index !== index) {
      const said = d.space === null ? "that it adds to no index space" : `that it is ${d.space} ${d.index}`;
      const is = space === null ? "adds to no index space" : `is ${space} ${index}`;
      this.fail(`it says ${said}, but it ${is}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Components and sections

  /** A component's bytes, as a writer its parent appends without copying. */
  component(ast: ComponentAst, parent: Scope | null): Writer {
    if (ast.version !== COMPONENT_VERSION) this.fail(`component version 0x${ast.version.toString(16)} is not 0x${COMPONENT_VERSION.toString(16)}, the version this encoder writes`);
    const scope = new Scope(parent);
    const w = this.writer();
    w.bytes(new Uint8Array([...MAGIC, ast.version & 0xff, ast.version >> 8, COMPONENT_LAYER, 0x00]));
    let position = 0;
    for (const section of layout(ast)) {
      if ("custom" in section) {
        const s = this.writer();
        this.within(`custom section "${section.custom.name}"`, () => s.name(section.custom.name, "custom section name"));
        s.bytes(section.custom.bytes);
        w.u8(0);
        w.sized(s, "custom section");
        continue;
      }
      // Both layouts keep the definitions in order, so a running count is each one's position.
      const item = <T>(d: Definition, body: () => T): T => {
        const at = position++;
        return this.within(() => definitionLabel(d, at), body);
      };
      w.u8(section.id);
      const [single] = section.defs;
      if (single && (single.kind === "core module" || single.kind === "component")) {
        // Megabytes of payload: written once, straight into this component's bytes.
        w.sized(item(single, () => this.embedded(single, scope)), "section");
        continue;
      }
      const s = this.writer();
      if (SINGLE.has(section.id)) item(single!, () => this.definition(single!, s, scope));
      else s.vec(section.defs, "definitions", (d) => item(d, () => this.definition(d, s, scope)));
      w.sized(s, "section");
    }
    for (const space of INDEX_SPACES) {
      if (ast.counts[space] !== scope.size(space)) this.fail(`counts.${space} is ${ast.counts[space]}, but the definitions add ${scope.size(space)}`);
    }
    return w;
  }

  /** The payload of a core module or nested component section, placed. */
  private embedded(d: Extract<Definition, { kind: "core module" | "component" }>, scope: Scope): Writer {
    let payload: Writer;
    if (d.kind === "core module") {
      const b = d.bytes;
      if (!(b instanceof Uint8Array) || b.length < 8 || CORE_PREAMBLE.some((x, i) => b[i] !== x)) {
        this.fail("core module bytes are not a core WebAssembly module (\\0asm version 1)");
      }
      payload = this.writer();
      payload.bytes(b);
    } else {
      // The nested component's scope sees this one (outer aliases) as it stands now.
      payload = this.component(d.component, scope);
    }
    this.place(scope, d, d.kind);
    return payload;
  }

  private definition(d: Definition, w: Writer, scope: Scope): void {
    switch (d.kind) {
      case "core instance": {
        const x = d.expr;
        if (x.kind === "instantiate") {
          w.u8(0x00);
          this.index(w, scope, "core module", x.module, "instantiated core module");
          w.vec(x.args, "core instantiate arguments", (a) => {
            w.name(a.name, "argument name");
            w.u8(CORE_SORTS.instance);
            this.index(w, scope, "core instance", a.instance, `argument "${a.name}"`);
          });
        } else if (x.kind === "exports") {
          w.u8(0x01);
          w.vec(x.exports, "core inline exports", (e) => {
            w.name(e.name, "export name");
            this.coreSortIdx(w, scope, e.target, `inline export "${e.name}"`);
          });
        } else this.fail(`unknown core instance expression kind "${(x as { kind: string }).kind}"`);
        break;
      }
      case "core type":
        this.coreType(w, scope, d.type);
        break;
      case "instance": {
        const x = d.expr;
        if (x.kind === "instantiate") {
          w.u8(0x00);
          this.index(w, scope, "component", x.component, "instantiated component");
          w.vec(x.args, "instantiate arguments", (a) => {
            w.name(a.name, "argument name");
            this.sortIdx(w, scope, a.target, `argument "${a.name}"`);
          });
        } else if (x.kind === "exports") {
          w.u8(0x01);
          w.vec(x.exports, "inline exports", (e) => {
            this.externName(w, e.name, "inline export name");
            this.sortIdx(w, scope, e.target, `inline export "${e.name.name}"`);
          });
        } else this.fail(`unknown instance expression kind "${(x as { kind: string }).kind}"`);
        break;
      }
      case "alias":
        this.alias(w, scope, d.alias);
        break;
      case "type":
        this.defType(w, scope, d.type, true);
        break;
      case "canon":
        this.canon(w, scope, d.canon);
        break;
      case "start":
        this.index(w, scope, "func", d.func, "start function");
        w.vec(d.args, "start arguments", (a, i) => this.index(w, scope, "value", a, `start argument ${i}`));
        w.u32(d.results, "start result count");
        break;
      case "import":
        this.externName(w, d.name, "import name");
        this.externDesc(w, scope, d.desc);
        break;
      case "export":
        this.externName(w, d.name, "export name");
        this.sortIdx(w, scope, d.target, "exported item");
        w.optional(d.desc, (desc) => this.externDesc(w, scope, desc));
        break;
      case "value":
        this.valType(w, scope, d.type, "value type");
        w.u32(d.bytes.length, "value length");
        w.bytes(d.bytes);
        break;
      default:
        this.fail(`unknown definition kind "${(d as { kind: string }).kind}"`);
    }
    this.place(scope, d, definitionSpace(d), d.kind === "start" ? d.results : 1);
  }

  // -------------------------------------------------------------------------------------------
  // Sorts, names, extern descs, aliases

  sort(w: Writer, space: IndexSpace): void {
    if (space.startsWith("core ")) {
      const b = CORE_SORTS[space.slice(5) as keyof typeof CORE_SORTS];
      if (b === undefined) this.fail(`unknown sort "${space}"`);
      w.u8(0x00);
      w.u8(b);
      return;
    }
    const b = SORTS[space as keyof typeof SORTS];
    if (b === undefined) this.fail(`unknown sort "${space}"`);
    w.u8(b);
  }

  private sortIdx(w: Writer, scope: Scope, s: SortIdx, what: string): void {
    this.sort(w, s.sort);
    this.index(w, scope, s.sort, s.index, what);
  }

  private coreSortIdx(w: Writer, scope: Scope, s: SortIdx, what: string): void {
    const b = s.sort.startsWith("core ") ? CORE_SORTS[s.sort.slice(5) as keyof typeof CORE_SORTS] : undefined;
    if (b === undefined) this.fail(`${what} is a ${s.sort}, not a core item`);
    w.u8(b);
    this.index(w, scope, s.sort, s.index, what);
  }

  private externName(w: Writer, n: ExternName, what: string): void {
    if (typeof n?.name !== "string") this.fail(`${what} has no name string`);
    if (n.encoding !== 0 && n.encoding !== 1 && n.encoding !== 2) this.fail(`${what} "${n.name}" has an unknown encoding ${String(n.encoding)} (0, 1 or 2)`);
    if (n.encoding !== 2 && (n.implements !== undefined || n.versionSuffix !== undefined || n.externalId !== undefined)) {
      this.fail(`${what} "${n.name}" has name options (implements, versionsuffix, external-id), which only the 0x02 encoding carries`);
    }
    const parsed = externName(n.name, { encoding: n.encoding, ...(n.implements !== undefined ? { implements: n.implements } : {}), ...(n.versionSuffix !== undefined ? { versionSuffix: n.versionSuffix } : {}) });
    if (parsed.unversioned !== n.unversioned || parsed.version !== n.version || parsed.isInterface !== n.isInterface) {
      this.fail(
        `${what} "${n.name}" says unversioned "${n.unversioned}", version ${String(n.version)}, isInterface ${n.isInterface}, ` +
          `but its name gives "${parsed.unversioned}", ${String(parsed.version)}, ${parsed.isInterface} (build names with externName())`,
      );
    }
    w.u8(n.encoding);
    w.name(n.name, what);
    if (n.encoding !== 2) return;
    const options: [number, string][] = [];
    if (n.implements !== undefined) options.push([0x00, n.implements]);
    if (n.versionSuffix !== undefined) options.push([0x01, n.versionSuffix]);
    if (n.externalId !== undefined) options.push([0x02, n.externalId]);
    w.vec(options, `${what} options`, ([b, s]) => {
      w.u8(b);
      w.name(s, `${what} option`);
    });
  }

  private externDesc(w: Writer, scope: Scope, d: ExternDesc): void {
    switch (d.sort) {
      case "core module":
        w.u8(0x00);
        w.u8(CORE_SORTS.module);
        this.index(w, scope, "core type", d.type, "core module type");
        return;
      case "func":
      case "component":
      case "instance":
        w.u8(SORTS[d.sort]);
        this.index(w, scope, "type", d.type, `${d.sort} type`);
        return;
      case "value":
        w.u8(SORTS.value);
        this.valType(w, scope, d.type, "value type");
        return;
      case "type":
        w.u8(SORTS.type);
        if (d.bound.kind === "eq") {
          w.u8(0x00);
          this.index(w, scope, "type", d.bound.type, "type bound (eq)");
        } else if (d.bound.kind === "sub resource") w.u8(0x01);
        else this.fail(`unknown type bound "${(d.bound as { kind: string }).kind}"`);
        return;
    }
    this.fail(`unknown extern desc sort "${(d as { sort: string }).sort}"`);
  }

  private alias(w: Writer, scope: Scope, a: Alias): void {
    this.sort(w, a.sort);
    const t = a.target;
    switch (t.kind) {
      case "export":
        w.u8(0x00);
        this.index(w, scope, "instance", t.instance, "aliased instance");
        w.name(t.name, "export name");
        return;
      case "core export":
        if (!a.sort.startsWith("core ")) this.fail(`an alias of a core instance's export must have a core sort, not ${a.sort}`);
        w.u8(0x01);
        this.index(w, scope, "core instance", t.instance, "aliased core instance");
        w.name(t.name, "export name");
        return;
      case "outer":
        w.u8(0x02);
        this.outer(w, scope, a.sort, t.count, t.index);
        return;
    }
    this.fail(`unknown alias target "${(t as { kind: string }).kind}"`);
  }

  /** `count index` of an outer alias, checked against the scope `count` levels out. */
  private outer(w: Writer, scope: Scope, space: IndexSpace, count: number, index: number): void {
    let target: Scope | null = scope;
    for (let i = 0; i < count && target; i++) target = target.parent;
    if (!Number.isInteger(count) || count < 0 || !target) this.fail(`outer alias count ${count} reaches past the outermost scope`);
    w.u32(count, "outer count");
    this.index(w, target, space, index, `outer alias (count ${count})`);
  }

  // -------------------------------------------------------------------------------------------
  // Component types

  private valType(w: Writer, scope: Scope, t: ValType, what: string): void {
    if (typeof t === "number") {
      this.ref(scope, "type", t, what);
      w.s33(t, what);
      return;
    }
    const b = PRIM_VAL_TYPES[t];
    if (b === undefined) this.fail(`${what} "${String(t)}" is not a primitive value type`);
    w.u8(b);
  }

  private defType(w: Writer, scope: Scope, t: DefType, allowResource: boolean): void {
    const v = (x: ValType, what: string) => this.valType(w, scope, x, what);
    const labelled = (items: readonly { label: string; type: ValType }[], what: string) =>
      w.vec(items, what, (f) => {
        w.name(f.label, "label");
        v(f.type, `type of "${f.label}"`);
      });
    const labels = (items: readonly string[], what: string) => w.vec(items, what, (l) => w.name(l, "label"));
    switch (t.kind) {
      case "primitive":
        v(t.type, "primitive type");
        return;
      case "record":
        w.u8(0x72);
        labelled(t.fields, "record fields");
        return;
      case "variant":
        w.u8(0x71);
        w.vec(t.cases, "variant cases", (c) => {
          w.name(c.label, "case label");
          w.optional(c.type, (x) => v(x, `type of case "${c.label}"`));
          w.u8(0x00);
        });
        return;
      case "list":
        if (t.length === undefined) {
          w.u8(0x70);
          v(t.element, "list element type");
        } else {
          w.u8(0x67);
          v(t.element, "list element type");
          w.u32(t.length, "fixed list length");
        }
        return;
      case "tuple":
        w.u8(0x6f);
        w.vec(t.types, "tuple types", (x, i) => v(x, `tuple type ${i}`));
        return;
      case "flags":
        w.u8(0x6e);
        labels(t.labels, "flags");
        return;
      case "enum":
        w.u8(0x6d);
        labels(t.labels, "enum cases");
        return;
      case "option":
        w.u8(0x6b);
        v(t.type, "option type");
        return;
      case "result":
        w.u8(0x6a);
        w.optional(t.ok, (x) => v(x, "result ok type"));
        w.optional(t.err, (x) => v(x, "result error type"));
        return;
      case "own":
      case "borrow":
        w.u8(t.kind === "own" ? 0x69 : 0x68);
        this.index(w, scope, "type", t.resource, `${t.kind} resource type`);
        return;
      case "stream":
      case "future":
        w.u8(t.kind === "stream" ? 0x66 : 0x65);
        w.optional(t.element, (x) => v(x, `${t.kind} element type`));
        return;
      case "map":
        w.u8(0x63);
        v(t.key, "map key type");
        v(t.value, "map value type");
        return;
      case "func":
        w.u8(t.async ? 0x43 : 0x40);
        labelled(t.params, "function parameters");
        if (t.result === undefined) {
          w.u8(0x01);
          w.u8(0x00);
        } else {
          w.u8(0x00);
          v(t.result, "function result type");
        }
        return;
      case "component":
        w.u8(0x41);
        this.decls(w, new Scope(scope), t.decls, true);
        return;
      case "instance":
        w.u8(0x42);
        this.decls(w, new Scope(scope), t.decls, false);
        return;
      case "resource":
        if (!allowResource) this.fail("resource types may only be defined in a component, not inside component or instance types");
        if (t.rep !== "i32") this.fail(`resource representation ${String(t.rep)} is not i32`);
        if (!t.dtorAsync) {
          if (t.dtorCallback !== undefined) this.fail("a destructor callback needs an async destructor (dtorAsync)");
          w.u8(0x3f);
          w.u8(0x7f);
          w.optional(t.dtor, (f) => this.index(w, scope, "core func", f, "resource destructor"));
          return;
        }
        if (t.dtor === undefined) this.fail("an async resource destructor (dtorAsync) needs its dtor core func");
        w.u8(0x3e);
        w.u8(0x7f);
        this.index(w, scope, "core func", t.dtor, "async resource destructor");
        w.optional(t.dtorCallback, (f) => this.index(w, scope, "core func", f, "async destructor callback"));
        return;
    }
    this.fail(`unknown type kind "${(t as { kind: string }).kind}"`);
  }

  /** Declarators of a component type (`imports` allowed) or an instance type, in their own scope. */
  private decls(w: Writer, scope: Scope, decls: readonly ComponentDecl[], imports: boolean): void {
    w.vec(decls, "declarators", (d, i) =>
      this.within(`declarator ${i} (${d.kind})`, () => {
        switch (d.kind) {
          case "core type":
            w.u8(0x00);
            this.coreType(w, scope, d.type);
            this.place(scope, d, "core type");
            return;
          case "type":
            w.u8(0x01);
            this.defType(w, scope, d.type, false);
            this.place(scope, d, "type");
            return;
          case "alias":
            w.u8(0x02);
            this.alias(w, scope, d.alias);
            this.place(scope, d, d.alias.sort);
            return;
          case "import":
            if (!imports) this.fail("instance types cannot declare imports");
            w.u8(0x03);
            this.externName(w, d.name, "import name");
            this.externDesc(w, scope, d.desc);
            this.place(scope, d, d.desc.sort);
            return;
          case "export":
            w.u8(0x04);
            this.externName(w, d.name, "export name");
            this.externDesc(w, scope, d.desc);
            this.place(scope, d, d.desc.sort);
            return;
        }
        this.fail(`unknown declarator kind "${(d as { kind: string }).kind}"`);
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Core types

  private coreValType(w: Writer, scope: Scope, t: CoreValType, what: string): void {
    if (typeof t === "string") {
      const b = CORE_NUM_TYPES[t];
      if (b === undefined) this.fail(`${what} "${t}" is not a core value type`);
      w.u8(b);
      return;
    }
    if (t?.kind !== "ref") this.fail(`${what} is not a core value type`);
    // Nullable references to abstract heap types have a one-byte shorthand (`funcref`).
    if (t.nullable && typeof t.heap === "string") {
      this.heapType(w, scope, t.heap, what);
      return;
    }
    w.u8(t.nullable ? 0x63 : 0x64);
    this.heapType(w, scope, t.heap, what);
  }

  private heapType(w: Writer, scope: Scope, heap: string | number, what: string): void {
    if (typeof heap === "number") {
      this.ref(scope, "core type", heap, `${what} heap type`);
      w.s33(heap, `${what} heap type`);
      return;
    }
    const b = HEAP_TYPES[heap];
    if (b === undefined) this.fail(`${what}: unknown heap type "${heap}"`);
    w.u8(b);
  }

  private coreType(w: Writer, scope: Scope, t: CoreDefType): void {
    if (t.kind === "func") {
      if (t.sub) {
        if (t.sub.final) w.u8(0x4f);
        else {
          w.u8(0x00);
          w.u8(0x50);
        }
        w.vec(t.sub.supertypes, "core supertypes", (s) => w.u32(s, "core supertype index"));
      }
      if (t.shared) w.u8(0x65);
      w.u8(0x60);
      w.vec(t.params, "core function parameters", (p, i) => this.coreValType(w, scope, p, `core parameter ${i}`));
      w.vec(t.results, "core function results", (p, i) => this.coreValType(w, scope, p, `core result ${i}`));
      return;
    }
    if (t.kind !== "module") this.fail(`unknown core type kind "${(t as { kind: string }).kind}"`);
    w.u8(0x50);
    const inner = new Scope(scope);
    w.vec(t.decls, "module type declarators", (d, i) => this.within(`module declarator ${i} (${d.kind})`, () => this.moduleDecl(w, inner, d)));
  }

  private moduleDecl(w: Writer, scope: Scope, d: ModuleDecl): void {
    switch (d.kind) {
      case "import":
        w.u8(0x00);
        w.name(d.module, "import module name");
        w.name(d.name, "import name");
        this.coreImportDesc(w, scope, d.desc);
        this.place(scope, d, `core ${d.desc.kind}`);
        return;
      case "type":
        if (d.type.kind === "module") this.fail("core module types cannot be nested inside a core module type");
        w.u8(0x01);
        this.coreType(w, scope, d.type);
        this.place(scope, d, "core type");
        return;
      case "alias": {
        if (d.target?.kind !== "outer") this.fail("core module types only hold outer aliases");
        const b = CORE_SORTS[d.sort];
        if (b === undefined) this.fail(`unknown core sort "${String(d.sort)}"`);
        w.u8(0x02);
        w.u8(b);
        w.u8(0x01);
        this.outer(w, scope, `core ${d.sort}`, d.target.count, d.target.index);
        this.place(scope, d, `core ${d.sort}`);
        return;
      }
      case "export":
        w.u8(0x03);
        w.name(d.name, "export name");
        this.coreImportDesc(w, scope, d.desc);
        this.place(scope, d, null);
        return;
    }
    this.fail(`unknown module declarator kind "${(d as { kind: string }).kind}"`);
  }

  private coreImportDesc(w: Writer, scope: Scope, d: CoreImportDesc): void {
    switch (d.kind) {
      case "func":
        w.u8(0x00);
        this.index(w, scope, "core type", d.type, "core func type");
        return;
      case "table":
        w.u8(0x01);
        this.coreValType(w, scope, d.element, "table element type");
        this.limits(w, d.limits, "table");
        return;
      case "memory":
        w.u8(0x02);
        this.limits(w, d.limits, "memory");
        return;
      case "global":
        w.u8(0x03);
        this.coreValType(w, scope, d.type, "global type");
        w.u8(d.mutable ? 0x01 : 0x00);
        return;
      case "tag":
        w.u8(0x04);
        w.u8(0x00);
        this.index(w, scope, "core type", d.type, "tag type");
        return;
    }
    this.fail(`unknown core import kind "${(d as { kind: string }).kind}"`);
  }

  private limits(w: Writer, l: CoreLimits, what: string): void {
    w.u8((l.max !== undefined ? 0x01 : 0) | (l.shared ? 0x02 : 0) | (l.is64 ? 0x04 : 0));
    const write = (n: bigint, which: string) => {
      if (l.is64) w.u64(n, `${what} ${which}`);
      else if (n > 0xffffffffn || n < 0n) this.fail(`${what} ${which} ${n} does not fit in 32 bits (is64 is false)`);
      else w.u32(Number(n), `${what} ${which}`);
    };
    write(l.min, "minimum");
    if (l.max !== undefined) write(l.max, "maximum");
  }

  // -------------------------------------------------------------------------------------------
  // Canonical definitions

  private canonOptions(w: Writer, scope: Scope, o: CanonOptions): void {
    if (typeof o?.async !== "boolean" || typeof o.gc !== "boolean") this.fail("canonical options need `async` and `gc` as booleans");
    const opts = new Map<CanonOptionName, () => void>();
    const idx = (name: CanonOptionName, b: number, space: IndexSpace, i: number | undefined) => {
      if (i !== undefined) {
        opts.set(name, () => {
          w.u8(b);
          this.index(w, scope, space, i, `${name} option`);
        });
      }
    };
    idx("memory", 0x03, "core memory", o.memory);
    idx("realloc", 0x04, "core func", o.realloc);
    if (o.stringEncoding !== undefined) {
      const b = STRING_ENCODINGS.indexOf(o.stringEncoding);
      if (b < 0) this.fail(`unknown string encoding "${o.stringEncoding}"`);
      opts.set("string-encoding", () => w.u8(b));
    }
    idx("post-return", 0x05, "core func", o.postReturn);
    if (o.async) opts.set("async", () => w.u8(0x06));
    idx("callback", 0x07, "core func", o.callback);
    idx("core-type", 0x08, "core type", o.coreType);
    if (o.gc) opts.set("gc", () => w.u8(0x09));
    // The order they were decoded in, else the one wasm-tools writes: either way the same bytes back.
    const order = o.order ?? CANON_OPTION_ORDER.filter((k) => opts.has(k));
    if (order.length !== opts.size || order.some((k) => !opts.has(k))) {
      this.fail(`canonical option order [${order.join(", ")}] does not list exactly the options present [${[...opts.keys()].join(", ")}]`);
    }
    w.vec(order, "canonical options", (k) => opts.get(k)!());
  }

  private canon(w: Writer, scope: Scope, c: Canon): void {
    const op = c.op;
    const opcode = c.op === "resource.drop" && c.async ? RESOURCE_DROP_ASYNC : CANON_OPCODES[op];
    if (opcode === undefined) this.fail(`unknown canon builtin "${String(op)}"`);
    w.u8(opcode);
    if (CANCELLABLE_OPS.has(op)) w.u8("cancellable" in c && c.cancellable ? 0x01 : 0x00);
    const type = (i: number) => this.index(w, scope, "type", i, `${op} type`);
    const coreType = (i: number) => this.index(w, scope, "core type", i, `${op} core type`);
    const asyncFlag = (a: boolean) => w.u8(a ? 0x01 : 0x00);
    switch (c.op) {
      case "lift":
        w.u8(0x00);
        this.index(w, scope, "core func", c.coreFunc, "lifted core func");
        this.canonOptions(w, scope, c.options);
        type(c.type);
        return;
      case "lower":
        w.u8(0x00);
        this.index(w, scope, "func", c.func, "lowered func");
        this.canonOptions(w, scope, c.options);
        return;
      case "resource.new":
      case "resource.rep":
      case "resource.drop":
        type(c.resource);
        return;
      case "subtask.cancel":
        asyncFlag(c.async);
        return;
      case "task.return":
        if (c.result === undefined) {
          w.u8(0x01);
          w.u8(0x00);
        } else {
          w.u8(0x00);
          this.valType(w, scope, c.result, "task.return result type");
        }
        this.canonOptions(w, scope, c.options);
        return;
      case "context.get":
      case "context.set":
        this.coreValType(w, scope, c.type, `${op} type`);
        w.u32(c.slot, `${op} slot`);
        return;
      case "stream.new":
      case "future.new":
      case "stream.drop-readable":
      case "stream.drop-writable":
      case "future.drop-readable":
      case "future.drop-writable":
      case "stream.forward":
      case "future.forward":
        type(c.type);
        return;
      case "stream.read":
      case "stream.write":
      case "future.read":
      case "future.write":
        type(c.type);
        this.canonOptions(w, scope, c.options);
        return;
      case "stream.cancel-read":
      case "stream.cancel-write":
      case "future.cancel-read":
      case "future.cancel-write":
        type(c.type);
        asyncFlag(c.async);
        return;
      case "error-context.new":
      case "error-context.debug-message":
        this.canonOptions(w, scope, c.options);
        return;
      case "waitable-set.wait":
      case "waitable-set.poll":
        this.index(w, scope, "core memory", c.memory, `${op} memory`);
        return;
      case "thread.new-indirect":
      case "thread.spawn-indirect":
        coreType(c.type);
        this.index(w, scope, "core table", c.table, `${op} table`);
        return;
      case "thread.spawn-ref":
        coreType(c.type);
        return;
    }
  }
}

/** `definition 14 (core func 7 = canon stream.read type 3 (memory 0))`, for errors. */
function definitionLabel(d: Definition, position: number): string {
  let text: string;
  try {
    text = d.kind === "component" ? `nested component ${d.index}` : describeDefinition(d);
  } catch {
    text = String((d as { kind?: unknown }).kind);
  }
  return `definition ${position} (${text})`;
}

/**
 * The sections to write: those of `ast.sections` when they describe the definitions and custom
 * sections exactly (a decoded component), else one per run of definitions, custom sections last.
 */
function layout(ast: ComponentAst): Section[] {
  return asDecoded(ast) ?? compact(ast);
}

function asDecoded(ast: ComponentAst): Section[] | undefined {
  if (!ast.sections.length) return undefined;
  const out: Section[] = [];
  let d = 0;
  let c = 0;
  for (const [k, h] of ast.sections.entries()) {
    const end = ast.sections[k + 1]?.offset ?? ast.offset + ast.size;
    const inside = (offset: number) => offset >= h.offset && offset < end;
    if (h.id === 0) {
      const custom = ast.customSections[c++];
      if (!custom || !inside(custom.offset)) return undefined;
      out.push({ custom });
      continue;
    }
    const defs: Definition[] = [];
    for (let def = ast.definitions[d]; def && SECTION_IDS[def.kind] === h.id && inside(def.offset); def = ast.definitions[++d]) defs.push(def);
    if (SINGLE.has(h.id) && defs.length !== 1) return undefined;
    out.push({ id: h.id, defs });
  }
  return d === ast.definitions.length && c === ast.customSections.length ? out : undefined;
}

function compact(ast: ComponentAst): Section[] {
  const out: { id: number; defs: Definition[] }[] = [];
  for (const def of ast.definitions) {
    const id = SECTION_IDS[def.kind];
    const last = out[out.length - 1];
    if (last && last.id === id && !SINGLE.has(id)) last.defs.push(def);
    else out.push({ id, defs: [def] });
  }
  return [...out, ...ast.customSections.map((custom) => ({ custom }))];
}
