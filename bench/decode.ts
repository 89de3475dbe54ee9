/**
 * Component decoding: our decoder (src/component) against what the playground uses today to read
 * a component's imports and exports, jco's wasm-tools `componentWit`, on the largest conformance
 * component (3.7 MB, 4 core modules, 170 definitions).
 */
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { decode } from "../src/component/decode";
import { median } from "./measure";

const LARGEST = "/conformance/component-model-async/streams/async-read-resource-stream.wasm";
/** Decodes per sample: one decode is well under the worker's timer resolution. */
const BATCH = 20;

export async function decodeBenchmarks(time: (f: () => Promise<unknown>) => Promise<number>, reps: number) {
  const res = await fetch(LARGEST);
  if (!res.ok) throw new Error(`could not fetch ${LARGEST}: HTTP ${res.status} (is ../shared/conformance present?)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Both sides once untimed: JIT warm-up for ours, wasm-tools instantiation for the other.
  const ast = decode(bytes);
  const wit = await componentWit(bytes);
  if (!ast.definitions.some((d) => d.kind === "export" && wit.includes(`export ${d.name.name};`))) throw new Error("decoder and componentWit disagree on exports");
  const ours: number[] = [];
  const tools: number[] = [];
  for (let i = 0; i < reps; i++) {
    const batch = await time(async () => {
      for (let j = 0; j < BATCH; j++) decode(bytes);
    });
    ours.push(batch / BATCH);
    tools.push(await time(() => componentWit(bytes)));
  }
  return { decode_largest_component: { ours: median(ours), wasm_tools: median(tools), samples: reps } };
}
