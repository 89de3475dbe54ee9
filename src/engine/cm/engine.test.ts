/**
 * engine/cm in Node 20 (no JSPI): the example components, built with componentize-qjs, run their
 * callback-lifted exports against the real host. QuickJS guests use extended constant
 * expressions, so vitest runs with --experimental-wasm-extended-const on Node 20.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createHost } from "../../host";
import { TraceRecorder } from "../trace";
import { CmEngine } from "./engine";

const dec = new TextDecoder();
const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../../public/components/${name}.wasm`, import.meta.url)));

function setup(name: string, opts: { args?: string[]; env?: Array<[string, string]>; stdin?: string; trace?: boolean } = {}) {
  const out = { stdout: "", stderr: "" };
  const host = createHost({
    cli: {
      args: [name, ...(opts.args ?? [])],
      env: opts.env ?? [],
      stdin: new TextEncoder().encode(opts.stdin ?? ""),
      stdout: { write: (d) => void (out.stdout += dec.decode(d)) },
      stderr: { write: (d) => void (out.stderr += dec.decode(d)) },
    },
    blocking: { canSuspend: false },
  });
  const sink = opts.trace ? new TraceRecorder({ fidelity: "exact" }) : null;
  /** What the run recorded so far. */
  const events = () => sink?.takeBatch().events ?? [];
  return { out, host, events, sink };
}

const engine = new CmEngine();

async function instance(name: string, s: ReturnType<typeof setup>) {
  const prepared = await engine.prepare(example(name), name);
  return engine.instantiate(prepared, s.host, `${name}.wasm`, s.sink);
}

describe("engine/cm runs the examples without JSPI", () => {
  it("hello: args, env, stdout and stderr, and the exit code from the guest", async () => {
    const s = setup("hello", { args: ["Ada", "Lovelace"], env: [["EXIT_CODE", "3"]] });
    const inst = await instance("hello", s);
    const run = inst.func("wasi:cli/run@0.3.0", "run")!;
    await inst.call(run, []).catch(() => undefined);
    expect(s.out.stdout).toContain("Hello, Ada Lovelace!");
    expect(s.out.stdout).toContain("env: EXIT_CODE");
    expect(s.out.stderr).toContain("hello: 2 args, 1 env vars");
    expect(s.host.cli.exitCode).toBe(3);
  });

  it("sleep-fanout: concurrent waits overlap inside one task, chained ones add up", async () => {
    const s = setup("sleep-fanout", { trace: true });
    const inst = await instance("sleep-fanout", s);
    const fanout = inst.func(null, "fanout")!;
    const chain = inst.func(null, "chain")!;
    const t0 = performance.now();
    const ns = (await inst.call(fanout, [50, 20])) as bigint;
    expect(typeof ns).toBe("bigint");
    expect(ns).toBeGreaterThanOrEqual(20_000_000n);
    expect(performance.now() - t0).toBeLessThan(50 * 20);
    // The exact trace: one task, 50 subtasks to wait-for, all started before any resolved.
    const events = s.events();
    const fanoutTask = events.find((e) => e.kind === "task.start" && e.name === "fanout")!.task;
    const subtasks = events.filter((e) => e.kind === "subtask.start" && e.task === fanoutTask && e.name?.endsWith("#wait-for"));
    expect(subtasks).toHaveLength(50);
    const firstResolve = events.findIndex((e) => e.kind === "subtask.resolve" && e.name?.endsWith("#wait-for"));
    const lastStart = events.findLastIndex((e) => e.kind === "subtask.start" && e.name?.endsWith("#wait-for"));
    expect(lastStart).toBeLessThan(firstResolve);
    expect(events.some((e) => e.kind === "wait.begin" && e.task === fanoutTask)).toBe(true);

    const chained = (await inst.call(chain, [10, 2])) as bigint;
    expect(chained).toBeGreaterThanOrEqual(20_000_000n);
  });

  it("stream-upper: a stream<u8> argument from the host and a stream<u8> result back", async () => {
    const s = setup("stream-upper");
    const inst = await instance("stream-upper", s);
    const upper = inst.func(null, "upper")!;
    const input = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode(`chunk ${i} ünï; `));
        c.close();
      },
    });
    const result = (await inst.call(upper, [input])) as { read(o: { count: number }): Promise<{ value?: ArrayLike<number>; done: boolean }> };
    const bytes: number[] = [];
    for (;;) {
      const { value, done } = await result.read({ count: 4096 });
      if (done) break;
      bytes.push(...Array.from(value!));
    }
    const text = dec.decode(Uint8Array.from(bytes));
    expect(text.startsWith("CHUNK 0 üNï; CHUNK 1")).toBe(true);
    expect(text.split("; ")).toHaveLength(101);
  });

  it("leaves no failure listener behind per call or per stream read (a long-running server does not grow)", async () => {
    const s = setup("stream-upper");
    const inst = await instance("stream-upper", s);
    const upper = inst.func(null, "upper")!;
    const before = inst.store.failureListeners;
    for (let i = 0; i < 200; i++) {
      const result = (await inst.call(upper, [new Blob([`call ${i}`]).stream()])) as { read(o: { count: number }): Promise<{ value?: ArrayLike<number>; done: boolean }> };
      let text = "";
      for (let r = await result.read({ count: 3 }); !r.done; r = await result.read({ count: 3 })) text += dec.decode(Uint8Array.from(r.value!));
      expect(text).toBe(`CALL ${i}`);
    }
    expect(inst.store.failureListeners).toBe(before);
  });

  it("stream-upper run: stdin to stdout through the host's 0.3 streams", async () => {
    const s = setup("stream-upper", { stdin: "abc\n".repeat(1000) });
    const inst = await instance("stream-upper", s);
    await inst.call(inst.func("wasi:cli/run@0.3.0", "run")!, []);
    expect(s.out.stdout).toBe("ABC\n".repeat(1000));
  });
});
