// stream-upper: a streaming transform over stream<u8>, chunk by chunk.
import { readViaStream } from "wasi:cli/stdin@0.3.0";
import { writeViaStream } from "wasi:cli/stdout@0.3.0";

/** ASCII-uppercases one chunk (a fresh Uint8Array; other bytes pass through). */
function upperChunk(chunk) {
  const out = new Uint8Array(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    out[i] = b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
  }
  return out;
}

/** Async generator: each chunk is transformed and yielded as soon as it arrives. */
async function* upperChunks(input) {
  for await (const chunk of input) yield upperChunk(chunk);
}

// Returning an async iterable lowers it to the result stream<u8>; the export
// returns immediately and bytes flow while the caller reads.
export async function upper(input) {
  return upperChunks(input);
}

export const run = {
  async run() {
    const [input, inputDone] = readViaStream(); // [stream<u8>, future<result<_, error-code>>]
    const { readable, writable } = wit.Stream(wit.Stream.U8);
    const outputDone = writeViaStream(readable);
    for await (const chunk of upperChunks(input)) {
      await writable.writeAll(chunk);
    }
    writable.drop();
    const [inResult, outResult] = await Promise.all([inputDone.read(), outputDone.read()]);
    if (inResult && inResult.tag === "err") throw new Error(`stdin: ${inResult.val}`);
    if (outResult && outResult.tag === "err") throw new Error(`stdout: ${outResult.val}`);
  },
};
