// sleep-fanout: many overlapping async imports inside one task.
import { now, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";
import { writeViaStream } from "wasi:cli/stdout@0.3.0";

const NS_PER_MS = 1_000_000;

// u64 maps to a JS number in componentize-qjs (exact up to 2^53 ns, about 104 days).
export async function fanout(count, millis) {
  const start = now();
  const waits = [];
  for (let i = 0; i < count; i++) waits.push(waitFor(millis * NS_PER_MS));
  await Promise.all(waits);
  return now() - start;
}

export async function chain(count, millis) {
  const start = now();
  for (let i = 0; i < count; i++) await waitFor(millis * NS_PER_MS);
  return now() - start;
}

// QuickJS has no TextEncoder: encode UTF-8 by hand.
function utf8(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

async function print(text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = writeViaStream(readable);
  await writable.writeAll(utf8(text));
  writable.drop();
  const result = await done.read();
  if (result && result.tag === "err") throw new Error(`stdout: ${result.val}`);
}

export const run = {
  async run() {
    const ns = await fanout(100, 10);
    await print(`100 concurrent 10 ms waits took ${(ns / NS_PER_MS).toFixed(1)} ms\n`);
  },
};
