/**
 * A script's component ({@link ModuleForm}) to its binary: text is parsed, expanded and resolved
 * here; the core modules inside are core WAT, compiled by the caller's {@link CoreWat} (the
 * component layer has no core WAT parser of its own); `binary` forms are their bytes.
 */
import { encode } from "../encode";
import { Items, parseSExprs, type SList, type Source } from "./sexpr";
import type { ModuleForm } from "./script";
import type { TField } from "./text-ir";
import { parseComponentFields } from "./text-parse";
import { resolveComponent } from "./text-resolve";

/** Compiles one core module in the text format (`(module ...)`) to its binary. */
export type CoreWat = (text: string) => Promise<Uint8Array<ArrayBuffer>>;

function coreModuleTexts(fields: readonly TField[], out: Set<string>): Set<string> {
  for (const f of fields) {
    if (f.kind === "core module") out.add(f.text);
    else if (f.kind === "component") coreModuleTexts(f.fields, out);
  }
  return out;
}

/**
 * The fields of a text component, parsed and expanded; throws a `WastSyntaxError` for text that
 * is not a component.
 */
export function componentFields(source: Source, form: Extract<ModuleForm, { kind: "text" }>): TField[] {
  return parseComponentFields(new Items(source, form.list.items, form.list.start, form.first));
}

/**
 * The binary of a script's component. Throws `WastSyntaxError` (text that is not a component:
 * syntax, unknown names), `EncodeError` (an index past the end of its space, which the text
 * allows and validation refuses), or what `coreWat` throws for a core module.
 */
export async function compileModule(source: Source, form: ModuleForm, coreWat: CoreWat): Promise<Uint8Array<ArrayBuffer>> {
  if (form.kind === "binary") return form.bytes;
  let text = source;
  let fields: TField[];
  if (form.kind === "quote") {
    text = parseSExprs(`(component ${form.text})`);
    const list = text.forms[0] as SList;
    fields = parseComponentFields(new Items(text, list.items, list.start, 1));
  } else {
    fields = componentFields(source, form);
  }
  const modules = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const t of coreModuleTexts(fields, new Set())) modules.set(t, await coreWat(t));
  return encode(resolveComponent(fields, form.id, text.text, modules).toAst());
}
