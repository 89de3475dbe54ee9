// jco's wasm-tools validator (componentWit, as the run path's `inspect` uses it) in a worker of its
// own: a panic inside wasm-tools poisons its instance, so the page replaces the worker after one.
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";

self.onmessage = async (e: MessageEvent<Uint8Array>) => {
  try {
    await componentWit(e.data);
    self.postMessage({ ok: true });
  } catch (err) {
    self.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err), panicked: err instanceof WebAssembly.RuntimeError });
  }
};
