/**
 * Runs a `.wast` script of the Component Model's reference tests on engine/cm, command by command,
 * with the semantics of Wasmtime's `wast` runner: `(component ...)` defines and instantiates (the
 * newest instance is the one `invoke` calls), `component definition`/`component instance` split
 * the two, every assertion is checked and the script goes on after a failed one. Each top-level
 * instance gets a store of its own (they share nothing; one that traps stays trapped).
 *
 * Matching is by meaning (`meaning.ts`): a trap must be of the kind the expected message names.
 * A component a script calls invalid or malformed must be refused for the stated reason, either by
 * jco's wasm-tools, which validates every component on engine/cm's run path before engine/cm
 * decodes it (`inspect`), and whose words are Wasmtime's; or by our own text parser, encoder or
 * decoder, when the kind of their refusal is the kind of the message.
 */
import { errorMessage } from "../../../base/assert";
import { compileModule, type CoreWat } from "../../../component/wast/compile";
import { parseScript, type Command, type Invoke, type ModuleForm, type Script } from "../../../component/wast/script";
import { showValue, type WastValue } from "../../../component/wast/values";
import { CmEngine, type CmInstance, type CmPrepared } from "../engine";
import { CmTrap, coreTrapKind, type TrapKind } from "../trap";
import type { ValType } from "../types";
import { expectedRefusal, expectedTrap, refusalOf } from "./meaning";
import { fromHost, sameValue, toHost } from "./values";

export interface WastHost {
  /** Core WAT to a module binary: the component layer compiles component text, not core WAT. */
  coreWat: CoreWat;
  /** The run path's validator: resolves for a valid component, rejects with its message otherwise. */
  validate(bytes: Uint8Array): Promise<void>;
}

export interface CommandResult {
  readonly line: number;
  /** `assert_return "f"`, `component $C`, `assert_invalid`, ... */
  readonly command: string;
  readonly ok: boolean;
  /** Why it failed; for a refusal that was expected, who refused and with what. */
  readonly detail: string | null;
  readonly ms: number;
}

export interface ScriptResult {
  readonly pass: boolean;
  readonly commands: readonly CommandResult[];
  /** Set when the script itself could not be read. */
  readonly error: string | null;
  readonly ms: number;
}

export interface WastOptions {
  /** Names the instances in traps; the script's path, say. */
  readonly name: string;
  /** A call that has not finished after this long fails (and its instance takes no more calls). */
  readonly callTimeoutMs?: number;
}

/** A command failed for a reason worth its own message. */
class Failure extends Error {
  override name = "Failure";
}

interface Instance {
  readonly cm: CmInstance;
  /** An earlier call never finished: the instance is wedged and takes no more calls. */
  stuck: boolean;
}

type Outcome = { kind: "value"; value: unknown } | { kind: "error"; error: unknown } | { kind: "timeout" };

function settle(p: Promise<unknown>, ms: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve({ kind: "timeout" }), ms);
    p.then(
      (value) => (clearTimeout(t), resolve({ kind: "value", value })),
      (error: unknown) => (clearTimeout(t), resolve({ kind: "error", error })),
    );
  });
}

/**
 * Where in core code a core trap happened: `in M.boom at 0x1e`, with the module and function
 * names of the name section, else `in wasm-function[1] at 0x3f`.
 */
function coreFrame(err: unknown): string {
  const stack = err instanceof Error && err.cause instanceof Error ? err.cause.stack : undefined;
  const m = stack ? /at (?:(\S+) \()?wasm:\/\/[^\s)]*:(wasm-function\[\d+\]):(0x[0-9a-f]+)/.exec(stack) : null;
  return m ? ` (in ${m[1] ?? m[2]} at ${m[3]})` : "";
}

/** A trap for a message: its words and, for a core trap, where it happened. */
const describeTrap = (err: unknown): string => errorMessage(err) + coreFrame(err);

/** The kind of a trap engine/cm raised, and the handle index it is about. */
function trapOf(err: unknown): { kind: TrapKind | null; handle?: number } | null {
  if (err instanceof CmTrap) return { kind: err.kind, ...(err.handle !== undefined ? { handle: err.handle } : {}) };
  if (err instanceof WebAssembly.RuntimeError) return { kind: coreTrapKind(err.message) };
  return null;
}

function describeCommand(c: Command): string {
  switch (c.kind) {
    case "module":
      return `component${c.definition ? " definition" : ""}${c.module.id ? ` ${c.module.id}` : ""}`;
    case "instance":
      return `component instance${c.id ? ` ${c.id}` : ""} ${c.definition}`;
    case "invoke":
    case "assert_return":
      return `${c.kind} "${c.invoke.name}"`;
    case "assert_trap":
      return "invoke" in c.target ? `assert_trap "${c.target.invoke.name}"` : "assert_trap (component)";
    default:
      return c.kind;
  }
}

/** Does one of our refusals mean what `expected` says (its byte, when both name one)? */
function sameRefusal(expected: string, ours: { kind: string | null; message: string }): boolean {
  if (expected === "") return true;
  const want = expectedRefusal(expected);
  if (want === null || want !== ours.kind) return false;
  const byte = /\(0x([0-9a-f]+)\)/.exec(expected);
  const found = /0x([0-9a-f]+)/.exec(ours.message);
  return !byte || !found || parseInt(byte[1]!, 16) === parseInt(found[1]!, 16);
}

class Runner {
  readonly #engine = new CmEngine();
  readonly #definitions = new Map<string, CmPrepared>();
  readonly #instances = new Map<string, Instance>();
  #current: Instance | null = null;
  #unnamed = 0;

  constructor(
    readonly script: Script,
    readonly host: WastHost,
    readonly options: WastOptions,
  ) {}

  get timeout(): number {
    return this.options.callTimeoutMs ?? 5000;
  }

  async #compile(form: ModuleForm): Promise<Uint8Array<ArrayBuffer>> {
    return compileModule(this.script.source, form, this.host.coreWat);
  }

  async #prepare(bytes: Uint8Array, line: number): Promise<CmPrepared> {
    return this.#engine.prepare(bytes, `${this.options.name}:${line}:${this.#unnamed++}`);
  }

  #instantiate(prepared: CmPrepared, line: number): Instance {
    const cm = this.#engine.instantiate(prepared, { resolveImport: () => undefined }, `${this.options.name}:${line}`);
    return { cm, stuck: false };
  }

  async run(c: Command): Promise<string | null> {
    switch (c.kind) {
      case "module":
        return this.#module(c.module, c.definition, c.line);
      case "instance": {
        const prepared = this.#definitions.get(c.definition);
        if (!prepared) throw new Failure(`no component definition ${c.definition} (its command failed?)`);
        this.#current = null;
        let inst: Instance;
        try {
          inst = this.#instantiate(prepared, c.line);
        } catch (err) {
          throw new Failure(`engine/cm cannot instantiate it: ${describeTrap(err)}`);
        }
        if (c.id) this.#instances.set(c.id, inst);
        this.#current = inst;
        return null;
      }
      case "invoke": {
        const o = await this.#invoke(c.invoke);
        if (o.outcome.kind === "error") throw new Failure(`trapped: ${describeTrap(o.outcome.error)}`);
        return null;
      }
      case "assert_return":
        return this.#assertReturn(c.invoke, c.results);
      case "assert_trap":
        return "invoke" in c.target ? this.#assertTrapInvoke(c.target.invoke, c.message) : this.#assertTrapModule(c.target.module, c.message, c.line);
      case "assert_invalid":
      case "assert_malformed":
        return this.#assertRefused(c.module, c.message, c.kind === "assert_malformed", c.line);
      case "assert_unlinkable":
        return this.#assertUnlinkable(c.module, c.line);
    }
  }

  async #module(form: ModuleForm, definition: boolean, line: number): Promise<null> {
    // A failed component leaves no instance behind for the invokes after it.
    if (!definition) this.#current = null;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await this.#compile(form);
    } catch (err) {
      throw new Failure(`does not compile: ${errorMessage(err)}`);
    }
    let prepared: CmPrepared;
    try {
      prepared = await this.#prepare(bytes, line);
    } catch (err) {
      throw new Failure(`engine/cm cannot prepare it: ${errorMessage(err)}`);
    }
    if (definition) {
      if (form.id) this.#definitions.set(form.id, prepared);
      return null;
    }
    let inst: Instance;
    try {
      inst = this.#instantiate(prepared, line);
    } catch (err) {
      throw new Failure(`engine/cm cannot instantiate it: ${describeTrap(err)}`);
    }
    if (form.id) this.#instances.set(form.id, inst);
    this.#current = inst;
    return null;
  }

  async #invoke(inv: Invoke): Promise<{ outcome: Outcome; result: ValType | null }> {
    const inst = inv.instance ? this.#instances.get(inv.instance) : this.#current;
    if (!inst) throw new Failure(inv.instance ? `no instance ${inv.instance}` : "no instance to invoke (the component before failed?)");
    if (inst.stuck) throw new Failure("not run: an earlier call on this instance never finished");
    const f = inst.cm.func(null, inv.name);
    if (!f) throw new Failure(`the instance exports no function "${inv.name}"`);
    if (f.ft.params.length !== inv.args.length) throw new Failure(`"${inv.name}" takes ${f.ft.params.length} arguments, the script gives ${inv.args.length}`);
    const args = inv.args.map((a, i) => toHost(a, f.ft.params[i]!.type));
    let call: Promise<unknown>;
    try {
      call = inst.cm.call(f, args);
    } catch (err) {
      call = Promise.reject(err);
    }
    const outcome = await settle(call, this.timeout);
    if (outcome.kind === "timeout") inst.stuck = true;
    return { outcome, result: f.ft.result };
  }

  async #assertReturn(inv: Invoke, expected: readonly WastValue[]): Promise<null> {
    const { outcome, result } = await this.#invoke(inv);
    if (outcome.kind === "timeout") throw new Failure(`did not return within ${this.timeout / 1000} s`);
    if (outcome.kind === "error") throw new Failure(`trapped: ${describeTrap(outcome.error)}`);
    const got = result === null ? [] : [fromHost(outcome.value, result)];
    if (got.length !== expected.length || got.some((g, i) => !sameValue(expected[i]!, g))) {
      throw new Failure(`returned ${got.map(showValue).join(" ") || "nothing"}, expected ${expected.map(showValue).join(" ") || "nothing"}`);
    }
    return null;
  }

  #checkTrap(err: unknown, message: string): string {
    const want = expectedTrap(message);
    if (!want) throw new Failure(`the expected message ${JSON.stringify(message)} has no known meaning (add it to meaning.ts)`);
    const got = trapOf(err);
    if (!got) throw new Failure(`failed without a trap: ${errorMessage(err)}`);
    const sameHandle = want.handle === undefined || got.handle === undefined || want.handle === got.handle;
    if (got.kind !== want.kind || !sameHandle) {
      throw new Failure(`trapped with ${got.kind ?? "a trap of no known kind"}${got.handle !== undefined ? ` (handle ${got.handle})` : ""}, expected ${want.kind}${want.handle !== undefined ? ` (handle ${want.handle})` : ""}: ${describeTrap(err)}`);
    }
    return `trapped: ${describeTrap(err)}`;
  }

  async #assertTrapInvoke(inv: Invoke, message: string): Promise<string> {
    const { outcome } = await this.#invoke(inv);
    if (outcome.kind === "timeout") throw new Failure(`did not finish within ${this.timeout / 1000} s, expected the trap ${JSON.stringify(message)}`);
    if (outcome.kind === "value") throw new Failure(`returned, expected the trap ${JSON.stringify(message)}`);
    return this.#checkTrap(outcome.error, message);
  }

  async #assertTrapModule(form: ModuleForm, message: string, line: number): Promise<string> {
    let prepared: CmPrepared;
    try {
      prepared = await this.#prepare(await this.#compile(form), line);
    } catch (err) {
      throw new Failure(`could not be prepared: ${errorMessage(err)}`);
    }
    try {
      this.#instantiate(prepared, line);
    } catch (err) {
      return this.#checkTrap(err, message);
    }
    throw new Failure(`instantiated, expected the trap ${JSON.stringify(message)}`);
  }

  async #assertRefused(form: ModuleForm, message: string, malformed: boolean, line: number): Promise<string> {
    const what = malformed ? "malformed" : "invalid";
    const notes: string[] = [];
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await this.#compile(form);
    } catch (err) {
      const r = refusalOf(err);
      if (sameRefusal(message, r)) return `refused by ${r.by}: ${r.message}`;
      throw new Failure(`refused by ${r.by} for another reason (${r.kind ?? "no known kind"}): ${r.message}`);
    }
    try {
      await this.host.validate(bytes);
      notes.push("jco's wasm-tools accepts it");
    } catch (err) {
      const words = errorMessage(err);
      if (words.includes(message)) return `refused by jco's wasm-tools: ${words.split("\n").at(-1)}`;
      notes.push(`jco's wasm-tools refuses it for another reason: ${words.split("\n").at(-1)}`);
    }
    let prepared: CmPrepared;
    try {
      prepared = await this.#prepare(bytes, line);
    } catch (err) {
      const r = refusalOf(err);
      if (sameRefusal(message, r)) return `refused by ${r.by}: ${r.message}`;
      throw new Failure(`${notes.join("; ")}; refused by ${r.by} for another reason (${r.kind ?? "no known kind"}): ${r.message}`);
    }
    if (!malformed) {
      try {
        this.#instantiate(prepared, line);
      } catch (err) {
        notes.push(`engine/cm's linker refuses it, for a reason of no known kind: ${errorMessage(err)}`);
        throw new Failure(notes.join("; "));
      }
    }
    throw new Failure(`${notes.join("; ")}; engine/cm ${malformed ? "decodes" : "runs"} it (expected ${what}: ${JSON.stringify(message)})`);
  }

  async #assertUnlinkable(form: ModuleForm, line: number): Promise<string> {
    const prepared = await this.#prepare(await this.#compile(form), line);
    try {
      this.#instantiate(prepared, line);
    } catch (err) {
      return `refused by engine/cm's linker: ${errorMessage(err)}`;
    }
    throw new Failure("linked, expected to be unlinkable");
  }
}

/** Runs every command of the script `text`; the script passes when every command does. */
export async function runScript(text: string, host: WastHost, options: WastOptions): Promise<ScriptResult> {
  const t0 = performance.now();
  let script: Script;
  try {
    script = parseScript(text);
  } catch (err) {
    return { pass: false, commands: [], error: `the script does not parse: ${errorMessage(err)}`, ms: performance.now() - t0 };
  }
  const runner = new Runner(script, host, options);
  const commands: CommandResult[] = [];
  for (const c of script.commands) {
    const started = performance.now();
    let ok = true;
    let detail: string | null;
    try {
      detail = await runner.run(c);
    } catch (err) {
      ok = false;
      detail = err instanceof Failure ? err.message : `runner error: ${errorMessage(err)}`;
    }
    commands.push({ line: c.line, command: describeCommand(c), ok, detail, ms: performance.now() - started });
  }
  return { pass: commands.every((c) => c.ok), commands, error: null, ms: performance.now() - t0 };
}
