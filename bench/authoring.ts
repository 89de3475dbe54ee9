/**
 * Authoring: what the editor waits for.
 * - wit_check_500_lines(_error): the WIT worker's check of a 500-line package (bundling with the
 *   WASI deps it uses, componentEmbed with a dummy module, locating the error) against
 *   componentEmbed alone on the already bundled source (`wasm_tools`);
 * - wat_build_component / wat_build_core: WAT builds as the build worker does them, against
 *   wasm-tools' own steps alone;
 * - js_build: a JS guest through the server's endpoint, cold (new sources) against cached (`cached`).
 */
import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { buildJsOnServer } from "../src/authoring/js-build";
import { buildComponentWat, buildCoreWat } from "../src/authoring/wat";
import { WitService } from "../src/authoring/wit-service";
import { STARTERS } from "../src/authoring/templates";
import { bundle, ParseCache } from "../src/wit/bundle";
import { VENDORED_WIT } from "../src/wit/vendored";
import { median } from "./measure";

/** A package of about `lines` lines: interfaces of records, variants, resources and async functions using WASI types. */
export function witPackage(lines: number): string {
  const out = ["package bench:big@1.0.0;", ""];
  let i = 0;
  while (out.length < lines - 12) {
    out.push(
      `/// Interface number ${i}.`,
      `interface api${i} {`,
      `  use wasi:clocks/types@0.3.0.{duration};`,
      `  use wasi:filesystem/types@0.3.0.{descriptor, error-code};`,
      `  record item${i} { id: u64, name: string, tags: list<string>, size: option<u32> }`,
      `  variant event${i} { added(item${i}), removed(u64), cleared }`,
      `  enum mode${i} { fast, careful, off }`,
      `  flags perm${i} { read, write, run }`,
      `  resource store${i} {`,
      `    constructor(root: borrow<descriptor>);`,
      `    get: async func(id: u64) -> result<item${i}, error-code>;`,
      `    watch: func(every: duration) -> stream<event${i}>;`,
      `    open: static func(name: string) -> result<store${i}, error-code>;`,
      `  }`,
      `  process: async func(items: list<item${i}>, m: mode${i}) -> future<result<tuple<u32, perm${i}>, string>>;`,
      `}`,
      ``,
    );
    i++;
  }
  out.push("world big {");
  for (let k = 0; k < i; k++) out.push(`  export api${k};`);
  out.push("  import wasi:cli/stdout@0.3.0;", "}", "");
  return out.join("\n");
}

export async function authoringBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
  const out: Record<string, { ours: number; wasm_tools?: number; cached?: number; samples: number }> = {};
  const svc = new WitService();
  const text = witPackage(500);
  const files = [{ path: "wit/big.wit", text }];
  const broken = [{ path: "wit/big.wit", text: text.replace("record item7 { id: u64", "record item7 { id: u6") }];
  const source = (f: typeof files) => bundle([{ ...f[0]!, group: "project" }], [...VENDORED_WIT], new ParseCache()).source;
  const check = await svc.check(files);
  if (check.diagnostics.length > 0) throw new Error(`the 500-line package does not check: ${check.diagnostics[0]!.message}`);
  const bad = await svc.check(broken);
  const errorLine = broken[0]!.text.split("\n").findIndex((l) => l.includes("record item7 {")) + 1;
  if (bad.diagnostics[0]?.line !== errorLine) throw new Error(`the error was not located: ${JSON.stringify(bad.diagnostics)}`);
  for (const [name, f] of [["wit_check_500_lines", files], ["wit_check_500_lines_error", broken]] as const) {
    const ours: number[] = [];
    const tools: number[] = [];
    const src = source([...f]);
    for (let i = 0; i < reps; i++) {
      // A new text each time, as typing makes: the parse cache only helps the dependencies.
      const edited = [{ path: "wit/big.wit", text: `${f[0]!.text}// ${i}\n` }];
      ours.push(await time(() => svc.check(edited)));
      tools.push(await time(() => componentEmbed({ witSource: src, dummy: true, world: "big" }).catch(() => null)));
    }
    out[name] = { ours: median(ours), wasm_tools: median(tools), samples: reps };
  }

  const component = STARTERS["wat-component"].files[0]!;
  const core = STARTERS["wat-core"].files;
  const coreWat = core.find((f) => f.path === "module.wat")!;
  const coreWit = core.find((f) => f.path.endsWith(".wit"))!.text;
  const cache = new ParseCache();
  const comp: number[] = [];
  const compTools: number[] = [];
  const coreOurs: number[] = [];
  const coreTools: number[] = [];
  for (let i = 0; i < reps; i++) {
    comp.push(await time(() => buildComponentWat(component)));
    compTools.push(await time(() => parse(component.text)));
    coreOurs.push(await time(() => buildCoreWat(coreWat, core, null, cache)));
    coreTools.push(await time(async () => componentNew(await componentEmbed({ binary: await parse(coreWat.text), witSource: coreWit }))));
  }
  out.wat_build_component = { ours: median(comp), wasm_tools: median(compTools), samples: reps };
  out.wat_build_core = { ours: median(coreOurs), wasm_tools: median(coreTools), samples: reps };

  // One cold build (new sources) and the same sources again (the server's cache).
  const js = STARTERS.js.files.map((f) => (f.path === "guest.js" ? { ...f, text: `${f.text}\n// bench ${Date.now()}\n` } : f));
  const req = { kind: "js" as const, files: js, world: null, name: "bench.wasm" };
  let cold = 0;
  const coldMs = await time(async () => {
    const o = await buildJsOnServer(req, () => {}, self.location.origin);
    if (!o.ok) throw new Error(`JS build failed: ${o.message}`);
    cold = o.ms;
  });
  const cached: number[] = [];
  for (let i = 0; i < reps; i++) cached.push(await time(() => buildJsOnServer(req, () => {}, self.location.origin)));
  out.js_build = { ours: Math.max(cold, coldMs), cached: median(cached), samples: 1 };
  return out;
}
