/**
 * Runs the Component Model's reference tests (`../shared/conformance/component-model-wast/`,
 * served at `/conformance/component-model-wast/`) on engine/cm in the page, one script per call
 * of `window.__wast.run(path)`, for e2e/wast.spec.ts. Core WAT is compiled by jco's wasm-tools on
 * this thread; jco's validator runs in a worker that is replaced after a wasm-tools panic.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { jspiAvailable } from "../../src/base/jspi";
import { runScript, type ScriptResult, type WastHost } from "../../src/engine/cm/wast/run";

declare global {
  interface Window {
    __wast?: {
      jspi: boolean;
      /** Runs the suite's script at `path` (`async/deadlock.wast`). */
      run(path: string): Promise<ScriptResult>;
      /** Runs script text (an edited copy of a script, say, to narrow down a failure). */
      runText(text: string, name: string): Promise<ScriptResult>;
    };
  }
}

const SUITE = "/conformance/component-model-wast/";
const out = document.getElementById("out")!;

/** Core modules repeat across scripts (memories, small helpers): compile each text once. */
const coreModules = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

type Verdict = { ok: true } | { ok: false; message: string; panicked: boolean };

class Validator {
  #worker: Worker | null = null;

  async validate(bytes: Uint8Array): Promise<void> {
    this.#worker ??= new Worker(new URL("./validator.worker.ts", import.meta.url), { type: "module", name: "wast-validator" });
    const worker = this.#worker;
    const verdict = await new Promise<Verdict>((resolve) => {
      worker.onmessage = (e: MessageEvent<Verdict>) => resolve(e.data);
      worker.postMessage(bytes);
    });
    if (verdict.ok) return;
    // A panic happens only after validation passed (decoding the WIT); the instance is gone.
    if (verdict.panicked) {
      worker.terminate();
      this.#worker = null;
      return;
    }
    throw new Error(verdict.message);
  }
}

const validator = new Validator();
const host: WastHost = {
  coreWat: (text) => {
    let p = coreModules.get(text);
    if (!p) coreModules.set(text, (p = parse(text) as Promise<Uint8Array<ArrayBuffer>>));
    return p;
  },
  validate: (bytes) => validator.validate(bytes),
};

async function runText(text: string, name: string): Promise<ScriptResult> {
  const result = await runScript(text, host, { name });
  out.textContent += `\n${result.pass ? "pass" : "FAIL"} ${name} (${(result.ms / 1000).toFixed(2)} s)`;
  return result;
}

window.__wast = {
  jspi: jspiAvailable(),
  async run(path) {
    const r = await fetch(`${SUITE}${path}`);
    if (!r.ok) throw new Error(`could not fetch ${path}: HTTP ${r.status}`);
    return runText(await r.text(), path);
  },
  runText,
};
out.textContent = `ready (JSPI: ${window.__wast.jspi})`;
