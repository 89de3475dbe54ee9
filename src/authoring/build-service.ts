/**
 * The build worker's service: builds a project into a component (WAT in the worker, JS on the
 * server) and describes any component (producers metadata, printed WAT, its WIT).
 */
import { componentWit, metadataShow, print } from "@bytecodealliance/jco-transpile/wasm-tools";
import { errorMessage } from "../base/assert";
import type { BuildApi, BuildEvent, BuildOutcome, BuildRequest, ComponentDetails, PrintedWat } from "../protocol/authoring-api";
import { ParseCache } from "../wit/bundle";
import { buildJsOnServer } from "./js-build";
import { buildComponentWat, buildCoreWat } from "./wat";

export const CORE_WAT = "module.wat";
export const COMPONENT_WAT = "component.wat";

export class BuildService implements BuildApi {
  readonly #cache = new ParseCache();

  constructor(private readonly serverUrl: string) {}

  async build(req: BuildRequest, onEvent: (e: BuildEvent) => void): Promise<BuildOutcome> {
    const missing = (name: string): BuildOutcome => ({ ok: false, message: `The project has no ${name}.`, diagnostics: [], ms: 0 });
    switch (req.kind) {
      case "js":
        return buildJsOnServer(req, onEvent, this.serverUrl);
      case "wat-component": {
        const file = req.files.find((f) => f.path === COMPONENT_WAT);
        if (!file) return missing(COMPONENT_WAT);
        onEvent({ kind: "log", line: `wasm-tools parse ${COMPONENT_WAT}` });
        return buildComponentWat(file);
      }
      case "wat-core": {
        const file = req.files.find((f) => f.path === CORE_WAT);
        if (!file) return missing(CORE_WAT);
        onEvent({ kind: "log", line: `wasm-tools parse ${CORE_WAT}; component embed wit/; component new` });
        return buildCoreWat(file, req.files, req.world, this.#cache);
      }
    }
  }

  async details(bytes: Uint8Array): Promise<ComponentDetails> {
    try {
      const entries = await metadataShow(bytes);
      return {
        ok: true,
        size: bytes.length,
        producers: entries.map((e) => ({
          kind: e.metaType.tag,
          name: e.name ?? null,
          range: e.range,
          parent: e.parentIndex ?? null,
          fields: e.producers.map(([field, values]) => ({ field, values: values.map(([name, version]) => ({ name, version })) })),
        })),
      };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }

  async print(bytes: Uint8Array): Promise<PrintedWat> {
    try {
      return { ok: true, text: await print(bytes) };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }

  async wit(bytes: Uint8Array): Promise<PrintedWat> {
    try {
      return { ok: true, text: await componentWit(bytes) };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }
}
