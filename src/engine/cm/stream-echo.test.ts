/**
 * testdata/stream-echo.wat, the stream throughput benchmark's guest: every byte of a host
 * `ReadableStream` comes back, in order, through a guest that reads and writes in turns.
 */
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { CmEngine } from "./engine";

const WAT = readFileSync(new URL("./testdata/stream-echo.wat", import.meta.url), "utf8");

interface HostView {
  read(opts?: { count?: number; into?: Uint8Array }): Promise<{ value: Uint8Array | undefined; done: boolean }>;
}

async function echo(chunks: Uint8Array[]): Promise<HostView> {
  const engine = new CmEngine();
  const inst = engine.instantiate(await engine.prepare(await parse(WAT), "echo"), { resolveImport: () => undefined }, "stream-echo.wat");
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
  return (await inst.call(inst.func(null, "echo")!, [input])) as HostView;
}

async function readAll(view: HostView, count: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await view.read({ count });
    if (done) break;
    parts.push(value!);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("stream-echo.wat", () => {
  it("returns every byte in order, across chunk sizes that straddle its 1 MiB buffer and the host's reads", async () => {
    const sizes = [1, 1000, 70_000, 1 << 20, (1 << 20) + 3, 5, 300_000];
    const chunks = sizes.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 0xff));
    const sent = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const c of chunks) {
      sent.set(c, at);
      at += c.length;
    }
    const got = await readAll(await echo(chunks), 100_000);
    expect(got.length).toBe(sent.length);
    expect(Buffer.from(got).equals(Buffer.from(sent))).toBe(true);
  });

  it("an empty input ends the output", async () => {
    expect((await readAll(await echo([]), 10)).length).toBe(0);
  });

  it("reads into the host's own buffer (read({into})): each value is a view of it, and the bytes are right", async () => {
    const chunks = [70_000, 5, 200_000].map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k) & 0xff));
    const view = await echo(chunks);
    const into = new Uint8Array(65_536);
    const got: number[] = [];
    for (;;) {
      const { value, done } = await view.read({ into });
      if (done) break;
      expect(value!.buffer).toBe(into.buffer);
      expect(value!.byteOffset).toBe(0);
      got.push(...value!);
    }
    expect(got).toEqual(chunks.flatMap((c) => [...c]));
    // A buffer with no room is refused.
    await expect((await echo([Uint8Array.of(1)])).read({ into: new Uint8Array(0) })).rejects.toThrow("at least one byte");
  });
});
