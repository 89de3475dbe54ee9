/**
 * `stream_u8_roundtrip_64mib`: 64 MiB from a host `ReadableStream` (64 KiB chunks) into a guest's
 * `stream<u8>` and back out of the stream it returns, read by the host 64 KiB at a time into a
 * buffer of its own (`read({into})`; `copying_reads` is the same with `read({count})`, a new
 * chunk per read, which is what a host that keeps the chunks needs), against
 * the same bytes through a plain `ReadableStream` pipe (`plain_pipe`: `pipeThrough` an identity
 * `TransformStream`). The guest is src/engine/cm/testdata/stream-echo.wat (a 1 MiB buffer, one
 * read then one write), so the engine's copies are what is measured; `quickjs` is the same
 * round trip through the stream-upper example's `upper` (componentize-qjs), for the record.
 */
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { quietHost } from "./host";
import { sha256Hex } from "../src/engine/jco/cache";
import { CmEngine } from "../src/engine/cm/engine";
import ECHO_WAT from "../src/engine/cm/testdata/stream-echo.wat?raw";
import { type Time, median } from "./measure";

const TOTAL = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;


interface HostView {
  read(opts?: { count?: number; into?: Uint8Array }): Promise<{ value: Uint8Array | undefined; done: boolean }>;
}

/**
 * 64 MiB as 64 KiB chunks written before any timing and handed out as the reader pulls. A chunk
 * made fresh per pull was tried first: then the time went to the first touch of its new pages
 * (whoever read the bytes first paid for them: our copy into linear memory, never the plain pipe,
 * which does not touch them), and with chunks written by the producer the producer's own writes
 * took most of both sides' time. What is timed here is carrying the bytes.
 */
const writtenChunks = () => Array.from({ length: TOTAL / CHUNK }, (_, i) => new Uint8Array(CHUNK).fill(i & 0xff));

function source(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (sent === chunks.length) return c.close();
        c.enqueue(chunks[sent++]!);
      },
    },
    { highWaterMark: 0 },
  );
}

async function drainView(view: HostView, into?: Uint8Array): Promise<void> {
  let got = 0;
  for (;;) {
    const { value, done } = await view.read(into ? { into } : { count: CHUNK });
    if (done) break;
    got += value!.length;
  }
  if (got !== TOTAL) throw new Error(`the guest returned ${got} of ${TOTAL} bytes`);
}

async function plainPipe(chunks: readonly Uint8Array[]): Promise<void> {
  const reader = source(chunks).pipeThrough(new TransformStream<Uint8Array, Uint8Array>()).getReader();
  let got = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) got += r.value.length;
  if (got !== TOTAL) throw new Error(`the pipe carried ${got} of ${TOTAL} bytes`);
}

export async function streamBenchmarks(time: Time, reps: number, log: (line: string) => void) {
  const chunks = writtenChunks();
  const engine = new CmEngine();
  const echo = await engine.prepare(await parse(ECHO_WAT), "stream-echo");
  const into = new Uint8Array(CHUNK);
  const viaEcho = async (reuse?: Uint8Array) => {
    const inst = engine.instantiate(echo, { resolveImport: () => undefined }, "stream-echo.wat");
    await drainView((await inst.call(inst.func(null, "echo")!, [source(chunks)])) as HostView, reuse);
  };
  const upperBytes = new Uint8Array(await (await fetch(new URL("/components/stream-upper.wasm", location.origin))).arrayBuffer());
  const upper = await engine.prepare(upperBytes, await sha256Hex(upperBytes));
  const viaQuickJs = async () => {
    const inst = engine.instantiate(upper, quietHost(false), "stream-upper.wasm");
    await drainView((await inst.call(inst.func(null, "upper")!, [source(chunks)])) as HostView);
  };
  // Warm-up: JIT and the engines' first instantiation.
  await viaEcho(into);
  await plainPipe(chunks);
  const ours: number[] = [];
  const copying: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < reps; i++) {
    ours.push(await time(() => viaEcho(into)));
    copying.push(await time(() => viaEcho()));
    plain.push(await time(() => plainPipe(chunks)));
  }
  const quickjs = await time(viaQuickJs);
  const rate = (ms: number) => `${(TOTAL / 1e9 / (ms / 1000)).toFixed(2)} GB/s`;
  log(`stream_u8_roundtrip_64mib: ${rate(median(ours))} through the WAT guest (${rate(median(copying))} with a new chunk per read), ${rate(median(plain))} plain pipe, ${rate(quickjs)} through QuickJS`);
  return { stream_u8_roundtrip_64mib: { ours: median(ours), plain_pipe: median(plain), copying_reads: median(copying), quickjs, samples: reps } };
}
