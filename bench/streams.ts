/**
 * `stream_u8_roundtrip_64mib`: 64 MiB from a host `ReadableStream` (64 KiB chunks) into a guest's
 * `stream<u8>` and back out of the stream it returns, read by the host 64 KiB at a time, against
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

const TOTAL = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

type Time = (f: () => Promise<unknown>) => Promise<number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface HostView {
  read(opts?: { count?: number }): Promise<{ value: Uint8Array | undefined; done: boolean }>;
}

/** 64 MiB in fresh (zeroed) 64 KiB chunks, made as the reader pulls, as a network or file source would. */
function source(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (sent >= TOTAL) return c.close();
        c.enqueue(new Uint8Array(CHUNK));
        sent += CHUNK;
      },
    },
    { highWaterMark: 0 },
  );
}

async function drainView(view: HostView): Promise<void> {
  let got = 0;
  for (;;) {
    const { value, done } = await view.read({ count: CHUNK });
    if (done) break;
    got += value!.length;
  }
  if (got !== TOTAL) throw new Error(`the guest returned ${got} of ${TOTAL} bytes`);
}

async function plainPipe(): Promise<void> {
  const reader = source().pipeThrough(new TransformStream<Uint8Array, Uint8Array>()).getReader();
  let got = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) got += r.value.length;
  if (got !== TOTAL) throw new Error(`the pipe carried ${got} of ${TOTAL} bytes`);
}

export async function streamBenchmarks(time: Time, reps: number, log: (line: string) => void) {
  const engine = new CmEngine();
  const echo = await engine.prepare(await parse(ECHO_WAT), "stream-echo");
  const viaEcho = async () => {
    const inst = engine.instantiate(echo, { resolveImport: () => undefined }, "stream-echo.wat");
    await drainView((await inst.call(inst.func(null, "echo")!, [source()])) as HostView);
  };
  const upperBytes = new Uint8Array(await (await fetch(new URL("/components/stream-upper.wasm", location.origin))).arrayBuffer());
  const upper = await engine.prepare(upperBytes, await sha256Hex(upperBytes));
  const viaQuickJs = async () => {
    const inst = engine.instantiate(upper, quietHost(false), "stream-upper.wasm");
    await drainView((await inst.call(inst.func(null, "upper")!, [source()])) as HostView);
  };
  // Warm-up: JIT and the engines' first instantiation.
  await viaEcho();
  await plainPipe();
  const ours: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < reps; i++) {
    ours.push(await time(viaEcho));
    plain.push(await time(plainPipe));
  }
  const quickjs = await time(viaQuickJs);
  const rate = (ms: number) => `${(TOTAL / 1e9 / (ms / 1000)).toFixed(2)} GB/s`;
  log(`stream_u8_roundtrip_64mib: ${rate(median(ours))} through the WAT guest, ${rate(median(plain))} plain pipe, ${rate(quickjs)} through QuickJS`);
  return { stream_u8_roundtrip_64mib: { ours: median(ours), plain_pipe: median(plain), quickjs, samples: reps } };
}
