/**
 * The stream pipeline (examples/pipeline): producer -> transform -> consumer linked on engine/cm in
 * Node 20, without JSPI, each stage's `source` import wired to the stage before it.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createHost } from "../host";
import type { InstanceNode } from "../compose/graph";
import { exampleGraph, fileOf, PIPELINE_TEXT } from "./graphs";
import { linkGraph } from "./link";

const built = (file: string) => new URL(`../../public/components/${file}`, import.meta.url);
const INDEX = JSON.parse(await readFile(built("index.json"), "utf8"));
const PIPELINE = exampleGraph(JSON.parse(await readFile(built("graphs.json"), "utf8")), "pipeline");
const load = async (node: InstanceNode) => new Uint8Array(await readFile(built(fileOf(INDEX, node))));

async function pipeline() {
  const out = { stdout: "" };
  const dec = new TextDecoder();
  const host = createHost({
    cli: { args: ["consumer"], env: [], stdin: new Uint8Array(), stdout: { write: (d) => void (out.stdout += dec.decode(d)) }, stderr: { write: () => {} } },
    blocking: { canSuspend: false },
  });
  return { g: await linkGraph(PIPELINE, { load, host: () => host }), out };
}

describe("producer -> transform -> consumer", () => {
  it("prints the producer's lines upper-cased, read 32 bytes at a time", async () => {
    const { g, out } = await pipeline();
    expect(await g.call("consumer", "wasi:cli/run@0.3.0", "run", [])).toEqual({ tag: "ok", val: undefined });
    const reads = out.stdout.slice(PIPELINE_TEXT.length);
    expect(out.stdout.slice(0, PIPELINE_TEXT.length)).toBe(PIPELINE_TEXT.toUpperCase());
    const summary = /^consumer: (\d+) bytes in (\d+) reads\n$/.exec(reads);
    expect(summary?.[1]).toBe(String(PIPELINE_TEXT.length));
    expect(Number(summary?.[2])).toBeGreaterThanOrEqual(Math.ceil(PIPELINE_TEXT.length / 32));
  });

  it("shows backpressure: writers wait until the slow reader downstream reads", async () => {
    const { g } = await pipeline();
    await g.call("consumer", "wasi:cli/run@0.3.0", "run", []);
    const events = g.events();
    const copies = (part: string, kind: "stream.read" | "stream.write") => events.filter((e) => e.part === part && e.kind === kind);

    // transform -> consumer: each consumer read takes at most 32 bytes; the transform writes up to
    // 64 at a time, so its writes block until the consumer reads again after its pause.
    const downstream = copies("consumer", "stream.read")[0]!.id!;
    expect(copies("consumer", "stream.read").every((e) => e.id === downstream && e.count! <= 32)).toBe(true);
    const blocked = events.filter((e) => e.part === "transform" && e.kind === "backpressure.on" && e.id === downstream);
    expect(blocked.length).toBeGreaterThanOrEqual(5);
    // The first write meets the consumer's first read already waiting. Every later one completes
    // only after the consumer's 5 ms pause and its next read on the other end of the same stream.
    for (const on of blocked.slice(1)) {
      const at = events.indexOf(on);
      const done = events.findIndex((e, i) => i > at && e.part === "transform" && e.kind === "stream.write" && e.id === downstream);
      const read = events.findIndex((e, i) => i > at && e.part === "consumer" && e.kind === "stream.read" && e.id === downstream);
      const pause = events.findIndex((e, i) => i > at && e.part === "consumer" && e.kind === "subtask.resolve" && e.name?.endsWith("#wait-for"));
      expect(pause).toBeGreaterThan(at);
      expect(pause).toBeLessThan(read);
      expect(read).toBeLessThan(done);
      // Backpressure goes off when the consumer's read takes from the write, before it is delivered.
      const off = events.findIndex((e, i) => i > at && e.part === "transform" && e.kind === "backpressure.off" && e.id === downstream);
      expect(off).toBeGreaterThan(pause);
      expect(off).toBeLessThan(done);
      // A wait-for never ends early; the trace clock may lag a reading by under 1 ms.
      expect(Number(events[done]!.t - on.t)).toBeGreaterThanOrEqual(4_000_000);
    }

    // producer -> transform: the producer wrote everything in one write; the transform took it
    // 64 bytes at a time, one read after each of its writes downstream had finished.
    const upstream = copies("transform", "stream.read")[0]!.id!;
    expect(upstream).not.toBe(downstream);
    const taken = copies("transform", "stream.read").filter((e) => e.id === upstream);
    expect(taken.every((e) => e.count! <= 64)).toBe(true);
    expect(taken.reduce((n, e) => n + e.count!, 0)).toBe(PIPELINE_TEXT.length);
    expect(taken.length).toBeGreaterThanOrEqual(Math.ceil(PIPELINE_TEXT.length / 64));
  });
});
