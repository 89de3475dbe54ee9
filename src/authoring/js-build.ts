/**
 * JS guests are built by the server (`POST /api/build`, componentize-qjs): this sends the
 * project's WIT and JS, relays the streamed log and queue position, and fetches the component.
 */
import { errorMessage } from "../base/assert";
import type { BuildEvent, BuildOutcome, BuildRequest, JsBuildRequestBody, JsBuildStreamEvent } from "../protocol/authoring-api";
import { isWitFile } from "./project";

export const JS_ENTRY = "guest.js";

/** Reads an NDJSON body line by line. */
async function* ndjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
    if (done) break;
  }
  if (buffered.trim()) yield JSON.parse(buffered);
}

export async function buildJsOnServer(req: BuildRequest, onEvent: (e: BuildEvent) => void, baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<BuildOutcome> {
  const t0 = performance.now();
  const failed = (message: string): BuildOutcome => ({ ok: false, message, diagnostics: [], ms: performance.now() - t0 });
  if (!req.files.some((f) => f.path === JS_ENTRY)) return failed(`The project has no ${JS_ENTRY}.`);
  const body: JsBuildRequestBody = {
    files: req.files.filter((f) => isWitFile(f.path) || f.path.endsWith(".js") || f.path.endsWith(".mjs")),
    entry: JS_ENTRY,
    world: req.world,
  };
  let res: Response;
  try {
    res = await fetchImpl(new URL("/api/build", baseUrl), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    return failed(`The build server is not reachable (${errorMessage(err)}). JS guests are built by the server \`npm start\` runs.`);
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => "");
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // Not JSON: show the text as it is.
    }
    return failed(`The build server refused the build (HTTP ${res.status}): ${message || res.statusText}`);
  }
  let done: Extract<JsBuildStreamEvent, { type: "done" }> | undefined;
  try {
    for await (const raw of ndjson(res.body)) {
      const e = raw as JsBuildStreamEvent;
      if (e.type === "queued") onEvent({ kind: "queued", position: e.position });
      else if (e.type === "log") onEvent({ kind: "log", line: e.line });
      else done = e;
    }
  } catch (err) {
    return failed(`The build server's response broke off: ${errorMessage(err)}`);
  }
  if (!done) return failed("The build server ended the response without a result.");
  if (!done.ok) return { ok: false, message: done.message, diagnostics: done.diagnostics, ms: performance.now() - t0 };
  const wasm = await fetchImpl(new URL(`/api/build/${done.hash}.wasm`, baseUrl));
  if (!wasm.ok) return failed(`Could not fetch the built component (HTTP ${wasm.status}).`);
  return { ok: true, bytes: new Uint8Array(await wasm.arrayBuffer()), ms: performance.now() - t0, cached: done.cached };
}
