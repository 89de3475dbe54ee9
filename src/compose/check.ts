/**
 * The structural type check of one wire: does what an export provides satisfy what an import
 * expects? Instances are matched member by member (the export may have more), functions exactly
 * (async-ness, parameter names and types, result), value types by structure. Resources are matched
 * by position and collected as pairs (this resource of the import is that one of the export): one
 * wire can only check that the pairing is consistent; whether the paired resources are the same
 * resource in the graph is for `validate.ts`, which knows where each comes from.
 */
import { valueTypeText } from "../component/type-text";
import { resourceKey, type ExternType, type FuncSig, type Member, type Resource, type ValueType } from "../component/types";

/** The import's resource `want` is the export's `have`. */
export interface ResourcePair {
  readonly want: Resource;
  readonly have: Resource;
}

export type Check = { readonly ok: true; readonly pairs: readonly ResourcePair[] } | { readonly ok: false; readonly reason: string };

/** Whether `have` (an export's type) can feed an import of type `want`. */
export function checkExtern(want: ExternType, have: ExternType): Check {
  const c = new Checker();
  const reason = c.extern(want, have, []);
  if (reason) return { ok: false, reason };
  const seen = new Map<string, Resource>();
  for (const p of c.pairs) {
    const before = seen.get(resourceKey(p.want));
    if (before && resourceKey(before) !== resourceKey(p.have)) {
      return { ok: false, reason: `resource \`${p.want.name}\` of the import stands for two different resources of the export (\`${before.name}\` and \`${p.have.name}\`)` };
    }
    seen.set(resourceKey(p.want), p.have);
  }
  return { ok: true, pairs: c.pairs };
}

const KIND_TEXT: Record<ExternType["kind"], string> = {
  func: "a function",
  instance: "an instance",
  component: "a component",
  type: "a type",
  "core module": "a core module",
  value: "a value",
};

const at = (path: readonly string[], text: string) => (path.length ? `${path.join(" > ")}: ${text}` : text);

class Checker {
  readonly pairs: ResourcePair[] = [];

  extern(want: ExternType, have: ExternType, path: readonly string[]): string | null {
    if (want.kind !== have.kind) return at(path, `expected ${KIND_TEXT[want.kind]}, found ${KIND_TEXT[have.kind]}`);
    switch (want.kind) {
      case "func":
        return this.func(want, have as FuncSig, path);
      case "instance":
        return this.members(want.exports, (have as typeof want).exports, path, "export");
      case "component": {
        const h = have as typeof want;
        return this.members(want.imports, h.imports, path, "import") ?? this.members(h.imports, want.imports, path, "import") ?? this.members(want.exports, h.exports, path, "export");
      }
      case "type": {
        const h = (have as typeof want).type;
        const w = want.type;
        const wr = typeof w === "object" && w.kind === "resource";
        const hr = typeof h === "object" && h.kind === "resource";
        if (wr && hr) {
          this.pairs.push({ want: w, have: h });
          return null;
        }
        if (wr || hr) return at(path, `expected ${wr ? "a resource" : "a value type"}, found ${hr ? "a resource" : "a value type"}`);
        return this.value(w as ValueType, h as ValueType, path);
      }
      case "value":
        return this.value(want.type, (have as typeof want).type, path);
      case "core module":
        return null;
    }
  }

  members(want: readonly Member[], have: readonly Member[], path: readonly string[], what: string): string | null {
    for (const w of want) {
      const h = have.find((m) => m.name === w.name);
      if (!h) return at(path, `${what} \`${w.name}\` is missing`);
      const r = this.extern(w.type, h.type, [...path, `\`${w.name}\``]);
      if (r) return r;
    }
    return null;
  }

  func(want: FuncSig, have: FuncSig, path: readonly string[]): string | null {
    if (want.async !== have.async) return at(path, `expected ${want.async ? "an async" : "a sync"} function, found ${have.async ? "an async" : "a sync"} one`);
    if (want.params.length !== have.params.length) return at(path, `expected ${want.params.length} parameters, found ${have.params.length}`);
    for (let i = 0; i < want.params.length; i++) {
      const w = want.params[i]!;
      const h = have.params[i]!;
      if (w.name !== h.name) return at(path, `parameter ${i + 1} is \`${h.name}\`, expected \`${w.name}\``);
      const r = this.value(w.type, h.type, [...path, `parameter \`${w.name}\``]);
      if (r) return r;
    }
    return this.optional(want.result, have.result, [...path, "result"]);
  }

  optional(want: ValueType | undefined, have: ValueType | undefined, path: readonly string[]): string | null {
    if (want === undefined && have === undefined) return null;
    if (want === undefined || have === undefined) return at(path, `expected ${want === undefined ? "none" : valueTypeText(want)}, found ${have === undefined ? "none" : valueTypeText(have)}`);
    return this.value(want, have, path);
  }

  value(want: ValueType, have: ValueType, path: readonly string[]): string | null {
    const mismatch = () => at(path, `expected ${valueTypeText(want)}, found ${valueTypeText(have)}`);
    if (typeof want === "string" || typeof have === "string") return want === have ? null : mismatch();
    if (want.kind !== have.kind) return mismatch();
    switch (want.kind) {
      case "record": {
        const h = have as typeof want;
        if (want.fields.length !== h.fields.length || want.fields.some((f, i) => f.name !== h.fields[i]!.name)) return mismatch();
        return this.each(want.fields.map((f, i) => [f.type, h.fields[i]!.type, `field \`${f.name}\``]), path);
      }
      case "variant": {
        const h = have as typeof want;
        if (want.cases.length !== h.cases.length || want.cases.some((c, i) => c.name !== h.cases[i]!.name)) return mismatch();
        for (let i = 0; i < want.cases.length; i++) {
          const r = this.optional(want.cases[i]!.type, h.cases[i]!.type, [...path, `case \`${want.cases[i]!.name}\``]);
          if (r) return r;
        }
        return null;
      }
      case "list": {
        const h = have as typeof want;
        if (want.length !== h.length) return mismatch();
        return this.value(want.element, h.element, [...path, "element"]);
      }
      case "tuple": {
        const h = have as typeof want;
        if (want.types.length !== h.types.length) return mismatch();
        return this.each(want.types.map((t, i) => [t, h.types[i]!, `element ${i + 1}`]), path);
      }
      case "flags":
      case "enum": {
        const h = have as typeof want;
        return want.names.length === h.names.length && want.names.every((n, i) => n === h.names[i]) ? null : mismatch();
      }
      case "option":
        return this.value(want.type, (have as typeof want).type, [...path, "payload"]);
      case "result": {
        const h = have as typeof want;
        return this.optional(want.ok, h.ok, [...path, "ok"]) ?? this.optional(want.err, h.err, [...path, "err"]);
      }
      case "own":
      case "borrow":
        this.pairs.push({ want: want.resource, have: (have as typeof want).resource });
        return null;
      case "stream":
      case "future":
        return this.optional(want.element, (have as typeof want).element, [...path, "element"]);
      case "map": {
        const h = have as typeof want;
        return this.value(want.key, h.key, [...path, "key"]) ?? this.value(want.value, h.value, [...path, "value"]);
      }
    }
  }

  each(items: readonly (readonly [ValueType, ValueType, string])[], path: readonly string[]): string | null {
    for (const [w, h, where] of items) {
      const r = this.value(w, h, [...path, where]);
      if (r) return r;
    }
    return null;
  }
}
