/**
 * `.wast` scripts of the Component Model's reference tests (`test/` in WebAssembly/component-model;
 * the commands are those of Wasmtime's `wast` crate): the script as a list of commands, each
 * with the line it starts on. Components stay unparsed until a command needs one
 * ({@link compileModule}), so one bad component fails its command, not the whole script.
 */
import { describeNode, Items, parseSExprs, type SList, type Source } from "./sexpr";
import { positionOf } from "./lexer";
import { parseValues, type WastValue } from "./values";

/** A component as a script writes it: text, `binary "..."*` or `quote "..."*`. */
export type ModuleForm = { readonly id: string | null; readonly at: number } & (
  /** The component's fields start at `list.items[first]`. */
  | { readonly kind: "text"; readonly list: SList; readonly first: number }
  | { readonly kind: "binary"; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly kind: "quote"; readonly text: string }
);

/** `(invoke $instance? "name" arg*)`: without `$instance`, the most recent instance. */
export interface Invoke {
  readonly instance: string | null;
  readonly name: string;
  readonly args: readonly WastValue[];
}

export type Command = { readonly line: number } & (
  /** `(component ...)` defines and instantiates; with `definition`, it only defines (`$id` names the definition). */
  | { readonly kind: "module"; readonly module: ModuleForm; readonly definition: boolean }
  /** `(component instance $id? $definition)`. */
  | { readonly kind: "instance"; readonly id: string | null; readonly definition: string }
  | { readonly kind: "invoke"; readonly invoke: Invoke }
  | { readonly kind: "assert_return"; readonly invoke: Invoke; readonly results: readonly WastValue[] }
  | { readonly kind: "assert_trap"; readonly target: { readonly invoke: Invoke } | { readonly module: ModuleForm }; readonly message: string }
  | { readonly kind: "assert_invalid" | "assert_malformed" | "assert_unlinkable"; readonly module: ModuleForm; readonly message: string }
);

export interface Script {
  readonly source: Source;
  readonly commands: readonly Command[];
}

function moduleForm(items: Items, list: SList): { form: ModuleForm; definition: boolean } | { instance: { id: string | null; definition: string } } {
  const mode = items.maybeWord("definition", "instance");
  if (mode === "instance") {
    // `$instance? $definition`: one name is the definition's.
    const n = items.peek();
    const first = items.maybeId();
    const second = items.maybeId();
    if (first === null) items.fail("unexpected token", `expected the definition's $name, found ${describeNode(n)}`);
    items.end("component instance");
    return { instance: second === null ? { id: null, definition: first } : { id: first, definition: second } };
  }
  const id = items.maybeId();
  const at = list.start;
  const kind = items.maybeWord("binary", "quote");
  if (kind === null) return { form: { kind: "text", id, at, list, first: items.index }, definition: mode !== null };
  const parts: Uint8Array[] = [];
  while (!items.done()) {
    const s = items.maybeString();
    if (!s) items.fail("unexpected token", `expected a string of the ${kind} component, found ${describeNode(items.peek())}`);
    parts.push(s.bytes);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const form: ModuleForm = kind === "binary" ? { kind: "binary", id, at, bytes: all } : { kind: "quote", id, at, text: parts.map((p) => new TextDecoder().decode(p)).join(" ") };
  return { form, definition: mode !== null };
}

/** The component an assertion is about (not a `component instance`). */
function componentOnly(items: Items, list: SList, command: string): ModuleForm {
  const m = moduleForm(items.sub(list, 1), list);
  if ("instance" in m) return items.fail("unexpected token", `${command} needs a component, not an instance`, list);
  return m.form;
}

function invoke(items: Items, list: SList): Invoke {
  const sub = items.sub(list, 1);
  const instance = sub.maybeId();
  const name = sub.expectText("the export to invoke");
  return { instance, name, args: parseValues(sub) };
}

/** Reads a script's commands; throws a `WastSyntaxError` for text that is not a script. */
export function parseScript(text: string): Script {
  const source = parseSExprs(text);
  const top = new Items(source, source.forms, 0);
  const commands: Command[] = [];
  while (!top.done()) {
    const list = top.expectList("a command");
    const line = positionOf(text, list.start).line;
    const items = top.sub(list);
    const head = items.expectAnyWord("a command");
    switch (head) {
      case "component": {
        const m = moduleForm(items, list);
        if ("instance" in m) commands.push({ kind: "instance", line, ...m.instance });
        else commands.push({ kind: "module", line, module: m.form, definition: m.definition });
        break;
      }
      case "invoke":
        commands.push({ kind: "invoke", line, invoke: invoke(items, list) });
        break;
      case "assert_return": {
        const inv = invoke(items, items.expectList("`(invoke ...)`", "invoke"));
        commands.push({ kind: "assert_return", line, invoke: inv, results: parseValues(items) });
        break;
      }
      case "assert_trap": {
        const what = items.expectList("`(invoke ...)` or `(component ...)`", "invoke", "component");
        let target: Extract<Command, { kind: "assert_trap" }>["target"];
        if ((what.items[0] as { text: string }).text === "invoke") target = { invoke: invoke(items, what) };
        else target = { module: componentOnly(items, what, head) };
        const message = items.expectText("the expected trap message");
        items.end(head);
        commands.push({ kind: "assert_trap", line, target, message });
        break;
      }
      case "assert_invalid":
      case "assert_malformed":
      case "assert_unlinkable": {
        const module = componentOnly(items, items.expectList("`(component ...)`", "component"), head);
        const message = items.expectText("the expected message");
        items.end(head);
        commands.push({ kind: head, line, module, message });
        break;
      }
      default:
        items.fail("unsupported", `unknown script command \`(${head} ...)\``, list);
    }
  }
  return { source, commands };
}
