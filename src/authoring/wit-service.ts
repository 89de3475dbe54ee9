/**
 * The WIT worker's service: checks a project's WIT with wasm-tools (jco's `componentEmbed` with a
 * dummy module: parse, resolve and encode, as a real build would) and generates jco's TypeScript
 * for a world. Dependency trees are parsed once and reused across checks.
 */
import { errorMessage } from "../base/assert";
import type { GeneratedFile, GeneratedTypes, ProjectFile, ProjectKind, WitApi, WitCheck } from "../protocol/authoring-api";
import { bundle, ParseCache, type Bundle } from "../wit/bundle";
import { locateWitError } from "../wit/locate";
import { WitModel, type SourceFile } from "../wit/model";
import { VENDORED_WIT } from "../wit/vendored";
import { componentizeQjsGuestTypes } from "./guest-types";
import { witSources } from "./project";
import { jsGuestFromWorld, STARTERS } from "./templates";

type GenerateTypes = (name: string, opts: { wit: { tag: "source"; val: string }; world?: string; guest?: boolean }) => Promise<Array<[string, Uint8Array]>>;

export class WitService implements WitApi {
  readonly #cache = new ParseCache();
  #generateTypes: Promise<GenerateTypes> | undefined;
  /** jco's wasm-tools (a 2.4 MB core module), loaded by the first check, not with the worker. */
  #wasmTools: Promise<typeof import("@bytecodealliance/jco-transpile/wasm-tools")> | undefined;

  #bundle(files: ProjectFile[]): { b: Bundle; project: SourceFile[]; deps: SourceFile[] } {
    const { project, deps } = witSources(files);
    return { b: bundle(project, [...deps, ...VENDORED_WIT], this.#cache), project, deps };
  }

  async check(files: ProjectFile[]): Promise<WitCheck> {
    const t0 = performance.now();
    const { b, project, deps } = this.#bundle(files);
    const diagnostics = [...b.problems];
    if (project.length > 0) {
      const { componentEmbed } = await (this.#wasmTools ??= import("@bytecodealliance/jco-transpile/wasm-tools"));
      try {
        await componentEmbed({ witSource: b.source, dummy: true, world: b.worlds[0] ?? b.syntheticWorld ?? undefined });
      } catch (err) {
        const model = new WitModel([...project, ...deps, ...VENDORED_WIT], (text) => this.#cache.get(text));
        diagnostics.push(locateWitError(errorMessage(err), model, [...project, ...deps].map((f) => f.path), b));
      }
    }
    return { diagnostics, worlds: b.worlds, rootPackage: b.rootPackage, ms: performance.now() - t0 };
  }

  async types(files: ProjectFile[], world: string | null): Promise<GeneratedTypes> {
    const { b } = this.#bundle(files);
    const chosen = world ?? b.worlds[0];
    if (!chosen) return { ok: false, message: "The package has no world; add one to see the types jco generates for it." };
    // jco's bindgen is a large module: load it on the first request only.
    this.#generateTypes ??= import("@bytecodealliance/jco/component").then((m) => m.generateTypes as unknown as GenerateTypes);
    const generateTypes = await this.#generateTypes;
    const decode = (files: Array<[string, Uint8Array]>): GeneratedFile[] => files.map(([name, data]) => ({ name, text: new TextDecoder().decode(data) }));
    try {
      const wit = { tag: "source" as const, val: b.source };
      const [host, guest] = [await generateTypes(chosen, { wit, world: chosen }), await generateTypes(chosen, { wit, world: chosen, guest: true })];
      // The guest side is what a JS guest gets, and JS guests are built with componentize-qjs.
      return { ok: true, world: chosen, host: decode(host), guest: componentizeQjsGuestTypes(decode(guest)) };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }

  async jsGuest(files: ProjectFile[], world: string | null): Promise<string | null> {
    const { project, deps } = witSources(files);
    const model = new WitModel([...project, ...deps, ...VENDORED_WIT], (text) => this.#cache.get(text));
    const pkg = model.groupPackage.get("project");
    return pkg ? jsGuestFromWorld(model, pkg, world) : null;
  }

  async starter(kind: ProjectKind): Promise<ProjectFile[]> {
    return STARTERS[kind].files.map((f) => ({ ...f }));
  }
}
