/**
 * Instantiation (Explainer.md "Index spaces", "Instance definitions", "Alias definitions";
 * CanonicalABI.md "canon lift/lower"): walks a decoded component's definitions in order, filling
 * each index space, compiling nothing (core modules arrive compiled), instantiating core modules
 * with the canon-defined functions, nested components with their arguments, and the root's
 * imports from the host by interface name and semver.
 */
import { assert } from "../../base/assert";
import type * as Ast from "../../component/ast";
import type { CanonOptions, CoreType, CoreValue } from "./abi";
import * as canon from "./canon";
import { hostFuncInst, hostInvoker } from "./host-funcs";
import { ComponentInstance, type Store } from "./instance";
import { SuspendModules } from "./suspend";
import type { FuncInst } from "./task";
import { pascalCase, ResourceType, type Case, type Field, type FuncType, type ValType } from "./types";

/** A component-level function value. */
export class CFunc {
  constructor(
    readonly ft: FuncType,
    readonly call: FuncInst,
    readonly name: string,
    /** Whether a synchronous call may have to wait for it (so the caller's stack must be able to suspend). */
    readonly mayBlock: () => boolean = () => ft.async,
  ) {}
}

/** A component instance value: its exports by name. */
export class IValue {
  constructor(readonly exports: Map<string, unknown>) {}
}

/** A component (definition) closed over the scope it was defined in. */
class CValue {
  constructor(
    readonly ast: Ast.ComponentAst,
    readonly scope: Scope,
  ) {}
}

/** What a `type` index holds. */
export type TypeValue =
  | { t: "val"; v: ValType }
  | { t: "func"; v: FuncType }
  | { t: "resource"; v: ResourceType }
  | { t: "instance"; decls: readonly Ast.InstanceDecl[]; scope: Scope }
  | { t: "component"; decls: readonly Ast.ComponentDecl[]; scope: Scope };

export class LinkError extends Error {
  override name = "LinkError";
}

class Scope {
  readonly spaces = new Map<Ast.IndexSpace, unknown[]>();
  constructor(
    readonly parent: Scope | null,
    readonly inst: ComponentInstance | null,
    readonly where: string,
  ) {}
  space(s: Ast.IndexSpace): unknown[] {
    let a = this.spaces.get(s);
    if (!a) this.spaces.set(s, (a = []));
    return a;
  }
  get(s: Ast.IndexSpace, i: number): unknown {
    const v = this.space(s)[i];
    if (v === undefined) throw new LinkError(`${this.where}: ${s} index ${i} is not defined`);
    return v;
  }
  push(s: Ast.IndexSpace, v: unknown, placed?: Ast.Placed): void {
    const a = this.space(s);
    if (placed && placed.space === s) assert(placed.index === a.length, `${this.where}: ${s} index ${placed.index} placed at ${a.length}`);
    a.push(v);
  }
  type(i: number): TypeValue {
    return this.get("type", i) as TypeValue;
  }
  outer(count: number): Scope {
    if (count === 0) return this;
    if (!this.parent) throw new LinkError(`${this.where}: outer alias reaches past the outermost scope`);
    return this.parent.outer(count - 1);
  }
}

export interface LinkEnv {
  store: Store;
  /** The root component's name for messages. */
  name: string;
  /** Compiled core modules, by their definition. */
  modules: Map<Ast.CoreModuleDefinition, WebAssembly.Module>;
  /** WIT names of a host interface's functions that may suspend a synchronous caller (0.2 calls that wait). */
  suspending?: (importName: string) => readonly string[];
  /**
   * What a root import binds to: a host interface (JS functions and classes, semver-compatible
   * name), or the exports of another engine/cm instance in the same store (run-time linking of
   * two components, e.g. a caller and its callee), or undefined when nothing provides it.
   */
  resolveImport(name: string): { name: string; impl: Record<string, unknown> } | { name: string; exports: Map<string, unknown> } | undefined;
}

export interface Linked {
  root: ComponentInstance;
  exports: Map<string, unknown>;
}

/** What instantiation keeps for the whole component: the blocking built-ins' core modules. */
type Env = LinkEnv & { readonly suspendModules: SuspendModules };

export function instantiateRoot(ast: Ast.ComponentAst, env: LinkEnv): Linked {
  const root = new ComponentInstance(env.store, env.name);
  const exports = instantiateComponent(ast, null, root, { ...env, suspendModules: new SuspendModules() }, null);
  return { root, exports };
}

// ---------------------------------------------------------------- types

function resolveValType(t: Ast.ValType, scope: Scope): ValType {
  if (typeof t === "string") return t;
  const tv = scope.type(t);
  if (tv.t !== "val") throw new LinkError(`${scope.where}: type ${t} is a ${tv.t} type where a value type was expected`);
  return tv.v;
}

function resolveResource(i: number, scope: Scope): ResourceType {
  const tv = scope.type(i);
  if (tv.t !== "resource") throw new LinkError(`${scope.where}: type ${i} is a ${tv.t} type where a resource was expected`);
  return tv.v;
}

function resolveFuncType(ft: Ast.FuncType, scope: Scope): FuncType {
  return {
    async: ft.async,
    params: ft.params.map((p): Field => ({ name: p.label, type: resolveValType(p.type, scope) })),
    result: ft.result === undefined ? null : resolveValType(ft.result, scope),
  };
}

function resolveDefType(d: Ast.DefType, scope: Scope, resourceName: string): TypeValue {
  const opt = (t: Ast.ValType | undefined): ValType | null => (t === undefined ? null : resolveValType(t, scope));
  switch (d.kind) {
    case "func":
      return { t: "func", v: resolveFuncType(d, scope) };
    case "instance":
      return { t: "instance", decls: d.decls, scope };
    case "component":
      return { t: "component", decls: d.decls, scope };
    case "resource": {
      const inst = scope.inst;
      if (!inst) throw new LinkError(`${scope.where}: a resource type may only be defined in a component`);
      let dtor: ((rep: number) => void) | null = null;
      if (d.dtor !== undefined) {
        const f = scope.get("core func", d.dtor) as (rep: number) => unknown;
        dtor = (rep) => canon.runDestructor(inst, resourceName, () => f(rep));
      }
      return { t: "resource", v: new ResourceType(resourceName, inst, dtor) };
    }
    case "primitive":
      return { t: "val", v: d.type };
    case "record":
      return { t: "val", v: { kind: "record", fields: d.fields.map((f) => ({ name: f.label, type: resolveValType(f.type, scope) })) } };
    case "variant":
      return { t: "val", v: { kind: "variant", cases: d.cases.map((c): Case => ({ name: c.label, type: opt(c.type) })) } };
    case "list":
      return { t: "val", v: d.length === undefined ? { kind: "list", elem: resolveValType(d.element, scope) } : { kind: "list", elem: resolveValType(d.element, scope), len: d.length } };
    case "tuple":
      return { t: "val", v: { kind: "tuple", elems: d.types.map((t) => resolveValType(t, scope)) } };
    case "flags":
      return { t: "val", v: { kind: "flags", names: [...d.labels] } };
    case "enum":
      return { t: "val", v: { kind: "enum", names: [...d.labels] } };
    case "option":
      return { t: "val", v: { kind: "option", elem: resolveValType(d.type, scope) } };
    case "result":
      return { t: "val", v: { kind: "result", ok: opt(d.ok), err: opt(d.err) } };
    case "own":
      return { t: "val", v: { kind: "own", rt: resolveResource(d.resource, scope) } };
    case "borrow":
      return { t: "val", v: { kind: "borrow", rt: resolveResource(d.resource, scope) } };
    case "stream":
      return { t: "val", v: { kind: "stream", elem: opt(d.element) } };
    case "future":
      return { t: "val", v: { kind: "future", elem: opt(d.element) } };
    case "map":
      return { t: "val", v: { kind: "map", key: resolveValType(d.key, scope), value: resolveValType(d.value, scope) } };
  }
}

function resolveAlias(alias: Ast.Alias, scope: Scope): unknown {
  const t = alias.target;
  switch (t.kind) {
    case "outer":
      return scope.outer(t.count).get(alias.sort, t.index);
    case "core export": {
      const exports = scope.get("core instance", t.instance) as Record<string, unknown>;
      const v = exports[t.name];
      if (v === undefined) throw new LinkError(`${scope.where}: core instance ${t.instance} has no export '${t.name}'`);
      return v;
    }
    case "export": {
      const iv = scope.get("instance", t.instance) as IValue;
      const v = iv.exports.get(t.name);
      if (v === undefined) throw new LinkError(`${scope.where}: instance ${t.instance} has no export '${t.name}'`);
      return v;
    }
  }
}

// ---------------------------------------------------------------- host imports

/** Builds a host instance for an imported instance type, declarator by declarator. */
function hostInstance(importName: string, impl: Record<string, unknown>, tv: TypeValue, env: LinkEnv): IValue {
  if (tv.t !== "instance") throw new LinkError(`import '${importName}' is not an instance`);
  const scope = new Scope(tv.scope, null, `import '${importName}'`);
  const exports = new Map<string, unknown>();
  for (const d of tv.decls) {
    switch (d.kind) {
      case "core type":
        scope.push("core type", d.type, d);
        break;
      case "type":
        scope.push("type", resolveDefType(d.type, scope, `${importName}#type`), d);
        break;
      case "alias":
        scope.push(d.alias.sort, resolveAlias(d.alias, scope), d);
        break;
      case "export": {
        const name = d.name.name;
        let v: unknown;
        switch (d.desc.sort) {
          case "type": {
            const b = d.desc.bound;
            if (b.kind === "eq") v = scope.type(b.type);
            else {
              const cls = impl[pascalCase(name)];
              v = { t: "resource", v: env.store.hostResourceType(impl, name, typeof cls === "function" ? (cls as new () => unknown) : null) } satisfies TypeValue;
            }
            scope.push("type", v, d);
            break;
          }
          case "func": {
            const ft = scope.type(d.desc.type);
            if (ft.t !== "func") throw new LinkError(`import '${importName}': '${name}' is not a function type`);
            const label = `${importName}#${name}`;
            const suspends = ft.v.async || (env.suspending?.(importName).includes(name) ?? false);
            v = new CFunc(ft.v, hostFuncInst(env.store, ft.v, hostInvoker(importName, impl, name), label), label, () => suspends);
            scope.push("func", v, d);
            break;
          }
          default:
            throw new LinkError(`import '${importName}': exports of sort ${d.desc.sort} are not supported from the host`);
        }
        exports.set(name, v);
        break;
      }
    }
  }
  return new IValue(exports);
}

/**
 * A world-level function import (`import foo: func(...)`): from the host as `{ default: fn }`
 * (jco's convention), or another instance's export of that name.
 */
function rootFuncImport(name: string, found: NonNullable<ReturnType<LinkEnv["resolveImport"]>>, tv: TypeValue, env: LinkEnv): CFunc {
  if (tv.t !== "func") throw new LinkError(`import '${name}' is not a function type`);
  if ("exports" in found) {
    const f = found.exports.get(name);
    if (!(f instanceof CFunc)) throw new LinkError(`Component '${env.name}' imports the function '${name}', which the linked instance does not export as a function.`);
    return f;
  }
  const fn = found.impl.default;
  if (typeof fn !== "function") throw new LinkError(`Component '${env.name}' imports the function '${name}'; the host must provide it as { default: function }.`);
  const suspends = tv.v.async || (env.suspending?.(name).includes(name) ?? false);
  return new CFunc(tv.v, hostFuncInst(env.store, tv.v, (args) => (fn as (...a: unknown[]) => unknown)(...args), name), name, () => suspends);
}

/** A built-in whose core function depends on what the instance needs once its core code is instantiated. */
class LateImport {
  constructor(readonly resolve: () => unknown) {}
}

// ---------------------------------------------------------------- components

function funcName(ast: Ast.ComponentAst, space: Ast.IndexSpace, index: number, fallback: string): string {
  return ast.names?.sorts.get(space)?.get(index) ?? fallback;
}

function instantiateComponent(ast: Ast.ComponentAst, outer: Scope | null, inst: ComponentInstance, env: Env, args: Map<string, unknown> | null): Map<string, unknown> {
  const scope = new Scope(outer, inst, inst.name);
  const exports = new Map<string, unknown>();
  const options = (o: Ast.CanonOptions): CanonOptions => ({
    memory: o.memory === undefined ? null : (scope.get("core memory", o.memory) as WebAssembly.Memory),
    stringEncoding: o.stringEncoding ?? "utf8",
    realloc: o.realloc === undefined ? null : (scope.get("core func", o.realloc) as CanonOptions["realloc"]),
    postReturn: o.postReturn === undefined ? null : (scope.get("core func", o.postReturn) as CanonOptions["postReturn"]),
    async: o.async,
    callback: o.callback === undefined ? null : (scope.get("core func", o.callback) as CanonOptions["callback"]),
  });
  const elemOf = (typeIndex: number, what: "stream" | "future"): ValType | null => {
    const tv = scope.type(typeIndex);
    if (tv.t !== "val" || typeof tv.v === "string" || tv.v.kind !== what) throw new LinkError(`${scope.where}: type ${typeIndex} is not a ${what} type`);
    return tv.v.elem;
  };

  for (const def of ast.definitions) {
    switch (def.kind) {
      case "core module": {
        const m = env.modules.get(def);
        assert(m, "core module was not compiled");
        scope.push("core module", m, def);
        break;
      }
      case "core instance": {
        const e = def.expr;
        if (e.kind === "instantiate") {
          const module = scope.get("core module", e.module) as WebAssembly.Module;
          const imports: Record<string, Record<string, unknown>> = {};
          for (const a of e.args) imports[a.name] = scope.get("core instance", a.instance) as Record<string, unknown>;
          let instance: WebAssembly.Instance;
          try {
            instance = canon.runStartFunction(inst, `start of core instance ${def.index}`, () => new WebAssembly.Instance(module, imports as WebAssembly.Imports));
          } catch (err) {
            throw canon.asTrap(err, inst, `core instance ${def.index} (start)`);
          }
          scope.push("core instance", instance.exports, def);
        } else {
          const obj: Record<string, unknown> = {};
          for (const x of e.exports) {
            const v = scope.get(x.target.sort, x.target.index);
            obj[x.name] = v instanceof LateImport ? v.resolve() : v;
          }
          scope.push("core instance", obj, def);
        }
        break;
      }
      case "core type":
        scope.push("core type", def.type, def);
        break;
      case "component":
        scope.push("component", new CValue(def.component, scope), def);
        break;
      case "instance": {
        const e = def.expr;
        if (e.kind === "instantiate") {
          const c = scope.get("component", e.component) as CValue;
          const a = new Map<string, unknown>();
          for (const x of e.args) a.set(x.name, scope.get(x.target.sort, x.target.index));
          const childName = funcName(ast, "instance", def.index, `instance ${def.index}`);
          const child = new ComponentInstance(env.store, `${inst.name}/${childName}`, inst);
          scope.push("instance", new IValue(instantiateComponent(c.ast, c.scope, child, env, a)), def);
        } else {
          const m = new Map<string, unknown>();
          for (const x of e.exports) m.set(x.name.name, scope.get(x.target.sort, x.target.index));
          scope.push("instance", new IValue(m), def);
        }
        break;
      }
      case "alias":
        scope.push(def.alias.sort, resolveAlias(def.alias, scope), def);
        break;
      case "type":
        scope.push("type", resolveDefType(def.type, scope, funcName(ast, "type", def.index, `resource ${def.index}`)), def);
        break;
      case "canon":
        defineCanon(def.canon, def, scope, inst, ast, options, elemOf, env.suspendModules);
        break;
      case "start":
        throw new LinkError(`${scope.where}: component start functions (value imports) are not supported by engine/cm`);
      case "value":
        throw new LinkError(`${scope.where}: component values are not supported by engine/cm`);
      case "import": {
        const name = def.name.name;
        let v: unknown;
        if (args) {
          v = args.get(name);
          if (v === undefined && def.desc.sort === "type" && def.desc.bound.kind === "eq") v = scope.type(def.desc.bound.type);
          if (v === undefined) throw new LinkError(`${scope.where}: nothing was passed for import '${name}'`);
        } else if (def.desc.sort === "type" && def.desc.bound.kind === "eq") {
          // A world's `use` of another interface's type (`use wasi:clocks/types@0.3.0.{duration};`)
          // imports that type, bound to its definition: nothing for the host to provide.
          v = scope.type(def.desc.bound.type);
        } else {
          if (def.desc.sort !== "instance" && def.desc.sort !== "func") throw new LinkError(`Component '${env.name}' imports '${name}' as a ${def.desc.sort}; the host provides only interfaces and functions.`);
          const found = env.resolveImport(name);
          if (!found) throw new LinkError(`Component '${env.name}' imports '${name}', which this host does not provide.`);
          if (def.desc.sort === "func") v = rootFuncImport(name, found, scope.type(def.desc.type), env);
          else v = "exports" in found ? new IValue(found.exports) : hostInstance(name, found.impl, scope.type(def.desc.type), env);
        }
        scope.push(def.desc.sort, v, def);
        break;
      }
      case "export": {
        const v = scope.get(def.target.sort, def.target.index);
        scope.push(def.target.sort, v, def);
        exports.set(def.name.name, v);
        break;
      }
    }
  }
  return exports;
}

function defineCanon(
  c: Ast.Canon,
  def: Ast.CanonDefinition,
  scope: Scope,
  inst: ComponentInstance,
  ast: Ast.ComponentAst,
  options: (o: Ast.CanonOptions) => CanonOptions,
  elemOf: (t: number, what: "stream" | "future") => ValType | null,
  suspendModules: SuspendModules,
): void {
  const core = (f: unknown) => scope.push("core func", f, def);
  const E = canon.END_CLASSES;
  // A built-in that may block suspends its caller's stack through JSPI; then every entry into
  // this instance's core code must go through WebAssembly.promising.
  const needsJspi = () => {
    if (inst.store.jspi) inst.jspiEntries = true;
  };
  /** A built-in that may block, typed as the guest imports it (params, one i32 result unless given). */
  const suspending = (f: (...a: never[]) => unknown, params: CoreType[], results: CoreType[] = ["i32"]): unknown => {
    if (!inst.store.jspi) return f;
    inst.jspiEntries = true;
    return suspendModules.wrap({ params, results }, f as (...a: CoreValue[]) => unknown);
  };
  const I32 = (n: number): CoreType[] => new Array<CoreType>(n).fill("i32");
  const maybeSuspending = (async: boolean, f: (...a: never[]) => unknown, params: number): unknown => (async ? f : suspending(f, I32(params)));
  switch (c.op) {
    case "lift": {
      const ft = scope.type(c.type);
      if (ft.t !== "func") throw new LinkError(`${scope.where}: canon lift of type ${c.type}, which is not a function type`);
      const name = funcName(ast, "func", def.index, `func ${def.index}`);
      const callee = scope.get("core func", c.coreFunc) as (...a: unknown[]) => unknown;
      if (c.options.async && c.options.callback === undefined) needsJspi();
      scope.push("func", new CFunc(ft.v, canon.canonLift(options(c.options), inst, ft.v, callee as never, name), name, () => ft.v.async || inst.jspiEntries), def);
      return;
    }
    case "lower": {
      const f = scope.get("func", c.func) as CFunc;
      const lowered = canon.canonLower(options(c.options), inst, f.ft, f.call, f.name);
      if (c.options.async || !f.mayBlock()) return core(lowered);
      const t = canon.flatLowerType(f.ft);
      return core(suspending(lowered, t.params, t.results));
    }
    case "resource.new":
      return core(canon.canonResourceNew(inst, resolveResource(c.resource, scope)));
    case "resource.drop":
      return core(canon.canonResourceDrop(inst, resolveResource(c.resource, scope)));
    case "resource.rep":
      return core(canon.canonResourceRep(inst, resolveResource(c.resource, scope)));
    case "backpressure.set":
      return core(canon.canonBackpressureSet(inst));
    case "backpressure.inc":
      return core(canon.canonBackpressureInc(inst));
    case "backpressure.dec":
      return core(canon.canonBackpressureDec(inst));
    case "task.return":
      return core(canon.canonTaskReturn(inst, c.result === undefined ? null : resolveValType(c.result, scope), options(c.options)));
    case "task.cancel":
      return core(canon.canonTaskCancel(inst));
    case "context.get":
      return core(canon.canonContextGet(inst, c.slot));
    case "context.set":
      return core(canon.canonContextSet(inst, c.slot));
    case "thread.yield":
      return core(suspending(canon.canonYield(inst, c.cancellable), []));
    case "thread.index":
      return core(canon.canonThreadIndex(inst));
    case "thread.new-indirect": {
      const t = scope.get("core type", c.type) as Ast.CoreDefType;
      const param = t.kind === "func" && t.results.length === 0 && t.params.length === 1 ? t.params[0] : undefined;
      if (param !== "i32" && param !== "i64") throw new LinkError(`${scope.where}: canon thread.new-indirect of core type ${c.type}, which is not (func (param i32)) or (func (param i64))`);
      const table = scope.get("core table", c.table) as WebAssembly.Table;
      // A new thread runs on a stack of its own: this instance's code must run under WebAssembly.promising.
      needsJspi();
      return core(canon.canonThreadNewIndirect(inst, table, suspendModules.threadStart(table, param) as (...a: CoreValue[]) => unknown));
    }
    case "thread.resume-later":
      return core(canon.canonThreadResumeLater(inst));
    case "thread.suspend":
      return core(suspending(canon.canonThreadSuspend(inst, c.cancellable), []));
    case "thread.suspend-then-resume":
    case "thread.yield-then-resume":
    case "thread.suspend-then-promote":
    case "thread.yield-then-promote":
      return core(suspending(canon.canonThreadThen(inst, c.cancellable, c.op.startsWith("thread.yield"), c.op.endsWith("promote")), I32(1)));
    case "subtask.cancel":
    {
      // An async subtask.cancel may wait for a callee that JSPI runs (canonSubtaskCancel): it
      // suspends where the instance's entries go through WebAssembly.promising, known once the
      // core instance importing it is made.
      const cancel = canon.canonSubtaskCancel(inst, c.async);
      if (!c.async || !inst.store.jspi) return core(maybeSuspending(c.async, cancel, 1));
      return core(new LateImport(() => (inst.jspiEntries ? suspending(cancel, I32(1)) : cancel)));
    }
    case "subtask.drop":
      return core(canon.canonSubtaskDrop(inst));
    case "stream.new":
      return core(canon.canonStreamNew(inst, elemOf(c.type, "stream")));
    case "future.new":
      return core(canon.canonFutureNew(inst, elemOf(c.type, "future")));
    case "stream.read":
      return core(maybeSuspending(c.options.async, canon.canonStreamCopy(inst, elemOf(c.type, "stream"), options(c.options), "read"), 3));
    case "stream.write":
      return core(maybeSuspending(c.options.async, canon.canonStreamCopy(inst, elemOf(c.type, "stream"), options(c.options), "write"), 3));
    case "future.read":
      return core(maybeSuspending(c.options.async, canon.canonFutureCopy(inst, elemOf(c.type, "future"), options(c.options), "read"), 2));
    case "future.write":
      return core(maybeSuspending(c.options.async, canon.canonFutureCopy(inst, elemOf(c.type, "future"), options(c.options), "write"), 2));
    case "stream.cancel-read":
      return core(maybeSuspending(c.async, canon.canonCancelCopy(inst, elemOf(c.type, "stream"), c.async, E.ReadableStreamEnd, "the readable end of a stream"), 1));
    case "stream.cancel-write":
      return core(maybeSuspending(c.async, canon.canonCancelCopy(inst, elemOf(c.type, "stream"), c.async, E.WritableStreamEnd, "the writable end of a stream"), 1));
    case "future.cancel-read":
      return core(maybeSuspending(c.async, canon.canonCancelCopy(inst, elemOf(c.type, "future"), c.async, E.ReadableFutureEnd, "the readable end of a future"), 1));
    case "future.cancel-write":
      return core(maybeSuspending(c.async, canon.canonCancelCopy(inst, elemOf(c.type, "future"), c.async, E.WritableFutureEnd, "the writable end of a future"), 1));
    case "stream.drop-readable":
      return core(canon.canonDropEnd(inst, elemOf(c.type, "stream"), E.ReadableStreamEnd, "the readable end of a stream"));
    case "stream.drop-writable":
      return core(canon.canonDropEnd(inst, elemOf(c.type, "stream"), E.WritableStreamEnd, "the writable end of a stream"));
    case "future.drop-readable":
      return core(canon.canonDropEnd(inst, elemOf(c.type, "future"), E.ReadableFutureEnd, "the readable end of a future"));
    case "future.drop-writable":
      return core(canon.canonDropEnd(inst, elemOf(c.type, "future"), E.WritableFutureEnd, "the writable end of a future"));
    case "error-context.new":
      return core(canon.canonErrorContextNew(inst, options(c.options)));
    case "error-context.debug-message":
      return core(canon.canonErrorContextDebugMessage(inst, options(c.options)));
    case "error-context.drop":
      return core(canon.canonErrorContextDrop(inst));
    case "waitable-set.new":
      return core(canon.canonWaitableSetNew(inst));
    case "waitable-set.drop":
      return core(canon.canonWaitableSetDrop(inst));
    case "waitable.join":
      return core(canon.canonWaitableJoin(inst));
    case "waitable-set.wait":
      return core(suspending(canon.canonWaitableSetWait(inst, c.cancellable, scope.get("core memory", c.memory) as WebAssembly.Memory), I32(2)));
    case "waitable-set.poll":
      return core(canon.canonWaitableSetPoll(inst, c.cancellable, scope.get("core memory", c.memory) as WebAssembly.Memory));
    default:
      throw new LinkError(`${scope.where}: canon ${c.op} is not supported by engine/cm yet`);
  }
}
